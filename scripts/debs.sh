#!/usr/bin/env bash
# `make debs`: the Debian packages cnxx-dkms, libcnxx0, libcnxx-dev and
# cnxx-tools, built with dpkg-buildpackage in a copy of the tree and left
# with their .changes in out/debs; then lintian must find no error or
# warning in them (not with --no-lintian: scripts/debian-system.sh builds
# the previous version so, the current one passed lintian).
#
# debian/changelog is written into the copy from VERSION, which stays the
# one place of the version. The copy keeps dpkg-buildpackage, which writes
# next to the source directory, out of the checkout's parent.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

case ${1:-} in '' | --no-lintian) ;; *) die "usage: scripts/debs.sh [--no-lintian]" ;; esac
need base tools debs

# Each build dependency must be in scripts/packages, so that `need` gets it
# on a fresh machine (debhelper-compat is debhelper's).
build_deps=$(sed -n '/^Build-Depends:/,/^[A-Z]/{s/^Build-Depends://; /^[A-Z]/d; p}' \
	"$CNXX_ROOT/debian/control" | tr ',' '\n' | sed -E 's/[[(].*//; s/^ +| +$//g' |
	sed 's/^debhelper-compat$/debhelper/' | grep -v '^$')
unlisted=$(echo "$build_deps" | grep -vxF -f <(group_pkgs all) || true)
[ -z "$unlisted" ] ||
	die "debian/control builds with packages that scripts/packages does not list: $(echo "$unlisted" | tr "\n" " ")"

version=$(cat "$CNXX_ROOT/VERSION")
debs=$CNXX_OUT/debs
src=$debs/build/cnxx-$version
rm -rf "$debs"
mkdir -p "$src"

copy_tree "$src"
if in_git; then
	date=$(git -C "$CNXX_ROOT" log -1 --format=%aD)
else
	date=$(date -R -r "$CNXX_ROOT/VERSION")
fi
cat >"$src/debian/changelog" <<EOT
cnxx ($version) unstable; urgency=medium

  * Release $version.

 -- $(sed -n 's/^Maintainer: //p' "$src/debian/control")  $date
EOT

(cd "$src" && dpkg-buildpackage -us -uc -b) >"$debs/build.log" 2>&1 ||
	{ tail -30 "$debs/build.log" >&2; die "dpkg-buildpackage failed (log: $debs/build.log)"; }
find "$debs/build" -maxdepth 1 -type f -exec mv -t "$debs" {} +
log "packages in $debs:"
(cd "$debs" && ls -1 ./*.deb) >&2

[ "${1:-}" != --no-lintian ] || exit 0
lintian --fail-on error,warning "$debs"/cnxx_"${version}"_*.changes ||
	die "lintian found errors or warnings in the packages"
log "lintian: no errors or warnings"
