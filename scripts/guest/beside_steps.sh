# Steps for cnxx beside a built-in connector (Debian's own kernels), and
# the refusal of unsigned modules under lockdown. Source after lib.sh,
# steps.sh and proc_steps.sh.

# While these files exist, the flood loops of builtin_coexist go on: on
# unit 11, and on cnxx's unit.
COEXIST_FLAG=/tmp/coexist.run
COEXIST_SEND=/tmp/coexist-send.run

# coexist_send: in the background, cnctl sends to cnxx's cn_test while
# COEXIST_SEND exists and cnxx takes them; /tmp/cnxx-sent counts them.
coexist_send() {
	(n=0; while [ -e $COEXIST_SEND ] && cnctl send 14:1110 x 2>/dev/null; do
		n=$((n + 1)); echo $n >/tmp/cnxx-sent; done) &
}

# seq_runs FILE SED: whether the sequence numbers that SED extracts from
# FILE's lines each follow the last by one (one sender's counter); prints
# how many there were.
seq_runs() {
	sed -nE "$2" "$1" | awk 'NR > 1 && $1 != last + 1 { bad = 1 } { last = $1; n++ }
		END { print n + 0; exit bad }'
}

# The built-in connector and cnxx side by side, then cnxx unloaded under
# load. The kernel's cn_test sample twice: cn_test_builtin.ko on vmlinux's
# cn_*, cn_test.ko through <cnxx/connector.h>, both on ids {14,0x456} and
# {14,0x457}. Unit 11 (built-in): ucon listens and floods, Debian's
# forkstat listens to the kernel's cn_proc. cnxx's unit: cnctl listens and
# sends, cnctl proc listens to cnxx_proc. Each listener must get the timer
# messages of its own cn_test only (one counter, no interleaving), each
# cn_test only its own traffic; after rmmod cnxx the built-in side runs on
# as before. cnxx is loaded on entry and is not on return.
builtin_coexist() {
	insmod /cnxx/cn_test_builtin.ko || { rmmod cnxx; return 1; }
	rc=0
	grep -Eq '^cn_test +14:1110$' /proc/net/connector ||
		{ echo "# cn_test_builtin is not in /proc/net/connector"; rc=1; }
	# the timer counters start apart: one listener seeing both would see
	# them interleave
	sleep 2
	# (a failure leaves cnxx unloaded too, as the steps after expect)
	insmod /cnxx/cn_test.ko || { rmmod cn_test_builtin cnxx; return 1; }
	# (no cnxx_proc on PREEMPT_RT: its part is left out there)
	with_proc=y
	! proc_missing >/dev/null || with_proc=
	if [ -n "$with_proc" ]; then
		insmod /cnxx/cnxx_proc.ko || { rmmod cn_test cn_test_builtin cnxx; return 1; }
	else
		echo "# no cnxx_proc.ko on PREEMPT_RT: cnctl proc left out"
	fi
	cp /proc/net/connector /tmp/connector.coexist
	cnxx_listed cn_test 14:1110 || { echo "# cnxx does not list cn_test"; rc=1; }

	ucon /tmp/ucon11.out >/dev/null &
	ucon_pid=$!
	cnctl listen 14 >/tmp/cnxx14.out 2>&1 &
	listen_pid=$!
	forkstat -e exec,exit -D 600 >/tmp/coexist-forkstat.out 2>&1 &
	fs_pid=$!
	cp_pid=
	if [ -n "$with_proc" ]; then
		cnctl proc --events exec,exit >/tmp/coexist-cnxxproc.out 2>&1 &
		cp_pid=$!
		proc_wait_listeners -eq 1 || rc=1
	fi
	printf '#!/bin/sh\nexit 0\n' >/tmp/cnxxbefore
	printf '#!/bin/sh\nexit 0\n' >/tmp/cnxxafter
	chmod +x /tmp/cnxxbefore /tmp/cnxxafter

	# load on both units: ucon floods cn_test_builtin, cnctl sends to
	# cnxx's cn_test and counts what it sent
	touch $COEXIST_FLAG $COEXIST_SEND
	echo 0 >/tmp/cnxx-sent
	(while [ -e $COEXIST_FLAG ]; do ucon -s >/dev/null 2>&1; done) &
	flood11=$!
	coexist_send
	floodx=$!
	touch $PROC_CHURN_FLAG
	proc_churn &
	churn=$!
	sleep 4
	/tmp/cnxxbefore
	sleep 1

	# cnxx's cn_test got exactly what was sent on cnxx's unit, none of
	# the 10000 a round that ucon sends on unit 11
	rm $COEXIST_SEND
	wait $floodx
	sent=$(cat /tmp/cnxx-sent)
	expect_eq "messages cnxx's cn_test got (cnctl sent $sent)" \
		"$(awk '$2 == "14:1110" { print $4 }' /proc/net/cnxx)" "$sent" || rc=1
	touch $COEXIST_SEND
	coexist_send
	floodx=$!
	kill $cp_pid $listen_pid
	wait $cp_pid $listen_pid

	# cnxx out under load: both floods and the churn go on. Each open
	# socket of cnxx's unit holds the module, so rmmod is refused
	# (EAGAIN) while one of cnctl's sends has its socket open; it is
	# tried again until it lands between two.
	rmmod cn_test || rc=1
	[ -z "$with_proc" ] || rmmod cnxx_proc || rc=1
	t0=$(cut -d' ' -f1 /proc/uptime)
	tries=1
	while ! rmmod cnxx 2>/dev/null && [ $tries -lt 200 ]; do
		tries=$((tries + 1))
		sleep 0.05
	done
	echo "# rmmod cnxx under load: $tries tries, $(awk -v t0="$t0" '{ printf "%d", ($1 - t0) * 1000 }' /proc/uptime) ms"
	[ ! -e /sys/module/cnxx ] && [ ! -e /proc/net/cnxx ] || { echo "# cnxx left behind"; rc=1; }
	ucon_at_unload=$(grep -c '\[e\.457\]' /tmp/ucon11.out)
	sleep 3
	# the churn stops first: forkstat, slower than it, may drop events
	# (its socket's receive queue overflows), and this one must come
	rm -f $PROC_CHURN_FLAG
	wait $churn
	sleep 1
	/tmp/cnxxafter
	sleep 1
	rm -f $COEXIST_FLAG $COEXIST_SEND
	wait $flood11
	wait $floodx
	kill -INT $fs_pid
	wait $fs_pid || { echo "# forkstat exited with status $?"; rc=1; }
	kill $ucon_pid
	wait $ucon_pid

	# cn_test_builtin answers: ucon's messages reach its callback (the
	# only cn_test left; the floods filled the log, so it starts empty)
	dmesg -c >/dev/null
	ucon -s >/dev/null || rc=1
	dmesg | grep -q 'cn_test_callback: .* len=0: \.' ||
		{ echo "# cn_test_builtin logged nothing from ucon after the unload"; rc=1; }

	# the built-in side, untouched
	cmp -s /proc/net/connector /tmp/connector.coexist ||
		{ echo "# /proc/net/connector changed"; sed 's/^/# | /' /proc/net/connector; rc=1; }
	ucon_after=$(($(grep -c '\[e\.457\]' /tmp/ucon11.out) - ucon_at_unload))
	echo "# ucon on unit 11: $ucon_after timer messages after the unload"
	[ "$ucon_after" -ge 2 ] || rc=1
	proc_expect /tmp/coexist-forkstat.out "exec of cnxxbefore" ' exec .*cnxxbefore' || rc=1
	proc_expect /tmp/coexist-forkstat.out "exec of cnxxafter (after the unload)" ' exec .*cnxxafter' || rc=1
	[ -z "$with_proc" ] || proc_expect /tmp/coexist-cnxxproc.out "exec (cnxx_proc)" ' exec ' || rc=1

	# neither side saw the other's timer messages: one counter each
	n=$(seq_runs /tmp/ucon11.out 's/.*\[e\.457\] \[0*([0-9]+)\..*/\1/p') ||
		{ echo "# ucon on unit 11 got two counters interleaved"; rc=1; }
	echo "# ucon on unit 11: $n timer messages, one counter"
	n=$(seq_runs /tmp/cnxx14.out 's/.* id=14:1111 seq=([0-9]+) .*/\1/p') ||
		{ echo "# cnctl on cnxx's unit got two counters interleaved"; rc=1; }
	echo "# cnctl on cnxx's unit: $n timer messages, one counter"
	[ "$n" -ge 3 ] || rc=1

	rmmod cn_test_builtin || rc=1
	if [ $rc -ne 0 ]; then
		grep '\[e\.457\]' /tmp/ucon11.out | sed 's/^/# ucon | /'
		proc_show /tmp/cnxx14.out
		grep -v ' \(fork\|exit\) ' /tmp/coexist-forkstat.out | tail -20 | sed 's/^/# forkstat | /'
	fi
	connector_untouched || rc=1
	return $rc
}

# unit_load ARGS WANT: param_load for the unit parameter, and after a
# refusal nothing of cnxx left: no module, no files, the built-in
# /proc/net/connector as it was.
unit_load() {
	param_load "$1" "$2" || return 1
	[ ! -e /sys/module/cnxx ] && [ ! -e /proc/net/cnxx ] && [ ! -e /proc/net/cnxx_stats ] ||
		{ echo "# $1 left cnxx behind"; return 1; }
	connector_untouched
}

# unit=: a unit held by a kernel socket is refused with -EBUSY and a log
# line naming it, one out of range with -EINVAL; a free one by number, and
# auto, load. cnxx must not be loaded.
unit_param() {
	rc=0
	for u in 11 16 0; do
		unit_load "unit=$u" "Device or resource busy" || rc=1
		dmesg | grep -q "cnxx: .*unit $u\b" || { echo "# no log line naming unit $u"; rc=1; }
	done
	dmesg | grep "cnxx: .*unit 11\b" | tail -1 | sed 's/^[^]]*] /# /'
	for u in 32 -1 255 nonsense 2; do
		unit_load "unit=$u" "Invalid argument" || rc=1
	done
	insmod /cnxx/cnxx.ko unit=23 || return 1
	unit_in_use 23 || rc=1
	connector_untouched || rc=1
	rmmod cnxx || return 1
	unit_load unit=auto ok || rc=1
	return $rc
}

# Under lockdown (what UEFI Secure Boot switches on), an unsigned module
# is refused. Raised here at run time, which cannot be undone: the last
# step of a job.
lockdown_unsigned() {
	mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
	if [ ! -w /sys/kernel/security/lockdown ]; then
		echo "# SKIP the kernel has no lockdown LSM"
		return 4
	fi
	echo integrity >/sys/kernel/security/lockdown || return 1
	echo "# lockdown: $(cat /sys/kernel/security/lockdown)"
	if insmod /cnxx/cnxx.ko 2>/tmp/insmod.err; then
		echo "# an unsigned cnxx.ko loaded under lockdown"
		rmmod cnxx
		return 1
	fi
	sed 's/^/# /' /tmp/insmod.err
	dmesg | grep -i 'lockdown' | tail -1 | sed 's/^[^]]*] /# /'
	grep -q 'Operation not permitted' /tmp/insmod.err &&
		dmesg | grep -q 'Lockdown: insmod: unsigned module loading is restricted'
}
