#!/usr/bin/env bash
# Proof of GPU (issue 12): the server's CPU time to check one compute and one memory round at the
# largest sizes of the seeded models (src/test/java/bench/ProofRoundBenchmark.java), then every
# model's round sizes and deadlines against the forger, the rounds' CPU emulation on this machine
# (gpu.ProofForgerTest, which the suite runs too). Figures in docs/benchmarks.md.
# Usage: bench/proof-rounds.sh [repetitions]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B test-compile
./mvnw -q -B dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" bench.ProofRoundBenchmark "${1:-20}"
rm -rf target/classes/db-migrations
./mvnw -q -B test -Dtest=gpu.ProofForgerTest -Dsurefire.failIfNoSpecifiedTests=false > target/proof-forger.log 2>&1 \
  || { tail -50 target/proof-forger.log; exit 1; }
cat target/proof-forger.md
