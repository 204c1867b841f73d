#!/usr/bin/env bash
# The browser tests drive Debian's Chromium through its executable path (never a downloaded
# browser): install it from Debian's packages when it is absent.
set -o errexit -o nounset -o pipefail

command -v chromium >/dev/null && exit 0
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
echo "Chromium not installed: installing Debian's chromium package" >&2
as_root apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
command -v chromium >/dev/null
