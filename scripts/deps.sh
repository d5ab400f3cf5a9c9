#!/usr/bin/env bash
# `make deps`: installs every package of scripts/packages (as root), or
# prints the apt-get line that does and fails (as another user).
#
#   scripts/deps.sh [GROUP...]     default: all groups
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -gt 0 ] || set -- all
if [ "$(id -u)" -ne 0 ]; then
	echo "apt-get install --no-install-recommends $(group_pkgs "$@" | tr '\n' ' ')"
	die "installing packages needs root: run the line above as root, or 'sudo make deps'"
fi
need "$@"
log "every package of: $* is installed"
