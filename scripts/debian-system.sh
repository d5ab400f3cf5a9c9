#!/usr/bin/env bash
# `make debian-system`: the packages of `make debs` on a real Debian 12
# system in QEMU. Builds a bookworm root with mmdebstrap from this
# machine's apt sources, with linux-image-amd64, linux-headers-amd64 and
# systemd, and the packages installed by apt (DKMS builds cnxx for that
# kernel inside the root at install time); turns it into an ext4 image
# with mkfs.ext4 -d (no mounts); boots it with its own kernel and initrd
# and systemd as init. tests/debian/system-test.sh then runs at boot and
# the VM powers off. Needs root (mmdebstrap). Ends with a RESULT line.
#
#   CNXX_DEBIAN_SYSTEM_TIMEOUT=1500    seconds for boot and test
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || die "the Debian system needs root (mmdebstrap)"
need debian-system
version=$(cat "$CNXX_ROOT/VERSION")
debs=$CNXX_OUT/debs
pkgs=()
for p in cnxx-dkms_"$version"_all libcnxx0_"$version"_amd64 \
	libcnxx-dev_"$version"_amd64 cnxx-tools_"$version"_amd64; do
	[ -f "$debs/$p.deb" ] || die "no $debs/$p.deb: run make debs first"
	pkgs+=(--include="$debs/$p.deb")
done
work=$CNXX_OUT/debian-system
root=$work/root
rm -rf "$work"
mkdir -p "$work"
sources=()
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
	[ -s "$f" ] && sources+=("$f")
done

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
run_watched "mmdebstrap: bookworm, kernel, headers, systemd, the packages" \
	"$work/mmdebstrap.log" 0 '^I: ' \
	mmdebstrap --variant=apt --hook-dir=/usr/share/mmdebstrap/hooks/file-mirror-automount \
	--include=systemd-sysv,udev,kmod,linux-image-amd64,linux-headers-amd64,gcc,libc6-dev,pkgconf \
	"${pkgs[@]}" \
	--customize-hook='echo cnxx-debian >"$1/etc/hostname"' \
	--customize-hook='echo "/dev/vda / ext4 defaults 0 1" >"$1/etc/fstab"' \
	--customize-hook='chroot "$1" passwd -d root' \
	--customize-hook="cp '$CNXX_ROOT/tests/debian/system-test.sh' '$CNXX_ROOT/tests/debian/hello.c' \"\$1/root/\"" \
	--customize-hook="printf '%s\n' '$unit' >\"\$1/etc/systemd/system/cnxx-system-test.service\"" \
	--customize-hook='chroot "$1" systemctl enable cnxx-system-test.service' \
	--customize-hook='chroot "$1" systemctl mask serial-getty@ttyS0.service' \
	bookworm "$root" "${sources[@]}" ||
	{ tail -20 "$work/mmdebstrap.log" >&2; die "mmdebstrap failed (log: $work/mmdebstrap.log)"; }
log "root: $(du -sh "$root" | cut -f1) in $((SECONDS - start)) s"

start=$SECONDS
size=$(($(du -sm "$root" | cut -f1) * 13 / 10 + 256))
mkfs.ext4 -q -F -L cnxx-root -d "$root" "$work/disk.img" "${size}M"
log "image: ${size} MiB in $((SECONDS - start)) s"

kernel=$(ls "$root"/boot/vmlinuz-* | head -1)
initrd=$(ls "$root"/boot/initrd.img-* | head -1)
start=$SECONDS
log "booting $(basename "$kernel") (log: $work/console.log)"
set +e
timeout --foreground -k 10 "${CNXX_DEBIAN_SYSTEM_TIMEOUT:-1500}" qemu-system-x86_64 \
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
