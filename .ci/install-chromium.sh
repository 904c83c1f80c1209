#!/usr/bin/env bash
# Installs Debian's Chromium, which the HTML report tests (test/scenario-reports) drive headless.
# Idempotent: does nothing when `chromium` is already on the PATH.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  echo "chromium already installed: $(command -v chromium)"
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
"${sudo[@]}" apt-get update
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
command -v chromium
