#!/usr/bin/env bash
# Installs the system tools the test suite runs, each only when it is missing (see the scripts it calls).
set -euo pipefail
here="${BASH_SOURCE[0]%/*}"
bash "$here/install-chromium.sh"
bash "$here/install-sipp.sh"
