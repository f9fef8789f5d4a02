#!/usr/bin/env bash
# Outbox relay throughput: confirmed mints per second against the embedded anvil, one-by-one
# versus pipelined nonces, on the packaged app (see src/test/java/bench/RelayBenchmark.java).
# Usage: bench/relay.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B package -DskipTests
./mvnw -q -B dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" bench.RelayBenchmark "${1:-3}"
