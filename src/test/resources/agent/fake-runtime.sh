#!/bin/sh
# A workload runtime for tests, speaking the agent's exec protocol (gpu.cli.ExecRuntime): instead of
# a container it keeps one state file per lease next to itself, holding the lease's facts.
set -eu
action="$1"
lease="$2"
dir="$(dirname "$0")/state"
mkdir -p "$dir"
file="$dir/$lease"
case "$action" in
  start)
    if [ "${BC_IMAGE:-}" = "example.org/fails:1" ]; then
      echo "pulling example.org/fails:1: manifest unknown" >&2
      exit 1
    fi
    {
      echo "running"
      echo "lease=$BC_LEASE_ID"
      echo "kind=$BC_LEASE_KIND"
      echo "start=$BC_LEASE_START"
      echo "end=$BC_LEASE_END"
      echo "gpus=$BC_GPU_UUIDS"
      echo "image=$BC_IMAGE"
      echo "key=$BC_SSH_PUBLIC_KEY"
      echo "env_GREETING=${BC_ENV_GREETING:-}"
      echo "api_key=${BC_API_KEY:-}"
    } > "$file"
    echo "starting $BC_IMAGE"
    echo "gpu-host-1.example:2201"
    ;;
  status)
    if [ -f "$file" ] && [ "$(head -n 1 "$file")" = "running" ]; then
      echo "running gpu-host-1.example:2201"
    else
      echo "exited"
      exit 1
    fi
    ;;
  stop)
    if [ -f "$file" ]; then
      sed -i '1s/.*/stopped/' "$file"
    fi
    ;;
  *)
    echo "unknown action $action" >&2
    exit 2
    ;;
esac
