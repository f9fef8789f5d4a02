#!/usr/bin/env bash
# The settlement simulator on 100,000 GPUs in 2,000 pools (goal: under 1 s): first the engine alone,
# in-process, then POST /api/epochs/simulate against the packaged app (bin/bc-server) on this machine.
# Each figure is the median of [runs] runs after warm-up runs. BENCH_HTTP=0 skips the HTTP part.
# Usage: bench/settlement.sh [runs]   (it builds the app first)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-9}
port=${BC_BENCH_PORT:-18182}
chain_port=${BC_BENCH_CHAIN_PORT:-18546}

./mvnw -q -B package -DskipTests
./mvnw -q -B dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test

bench() {
  java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" bench.SettlementBench \
    --gpus 100000 --pools 2000 --runs "$runs" "$@"
}

# The engine alone, in-process, before the app is started so that nothing else competes for the cores.
bench
if [ "${BENCH_HTTP:-1}" = 0 ]; then
  exit 0
fi

work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
BC_DATA_DIR="$work/data" BC_PORT=$port BC_CHAIN_EMBEDDED_PORT=$chain_port bin/bc-server > "$work/server.log" 2>&1 &
server=$!
until curl -sf "http://localhost:$port/q/health/ready" > /dev/null; do
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.2
done
bench --url "http://localhost:$port"
