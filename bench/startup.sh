#!/usr/bin/env bash
# Cold start to ready, embedded database included, of the packaged app (bin/bc-server).
# "first start" uses an empty data directory (initdb included); "restart" reuses it.
# Usage: bench/startup.sh [runs]   (build first: ./mvnw package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
port=${BC_BENCH_PORT:-18181}
work=$(mktemp -d)
trap 'pkill -TERM -f "quarkus-run.jar" 2>/dev/null || true; rm -rf "$work"' EXIT

ready_after() { # prints seconds from start to /q/health/ready = 200, then stops the app
  local data=$1 start end pid
  start=$(date +%s%N)
  BC_DATA_DIR=$data BC_PORT=$port bin/bc-server > "$work/log" 2>&1 &
  pid=$!
  until curl -sf "http://localhost:$port/q/health/ready" > /dev/null; do
    kill -0 $pid 2>/dev/null || { cat "$work/log"; exit 1; }
    sleep 0.05
  done
  end=$(date +%s%N)
  kill -TERM $pid; wait $pid || true
  echo "scale=2; ($end - $start) / 1000000000" | bc
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

first=(); again=()
for i in $(seq 1 "$runs"); do
  rm -rf "$work/data"
  first+=("$(ready_after "$work/data")")
  again+=("$(ready_after "$work/data")")
done
echo "first start (empty data dir): ${first[*]} s; median $(printf '%s\n' "${first[@]}" | median) s"
echo "restart (existing data dir):  ${again[*]} s; median $(printf '%s\n' "${again[@]}" | median) s"
