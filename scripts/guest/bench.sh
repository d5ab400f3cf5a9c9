# The VM part of `make bench`: the same client and workloads against the
# kernel's cn.ko, cnxx.ko and the raw-netlink reference, then a table of
# medians, spreads and ratios; and what process events cost fork, exec and
# exit (cnprocbench): with cnxx.ko only, with cnxx_proc.ko idle and with
# one listener (cnproclisten). On a kernel with the connector built in (the
# inproc flavor), only the process events: the kernel's cn_proc idle and
# with the listener. Beside a built-in connector (cnxx.mode=beside, Debian's
# own kernels) both in one boot: "cn" is the kernel's connector
# (cnbench_builtin.ko on vmlinux's cn_*, unit 11), "raw" takes cnxx's unit
# while cnxx is not loaded, and the process events add the kernel's
# cn_proc idle and with the listener.
#
# Interleaved finely, because the host's load drifts: for each workload
# group, each round runs every provider once, back to back (the starting
# provider rotates), and the ratios are medians of the per-round ratios.
# Kernel command line:
#   cnxx.reps=N        rounds per group (default 5)
#   cnxx.bench_ms=MS   time per workload and run (default 300)
#   cnxx.providers=L   comma-separated (default cn,cnxx,raw)
#   cnxx.only=W,...    these workloads only: cnbench --only names,
#                      proc-fork, proc-exec (default: all but send2-*,
#                      which need two CPUs, unless cnxx.clock=wall)
#   cnxx.proc_ms=MS    time per process-event run (default bench_ms)
#   cnxx.clock=MODE    how QEMU runs the guest clock (icount or wall), for
#                      the table's header
. /cnxx/guest/lib.sh

reps=$(cmdline_param reps 5)
bench_ms=$(cmdline_param bench_ms 300)
mode=$(cmdline_param clock wall)
only=$(cmdline_param only "" | tr , ' ')
proc_ms=$(cmdline_param proc_ms "$bench_ms")
# Workloads measured in the same client run (cnbench --only). The
# two-sender ones need two CPUs, which an -icount guest does not have.
groups=${only:-"dispatch-1 dispatch-100 dispatch-10000,adddel-10000 bcast-0 bcast-64
bcast-1024 single16,mult16 rtt proc-fork proc-exec"}
[ -z "$only" ] && [ "$mode" = wall ] && groups="$groups send2-1 send2-2"
proc_groups=
cn_groups=
for g in $groups; do
	case $g in
	proc-*) proc_groups="$proc_groups $g" ;;
	*) cn_groups="$cn_groups $g" ;;
	esac
done
# NETLINK_CONNECTOR: the kernel's connector, or cnxx in drop-in mode
cn_unit=11
raw_unit=$cn_unit
beside_unit=
# Beside a built-in connector, everything in one boot. /proc/net/connector
# present from boot without that: the inproc flavor (built in, no cnxx),
# the kernel's process events only.
if [ "$cnxx_mode" = beside ]; then
	providers=$(cmdline_param providers cn,cnxx,raw | tr , ' ')
	proc_providers="cnxx cnxx_proc cnxx_proc+listener cn_proc cn_proc+listener"
	# the unit cnxx takes, which raw takes while cnxx is not loaded
	insmod /cnxx/cnxx.ko && beside_unit=$(cat /sys/module/cnxx/parameters/unit) && rmmod cnxx
	raw_unit=${beside_unit:-$cn_unit}
elif [ -e /proc/net/connector ]; then
	providers=
	cn_groups=
	proc_providers="cn_proc cn_proc+listener"
else
	providers=$(cmdline_param providers cn,cnxx,raw | tr , ' ')
	proc_providers="cnxx cnxx_proc cnxx_proc+listener"
fi
# bcast-0 also as cnxx-g1024: cnxx loaded with groups=1024, the bursts to
# group 1000, one listener there; against cnxx's bcast-0 on 32 groups.
g1024_group=1000
g1024=
case " $cn_groups " in
*" bcast-0 "*) case " $providers " in *" cnxx "*) g1024=cnxx-g1024 ;; esac ;;
esac
results=/tmp/bench.results
: >$results

provider_load() {
	case $1 in
	cn)
		# beside: the same module source on vmlinux's own cn_*
		if [ "$cnxx_mode" = beside ]; then
			insmod /cnxx/cnbench_builtin.ko
		else
			insmod /cnxx/cn.ko && insmod /cnxx/cnbench_kmod.ko
		fi
		;;
	cnxx) insmod /cnxx/cnxx.ko && insmod /cnxx/cnbench_kmod.ko ;;
	cnxx-g1024)
		insmod /cnxx/cnxx.ko groups=1024 &&
			insmod /cnxx/cnbench_kmod.ko bcast_group=$g1024_group ;;
	raw) insmod /cnxx/cnbench_raw.ko unit="$raw_unit" ;;
	*) echo "# unknown provider $1"; return 1 ;;
	esac
}

provider_unload() {
	case $1 in
	cn | cnxx | cnxx-g1024)
		if [ "$1" = cn ] && [ "$cnxx_mode" = beside ]; then
			rmmod cnbench_builtin
		else
			rmmod cnbench_kmod
			rmmod "${1%-g1024}"
		fi
		;;
	raw) rmmod cnbench_raw ;;
	esac
}

# provider_unit PROVIDER: "CNXX_UNIT=N" for env, the unit the client talks
# to PROVIDER on; nothing for cnxx, whose unit libcnxx finds by itself.
provider_unit() {
	case $1 in
	raw) echo "CNXX_UNIT=$raw_unit" ;;
	cn | cn_proc*) echo "CNXX_UNIT=$cn_unit" ;;
	esac
}

# bench_run PROVIDER GROUP ROUND: one client run; figures go to $results.
bench_run() {
	provider_load "$1" || { provider_unload "$1" 2>/dev/null; return 1; }
	group=
	[ "$1" != cnxx-g1024 ] || group="--group $g1024_group"
	env $(provider_unit "$1") cnbench --provider "$1" --time-ms "$bench_ms" --only "$2" $group >/tmp/run.out
	rc=$?
	sed -i "s/^BENCH .*/& round=$3/" /tmp/run.out
	sed 's/^/# /' /tmp/run.out
	grep '^BENCH ' /tmp/run.out >>$results
	provider_unload "$1" || rc=1
	return $rc
}

# Process events. bench_proc_load PROVIDER: the modules, and the listener.
bench_proc_load() {
	case $1 in
	cnxx) insmod /cnxx/cnxx.ko ;;
	cnxx_proc) insmod /cnxx/cnxx.ko && insmod /cnxx/cnxx_proc.ko ;;
	cnxx_proc+listener)
		insmod /cnxx/cnxx.ko && insmod /cnxx/cnxx_proc.ko && listener_start ;;
	cn_proc) ;;
	cn_proc+listener) listener_start cn_proc ;;
	*) echo "# unknown provider $1"; return 1 ;;
	esac
}

bench_proc_unload() {
	unload_rc=0
	case $1 in *+listener) listener_stop || unload_rc=1 ;; esac
	case $1 in cnxx_proc*) rmmod cnxx_proc || unload_rc=1 ;; esac
	case $1 in cnxx*) rmmod cnxx || unload_rc=1 ;; esac
	return $unload_rc
}

# listener_start [PROVIDER]: cnproclisten in the background (on PROVIDER's
# unit, else on cnxx's), once its LISTEN is acked (10 s at most).
listener_start() {
	: >/tmp/listen.out
	env $(provider_unit "${1:-cnxx}") cnproclisten >/tmp/listen.out 2>&1 &
	listener=$!
	i=0
	until grep -q '^ready$' /tmp/listen.out; do
		i=$((i + 1))
		if [ $i -gt 100 ] || ! kill -0 $listener 2>/dev/null; then
			sed 's/^/# listener: /' /tmp/listen.out
			kill $listener 2>/dev/null
			return 1
		fi
		usleep 100000
	done
}

listener_stop() {
	kill $listener
	wait $listener
	listener_rc=$?
	sed -n 's/^LISTEN /# listener: /p; /^cnproclisten/s/^/# /p' /tmp/listen.out
	return $listener_rc
}

# The listener saw every event of the run: at least one fork and one exit
# (and one exec) per iteration, nothing lost.
listener_check() {
	n=$(sed -n 's/^BENCH .* n=\([0-9]*\) .*/\1/p' /tmp/run.out)
	line=$(grep '^LISTEN ' /tmp/listen.out)
	[ -n "$n" ] && [ -n "$line" ] || { echo "# no figures to check the listener with"; return 1; }
	for f in $line; do
		case $f in
		fork=* | exit=*) [ "${f#*=}" -ge "$n" ] || { echo "# listener: $f, want >= $n"; return 1; } ;;
		exec=*) [ "$1" != proc-exec ] || [ "${f#*=}" -ge "$n" ] ||
			{ echo "# listener: $f, want >= $n"; return 1; } ;;
		lost=*) [ "${f#*=}" -eq 0 ] || { echo "# listener: $f"; return 1; } ;;
		esac
	done
}

# proc_run PROVIDER GROUP ROUND: one cnprocbench run; figures go to $results.
proc_run() {
	bench_proc_load "$1" || { bench_proc_unload "$1" 2>/dev/null; return 1; }
	case $2 in
	proc-fork) cnprocbench fork --provider "$1" --time-ms "$proc_ms" >/tmp/run.out ;;
	proc-exec) cnprocbench exec /cnxx/cnprocexit --provider "$1" --time-ms "$proc_ms" >/tmp/run.out ;;
	*) echo "# unknown workload $2"; false ;;
	esac
	rc=$?
	sed -i "s/^BENCH .*/& round=$3/" /tmp/run.out
	sed 's/^/# /' /tmp/run.out
	grep '^BENCH ' /tmp/run.out >>$results
	case $1 in
	cnxx_proc) expect_eq "cnxx_proc listeners" "$(sed -n 's/^listeners //p' /proc/net/cnxx_proc)" 0 ||
		rc=1 ;;
	cnxx_proc+listener) sed -n 's/^listeners /# cnxx_proc listeners /p' /proc/net/cnxx_proc ;;
	esac
	bench_proc_unload "$1" || rc=1
	case $1 in *+listener) listener_check "$2" || rc=1 ;; esac
	return $rc
}

# The table: per workload, median [min-max] over the rounds per provider,
# and the medians of the per-round ratios. Fails without figures from
# every provider, or without a TSC clock. The process-event rows are
# tabled on the host, with the figures of the inproc kernel.
bench_table() {
	clock=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)
	# for the host's process-event table
	[ -z "$beside_unit" ] || echo "# cnxx-beside-unit $beside_unit"
	# what the kernel made of the CPU QEMU emulates (its mitigations)
	for f in /sys/devices/system/cpu/vulnerabilities/*; do
		[ ! -f "$f" ] || echo "# cpu vulnerability ${f##*/}: $(cat "$f")"
	done
	if [ -n "$cn_groups" ]; then
		echo "# cnxx-bench-table begin"
		awk -v part=cn -v reps="$reps" -v kernel="$(uname -r)" -v clock="$clock" -v ms="$bench_ms" \
			-v builtin="$beside_unit" \
			-v mode="$mode" -v cpus="$(grep -c ^processor /proc/cpuinfo)" \
			-v mem="$(awk '/^MemTotal/ { printf "%d MB", $2 / 1024 }' /proc/meminfo)" \
			-f /cnxx/guest/bench-table.awk $results
		echo "# cnxx-bench-table end"
	fi
	# A jiffies clock ticks every 4 ms: no 5 ms slice is usable. A
	# two-sender figure spans the whole run, so it is still good to 4 ms
	# (a wall-clock guest with two vCPUs may lose its TSC to the sync
	# check between the CPUs).
	case $clock in
	tsc | tsc-early) ;;
	*)
		if grep '^BENCH ' $results | grep -qv ' workload=send2 '; then
			echo "# clocksource is $clock, not tsc: timings unusable"
			return 1
		fi
		echo "# clocksource is $clock: send2 figures are good to 4 ms in $bench_ms ms"
		;;
	esac
	for p in ${cn_groups:+$providers} $g1024; do
		grep "^BENCH provider=$p " $results | grep -qv ' workload=proc ' ||
			{ echo "# no figures from $p"; return 1; }
	done
	if [ -n "$proc_groups" ]; then
		for p in $proc_providers; do
			grep -q "^BENCH provider=$p workload=proc " $results ||
				{ echo "# no process-event figures from $p"; return 1; }
		done
	fi
}

# rounds RUN GROUPS PROVIDERS: the steps of each group, by rounds.
rounds() {
	run=$1
	order=$3
	for g in $2; do
		r=1
		while [ $r -le "$reps" ]; do
			for p in $order; do
				step "$(echo "$g" | tr , +)_$(echo "$p" | tr + _)_$r" $run "$p" "$g" "$r"
			done
			# Rotate: no provider always runs first or last.
			set -- $order
			first=$1
			shift
			order="$* $first"
			r=$((r + 1))
		done
	done
}

steps() {
	if [ -n "$g1024" ]; then
		rounds bench_run "$(echo " $cn_groups " | sed 's/ bcast-0 / /')" "$providers"
		rounds bench_run bcast-0 "$providers $g1024"
	else
		rounds bench_run "$cn_groups" "$providers"
	fi
	rounds proc_run "$proc_groups" "$proc_providers"
	step table bench_table
}
run_job steps
