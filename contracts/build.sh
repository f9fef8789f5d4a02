#!/usr/bin/env bash
# Run by the Maven build (generate-sources): installs the pinned npm packages when they are
# missing (npm ci), then compiles the contracts into the given folder.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
out=$1
# Skip the (slow, viaIR) compile when every output is newer than every input.
if [ -f "$out/.compiled" ] && [ -z "$(find src compile.js package-lock.json -newer "$out/.compiled" -print -quit)" ]; then
  exit 0
fi
node compile.js "$out"
touch "$out/.compiled"
