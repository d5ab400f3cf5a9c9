#!/usr/bin/env bash
# `make bench`: per kernel, one VM boot running scripts/guest/bench.sh, which
# measures the kernel's cn.ko, cnxx.ko and a raw-netlink reference in turn
# with the same client, and what cnxx_proc.ko costs fork, exec and exit;
# then one boot of the same kernel with the connector built in (flavor
# inproc), for the kernel's own process events; then, with the default
# clock, the two-sender workloads (send2-*) in a boot of their own: they
# need two CPUs at once, which an -icount guest does not have (QEMU counts
# instructions only single-threaded, and the firmware it boots with brings
# up one CPU), so that boot runs wall-clock with qboot on two vCPUs,
# reusing the first boot's build. Writes out/bench-KERNEL.txt (the tables),
# out/bench-KERNEL-send2.txt (the two-sender table), out/bench-KERNEL.raw,
# out/bench-KERNEL-inproc.raw and out/bench-KERNEL-send2.raw (every
# figure), prints the tables, and exits non-zero if a VM run failed.
#
# CNXX_BENCH_STOCK=1 (`make bench-stock`): Debian's own kernel of each
# series instead (scripts/vm.sh flavor debian, scripts/stock-kernel.sh),
# one boot each: cnxx beside the kernel's built-in connector and cn_proc,
# the same workloads; out/bench-KERNEL-debian.txt and .raw. No inproc
# boot (the kernel's cn_proc is in the same boot) and, unless
# CNXX_BENCH_SEND2=1, no two-sender boot.
#
#   CNXX_KERNELS="6.1 6.12"  kernels          CNXX_BENCH_REPS=5  rounds
#   CNXX_BENCH_MS            guest time per workload and run, in ms
#                            (default 100 with icount, 300 with wall)
#   CNXX_BENCH_PROC_MS       the same for process events (default the same)
#   CNXX_BENCH_INPROC=0      no inproc kernel: no cn_proc figures
#   CNXX_BENCH_CLOCK=icount  the guest clock counts instructions: 1 ns per
#                            guest instruction, so other load on the host
#                            does not show in the figures (the default)
#   CNXX_BENCH_CLOCK=wall    real time: TCG speed, as noisy as the host;
#                            the first boot has two vCPUs and runs send2-*
#                            too, so there is no two-sender boot
#   CNXX_BENCH_ONLY=W,...    these workloads only (cnbench --only names,
#                            proc-fork, proc-exec); send2-* names go to the
#                            two-sender boot, which runs both without them
#   CNXX_BENCH_SEND2_REPS=15 rounds of the two-sender boot (noisy: more)
#   CNXX_BENCH_SEND2_MS=1000 its time per workload and run, in ms
#   CNXX_BENCH_SEND2=0       no two-sender boot
set -uo pipefail
. "$(dirname "$0")/lib.sh"

kernels=${CNXX_KERNELS:-6.1 6.12}
reps=${CNXX_BENCH_REPS:-5}
clock=${CNXX_BENCH_CLOCK:-icount}
# Counted instructions repeat exactly: short runs are enough.
ms=${CNXX_BENCH_MS:-$([ "$clock" = icount ] && echo 100 || echo 300)}
proc_ms=${CNXX_BENCH_PROC_MS:-$ms}
inproc=${CNXX_BENCH_INPROC:-1}
stock=${CNXX_BENCH_STOCK:-0}
case $stock in
0) flavor=base tag= ;;
1) flavor=debian tag=-debian inproc=0 ;;
*) die "CNXX_BENCH_STOCK is 0 or 1, not '$stock'" ;;
esac
send2_reps=${CNXX_BENCH_SEND2_REPS:-15}
send2_ms=${CNXX_BENCH_SEND2_MS:-1000}
[ "$reps" -ge 1 ] 2>/dev/null || die "CNXX_BENCH_REPS must be a positive number"
[ "$send2_reps" -ge 1 ] 2>/dev/null || die "CNXX_BENCH_SEND2_REPS must be a positive number"
[ "$send2_ms" -ge 1 ] 2>/dev/null || die "CNXX_BENCH_SEND2_MS must be a positive number"
case $clock in
icount | wall) ;;
*) die "CNXX_BENCH_CLOCK is icount or wall, not '$clock'" ;;
esac
mkdir -p "$CNXX_OUT"
# All rounds of all workloads in one boot take a while under TCG.
export CNXX_VM_TIMEOUT=${CNXX_VM_TIMEOUT:-3600}

# CNXX_BENCH_ONLY split: the first boot's workloads, the two-sender boot's.
only='' send2_only=send2-1,send2-2
send2=${CNXX_BENCH_SEND2:-$((1 - stock))}
[ "$clock" = wall ] && send2=0
if [ -n "${CNXX_BENCH_ONLY:-}" ]; then
	if [ "$clock" = wall ]; then
		only=$CNXX_BENCH_ONLY
	else
		only=$(echo "$CNXX_BENCH_ONLY" | tr , '\n' | grep -v '^send2-' | paste -sd, -)
		s2=$(echo "$CNXX_BENCH_ONLY" | tr , '\n' | grep '^send2-' | paste -sd, -)
		[ -z "$s2" ] || send2_only=$s2
	fi
fi
# Without a workload of its own, the first boot is left out.
first=1
[ -n "${CNXX_BENCH_ONLY:-}" ] && [ -z "$only" ] && first=0

# Under TCG the guest reads the host's TSC; a guest that fails to calibrate
# it (likely on a busy host) falls back to a 4 ms clock: the host's rate,
# measured once, for every wall-clock boot.
tsc=
if [ "$clock" = wall ] || [ "$send2" != 0 ]; then
	gcc -O2 -Wall "$CNXX_ROOT/tools/bench/tsc_khz.c" -o "$CNXX_OUT/tsc_khz" ||
		die "cannot build tools/bench/tsc_khz.c"
	tsc=tsc_early_khz=$("$CNXX_OUT/tsc_khz") || die "cannot measure the host's TSC rate"
fi
append="cnxx.reps=$reps cnxx.bench_ms=$ms cnxx.proc_ms=$proc_ms${only:+ cnxx.only=$only}"
[ "$clock" = wall ] && append="$append $tsc"
# Under -icount QEMU runs one vCPU; the firmware shows the test kernels one
# CPU, but Debian's (with ACPI) find two and hang bringing up the second.
[ "$stock" = 1 ] && [ "$clock" = icount ] && append="$append nr_cpus=1"
send2_append="cnxx.reps=$send2_reps cnxx.bench_ms=$send2_ms cnxx.only=$send2_only $tsc"

# bench_vm KERNEL FLAVOR CLOCK NAME APPEND: boots the bench job; its figures
# go to out/NAME.raw, the VM's output to out/NAME.vm, the console to $logf.
# Fails if the VM run did.
bench_vm() {
	local k=$1 flavor=$2 mode=$3 name=$4 rc qemu=()
	logf=$CNXX_OUT/logs/${CNXX_VM_LOG:-$k-$flavor-bench}.log
	vmout=$CNXX_OUT/$name.vm
	rm -f "$logf" "$CNXX_OUT/$name.raw"
	# qboot does not boot an -icount guest: the default firmware then.
	[ "$mode" = wall ] || qemu=(CNXX_QEMU_BIOS= "CNXX_QEMU_ARGS=-icount shift=0 ${CNXX_QEMU_ARGS:-}")
	env "${qemu[@]}" CNXX_VM_APPEND="$5 cnxx.clock=$mode tsc=reliable ${CNXX_VM_APPEND:-}" \
		"$CNXX_ROOT/scripts/vm.sh" "$k" "$flavor" bench 2>&1 | tee "$vmout" >&2
	rc=${PIPESTATUS[0]}
	# Step output is indented and each line a KTAP diagnostic ("# ").
	[ ! -f "$logf" ] || tr -d '\r' <"$logf" | sed -n 's/^[[:space:]]*# \(BENCH .*\)/\1/p' \
		>"$CNXX_OUT/$name.raw"
	result_read "$vmout" "$rc" "$name" >&2 && return 0
	log "bench VM $name failed ($res_passed passed, $res_failed failed)"
	return 1
}

# cn_table LOG TABLE: the connector table the guest printed, to TABLE.
cn_table() {
	tr -d '\r' <"$1" |
		sed -n '/# cnxx-bench-table begin/,/# cnxx-bench-table end/p' |
		sed -e 's/^[[:space:]]*# \{0,1\}//' -e '/^cnxx-bench-table /d' >"$2"
}

# keep_table TABLE WHAT: TABLE is printed at the end; an empty one is
# removed and fails, naming WHAT is missing for kernel $k.
keep_table() {
	if [ -s "$1" ]; then
		tables+=("$1")
		return 0
	fi
	rm -f "$1"
	log "no $2 for $k"
	return 1
}

failed=()
tables=()
for k in $kernels; do
	name=bench-$k$tag
	table=$CNXX_OUT/$name.txt
	rm -f "$table" "$CNXX_OUT/$name.raw" "$CNXX_OUT/$name-inproc.raw"
	if [ $first = 1 ]; then
		: >"$table"
		release=$k
		beside=
		ok=1
		bench_vm "$k" $flavor "$clock" "$name" "$append" || ok=0
		if [ -f "$logf" ]; then
			cn_table "$logf" "$table"
			release=$(tr -d '\r' <"$logf" | sed -n 's/.*cnxx-guest: start bench on //p')
			beside=$(tr -d '\r' <"$logf" | sed -n 's/.*# cnxx-beside-unit //p')
		fi
		# Process events: the base kernel's figures with the inproc
		# kernel's, or beside a built-in cn_proc the one boot's.
		if grep -q ' workload=proc ' "$CNXX_OUT/$name.raw" 2>/dev/null; then
			if [ "$inproc" != 0 ]; then
				bench_vm "$k" inproc "$clock" "$name-inproc" "$append" || ok=0
			fi
			[ ! -s "$table" ] || echo >>"$table"
			cat "$CNXX_OUT/$name.raw" "$CNXX_OUT/$name-inproc.raw" 2>/dev/null |
				awk -v part=proc -v reps="$reps" -v kernel="$release" -v ms="$proc_ms" -v mode="$clock" \
					-v builtin="$beside" -f "$CNXX_ROOT/scripts/guest/bench-table.awk" |
				sed 's/^# \{0,1\}//' >>"$table"
		fi
		keep_table "$table" table || ok=0
		[ $ok -eq 1 ] || failed+=("$k")
	fi

	# Two senders: wall clock, two vCPUs, the base boot's build again (a
	# build of its own when there was no base boot).
	[ "$send2" != 0 ] || continue
	table=$CNXX_OUT/$name-send2.txt
	rm -f "$table"
	ok=1
	CNXX_VM_REUSE=$first CNXX_VM_LOG=$k-$flavor-bench-send2 \
		bench_vm "$k" $flavor wall "$name-send2" "$send2_append" || ok=0
	[ ! -f "$logf" ] || cn_table "$logf" "$table"
	keep_table "$table" "two-sender table" || ok=0
	[ $ok -eq 1 ] || failed+=("$k (send2)")
done

for t in "${tables[@]}"; do
	echo "=== $t"
	cat "$t"
done
if [ ${#failed[@]} -ne 0 ]; then
	echo "bench failed for: ${failed[*]}" >&2
	exit 1
fi
