#!/usr/bin/env bash
# The marketplace page's latency at a fixed arrival rate (src/test/java/market/MarketPageBenchmark.java):
# an open model over real HTTP, latency counted from each request's due time.
# Usage: bench/market-page.sh [requests per second 200] [seconds 30] [pools 20] [GPUs per pool 10] [path /market]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B test -Dtest=MarketPageBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dbench.market-page=true \
  -Dtest-postgres.durable=true -Dbench.rate="${1:-200}" -Dbench.seconds="${2:-30}" -Dbench.pools="${3:-20}" \
  -Dbench.gpus-per-pool="${4:-10}" -Dbench.path="${5:-/market}" 2>&1 \
  | grep -E '^(set-up|one at a time|Marketplace page benchmark|sent|latency)|Tests run:|FAIL'
