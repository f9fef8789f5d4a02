#!/usr/bin/env bash
# Cold start to ready, embedded database included, of the packaged app (bin/bc-server).
# "first start" uses an empty data directory (initdb included); "restart" reuses it.
# Usage: bench/startup.sh [runs]   (build first: ./mvnw package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
port=${BC_BENCH_PORT:-18181}
work=$(mktemp -d)
pid=""
# On exit stop only the app this script started (never other apps on the machine).
trap '[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

ready_after() { # sets $seconds: from start to /q/health/ready = 200, then stops the app
  # (not run in $(...): the EXIT trap must see $pid to stop an app left running by an error)
  local data=$1 start end
  start=$(date +%s%N)
  BC_DATA_DIR=$data BC_PORT=$port bin/bc-server > "$work/log" 2>&1 &
  pid=$!
  until curl -sf "http://localhost:$port/q/health/ready" > /dev/null; do
    kill -0 $pid 2>/dev/null || { cat "$work/log"; exit 1; }
    sleep 0.05
  done
  end=$(date +%s%N)
  kill -TERM $pid; wait $pid || true
  pid=""
  seconds=$(echo "scale=2; ($end - $start) / 1000000000" | bc)
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

first=(); again=()
for i in $(seq 1 "$runs"); do
  rm -rf "$work/data"
  ready_after "$work/data"; first+=("$seconds")
  ready_after "$work/data"; again+=("$seconds")
done
echo "first start (empty data dir): ${first[*]} s; median $(printf '%s\n' "${first[@]}" | median) s"
echo "restart (existing data dir):  ${again[*]} s; median $(printf '%s\n' "${again[@]}" | median) s"
