#!/usr/bin/env bash
# Headless Chromium for the browser tests (the draw verification page, the HTML reports).
#   bash .ci/chromium.sh    # installs Debian's chromium if missing; prints the binary's path on stdout
# Tests find the browser through COMMUNITYFUNNEL_CHROMIUM (else /usr/bin/chromium); .ci/run exports it and sets
# COMMUNITYFUNNEL_REQUIRE_BROWSER=1, so that in CI a missing browser fails the browser tests instead of skipping them.
set -euo pipefail
find_bin() {
  local c
  for c in "${COMMUNITYFUNNEL_CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
    if [ -n "$c" ] && [ -x "$c" ]; then echo "$c"; return; fi
  done
  return 1
}
if ! bin=$(find_bin); then
  echo "chromium.sh: chromium not found; installing Debian's chromium with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2 && apt-get install -y --no-install-recommends chromium fonts-noto-cjk >&2
  bin=$(find_bin)
fi
"$bin" --version >&2
echo "$bin"
