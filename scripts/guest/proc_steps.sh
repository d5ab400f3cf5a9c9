# Steps for cnxx_proc.ko, process events on {CN_IDX_PROC, CN_VAL_PROC}, with
# real clients: Debian's forkstat, the kernel's selftest proc_filter (6.6+)
# and cnproc (tests/vm). Source after lib.sh and steps.sh; cnxx must be
# loaded. Each step loads cnxx_proc and unloads it again.

PROC_STATS=/proc/net/cnxx_proc
# While this file exists, proc_churn goes on.
PROC_CHURN_FLAG=/tmp/proc_churn.run

# proc_per_socket: 6.6+ keeps process-event state per socket (filters,
# unprivileged listeners, a close stops counting); 6.1 has one count.
proc_per_socket() {
	v=$(uname -r)
	maj=${v%%.*}
	v=${v#*.}
	min=${v%%.*}
	[ "$maj" -gt 6 ] || { [ "$maj" -eq 6 ] && [ "$min" -ge 6 ]; }
}

proc_listeners() {
	awk '$1 == "listeners" { print $2 }' $PROC_STATS 2>/dev/null
}

# proc_wait_listeners TEST N: waits up to 10 s for "listeners TEST N"
# (TEST: -eq, -ge, ...).
proc_wait_listeners() {
	pw_tries=0
	while [ $pw_tries -lt 100 ]; do
		pw_n=$(proc_listeners)
		[ -n "$pw_n" ] && [ "$pw_n" "$1" "$2" ] && return 0
		sleep 0.1
		pw_tries=$((pw_tries + 1))
	done
	echo "# listeners: got '$(proc_listeners)', want $1 $2"
	return 1
}

proc_listed() {
	cnxx_listed cn_proc 1:1
}

# proc_load: loads cnxx_proc; 4 (a skip, said) where it is not built.
proc_load() {
	proc_missing && return 4
	insmod /cnxx/cnxx_proc.ko || return 1
	proc_listed || { echo "# cnxx does not list cn_proc"; return 1; }
}

proc_unload() {
	rmmod cnxx_proc || { echo "# rmmod cnxx_proc failed"; return 1; }
	! proc_listed || { echo "# cnxx still lists cn_proc"; return 1; }
	[ ! -e $PROC_STATS ] || { echo "# $PROC_STATS left behind"; return 1; }
}

# proc_end RC: unloads cnxx_proc if it is still loaded; RC, or 1 if that
# fails.
proc_end() {
	if grep -q '^cnxx_proc ' /proc/modules; then
		proc_unload || return 1
	fi
	return "$1"
}

# Forks, execs and exits until PROC_CHURN_FLAG goes.
proc_churn() {
	while [ -e $PROC_CHURN_FLAG ]; do
		/bin/true
		sh -c 'exit 1'
	done
}

# proc_show FILE: a client's output as diagnostics.
proc_show() {
	sed 's/^/# | /' "$1"
}

# proc_expect FILE WHAT REGEX: FILE has a line matching REGEX.
proc_expect() {
	grep -Eq "$3" "$1" && return 0
	echo "# $(basename "$1"): no $2 (/$3/)"
	return 1
}

# proc_unit11_client WHAT: a skip beside the built-in connector, where
# WHAT, a client that opens unit 11, talks to the kernel's own cn_proc
# (step builtin_coexist runs forkstat there).
proc_unit11_client() {
	[ "$cnxx_mode" = beside ] || return 0
	echo "# SKIP $1 opens unit 11: beside the built-in connector that is the kernel's cn_proc"
	return 4
}

# ---------------------------------------------------------------------------
# forkstat (Debian's, as packaged; root, which it insists on): one instance
# prints the events of known processes, a second one ends by itself (-D)
# with its statistics (-S). Both close without IGNORE.
proc_forkstat() {
	proc_unit11_client forkstat || return
	proc_load || return
	rc=0
	out=/tmp/forkstat.out
	stats=/tmp/forkstat-stats.out
	printf '#!/bin/sh\nsleep 1\nexit 5\n' >/tmp/cnxxnamed
	chmod +x /tmp/cnxxnamed
	forkstat -c -l -e fork,exec,exit,comm -D 120 >$out 2>&1 &
	fs=$!
	forkstat -S -c -e exec,exit -D 15 >$stats 2>&1 &
	fs_stats=$!
	proc_wait_listeners -eq 2 || rc=1
	# A rename (prctl(PR_SET_NAME) as /proc/self/comm does it), a named
	# program three times, a process killed by SIGTERM.
	sh -c 'printf cnxxrenamed >/proc/self/comm; sleep 1; exit 7' &
	renamed=$!
	/tmp/cnxxnamed &
	named=$!
	sleep 30 &
	killed=$!
	sleep 1
	kill -TERM $killed
	wait $renamed $named $killed
	/tmp/cnxxnamed
	/tmp/cnxxnamed
	sleep 1
	kill -INT $fs
	wait $fs || { echo "# forkstat exited with status $?"; rc=1; }
	wait $fs_stats || { echo "# forkstat -D exited with status $?"; rc=1; }
	echo "# step shell $$; renamed $renamed, named $named, killed $killed"
	# forkstat prints a fork as the parent's line, then the child's.
	awk -v p=$$ -v c=$renamed '$2 == "fork" && $3 == p && $4 == "parent" { n = NR }
		$2 == "fork" && $3 == c && $4 == "child" && NR == n + 1 { found = 1 }
		END { exit !found }' $out ||
		{ echo "# forkstat.out: no fork of $renamed by $$"; rc=1; }
	# (in brackets: forkstat takes a process of process group 0, as all
	# under the initramfs's init are, for a kernel thread)
	proc_expect $out "exec of $named" "^[0-9:]+ exec +$named +\\[?cnxxnamed\\]? *$" || rc=1
	proc_expect $out "rename of $renamed" "^[0-9:]+ comm +$renamed .* -> cnxxrenamed *$" || rc=1
	# exit codes as wait() gives them: status << 8, or the signal
	proc_expect $out "exit 7 of $renamed" "^[0-9:]+ exit +$renamed +1792 " || rc=1
	proc_expect $out "exit 5 of $named" "^[0-9:]+ exit +$named +1280 " || rc=1
	proc_expect $out "SIGTERM of $killed" "^[0-9:]+ exit +$killed +15 " || rc=1
	exits=$(awk '$NF == "cnxxnamed" && $1 ~ /^[0-9]+$/ { print $3 }' $stats)
	expect_eq "forkstat -S: exits of cnxxnamed" "$exits" 3 || rc=1
	# Neither sent IGNORE: 6.6+ counts the closes, 6.1 cannot.
	if proc_per_socket; then
		proc_wait_listeners -eq 0 || rc=1
	else
		expect_eq "listeners after the closes (6.1)" "$(proc_listeners)" 2 || rc=1
	fi
	if [ $rc -ne 0 ]; then
		proc_show $out
		proc_show $stats
	fi
	proc_unload || rc=1
	return $rc
}

# ---------------------------------------------------------------------------
# The kernel's selftest tools/testing/selftests/connector/proc_filter.c
# (6.6+), as root and as uid 65534, with its filter (-f: only non-zero
# exits) and without.
proc_selftest() {
	if ! proc_per_socket; then
		echo "# SKIP proc_input filters need 6.6 or later"
		return 4
	fi
	proc_unit11_client proc_filter || return
	proc_load || return
	# su needs the user
	grep -q '^nobody:' /etc/passwd 2>/dev/null ||
		echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>/etc/passwd
	grep -q '^nogroup:' /etc/group 2>/dev/null ||
		echo 'nogroup:x:65534:' >>/etc/group
	rc=0
	for who in root nobody; do
		proc_filter_run $who -f || rc=1
		proc_filter_run $who "" || rc=1
	done
	proc_wait_listeners -eq 0 || rc=1
	proc_end $rc
}

# proc_filter_run root|nobody [-f]
proc_filter_run() {
	out=/tmp/proc_filter.out
	before=$(proc_listeners)
	if [ "$1" = root ]; then
		/cnxx/proc_filter $2 >$out 2>&1 &
	else
		su -s /bin/sh nobody -c "exec /cnxx/proc_filter $2" >$out 2>&1 &
	fi
	pf=$!
	r=0
	proc_wait_listeners -eq $((before + 1)) || r=1
	sh -c 'sleep 1; exit 3' &
	bad=$!
	sh -c 'sleep 1; exit 0' &
	good=$!
	wait $bad $good
	sleep 0.5
	kill -INT $pf
	wait $pf || { echo "# proc_filter exited with status $?"; r=1; }
	echo "# proc_filter $2 as $1: exit 3 by $bad, exit 0 by $good"
	proc_expect $out "end line" '^Done total count: [0-9]+$' || r=1
	proc_expect $out "exit of $bad" "^# Exit process $bad \\(tgid $bad\\) with code 768," || r=1
	if [ "$2" = -f ]; then
		if grep -q "^# Exit process $good " $out; then
			echo "# exit 0 of $good passed the filter"
			r=1
		fi
		if grep '^# ' $out | grep -qv '^# Exit process .* with code [1-9]'; then
			echo "# more than non-zero exits passed the filter"
			r=1
		fi
	else
		proc_expect $out "fork of $bad" "^# Fork process $bad \\(tgid $bad\\), parent $$ " || r=1
		proc_expect $out "exec of $bad" "^# Exec process $bad \\(tgid $bad\\)" || r=1
		proc_expect $out "exit of $good" "^# Exit process $good \\(tgid $good\\) with code 0," || r=1
	fi
	# it sends IGNORE before it closes
	proc_wait_listeners -eq "$before" || r=1
	[ $r -eq 0 ] || proc_show $out
	return $r
}

# ---------------------------------------------------------------------------
# proc_unload_cycles CYCLES: rmmod and insmod of cnxx_proc CYCLES times
# while processes fork, exec and exit and cnproc's 3 sockets and forkstat
# listen. Each rmmod must end within seconds and take cn_proc out of
# cnxx's list; after each insmod cnproc listens again and must get events.
# When all have closed, 6.6+ counts no listener. Beside the built-in
# connector, forkstat listens to the kernel's cn_proc all along.
proc_unload_cycles() {
	proc_load || return
	rc=0
	out=/tmp/cnproc-listen.out
	fsout=/tmp/forkstat-unload.out
	/cnxx/cnproc listen -n 3 >$out 2>&1 &
	lp=$!
	forkstat -e fork,exec,exit -D 600 >$fsout 2>&1 &
	fp=$!
	if [ "$cnxx_mode" = dropin ]; then
		proc_wait_listeners -eq 4 || rc=1
	else
		proc_wait_listeners -eq 3 || rc=1
	fi
	touch $PROC_CHURN_FLAG
	proc_churn &
	churn=$!
	i=0 worst=0
	while [ $i -lt "$1" ] && [ $rc -eq 0 ]; do
		i=$((i + 1))
		sleep 1
		t0=$(cut -d' ' -f1 /proc/uptime)
		if ! rmmod cnxx_proc; then
			echo "# rmmod $i failed"
			rc=1
			break
		fi
		ms=$(awk -v t0="$t0" '{ printf "%d", ($1 - t0) * 1000 }' /proc/uptime)
		[ "$ms" -gt "$worst" ] && worst=$ms
		if [ "$ms" -gt 10000 ]; then
			echo "# rmmod $i took $ms ms"
			rc=1
		fi
		! proc_listed || { echo "# cnxx lists cn_proc after rmmod $i"; rc=1; }
		[ ! -e $PROC_STATS ] || { echo "# $PROC_STATS after rmmod $i"; rc=1; }
		proc_load || { rc=1; break; }
		kill -USR1 $lp
		proc_wait_listeners -eq 3 || rc=1
	done
	echo "# proc: $i unloads under load, the longest $worst ms"
	sleep 1
	rm -f $PROC_CHURN_FLAG
	wait $churn
	kill -INT $lp $fp
	wait $lp || { echo "# cnproc listen failed"; rc=1; }
	wait $fp || { echo "# forkstat exited with status $?"; rc=1; }
	grep '^# ' $out | head -40
	got=$(grep -c ' exit ' $fsout)
	echo "# proc: forkstat printed $got exits before the first unload"
	[ "$got" -gt 0 ] || { proc_show $fsout; rc=1; }
	if proc_per_socket; then
		proc_wait_listeners -eq 0 || rc=1
	fi
	proc_end $rc
}

# ---------------------------------------------------------------------------
# proc_flood OPS: cnproc flood on 200 sockets while processes fork, exec
# and exit: OPS requests checked one by one against the kernel's rules,
# then OPS requests more from 4 threads, the count never negative.
proc_flood() {
	proc_load || return
	rc=0
	touch $PROC_CHURN_FLAG
	proc_churn &
	churn=$!
	/cnxx/cnproc flood -n 200 -o "$1" -s "$(rel_seed)" || rc=1
	/cnxx/cnproc flood -n 50 -o $(($1 / 4)) -j 4 -s "$(rel_seed)" || rc=1
	rm -f $PROC_CHURN_FLAG
	wait $churn
	proc_unload || rc=1
	return $rc
}

# ---------------------------------------------------------------------------
# proc_load_faults: cnxx_proc loaded with its n-th allocation failing
# (fail-nth), for every n of the load. Every failed load must leave
# nothing behind and make the kernel warn about nothing (a tracepoint
# unregistered that was never registered warns in tracepoint_remove_func()).
# Needs failslab (the debug kernels). Two kretprobe instances, not 64:
# each instance is an allocation of the same loop, and each failure there
# leaves that probe out and lets the load succeed, so that an unload
# follows, which waits for RCU grace periods of several kinds (seconds
# each on the debug kernel in QEMU); 64 would add some 310 such loads,
# half an hour.
proc_load_faults() {
	proc_missing && return 4
	warns0=$(dmesg | grep -c 'WARNING:')
	rc=0
	load_faults /cnxx/cnxx_proc.ko kretprobe_instances=2 || rc=$?
	[ $rc -eq 4 ] && return 4
	if [ -e $PROC_STATS ] || proc_listed; then
		echo "# the failed loads left cnxx_proc behind"
		rc=1
	fi
	warns=$(dmesg | grep -c 'WARNING:')
	if [ "$warns" -ne "$warns0" ]; then
		echo "# the failed loads made the kernel warn:"
		dmesg | grep -A3 'WARNING:' | tail -n 16 | sed 's/^/# | /'
		rc=1
	fi
	proc_end $rc
}

# ---------------------------------------------------------------------------
# proc_cnctl_loss: cnctl proc stopped while 500 processes start and end
# (1500 events and more, several times its receive buffer), then let go:
# it must say that events were lost, from the per-CPU sequence gaps.
proc_cnctl_loss() {
	proc_load || return
	rc=0
	out=/tmp/cnctl-loss.out
	err=/tmp/cnctl-loss.err
	cnctl proc >$out 2>$err &
	cp=$!
	proc_wait_listeners -eq 1 || rc=1
	kill -STOP $cp
	i=0
	while [ $i -lt 500 ]; do
		/bin/true
		i=$((i + 1))
	done
	kill -CONT $cp
	# what it has queued, then a few events after the gap
	sleep 2
	/bin/true
	/bin/true
	sleep 1
	kill -INT $cp
	wait $cp || { echo "# cnctl proc exited with status $?"; rc=1; }
	echo "# cnctl proc printed $(wc -l <$out) events"
	sed 's/^/# stderr: /' $err | head -10
	proc_expect $err "report of a gap" '^cnctl: warning: [0-9]+ process events lost before this one \(sequence gap on cpu [0-9]+\)$' || rc=1
	proc_expect $err "total" '^cnctl: warning: [0-9]+ process events lost in all$' || rc=1
	proc_end $rc
}

# ---------------------------------------------------------------------------
# unload_notify_work CYCLES: cnxx's exit against its own notification work.
# 4000 stored requests for cn_test's two ids make its removal queue 8000
# notifications for the work item of CPU 0 (rmmod runs there); rmmod cnxx
# then runs on CPU 1 while that work item sends through cnxx's socket.
# Leaves cnxx loaded.
unload_notify_work() {
	if grep -q '^cnxx ' /proc/modules; then
		rmmod cnxx || return 1
	fi
	rc=0 i=0
	while [ $i -lt "$1" ]; do
		i=$((i + 1))
		insmod /cnxx/cnxx.ko notify_max_requests=4096 notify_max_pending=65536 ||
			{ rc=1; break; }
		/cnxx/cnproc notify -n 4000 -i 14 -v 1110 >/dev/null || { rc=1; break; }
		insmod /cnxx/cn_test.ko || { rc=1; break; }
		taskset 1 rmmod cn_test || { echo "# rmmod cn_test $i failed"; rc=1; break; }
		taskset 2 rmmod cnxx || { echo "# rmmod cnxx $i failed"; rc=1; break; }
	done
	echo "# cnxx: $i unloads with notifications in flight"
	grep -q '^cnxx ' /proc/modules || insmod /cnxx/cnxx.ko || rc=1
	return $rc
}
