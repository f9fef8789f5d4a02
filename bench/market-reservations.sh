#!/usr/bin/env bash
# Reservations per second with 64 concurrent clients on one pool of 1,000 GPUs, through the market,
# beside raw JDBC inserts into the same constrained hold table, on the embedded PostgreSQL with fsync
# and synchronous commits on (see src/test/java/market/MarketReservationsBenchmark.java).
# Usage: bench/market-reservations.sh [seconds per run] [runs] [GPUs in the pool]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B test -Dtest=MarketReservationsBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dbench.market=true \
  -Dtest-postgres.durable=true -Dbench.seconds="${1:-10}" -Dbench.runs="${2:-3}" -Dbench.gpus="${3:-1000}" 2>&1 \
  | grep -E '^(set-up|Market reservations benchmark|raw JDBC|market reservation|  cost|  where|  query|holds afterwards)|ERROR|FAIL'
