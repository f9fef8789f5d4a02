#!/usr/bin/env bash
# Proof of GPU (issue 12): the server's CPU time to check one compute and one memory round at the
# H100/H200 sizes, and the rounds' CPU emulation speed, from which the forger's time is
# extrapolated (see src/test/java/bench/ProofRoundBenchmark.java; figures in docs/benchmarks.md).
# Usage: bench/proof-rounds.sh [repetitions]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B test-compile
./mvnw -q -B dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" bench.ProofRoundBenchmark "${1:-20}"
