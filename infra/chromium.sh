#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the console's browser tests (Playwright drives it; it never downloads
# a browser of its own) and prints its path. ./test.sh runs it.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  echo "[infra] installing chromium from Debian packages (about a minute)" >&2
  sudo_cmd=""; [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >&2
fi
command -v chromium
