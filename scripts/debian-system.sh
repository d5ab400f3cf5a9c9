#!/usr/bin/env bash
# `make debian-system`: the packages of `make debs` on a real Debian 12
# system in QEMU. Builds a bookworm root with mmdebstrap from this
# machine's apt sources, with linux-image-amd64, linux-headers-amd64,
# systemd and the packages' dependencies, and installs the previous
# version's packages there with apt (DKMS builds cnxx for that kernel
# inside the root at install time); turns it into an ext4 image with
# mkfs.ext4 -d (no mounts); boots it with its own kernel and initrd and
# systemd as init. tests/debian/system-test.sh then runs at boot: it
# upgrades to this version's packages with cnxx loaded, uses them, removes
# them while loaded, and installs cnxx-dkms without headers; then the VM
# powers off. Needs root (mmdebstrap). Ends with a RESULT line.
#
# The root without cnxx is cached in ~/.cache/cnxx/debian-system, keyed by
# its mmdebstrap arguments (the package set) and the apt sources, and used
# only while the archive has nothing newer for it: a root whose packages
# the archive has since upgraded (a new kernel ABI, a security update) is
# not what a user installs today, and is built again.
#
# The previous version is the newest tag whose VERSION is lower than this
# one's; without one, this tree with a lower VERSION.
#
#   CNXX_DEBIAN_PREVIOUS=REV            build the previous version from REV
#   CNXX_DEBIAN_PREVIOUS_DEBS=DIR       or take its four packages from DIR
#   CNXX_DEBIAN_SYSTEM_TIMEOUT=3600     seconds for boot and test
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || die "the Debian system needs root (mmdebstrap)"
need debian-system
names=(cnxx-dkms libcnxx0 libcnxx-dev cnxx-tools)

# debs_of DIR VERSION: the paths of the four packages of VERSION in DIR.
debs_of() {
	local p a
	for p in "${names[@]}"; do
		a=amd64
		[ "$p" = cnxx-dkms ] && a=all
		[ -f "$1/${p}_$2_$a.deb" ] || die "no $1/${p}_$2_$a.deb"
		echo "$1/${p}_$2_$a.deb"
	done
}

# lower_version V: a version below V (0.1.3: 0.1.2, 0.1.0: 0.0.99).
lower_version() {
	awk -F. -v OFS=. '{ for (i = NF; i > 0 && $i == 0; i--) ;
		if (i == 0) exit 1; $i--; for (j = i + 1; j <= NF; j++) $j = 99; print }' <<<"$1"
}

version=$(cat "$CNXX_ROOT/VERSION")
[ -f "$CNXX_OUT/debs/cnxx-dkms_${version}_all.deb" ] || die "no packages of $version in $CNXX_OUT/debs: run make debs first"
mapfile -t debs < <(debs_of "$CNXX_OUT/debs" "$version")
work=$CNXX_OUT/debian-system
root=$work/root
rm -rf "$work"
mkdir -p "$work/previous"

# ---- the previous version's packages
start=$SECONDS
if [ -n "${CNXX_DEBIAN_PREVIOUS_DEBS:-}" ]; then
	pdir=$CNXX_DEBIAN_PREVIOUS_DEBS
	pversion=$(dpkg-deb -f "$pdir"/cnxx-dkms_*_all.deb Version) ||
		die "no cnxx-dkms package in $pdir"
	log "previous version: $pversion from $pdir"
else
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	rev=${CNXX_DEBIAN_PREVIOUS:-}
	if [ -z "$rev" ] && in_git; then
		for t in $(git -C "$CNXX_ROOT" tag --merged HEAD --sort=-version:refname); do
			v=$(git -C "$CNXX_ROOT" show "$t:VERSION" 2>/dev/null) || continue
			if dpkg --compare-versions "$v" lt "$version"; then rev=$t; break; fi
		done
	fi
	# Outside the checkout: a tree under out/ would take the checkout's git.
	psrc=$tmp/cnxx
	mkdir -p "$psrc"
	if [ -n "$rev" ]; then
		git -C "$CNXX_ROOT" archive "$rev" | tar -xf - -C "$psrc"
		[ -x "$psrc/scripts/debs.sh" ] || die "$rev predates the packages (no scripts/debs.sh)"
		log "previous version: $(cat "$psrc/VERSION"), from $rev"
	else
		copy_tree "$psrc"
		lower_version "$version" >"$psrc/VERSION" || die "cannot lower version $version"
		log "previous version: no tag with a lower VERSION, so this tree as $(cat "$psrc/VERSION")"
	fi
	pversion=$(cat "$psrc/VERSION")
	run_watched "make debs for $pversion" "$work/previous/debs.log" 0 '^dh_' \
		env CNXX_OUT="$tmp/out" "$psrc/scripts/debs.sh" --no-lintian ||
		{ tail -20 "$work/previous/debs.log" >&2; die "the packages of $pversion failed to build"; }
	pdir=$tmp/out/debs
fi
dpkg --compare-versions "$pversion" lt "$version" ||
	die "the previous version $pversion is not lower than $version"
mapfile -t pdebs < <(debs_of "$pdir" "$pversion")
cp "${pdebs[@]}" "$work/previous/"
mapfile -t pdebs < <(debs_of "$work/previous" "$pversion")
log "previous packages: $((SECONDS - start)) s"

sources=()
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
	[ -s "$f" ] && sources+=("$f")
done

# ---- the root without cnxx: from the cache, or built and cached
# What the packages need comes from the archive here, so that installing
# them later needs no network.
deps=$(for d in "${debs[@]}" "${pdebs[@]}"; do
	dpkg-deb -f "$d" Depends Pre-Depends; done |
	sed -E 's/^(Pre-)?Depends: //' | tr ',' '\n' |
	sed -E 's/\|.*//; s/\(.*//; s/:any//; s/^ +| +$//g' | grep -vxF -f <(printf '%s\n' "${names[@]}") |
	grep -v '^$' || true)
include=$({ printf '%s\n' systemd-sysv udev kmod linux-image-amd64 linux-headers-amd64 \
	gcc libc6-dev pkgconf; echo "$deps"; } | grep -v '^$' | sort -u | paste -sd,)
base_args=(--variant=apt --hook-dir=/usr/share/mmdebstrap/hooks/file-mirror-automount
	--include="$include")
key=$({ printf '%s\n' "${base_args[@]}" bookworm; for f in "${sources[@]}"; do echo "== $f"; cat "$f"; done; } |
	sha256sum | cut -c1-16)
cache=$CNXX_CACHE/debian-system
tarball=$cache/root-$key.tar
aptdir=$cache/apt

# stale: prints what the archive would upgrade in the cached root (apt with
# its dpkg status, against the package lists of today), or fails when the
# archive cannot be asked.
stale() {
	local o=(-q -o Dir::State="$aptdir" -o Dir::State::Lists="$aptdir/lists"
		-o Dir::State::status="$tarball.status" -o Dir::Cache="$aptdir/cache"
		-o Debug::NoLocking=1 -o APT::Sandbox::User=root)
	mkdir -p "$aptdir/lists/partial" "$aptdir/cache/archives/partial"
	apt-get "${o[@]}" update >"$work/apt-update.log" 2>&1 || return 1
	! grep -qE '^(E:|W: Failed)' "$work/apt-update.log" || return 1
	apt-get "${o[@]}" -s dist-upgrade 2>&1 | sed -nE 's/^(Inst|Remv) ([^ ]+).*/\2/p'
}

start=$SECONDS
fresh=
if [ -f "$tarball" ] && [ -f "$tarball.status" ]; then
	if ! newer=$(stale); then
		log "cached root $tarball: the archive cannot be reached to check it (log: $work/apt-update.log); using it as is"
		fresh=1
	elif [ -n "$newer" ]; then
		log "cached root $tarball is stale, the archive has newer: $(echo "$newer" | head -5 | paste -sd' ')"
	else
		log "cached root $tarball: nothing newer in the archive (checked in $((SECONDS - start)) s)"
		fresh=1
	fi
fi
if [ -z "$fresh" ]; then
	mkdir -p "$cache"
	rm -f "$cache"/root-*
	run_watched "mmdebstrap: bookworm, kernel, headers, systemd, the packages' dependencies" \
		"$work/mmdebstrap-base.log" 0 '^I: ' \
		mmdebstrap "${base_args[@]}" \
		--customize-hook="cp \"\$1/var/lib/dpkg/status\" '$tarball.status.new'" \
		bookworm "$tarball.new.tar" "${sources[@]}" ||
		{ tail -20 "$work/mmdebstrap-base.log" >&2; die "mmdebstrap failed (log: $work/mmdebstrap-base.log)"; }
	mv "$tarball.status.new" "$tarball.status"
	mv "$tarball.new.tar" "$tarball"
	log "root without cnxx: $(du -sh "$tarball" | cut -f1) in $((SECONDS - start)) s, cached as $tarball"
fi

# ---- the root with the previous version installed by apt
# The test runs from a unit; its output goes to the serial console,
# which no getty may take over.
unit='[Unit]
Description=cnxx system test
After=multi-user.target
[Service]
Type=oneshot
StandardOutput=tty
StandardError=tty
TTYPath=/dev/ttyS0
ExecStart=/root/system-test.sh
ExecStopPost=/bin/systemctl --no-block poweroff
[Install]
WantedBy=multi-user.target'

start=$SECONDS
run_watched "the root with cnxx $pversion installed by apt" "$work/mmdebstrap.log" 0 '^(Setting up|Building|I:) ' \
	mmdebstrap --variant=custom --skip=update \
	--setup-hook="mmtarfilter --path-exclude='/dev/*' <'$tarball' | tar -C \"\$1\" -x" \
	--customize-hook='mkdir "$1/root/debs" "$1/root/previous"' \
	--customize-hook="cp ${pdebs[*]@Q} \"\$1/root/previous/\"" \
	--customize-hook="cp ${debs[*]@Q} \"\$1/root/debs/\"" \
	--customize-hook='chroot "$1" sh -c "DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends /root/previous/*.deb"' \
	--customize-hook='chroot "$1" dkms status' \
	--customize-hook='echo cnxx-debian >"$1/etc/hostname"' \
	--customize-hook='echo "/dev/vda / ext4 defaults 0 1" >"$1/etc/fstab"' \
	--customize-hook='chroot "$1" passwd -d root' \
	--customize-hook="cp '$CNXX_ROOT/tests/debian/system-test.sh' '$CNXX_ROOT/tests/debian/hello.c' \"\$1/root/\"" \
	--customize-hook="printf '%s\n' '$unit' >\"\$1/etc/systemd/system/cnxx-system-test.service\"" \
	--customize-hook='chroot "$1" systemctl enable cnxx-system-test.service' \
	--customize-hook='chroot "$1" systemctl mask serial-getty@ttyS0.service' \
	bookworm "$root" "${sources[@]}" ||
	{ tail -20 "$work/mmdebstrap.log" >&2; die "mmdebstrap failed (log: $work/mmdebstrap.log)"; }
grep -E '^cnxx/' "$work/mmdebstrap.log" >&2 || true
log "root: $(du -sh "$root" | cut -f1), cnxx $pversion installed in $((SECONDS - start)) s"

start=$SECONDS
size=$(($(du -sm "$root" | cut -f1) * 13 / 10 + 256))
mkfs.ext4 -q -F -L cnxx-root -d "$root" "$work/disk.img" "${size}M"
log "image: ${size} MiB in $((SECONDS - start)) s"

kernel=$(ls "$root"/boot/vmlinuz-* | head -1)
initrd=$(ls "$root"/boot/initrd.img-* | head -1)
start=$SECONDS
log "booting $(basename "$kernel") (log: $work/console.log)"
set +e
timeout --foreground -k 10 "${CNXX_DEBIAN_SYSTEM_TIMEOUT:-3600}" qemu-system-x86_64 \
	-accel tcg -cpu max -smp 2 -m 2048 -nographic -no-reboot -nic none \
	-kernel "$kernel" -initrd "$initrd" \
	-drive file="$work/disk.img",format=raw,if=virtio \
	-append "root=/dev/vda rw console=ttyS0 panic=-1" </dev/null >"$work/console.log" 2>&1
rc=$?
set -e
log "VM finished in $((SECONDS - start)) s (qemu status $rc)"
tr -d '\r' <"$work/console.log" | grep -E '^(=== |ok |not ok |RESULT )|cnxx' >&2 || true
line=$(tr -d '\r' <"$work/console.log" | grep -E '^RESULT passed=' | tail -1)
[ -n "$line" ] || { echo "not ok - no result from the Debian system (qemu status $rc)"; line="RESULT passed=0 failed=1 skipped=0"; }
echo "$line"
