# Steps shared by guest jobs (busybox sh). Source, do not run.

load_cnxx() {
	insmod /cnxx/cnxx.ko || return 1
	expect_eq "/proc/net/connector header" "$(head -n1 /proc/net/connector)" "Name            ID"
}

vm_suite() {
	insmod /cnxx/cnxx_testmod.ko || return 1
	/cnxx/vmtest
	rc=$?
	rmmod cnxx_testmod || rc=1
	return $rc
}

# samples/connector from the kernel source, built against cnxx at test time:
# cn_test.ko registers {14,0x456} and {14,0x457} and sends to group 14 every
# second; ucon listens, and with -s sends 10000 messages to {14,0x456}.
samples() {
	insmod /cnxx/cn_test.ko || return 1
	grep -q "^cn_test *14:1110$" /proc/net/connector || { echo "# cn_test not in /proc/net/connector"; return 1; }
	ucon /tmp/ucon.out &
	pid=$!
	sleep 3
	kill $pid
	got=$(grep -c '\[e.456\]' /tmp/ucon.out)
	echo "# ucon received $got timer messages from cn_test"
	[ "$got" -ge 1 ] || return 1
	ucon -s >/dev/null || return 1
	delivered=$(awk '$2 == "14:1110" { print $4 }' /proc/net/cnxx)
	expect_eq "messages delivered to cn_test" "$delivered" 10000 || return 1
	rmmod cn_test
}

unload_cnxx() {
	rmmod cnxx || return 1
	[ ! -e /proc/net/connector ] || { echo "# /proc/net/connector left behind"; return 1; }
}

# kmemleak_scan: two scans (objects must be seen unreferenced twice).
kmemleak_scan() {
	f=/sys/kernel/debug/kmemleak
	[ -w $f ] || { echo "# kmemleak not available"; return 1; }
	echo scan >$f
	sleep 1
	echo scan >$f
	leaks=$(grep -c '^unreferenced object' $f)
	echo "# kmemleak: $leaks unreferenced objects"
	[ "$leaks" -eq 0 ] || { head -40 $f; return 1; }
}
