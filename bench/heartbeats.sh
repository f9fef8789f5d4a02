#!/usr/bin/env bash
# Heartbeat ingestion through the real HTTP API (wrk against the packaged app; see
# src/test/java/bench/HeartbeatBenchmark.java). Needs wrk (apt-get install wrk).
# Usage: bench/heartbeats.sh [hosts] [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "bench/heartbeats.sh needs wrk: apt-get install wrk" >&2; exit 2; }
./mvnw -q -B package -DskipTests
./mvnw -q -B dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" bench.HeartbeatBenchmark "$@"
