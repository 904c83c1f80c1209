#!/usr/bin/env bash
# Installs SIPp (Debian's sip-tester), which the SIPREC interop tests (test/siprec) run as the recorder
# and as the sender. Silent when `sipp` is already on the PATH; otherwise one line says what is installed
# and why, and apt's output goes to a log that is shown only if the install fails.
set -euo pipefail
source "${BASH_SOURCE[0]%/*}/apt-install.sh"

if command -v sipp >/dev/null 2>&1; then
  exit 0
fi
apt_install_quietly sip-tester "the SIPREC interop tests run SIPp against the simulator"
if ! command -v sipp >/dev/null 2>&1; then
  echo "apt-get installed sip-tester but sipp is not on the PATH" >&2
  exit 1
fi
