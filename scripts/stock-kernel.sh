#!/usr/bin/env bash
# Debian's own kernel of a series, as a user gets it, for the debian and
# debian-rt flavors of scripts/vm.sh: prints shell assignments
#
#   scripts/stock-kernel.sh 6.1|6.12 [rt]
#
#   release=6.1.0-57-amd64                          uname -r of the image
#   headers=/usr/src/linux-headers-6.1.0-57-amd64   the tree for make -C
#   vmlinuz=.../boot/vmlinuz-6.1.0-57-amd64         the image's kernel
#   source=.../src/linux-6.1.192-3                  linux-source-SERIES
#
# rt: Debian's PREEMPT_RT flavour of 6.1 (-rt-amd64) instead of -amd64.
# The newest kernel the archive serves (stock_abi in lib.sh): its headers
# are installed with apt (scripts/packages, group stock-SERIES[-rt]), the
# unsigned image is fetched with apt-get download and its boot/ unpacked
# under $CNXX_CACHE/stock once per package version (the guest needs none
# of the image's modules: what it uses is built in). The samples and the
# KUnit tooling come from linux-source-SERIES, which should be the same
# upload: a different version is said, not refused.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

series=${1:?usage: stock-kernel.sh 6.1|6.12 [rt]}
case "$series" in 6.1 | 6.12) ;; *) die "no stock Debian kernel series '$series' (6.1 or 6.12)" ;; esac
case "${2:-}" in
'') group=stock-$series flavour=amd64 ;;
rt) group=stock-$series-rt flavour=rt-amd64 ;;
*) die "no Debian kernel flavour '$2' (rt, or none for amd64)" ;;
esac

need base kernel "source-$series" "$group"
release=$(stock_abi "$series")-$flavour
headers=/usr/src/linux-headers-$release
[ -f "$headers/.config" ] || die "$headers has no .config: reinstall it (apt-get install --reinstall linux-headers-$release)"
hver=$(dpkg-query -W -f='${Version}' "linux-headers-$release")

image=$(group_pkgs "$group-download")
ver=$(apt-cache policy "$image" | sed -nE 's/^ +Candidate: (.+)$/\1/p')
[ -n "$ver" ] && [ "$ver" != "(none)" ] || die "the package archive does not serve $image"
[ "$ver" = "$hver" ] || die "$image $ver and linux-headers-$release $hver differ: apt-get update and install the headers again"
dir=$CNXX_CACHE/stock/${image}_$ver
if [ ! -f "$dir/.cnxx-done" ]; then
	mkdir -p "$CNXX_CACHE/stock"
	exec 9>"$CNXX_CACHE/stock/.lock-$series-$flavour"
	flock 9
	if [ ! -f "$dir/.cnxx-done" ]; then
		rm -rf "$dir" "$dir.tmp"
		mkdir -p "$dir.tmp"
		# (apt-get download writes into the working directory)
		(cd "$dir.tmp" && run_watched "downloading $image $ver" "$dir.tmp/download.log" 0 '^Get:' \
			apt-get download "$image=$ver") ||
			{ tail -5 "$dir.tmp/download.log" >&2; die "apt-get download $image failed"; }
		mkdir -p "$dir.tmp/root"
		dpkg-deb --fsys-tarfile "$dir.tmp/${image}_"*.deb | tar -C "$dir.tmp/root" -x ./boot ||
			die "unpacking $image failed"
		rm -f "$dir.tmp/${image}_"*.deb
		touch "$dir.tmp/.cnxx-done"
		mv "$dir.tmp" "$dir"
	fi
	exec 9>&-
fi
[ -f "$dir/root/boot/vmlinuz-$release" ] || die "$image has no boot/vmlinuz-$release"

source=$(kernel_source "$series")
sver=$(dpkg-query -W -f='${Version}' "linux-source-$series")
[ "$sver" = "$hver" ] || log "note: linux-source-$series is $sver, the $release kernel $hver: the samples and KUnit tooling come from $sver"

printf '%s=%q\n' release "$release" headers "$headers" vmlinuz "$dir/root/boot/vmlinuz-$release" \
	source "$source"
