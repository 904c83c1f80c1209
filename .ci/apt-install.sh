# Sourced by the .ci/install-*.sh scripts: installs one Debian package quietly.
# apt_install_quietly PACKAGE WHY prints one line saying what it installs and why; apt's output goes to a
# log that is shown (its last lines, on stderr) only if the install fails, and the function then fails.
apt_install_quietly() {
  local package=$1 why=$2
  echo "installing Debian's ${package} (apt-get): ${why}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
  local log
  log=$(mktemp)
  if ! { "${sudo[@]}" apt-get update -qq && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package"; } >"$log" 2>&1; then
    echo "installing ${package} failed; apt-get said:" >&2
    tail -n 20 "$log" >&2
    rm -f "$log"
    return 1
  fi
  rm -f "$log"
}
