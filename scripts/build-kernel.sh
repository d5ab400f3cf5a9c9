#!/usr/bin/env bash
# Build (or reuse from the cache) a test kernel and print its build directory.
#
#   scripts/build-kernel.sh 6.1|6.12 [base|debug]
#
# Source comes from Debian's linux-source-X package. The build directory is
# cached under $CNXX_CACHE/kernels keyed by the package version and a hash of
# the config fragments and this script, so a second run does not rebuild.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

series=${1:?usage: build-kernel.sh SERIES [FLAVOR]}
flavor=${2:-base}
case "$series" in 6.1 | 6.12) ;; *) die "unsupported kernel series '$series' (6.1 or 6.12)" ;; esac
case "$flavor" in base | debug) ;; *) die "unknown flavor '$flavor' (base or debug)" ;; esac

need_pkgs "linux-source-$series" "${KERNEL_BUILD_PKGS[@]}"

pkgver=$(dpkg-query -W -f='${Version}' "linux-source-$series")
frags=("$CNXX_ROOT/scripts/kconfig/base.config")
[ "$flavor" = debug ] && frags+=("$CNXX_ROOT/scripts/kconfig/debug.config")
key=$(cat "${frags[@]}" "$0" | sha256sum | cut -c1-12)
src=$CNXX_CACHE/src/linux-$pkgver
build=$CNXX_CACHE/kernels/$series-$pkgver-$flavor-$key

if [ -f "$build/.cnxx-done" ]; then
	echo "$build"
	exit 0
fi

mkdir -p "$CNXX_CACHE/src" "$CNXX_CACHE/kernels"
exec 9>"$CNXX_CACHE/kernels/.lock-$series-$flavor"
flock 9

if [ ! -f "$src/.cnxx-extracted" ]; then
	log "extracting linux-source-$series $pkgver"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -C "$src.tmp" --strip-components=1 -xf "/usr/src/linux-source-$series.tar.xz"
	touch "$src.tmp/.cnxx-extracted"
	mv "$src.tmp" "$src"
fi

log "building $series ($flavor) in $build"
rm -rf "$build"
mkdir -p "$build"
kmake() { make -s -C "$src" O="$build" "$@"; }
kmake tinyconfig >/dev/null
"$src/scripts/kconfig/merge_config.sh" -m -O "$build" "$build/.config" "${frags[@]}" >/dev/null
kmake olddefconfig >/dev/null
for f in "${frags[@]}"; do
	# Catch options the kernel silently dropped (renamed, unmet dependency).
	grep -E '^CONFIG_[A-Z0-9_]+=' "$f" | while IFS= read -r line; do
		grep -qx "$line" "$build/.config" || log "note: $line not set in $series config"
	done
done
start=$SECONDS
kmake -j"$(nproc)" bzImage modules >"$build/build.log" 2>&1 || {
	tail -40 "$build/build.log" >&2
	die "kernel build failed ($build/build.log)"
}
log "built $series ($flavor) in $((SECONDS - start)) s"
touch "$build/.cnxx-done"
echo "$build"
