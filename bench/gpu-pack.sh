#!/usr/bin/env bash
# Prepares the GPU certification run for a machine that has a GPU but no Java (the lent device
# machines): builds target/bc-cli.jar and packs it with a trimmed Java runtime into
# .device/ (ignored by git, about 45 MB). Then, with the device tool:
#   run  carry=[".device"]  command="bash bench/gpu-device.sh"  timeout_s=420
# See docs/gpu-certification.md, "Running it on a lent GPU".
set -euo pipefail
cd "$(dirname "$0")/.."
# Always from the current sources (a stale jar would report stale kernels); BC_SKIP_BUILD=1 to reuse target/.
[ "${BC_SKIP_BUILD:-}" = 1 ] && [ -f target/bc-cli.jar ] || ./mvnw -q -B package -DskipTests
exclude=$(git rev-parse --git-path info/exclude)
mkdir -p "$(dirname "$exclude")"
grep -qxF '/.device/' "$exclude" 2>/dev/null || echo '/.device/' >> "$exclude"
rm -rf .device && mkdir -p .device
# What bc-cli needs of the JDK: HTTP client (certify), logging (JCuda), EC and the unsupported
# module (Bouncy Castle, Jackson). The two commands after cp check the runtime is enough.
jlink --add-modules java.base,java.logging,java.net.http,jdk.crypto.ec,jdk.unsupported \
  --strip-debug --no-header-files --no-man-pages --compress=2 --output .device/jre
cp target/bc-cli.jar .device/
.device/jre/bin/java -jar .device/bc-cli.jar --version
.device/jre/bin/java -jar .device/bc-cli.jar keygen --out "$(mktemp -d)/check.key" > /dev/null
du -sh .device | awk '{print "packed .device/: " $1 " (everything carried must stay under 64 MiB)"}'
