#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs at boot of the Debian system that scripts/debian-system.sh makes
# (cnxx-system-test.service), as a user would: the modules that DKMS built
# at install time, cnctl, a program built here with pkg-config, removal of
# the package. Prints ok/not ok lines and a RESULT line, then powers off.
passed=0 failed=0
ok() { echo "ok - $*"; passed=$((passed + 1)); }
bad() { echo "not ok - $*"; failed=$((failed + 1)); }
check() { # NAME CMD...: CMD's status decides
	local name=$1
	shift
	if "$@"; then ok "$name"; else bad "$name"; fi
}
step() { echo "=== $*"; }

step "kernel $(uname -r), systemd $(systemctl is-system-running)"
step "dkms status"
dkms status
check "dkms reports cnxx installed" sh -c "dkms status | grep 'cnxx/.*$(uname -r).*installed' >/dev/null"

step "modprobe cnxx"
check "modprobe cnxx" modprobe cnxx
modinfo -n cnxx
check "cnxx.ko is from updates/dkms" sh -c 'modinfo -n cnxx | grep -q /updates/dkms/'
echo "unit $(cat /sys/module/cnxx/parameters/unit)"

step "cnctl list"
cnctl list | tee /tmp/list.out
check "cnctl list shows cnxx on its unit" \
	grep -q "^unit *$(cat /sys/module/cnxx/parameters/unit)\$" /tmp/list.out

step "a send, and a program built with pkg-config"
cnctl send 17:1 hello
check "cnctl send" test $? -eq 0
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
cnctl proc --events fork >/tmp/proc.out 2>&1 &
proc=$!
sleep 2
/bin/true &
wait $!
sleep 2
kill $proc
wait $proc 2>/dev/null
head -3 /tmp/proc.out
check "cnctl proc sees a fork" grep -q ' fork ' /tmp/proc.out

step "apt-get remove --purge cnxx-dkms"
modprobe -r cnxx_proc cnxx
apt-get remove --purge -y cnxx-dkms 2>&1 | grep -v '^(Reading database'
check "no cnxx module left" sh -c '! ls /lib/modules/*/updates/dkms/cnxx* 2>/dev/null'
check "modprobe cnxx fails" sh -c '! modprobe cnxx'

echo "RESULT passed=$passed failed=$failed skipped=0"
