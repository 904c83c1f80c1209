#!/usr/bin/env bash
# Installs Debian's Chromium, which the HTML report tests (test/scenario-reports) drive headless.
# Silent when `chromium` is already on the PATH; otherwise one line says what is installed and why, and
# apt's output goes to a log that is shown only if the install fails.
set -euo pipefail
source "${BASH_SOURCE[0]%/*}/apt-install.sh"

if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
apt_install_quietly chromium "the HTML report tests run it headless"
if ! command -v chromium >/dev/null 2>&1; then
  echo "apt-get installed chromium but it is not on the PATH" >&2
  exit 1
fi
