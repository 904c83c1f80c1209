#!/usr/bin/env bash
# Installs Debian's Chromium, which the HTML report tests (test/scenario-reports) drive headless.
# Silent when `chromium` is already on the PATH; otherwise one line says what is installed and why, and
# apt's output goes to a log that is shown only if the install fails.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  exit 0
fi

echo "installing Debian's chromium (apt-get): the HTML report tests run it headless"
sudo=()
if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! { "${sudo[@]}" apt-get update -qq && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >"$log" 2>&1; then
  echo "installing chromium failed; apt-get said:" >&2
  tail -n 20 "$log" >&2
  exit 1
fi
if ! command -v chromium >/dev/null 2>&1; then
  echo "apt-get installed chromium but it is not on the PATH" >&2
  exit 1
fi
