#!/usr/bin/env bash
# Ledger postings per second with 64 concurrent clients beside plain single-row inserts into a table
# of the same shape, on the embedded PostgreSQL with fsync and synchronous commits on
# (see src/test/java/credits/LedgerBenchmark.java).
# Usage: bench/ledger.sh [seconds per run] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B test -Dtest=LedgerBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dbench.ledger=true \
  -Dtest-postgres.durable=true -Dbench.seconds="${1:-10}" -Dbench.runs="${2:-3}" 2>&1 \
  | grep -E '^(Ledger benchmark|plain insert|ledger burn|ledger mint)|ERROR|FAIL'
