#!/usr/bin/env bash
# Wall time of the whole test suite (the README's test command), as a median of several runs.
# Usage: bench/suite-time.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
times=()
for i in $(seq 1 "$runs"); do
  start=$(date +%s)
  ./mvnw -B -q verify > /tmp/bc-suite-run.log 2>&1 || { tail -50 /tmp/bc-suite-run.log; exit 1; }
  times+=($(( $(date +%s) - start )))
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
echo "./mvnw -B verify: ${times[*]} s; median ${median} s"
