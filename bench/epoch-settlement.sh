#!/usr/bin/env bash
# Settlement of one epoch of 10 million metered GPU-minutes over 100,000 GPUs in 2,000 pools by the
# packaged app, side by side with one SQL GROUP BY scan of the same burns on the same database (see
# src/test/java/bench/EpochSettlementBench.java). The rows are made with generate_series.
# Usage: bench/epoch-settlement.sh [gpus] [pools] [minutes per GPU] [runs]
# BC_BENCH_WORK=<the work folder a run printed> settles that run's rows again without seeding (same day only).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B package -DskipTests
./mvnw -q -B dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" bench.EpochSettlementBench "$@"
