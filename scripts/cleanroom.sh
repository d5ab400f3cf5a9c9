#!/usr/bin/env bash
# `make cleanroom`: the README's set-up on a fresh Debian 12 root. Builds a
# minimal root with mmdebstrap from this machine's apt sources, copies the
# checkout (tracked files, as they are in the work tree) into it, and runs
# there, as root and starting from nothing but what the project installs:
#
#   apt-get update && apt-get install -y make; make demo; make check
#
# and then `make debs`, which proves the build dependencies that
# debian/control names complete.
#
# Needs root (chroot, mounts). Takes as long as a cold `make check` (about
# 45 min on 2 cores). Prints each step's time; the transcript is in
# $CNXX_CLEANROOM/cleanroom.log.
#
#   CNXX_CLEANROOM=/var/tmp/cnxx-cleanroom   where the root is built (removed first)
#   CNXX_CLEANROOM_STEPS="demo check debs"   make targets to run
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || die "the clean room needs root (mmdebstrap, chroot, mounts)"
need cleanroom
dir=${CNXX_CLEANROOM:-/var/tmp/cnxx-cleanroom}
root=$dir/root
steps=${CNXX_CLEANROOM_STEPS:-demo check debs}
sources=()
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
	[ -s "$f" ] && sources+=("$f")
done

cleanup() {
	local m
	for m in dev sys proc; do
		mountpoint -q "$root/$m" && umount -R "$root/$m"
	done
	return 0
}
trap cleanup EXIT
cleanup
rm -rf "$dir"
mkdir -p "$dir"
transcript=$dir/cleanroom.log

timed() { # NAME CMD...: runs CMD, logs its time
	local name=$1 start=$SECONDS rc=0
	shift
	log "cleanroom: $name"
	"$@" || rc=$?
	printf '%-28s %6d s  %s\n' "$name" $((SECONDS - start)) \
		"$([ $rc -eq 0 ] && echo ok || echo "FAILED ($rc)")" | tee -a "$dir/times"
	return $rc
}

timed "mmdebstrap (bookworm, apt)" mmdebstrap --variant=apt --quiet bookworm "$root" \
	"${sources[@]}" 2>&1 | tee -a "$transcript" >&2
mkdir -p "$root/root/cnxx"
(cd "$CNXX_ROOT" && git ls-files -z | tar --null -T - -cf -) | tar -xf - -C "$root/root/cnxx"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --rbind /dev "$root/dev"

inroot() {
	chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		bash -c "cd /root/cnxx && $1" 2>&1 | tee -a "$transcript"
	return "${PIPESTATUS[0]}"
}

rc=0
# The README's set-up, word for word.
timed "apt-get install make" inroot "apt-get update && apt-get install -y make" || rc=1
for s in $steps; do
	[ $rc -eq 0 ] || break
	timed "make $s" inroot "make $s" || rc=1
done
echo "=== clean room times (root: $root)"
cat "$dir/times"
[ $rc -eq 0 ] || die "the clean room run failed; transcript in $transcript"
log "clean room passed; transcript in $transcript"
