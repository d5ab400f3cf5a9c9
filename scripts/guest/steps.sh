# Steps shared by guest jobs (busybox sh). Source, do not run.

# The steps the check and reliability jobs start with: cnxx, KUnit, the VM
# suite, the kernel's samples, process events.
common_steps() {
	step load_cnxx load_cnxx
	step kunit kunit_results /cnxx/cnxx_kunit.ko
	step vm_suite vm_suite
	step vm_after_unload /cnxx/vmtest post
	step samples samples
	step proc_events proc_events
}

load_cnxx() {
	insmod /cnxx/cnxx.ko || return 1
	if [ "$cnxx_mode" = dropin ]; then
		expect_eq "/proc/net/connector header" "$(head -n1 /proc/net/connector)" "Name            ID"
		return
	fi
	[ -s $CONNECTOR_SNAPSHOT ] || { echo "# no built-in /proc/net/connector at boot"; return 1; }
	connector_untouched && unit_in_use
}

# unit_in_use [UNIT]: the netlink unit cnxx took beside the built-in
# connector: /sys/module and /proc/net/cnxx_stats agree on it, and it is
# UNIT, else one of the range that unit=auto takes (29 down to 23).
unit_in_use() {
	u=$(cat /sys/module/cnxx/parameters/unit)
	echo "# cnxx took netlink unit $u"
	expect_eq "unit in /proc/net/cnxx_stats" "$(awk '$1 == "unit" { print $2 }' /proc/net/cnxx_stats)" "$u" ||
		return 1
	[ -z "${1:-}" ] || { expect_eq "unit" "$u" "$1"; return; }
	[ "$u" -ge 23 ] && [ "$u" -le 29 ] || { echo "# unit $u is outside 23-29"; return 1; }
}

# The VM suite (tests/vm) on the test module; vm_after_unload then checks
# that it left nothing behind.
# Beside the built-in connector, /proc/net/connector is the kernel's: the
# case that reads cnxx's callbacks there is drop-in only (proc_cnxx reads
# /proc/net/cnxx in both modes).
vm_suite() {
	insmod /cnxx/cnxx_testmod.ko || return 1
	if [ "$cnxx_mode" = dropin ]; then
		/cnxx/vmtest
	else
		# shellcheck disable=SC2046
		/cnxx/vmtest $(/cnxx/vmtest --list | awk '$1 != "proc_connector" { print $1 }')
	fi
	rc=$?
	rmmod cnxx_testmod || rc=1
	return $rc
}

# samples/connector from the kernel source, built against cnxx at test time:
# cn_test.ko registers {14,0x456} and {14,0x457} and every second sends a
# counter as {14,0x457} to the group of that id; ucon listens, and with -s
# sends 10000 messages to {14,0x456}. ucon opens unit 11, which beside the
# built-in connector is the kernel's: there cnctl does its part.
samples() {
	insmod /cnxx/cn_test.ko || return 1
	if [ "$cnxx_mode" = dropin ]; then
		samples_run
	else
		samples_beside
	fi
	rc=$?
	rmmod cn_test || rc=1
	return $rc
}

samples_run() {
	cnxx_listed cn_test 14:1110 && cnxx_listed cn_test 14:1111 ||
		{ echo "# cn_test ids missing from /proc/net/connector"; return 1; }
	ucon /tmp/ucon.out &
	pid=$!
	sleep 3
	kill $pid
	got=$(grep -c '\[e.457\]' /tmp/ucon.out)
	echo "# ucon received $got timer messages from cn_test"
	[ "$got" -ge 1 ] || return 1
	ucon -s >/dev/null || return 1
	delivered=$(awk '$2 == "14:1110" { print $4 }' /proc/net/cnxx)
	expect_eq "messages delivered to cn_test" "$delivered" 10000
}

# cn_test built through <cnxx/connector.h>: listed by cnxx, not in the
# built-in connector's list; its timer messages reach cnctl on cnxx's unit,
# and what cnctl sends reaches it.
samples_beside() {
	cnxx_listed cn_test 14:1110 && cnxx_listed cn_test 14:1111 ||
		{ echo "# cn_test ids missing from /proc/net/cnxx"; return 1; }
	connector_untouched || return 1
	cnctl listen 14 --count 2 --timeout 10 >/tmp/cnctl-listen.out || return 1
	got=$(grep -c ' id=14:1111 ' /tmp/cnctl-listen.out)
	expect_eq "timer messages from cn_test received by cnctl" "$got" 2 || return 1
	i=0
	while [ $i -lt 100 ]; do
		cnctl send 14:1110 "ping $i" || return 1
		i=$((i + 1))
	done
	delivered=$(awk '$2 == "14:1110" { print $4 }' /proc/net/cnxx)
	expect_eq "messages delivered to cn_test" "$delivered" 100
}

# ---------------------------------------------------------------------------
# Process events: cnxx_proc.ko on the loaded cnxx, the "proc" group of the
# VM suite (tests/vm/vmtest_proc*.c), then an unload that leaves nothing.

proc_events() {
	proc_missing && return 4
	insmod /cnxx/cnxx_proc.ko || return 1
	/cnxx/vmtest proc
	rc=$?
	# (after the KTAP: its version line must come first)
	dmesg | grep 'cnxx_proc: process events' | sed 's/^.*cnxx_proc: /# /'
	cnxx_listed cn_proc 1:1 || { echo "# cnxx does not list cn_proc 1:1"; rc=1; }
	rmmod cnxx_proc || { echo "# rmmod cnxx_proc failed"; return 1; }
	[ ! -e /proc/net/cnxx_proc ] ||
		{ echo "# /proc/net/cnxx_proc left behind"; rc=1; }
	! cnxx_listed cn_proc 1:1 || { echo "# cnxx still lists cn_proc"; rc=1; }
	[ "$cnxx_mode" = dropin ] || connector_untouched || rc=1
	return $rc
}

# ---------------------------------------------------------------------------
# Unload safety (tests/vm/cnxx_unload.c, cnunload.c): each loads
# cnxx_unload.ko and cnunload unloads it.

# A callback removes its own id and sleeps; rmmod must wait for it.
unload_self_removed() {
	insmod /cnxx/cnxx_unload.ko || return 1
	/cnxx/cnunload selfdel
	rc=$?
	unload_leftover || rc=1
	return $rc
}

# uid 65534 floods a replying callback and never reads; rmmod stays short.
unload_slow_reader() {
	insmod /cnxx/cnxx_unload.ko || return 1
	/cnxx/cnunload replies
	rc=$?
	unload_leftover || rc=1
	dmesg | grep 'cnxx_unload: replies:' | tail -1 | sed 's/^.*cnxx_unload: /# /'
	return $rc
}

unload_leftover() {
	grep -q '^cnxx_unload ' /proc/modules || return 0
	echo "# cnxx_unload still loaded"
	rmmod cnxx_unload
	return 1
}

# ---------------------------------------------------------------------------
# Module parameters and init failures; cnxx must not be loaded.

# param_load ARGS WANT: insmod cnxx.ko ARGS; WANT is ok or an error text.
param_load() {
	if insmod /cnxx/cnxx.ko $1 2>/tmp/insmod.err; then
		rmmod cnxx || return 1
		[ "$2" = ok ] && { echo "# $1: loads"; return 0; }
		echo "# $1: loaded, want '$2'"
		return 1
	fi
	if [ "$2" != ok ] && grep -q "$2" /tmp/insmod.err; then
		echo "# $1: refused ($2)"
		return 0
	fi
	echo "# $1: $(cat /tmp/insmod.err), want '$2'"
	return 1
}

# Every parameter's documented range loads at both ends and is refused
# one past them, with a log line naming the parameter and its range.
params_ranges() {
	rc=0
	# (step() owns $name and $rc's meaning outside: own names here)
	for spec in hash_bits:4:20 notify_max_requests:0:4096 \
		notify_max_ranges:2:2040 notify_max_pending:1:1048576 \
		reply_timeout_ms:0:60000 groups:32:65536; do
		pname=${spec%%:*} lo=${spec#*:} lo=${lo%%:*} hi=${spec##*:}
		# modinfo's parm lines (busybox modinfo wants modules.dep)
		tr '\000' '\n' </cnxx/cnxx.ko | grep "^parm=$pname:" |
			grep -q "($lo-$hi," ||
			{ echo "# modinfo does not give $pname the range $lo-$hi"; rc=1; }
		param_load "$pname=$lo" ok || rc=1
		param_load "$pname=$hi" ok || rc=1
		if [ "$lo" -gt 0 ]; then
			param_load "$pname=$((lo - 1))" "Invalid argument" || rc=1
		fi
		param_load "$pname=$((hi + 1))" "Invalid argument" || rc=1
		dmesg | grep -q "cnxx: $pname=$((hi + 1)) is out of range $lo-$hi" ||
			{ echo "# no log line for $pname=$((hi + 1))"; rc=1; }
	done
	# The table of the largest size is really there.
	param_load "hash_bits=17" ok || rc=1
	return $rc
}

# More groups than 32 (tests/vm/vmtest_groups.c), with cnxx not loaded:
# cnxx with groups=1024 and the VM suite's "groups" group while cnctl
# listens on group 1000 (groups_listen checks what it printed), then an
# unload while sockets are members of groups above 32 (groups_unload).
groups_1024() {
	insmod /cnxx/cnxx.ko groups=1024 || return 1
	insmod /cnxx/cnxx_testmod.ko || return 1
	# vmtest groups_members sends one message to each of groups 25..1024
	cnctl listen 1000 --count 1 --timeout 60 >/tmp/listen.out 2>&1 &
	listen_pid=$!
	sleep 2
	/cnxx/vmtest groups
}

groups_listen() {
	wait $listen_pid
	lrc=$?
	sed 's/^/# cnctl listen 1000: /' /tmp/listen.out
	[ $lrc -eq 0 ] || { echo "# cnctl listen 1000 exited with $lrc"; return 1; }
	grep -q ' group=1000 id=16:90 .* len=8 ' /tmp/listen.out ||
		{ echo "# no message to group 1000 printed"; return 1; }
	expect_eq "groups in cnxx_stats" \
		"$(awk '$1 == "groups" { print $2 }' /proc/net/cnxx_stats)" 1024
}

# Members of high groups hold cnxx, not the module that sent to them.
groups_unload() {
	cnctl listen 33 500 1024 >/dev/null 2>&1 &
	pid=$!
	sleep 2
	urc=0
	rmmod cnxx_testmod || urc=1
	if rmmod cnxx 2>/dev/null; then
		echo "# cnxx unloaded while sockets were members"
		urc=1
	else
		echo "# rmmod cnxx refused while sockets are members, as it must be"
	fi
	kill $pid
	wait $pid
	rmmod cnxx || urc=1
	[ ! -e /proc/net/cnxx_stats ] || { echo "# /proc/net/cnxx_stats left behind"; urc=1; }
	return $urc
}

# init_faults: cnxx.ko loaded with its n-th allocation failing (fail-nth),
# for every n of the load. A load that fails in init must fail with
# -ENOMEM and a log line naming its step, leave nothing behind and leak
# nothing (kmemleak), and each step (core, socket, proc) must have failed
# at least once; then a load works. netlink_kernel_create() answers NULL
# both for a failed allocation and for a taken unit: the socket step may
# say -EBUSY. Needs failslab (the debug kernel).
init_faults() {
	rc=0
	load_faults /cnxx/cnxx.ko || rc=$?
	[ $rc -eq 4 ] && return 4
	dmesg >/tmp/init_faults.log
	for s in core socket proc; do
		n=$(grep -Ec "cnxx: init failed: $s: -(12|16)\$" /tmp/init_faults.log)
		echo "# loads failed in init step $s: $n"
		[ "$n" -gt 0 ] || rc=1
	done
	other=$(grep 'cnxx: init failed: ' /tmp/init_faults.log |
		grep -Ev ': -12$|: socket: -16$')
	[ -z "$other" ] || { echo "# init failed otherwise: $other"; rc=1; }
	[ ! -e /proc/net/cnxx ] && [ ! -e /sys/module/cnxx ] ||
		{ echo "# the failed loads left cnxx behind"; rc=1; }
	connector_untouched || rc=1
	load_cnxx || rc=1
	unload_cnxx || rc=1
	[ ! -e /sys/kernel/debug/kmemleak ] || kmemleak_scan || rc=1
	return $rc
}

unload_cnxx() {
	rmmod cnxx || return 1
	[ ! -e /proc/net/cnxx ] || { echo "# /proc/net/cnxx left behind"; return 1; }
	connector_untouched
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

# cnbench --quick against the loaded cnxx.ko, so the bench code cannot
# rot: tiny counts, but every count, reply and record is checked.
bench_smoke() {
	insmod /cnxx/cnbench_kmod.ko || return 1
	/cnxx/cnbench --quick --provider cnxx >/tmp/bench_smoke.out
	rc=$?
	sed 's/^/# /' /tmp/bench_smoke.out
	rmmod cnbench_kmod || rc=1
	return $rc
}

# ---------------------------------------------------------------------------
# Reliability: concurrency stress, load/unload cycles, fault injection,
# malformed input and privileges (tests/vm/cnxx_stress_*.c, cnxx_cycle.c,
# cnstress.c, nlfuzz.c). Each prints its figures as "# ..." lines.

# The seed of a run: cnxx.seed= to replay one, else the clock.
rel_seed() {
	cmdline_param seed "$(date +%s)"
}

rel_load_stress() {
	insmod /cnxx/cnxx_stress.ko "$@" || return 1
	[ -w /sys/kernel/debug/cnxx_stress/control ] ||
		{ echo "# cnxx_stress has no debugfs control"; return 1; }
}

# rel_with_stress CMD...: runs CMD with cnxx_stress.ko loaded.
rel_with_stress() {
	rel_load_stress || return 1
	"$@"
	rc=$?
	rmmod cnxx_stress || { echo "# rmmod cnxx_stress failed"; rc=1; }
	return $rc
}

# rel_stress SECONDS: kthreads add and remove ids and broadcast (also from
# a softirq timer) while user threads send; counts must match.
rel_stress() {
	rel_with_stress /cnxx/cnstress stress -t "$1" -n 2 -s "$(rel_seed)"
}

# rel_cycle CYCLES: insmod/rmmod of cnxx_cycle.ko with messages in flight.
rel_cycle() {
	/cnxx/cnstress cycle -c "$1" -m /cnxx/cnxx_cycle.ko -s "$(rel_seed)"
	rc=$?
	if grep -q '^cnxx_cycle ' /proc/modules; then
		echo "# cnxx_cycle still loaded"
		rc=1
	fi
	return $rc
}

# rel_fault SECONDS PERCENT: failslab walks, then stress with PERCENT of
# the stressing tasks' allocations failing.
rel_fault() {
	rel_with_stress /cnxx/cnstress fault -t "$1" -p "$2" -s "$(rel_seed)"
	rc=$?
	# failing kmemleak's own allocations must not have switched it off
	if dmesg | grep -q 'kmemleak: .*disabled'; then
		echo "# kmemleak was disabled during fault injection"
		rc=1
	fi
	return $rc
}

# rel_priv REQUESTS MESSAGES: what uid 65534 must not be able to do, and
# a flood of notification requests and 16 KB messages from it.
rel_priv() {
	rel_with_stress /cnxx/nlfuzz priv -n "$1" -b "$2"
}

# rel_fuzz COUNT: malformed datagrams, 20% of them from uid 65534.
rel_fuzz() {
	rel_with_stress /cnxx/nlfuzz fuzz -n "$1" -u 20 -s "$(rel_seed)"
}

# ---------------------------------------------------------------------------
# Debug flavor: reports the kernel's checkers must make about cnxx
# (kmod/selftest.c). Each brackets its trigger with "cnxx-expect" markers in
# the kernel log, which scripts/ktap.py requires to hold exactly one report
# of that kind. Last in a job: lockdep switches itself off after a report.

# expect_report KIND WHAT: loads cnxx, writes WHAT to the selftest file
# and checks that the kernel logged a KIND report.
expect_report() {
	kind=$1 what=$2 header=$3
	load_cnxx || return 1
	[ -w /sys/kernel/debug/cnxx/selftest ] ||
		{ echo "# no selftest file: not a debug build"; rmmod cnxx; return 1; }
	# A KASAN report honours panic_on_warn: off for the trigger only.
	pow=$(cat /proc/sys/kernel/panic_on_warn)
	echo 0 >/proc/sys/kernel/panic_on_warn
	# Level 0, so that the console shows the markers around its copy of
	# the report too, whatever its log level (lockdep raises it).
	echo "<0>cnxx-expect: begin $kind" >/dev/kmsg
	echo "$what" >/sys/kernel/debug/cnxx/selftest
	sleep 1
	echo "<0>cnxx-expect: end $kind" >/dev/kmsg
	echo "$pow" >/proc/sys/kernel/panic_on_warn
	rc=0
	dmesg | grep -q "$header" || { echo "# no $kind report"; rc=1; }
	unload_cnxx || rc=1
	return $rc
}

expect_kasan() {
	expect_report KASAN kasan 'BUG: KASAN: slab-out-of-bounds in cnxx_core_selftest_oob_read'
}

expect_lockdep() {
	expect_report lockdep lockdep 'possible circular locking dependency detected'
}

# ---------------------------------------------------------------------------
# Process events (cnxx_proc.ko) as 'cnctl proc' shows them. cnxx must be
# loaded.

# proc_listening N: whether /proc/net/cnxx_proc counts more than N
# listeners. Builtins only: a subshell would be a process event itself.
proc_listening() {
	while read -r key value; do
		[ "$key" = listeners ] && [ "$value" -gt "$1" ] && return 0
	done </proc/net/cnxx_proc
	return 1
}

# proc_spawn OUT ARGS...: runs 'cnctl proc ARGS' into OUT; once it listens,
# spawns a child that exits with status 3 (its pid in $proc_child), then
# spawns 'true' until cnctl has its --count. Returns cnctl's status.
proc_spawn() {
	out=$1
	shift
	cnctl proc "$@" >"$out" 2>"$out.err" &
	cnctl_pid=$!
	i=0
	while ! proc_listening 0; do
		i=$((i + 1))
		if [ $i -gt 100 ]; then
			echo "# cnctl proc did not subscribe"
			sed 's/^/# /' "$out.err"
			kill $cnctl_pid
			return 1
		fi
		sleep 0.1
	done
	# the count goes up before the answer: let cnctl finish subscribing
	sleep 1
	sh -c 'exit 3' &
	proc_child=$!
	wait $proc_child
	i=0
	while kill -0 $cnctl_pid 2>/dev/null && [ $i -lt 200 ]; do
		/bin/busybox true
		i=$((i + 1))
	done
	wait $cnctl_pid
	st=$?
	sed 's/^/# /' "$out" "$out.err"
	proc_listening 0 && { echo "# cnctl proc left a listener behind"; return 1; }
	return $st
}

# cnctl proc refuses without cnxx_proc.ko, and with it prints a spawned
# child's events: filtered JSON lines, and a text line.
proc_cnctl() {
	proc_missing && return 4
	rc=0
	# without the module cnxx refuses the subscription
	cnctl proc --count 1 --timeout 10 >/tmp/proc.none 2>&1
	st=$?
	sed 's/^/# /' /tmp/proc.none
	[ $st -eq 1 ] && grep -q "cnxx_proc is not loaded" /tmp/proc.none ||
		{ echo "# without cnxx_proc: exit $st"; rc=1; }

	insmod /cnxx/cnxx_proc.ko || return 1
	# a filter (the kernel's on 6.6+, cnctl's on 6.1), JSON lines
	proc_spawn /tmp/proc.json --events fork,exec,exit --count 12 --json --timeout 60 || rc=1
	c=$proc_child
	expect_eq "JSON lines" "$(grep -c '^{"time":"[^"]*","cpu":[0-9]*,"timestamp_ns":[0-9]*,"event":"' /tmp/proc.json)" 12 || rc=1
	expect_eq "events other than fork, exec, exit" \
		"$(grep -Ecv '"event":"(fork|exec|exit)"' /tmp/proc.json)" 0 || rc=1
	proc_expect /tmp/proc.json "fork of $c" "\"event\":\"fork\",\"parent_pid\":[0-9]+,\"parent_tgid\":[0-9]+,\"child_pid\":$c,\"child_tgid\":$c}" || rc=1
	proc_expect /tmp/proc.json "exec of $c" "\"event\":\"exec\",\"process_pid\":$c,\"process_tgid\":$c}" || rc=1
	proc_expect /tmp/proc.json "exit of $c" "\"event\":\"exit\",\"process_pid\":$c,\"process_tgid\":$c,\"exit_code\":768,\"exit_signal\":17,\"parent_pid\":[0-9]+,\"parent_tgid\":[0-9]+,\"exit_status\":3}" || rc=1
	# the filter is the kernel's from 6.6 on, cnctl's before
	case "$(uname -r)" in
	6.1.*) want=1 ;;
	*) want=0 ;;
	esac
	expect_eq "notes on filtering in cnctl" "$(grep -c 'applied here' /tmp/proc.json.err)" $want || rc=1

	# text; only non-zero exits: the child's is the one
	proc_spawn /tmp/proc.txt --events nonzero-exit --count 1 --timeout 60 || rc=1
	c=$proc_child
	proc_expect /tmp/proc.txt "exit line of $c" "^[-0-9T:.]+ cpu=[0-9]+ ts=[0-9]+\.[0-9]{9} exit $c/$c code 0x300 \(exit 3\) signal 17 parent [0-9]+/[0-9]+$" || rc=1

	grep -E '^(fork|exec|exit) ' /proc/net/cnxx_proc | sed 's/^/# /'
	rmmod cnxx_proc || rc=1
	return $rc
}
