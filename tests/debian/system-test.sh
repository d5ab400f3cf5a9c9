#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs at boot of the Debian system that scripts/debian-system.sh makes
# (cnxx-system-test.service), as a user would. The root has the previous
# version's packages, installed by apt (DKMS built cnxx there), and this
# version's in /root/debs. Loads the previous cnxx and cnxx_proc, upgrades
# to this version with them loaded, uses the new modules, cnctl and a
# program built here with pkg-config, removes and purges cnxx-dkms while
# cnxx is loaded and used by cnxx_proc, then installs cnxx-dkms without
# the running kernel's headers. Prints ok/not ok lines and a RESULT line,
# then powers off.
passed=0 failed=0
ok() { echo "ok - $*"; passed=$((passed + 1)); }
bad() { echo "not ok - $*"; failed=$((failed + 1)); }
check() { # NAME CMD...: CMD's status decides
	local name=$1
	shift
	if "$@"; then ok "$name"; else bad "$name"; fi
}
step() { echo "=== $*"; }
# apt_get ARGS...: apt-get with its output shown, without the progress.
apt_get() {
	local rc
	DEBIAN_FRONTEND=noninteractive apt-get -y "$@" >/tmp/apt.out 2>&1
	rc=$?
	grep -v '^(Reading database' /tmp/apt.out
	return $rc
}
pkg_version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null; }
loaded() { cat /sys/module/cnxx/version 2>/dev/null; }
dkms_state() { # VERSION: cnxx's DKMS state for the running kernel
	dkms status -m cnxx -v "$1" -k "$k" 2>/dev/null | sed -n 's/.*: //p'
}
# proc_fork: cnctl proc asks cnxx_proc for events (a send) and sees the
# fork of /bin/true among them (a listen): the loaded modules work.
proc_fork() {
	local pid
	cnctl proc --events fork >/tmp/proc.out 2>&1 &
	pid=$!
	sleep 2
	/bin/true &
	wait $!
	sleep 2
	kill $pid
	wait $pid 2>/dev/null
	head -3 /tmp/proc.out
	grep -q ' fork ' /tmp/proc.out
}

k=$(uname -r)
old=$(pkg_version cnxx-dkms)
new=$(dpkg-deb -f /root/debs/cnxx-dkms_*_all.deb Version)
step "kernel $k, systemd $(systemctl is-system-running)"

step "cnxx $old, installed in the root"
dkms status
check "dkms reports cnxx $old installed" test "$(dkms_state "$old")" = installed
check "modprobe cnxx cnxx_proc ($old)" modprobe -a cnxx cnxx_proc
check "the loaded cnxx is $old" test "$(loaded)" = "$old"
check "cnctl proc sees a fork ($old)" proc_fork

step "upgrade to $new with cnxx and cnxx_proc loaded"
lsmod | grep cnxx
check "apt-get install upgrades the packages to $new" apt_get install /root/debs/*.deb
check "cnxx-dkms is $new" test "$(pkg_version cnxx-dkms)" = "$new"
dkms status
check "dkms reports cnxx $new installed" test "$(dkms_state "$new")" = installed
# dkms status says nothing of a version whose sources are gone: look
# at DKMS's tree too.
check "dkms has no cnxx $old left" test -z "$(dkms status -m cnxx -v "$old")" \
	-a ! -e "/var/lib/dkms/cnxx/$old"
check "/usr/src/cnxx-$old is gone" test ! -e "/usr/src/cnxx-$old"
check "cnxx.ko on disk is $new" test "$(modinfo -F version cnxx)" = "$new"
check "the loaded cnxx is still $old" test "$(loaded)" = "$old"
check "cnctl proc sees a fork on the loaded $old" proc_fork
check "modprobe -r cnxx_proc cnxx" modprobe -r cnxx_proc cnxx
check "modprobe cnxx loads $new" modprobe cnxx
echo "loaded: version $(loaded), srcversion $(cat /sys/module/cnxx/srcversion)"
check "the loaded cnxx is $new, the file on disk" test "$(loaded)" = "$new" -a \
	"$(cat /sys/module/cnxx/srcversion)" = "$(modinfo -F srcversion cnxx)"
modinfo -n cnxx
check "cnxx.ko is from updates/dkms" sh -c 'modinfo -n cnxx | grep -q /updates/dkms/'
echo "unit $(cat /sys/module/cnxx/parameters/unit)"

step "cnctl list"
cnctl list | tee /tmp/list.out
check "cnctl list shows cnxx on its unit" \
	grep -q "^unit *$(cat /sys/module/cnxx/parameters/unit)\$" /tmp/list.out

step "a send, and a program built with pkg-config"
check "cnctl send" cnctl send 17:1 hello
echo "pkg-config --cflags --libs cnxx: $(pkg-config --cflags --libs cnxx)"
check "a program builds with pkg-config" \
	sh -c 'gcc -Wall -o /root/cnxx-hello /root/hello.c $(pkg-config --cflags --libs cnxx)'
check "the program talks to cnxx's control callback" /root/cnxx-hello

# cnxx_proc registers its callback on {1, 1} (CN_IDX_PROC, CN_VAL_PROC):
# a listener on cnxx's unit hears it.
step "cnctl watch, modprobe cnxx_proc, cnctl proc"
cnctl watch 1 1 --group 5 --count 1 --timeout 60 >/tmp/watch.out 2>&1 &
watch=$!
sleep 2
check "modprobe cnxx_proc" modprobe cnxx_proc
wait $watch
cat /tmp/watch.out
check "cnctl watch hears cnxx_proc register" grep -q 'registered 1:1' /tmp/watch.out
check "cnctl proc sees a fork" proc_fork

# The package goes, the loaded modules stay until unloaded.
step "apt-get remove cnxx-dkms with cnxx loaded and used by cnxx_proc"
lsmod | grep cnxx
check "cnxx is in use by cnxx_proc" sh -c "lsmod | grep -q '^cnxx .*cnxx_proc'"
check "apt-get remove cnxx-dkms" apt_get remove cnxx-dkms
check "its modules are gone from disk" sh -c '! ls /lib/modules/*/updates/dkms/cnxx* 2>/dev/null'
check "cnxx and cnxx_proc stay loaded" test -d /sys/module/cnxx -a -d /sys/module/cnxx_proc
check "cnctl proc sees a fork after the remove" proc_fork
check "cnctl send after the remove" cnctl send 17:1 hello
check "apt-get purge cnxx-dkms" apt_get purge cnxx-dkms
check "dkms has no cnxx left" sh -c \
	'test -z "$(dkms status -m cnxx)" && ! ls -d /var/lib/dkms/cnxx/[0-9]* 2>/dev/null'
check "/usr/src has no cnxx left" sh -c '! ls -d /usr/src/cnxx-* 2>/dev/null'
check "cnctl proc sees a fork after the purge" proc_fork
step "unload"
modprobe -r cnxx_proc cnxx || rmmod cnxx_proc cnxx
check "cnxx and cnxx_proc unload" test ! -d /sys/module/cnxx -a ! -d /sys/module/cnxx_proc
check "modprobe cnxx fails" sh -c '! modprobe cnxx'
check "the kernel log has no oops or warning" \
	sh -c '! dmesg | grep -E "BUG:|WARNING:|Oops|general protection|Call Trace"'

step "cnxx-dkms without the headers of the running kernel"
check "apt-get remove the headers of $k" apt_get remove linux-headers-amd64 "linux-headers-$k"
check "/lib/modules/$k/build is gone" test ! -e "/lib/modules/$k/build"
check "apt-get install cnxx-dkms without headers" apt_get install /root/debs/cnxx-dkms_*_all.deb
check "cnxx-dkms is installed" sh -c "dpkg-query -W -f='\${Status}' cnxx-dkms | grep -q 'install ok installed'"
check "DKMS says the headers are missing" \
	grep -q 'kernel headers for this kernel do not seem to be installed' /tmp/apt.out
dkms status
check "dkms reports cnxx $new added, not built" test "$(dkms_state "$new")" = added
check "no cnxx module for $k" sh -c "! ls /lib/modules/$k/updates/dkms/cnxx* 2>/dev/null"

echo "RESULT passed=$passed failed=$failed skipped=0"
