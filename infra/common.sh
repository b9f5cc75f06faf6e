# Sourced by the infra scripts.
#   log MESSAGE...           progress on stderr (stdout carries the exports a script prints)
#   debian_install PKG...    installs Debian packages (with sudo when not root)
log() { echo "[infra] $*" >&2; }
debian_install() {
  local sudo_cmd=""
  [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "$@" >&2
}
