#!/usr/bin/env bash
# Build (or reuse from the cache) a test kernel and print its build directory.
#
#   scripts/build-kernel.sh 6.1|6.12 [base|debug|inproc]
#
# Source comes from Debian's linux-source-X package. The config is tinyconfig
# plus the fragments in scripts/kconfig: FLAVOR.config and FLAVOR-SERIES.config
# for base and, for the other flavors, for base then FLAVOR (a later fragment
# overrides an earlier one). debug adds the kernel's checkers; inproc builds
# the kernel's connector and cn_proc in, the reference of `make bench`. An
# option the fragments ask for that the kernel drops (unmet dependency,
# renamed) fails the build. The build directory is cached under
# $CNXX_CACHE/kernels keyed by the package version and a hash of the
# fragments and this script, so a second run does not rebuild.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

series=${1:?usage: build-kernel.sh SERIES [FLAVOR]}
flavor=${2:-base}
case "$series" in 6.1 | 6.12) ;; *) die "unsupported kernel series '$series' (6.1 or 6.12)" ;; esac
case "$flavor" in base | debug | inproc) ;; *) die "unknown flavor '$flavor' (base, debug or inproc)" ;; esac

need base kernel "source-$series"

pkgver=$(dpkg-query -W -f='${Version}' "linux-source-$series")
frags=()
for f in base ${flavor/base/}; do
	for p in "$f.config" "$f-$series.config"; do
		[ -f "$CNXX_ROOT/scripts/kconfig/$p" ] && frags+=("$CNXX_ROOT/scripts/kconfig/$p")
	done
done
# Bump when the way a kernel is configured or built changes.
recipe=2
key=$( (echo "$recipe"; cat "${frags[@]}") | sha256sum | cut -c1-12)
build=$CNXX_CACHE/kernels/$series-$pkgver-$flavor-$key
units=$CNXX_CACHE/kernels/.units-$series-$flavor

if [ -f "$build/.cnxx-done" ]; then
	echo "$build"
	exit 0
fi

mkdir -p "$CNXX_CACHE/src" "$CNXX_CACHE/kernels"
exec 9>"$CNXX_CACHE/kernels/.lock-$series-$flavor"
flock 9
[ -f "$build/.cnxx-done" ] && { echo "$build"; exit 0; }

src=$(kernel_source "$series")

rm -rf "$build"
mkdir -p "$build"
kmake() { make -s -C "$src" O="$build" "$@"; }
kmake tinyconfig >/dev/null
"$src/scripts/kconfig/merge_config.sh" -m -O "$build" "$build/.config" "${frags[@]}" >/dev/null
kmake olddefconfig >/dev/null
# The last fragment that names an option decides it.
dropped=$(cat "${frags[@]}" | sed -nE 's/^(CONFIG_[A-Z0-9_]+=.*)$/\1/p; s/^# (CONFIG_[A-Z0-9_]+) is not set$/\1=n/p' |
	tac | awk -F= '!seen[$1]++' |
	while IFS= read -r want; do
		case $want in
		*=n) ! grep -qE "^${want%=n}=" "$build/.config" || echo "${want%=n} (asked: not set)" ;;
		*) grep -qxF "$want" "$build/.config" || echo "$want" ;;
		esac
	done)
[ -z "$dropped" ] || die "the $series kernel dropped options the $flavor config asks for" \
	"(unmet dependency or renamed): $(echo $dropped)"

# Progress: compiled units against the count of the last build of this kind;
# the first time, against about 1,400 (each test kernel had 1,370-1,490).
total=$(cat "$units" 2>/dev/null || echo 1400)
start=$SECONDS
run_watched "building $series ($flavor)" "$build/build.log" "$total" '^  (CC|AS|LD|AR) ' \
	make -C "$src" O="$build" -j"$(nproc)" bzImage modules || {
	grep -E 'error|Error' "$build/build.log" | head -20 >&2
	tail -20 "$build/build.log" >&2
	die "kernel build failed ($build/build.log)"
}
grep -cE '^  (CC|AS|LD|AR) ' "$build/build.log" >"$units" || true
log "built $series ($flavor) in $((SECONDS - start)) s"
touch "$build/.cnxx-done"
echo "$build"
