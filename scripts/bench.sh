#!/usr/bin/env bash
# `make bench`: per kernel, one VM boot running scripts/guest/bench.sh, which
# measures the kernel's cn.ko, cnxx.ko and a raw-netlink reference in turn
# with the same client, and what cnxx_proc.ko costs fork, exec and exit;
# then one boot of the same kernel with the connector built in (flavor
# inproc), for the kernel's own process events. Writes out/bench-KERNEL.txt
# (the tables), out/bench-KERNEL.raw and out/bench-KERNEL-inproc.raw (every
# figure), prints the tables, and exits non-zero if a VM run failed.
#
#   CNXX_KERNELS="6.1 6.12"  kernels          CNXX_BENCH_REPS=5  rounds
#   CNXX_BENCH_MS            guest time per workload and run, in ms
#                            (default 100 with icount, 300 with wall)
#   CNXX_BENCH_PROC_MS       the same for process events (default the same)
#   CNXX_BENCH_INPROC=0      no inproc kernel: no cn_proc figures
#   CNXX_BENCH_CLOCK=icount  the guest clock counts instructions: 1 ns per
#                            guest instruction, so other load on the host
#                            does not show in the figures (the default)
#   CNXX_BENCH_CLOCK=wall    real time: TCG speed, as noisy as the host
set -uo pipefail
. "$(dirname "$0")/lib.sh"

kernels=${CNXX_KERNELS:-6.1 6.12}
reps=${CNXX_BENCH_REPS:-5}
clock=${CNXX_BENCH_CLOCK:-icount}
# Counted instructions repeat exactly: short runs are enough.
ms=${CNXX_BENCH_MS:-$([ "$clock" = icount ] && echo 100 || echo 300)}
proc_ms=${CNXX_BENCH_PROC_MS:-$ms}
inproc=${CNXX_BENCH_INPROC:-1}
[ "$reps" -ge 1 ] 2>/dev/null || die "CNXX_BENCH_REPS must be a positive number"
mkdir -p "$CNXX_OUT"
append="cnxx.reps=$reps cnxx.bench_ms=$ms cnxx.proc_ms=$proc_ms cnxx.clock=$clock tsc=reliable"
# All rounds of all workloads in one boot take a while under TCG.
export CNXX_VM_TIMEOUT=${CNXX_VM_TIMEOUT:-3600}

case $clock in
icount)
	# qboot does not boot an -icount guest: the default firmware then.
	export CNXX_QEMU_ARGS="-icount shift=0 ${CNXX_QEMU_ARGS:-}" CNXX_QEMU_BIOS=
	;;
wall)
	# Under TCG the guest reads the host's TSC; a guest that fails to
	# calibrate it (likely on a busy host) falls back to a 4 ms clock.
	gcc -O2 -Wall -I"$CNXX_ROOT/tools/bench" "$CNXX_ROOT/tools/bench/cnbench.c" \
		-o "$CNXX_OUT/cnbench-host" || die "cannot build cnbench for the host"
	append="$append tsc_early_khz=$("$CNXX_OUT/cnbench-host" --tsc-khz)"
	;;
*) die "CNXX_BENCH_CLOCK is icount or wall, not '$clock'" ;;
esac

# bench_vm KERNEL FLAVOR: boots the bench job; its figures go to
# out/bench-KERNEL[-FLAVOR].raw, the VM's output to .vm. Fails if the VM
# run did.
bench_vm() {
	local k=$1 flavor=$2 name=$1 rc
	[ "$flavor" = base ] || name=$k-$flavor
	logf=$CNXX_OUT/logs/$k-$flavor-bench.log
	vmout=$CNXX_OUT/bench-$name.vm
	rm -f "$logf" "$CNXX_OUT/bench-$name.raw"
	CNXX_VM_APPEND="$append ${CNXX_VM_APPEND:-}" \
		"$CNXX_ROOT/scripts/vm.sh" "$k" "$flavor" bench 2>&1 | tee "$vmout" >&2
	rc=${PIPESTATUS[0]}
	# Step output is indented and each line a KTAP diagnostic ("# ").
	[ ! -f "$logf" ] || tr -d '\r' <"$logf" | sed -n 's/^[[:space:]]*# \(BENCH .*\)/\1/p' \
		>"$CNXX_OUT/bench-$name.raw"
	result_read "$vmout" "$rc" "bench-$name" >&2 && return 0
	log "bench VM for $k ($flavor) failed ($res_passed passed, $res_failed failed)"
	return 1
}

failed=()
tables=()
for k in $kernels; do
	logf=$CNXX_OUT/logs/$k-base-bench.log
	table=$CNXX_OUT/bench-$k.txt
	: >"$table"
	release=$k
	ok=1
	bench_vm "$k" base || ok=0
	if [ -f "$logf" ]; then
		tr -d '\r' <"$logf" |
			sed -n '/# cnxx-bench-table begin/,/# cnxx-bench-table end/p' |
			sed -e 's/^[[:space:]]*# \{0,1\}//' -e '/^cnxx-bench-table /d' >"$table"
		release=$(tr -d '\r' <"$logf" | sed -n 's/.*cnxx-guest: start bench on //p')
	fi
	# Process events: the base kernel's figures with the inproc kernel's.
	rm -f "$CNXX_OUT/bench-$k-inproc.raw"
	if grep -q ' workload=proc ' "$CNXX_OUT/bench-$k.raw" 2>/dev/null; then
		if [ "$inproc" != 0 ]; then
			bench_vm "$k" inproc || ok=0
		fi
		[ ! -s "$table" ] || echo >>"$table"
		cat "$CNXX_OUT/bench-$k.raw" "$CNXX_OUT/bench-$k-inproc.raw" 2>/dev/null |
			awk -v part=proc -v reps="$reps" -v kernel="$release" -v ms="$proc_ms" -v mode="$clock" \
				-f "$CNXX_ROOT/scripts/guest/bench-table.awk" | sed 's/^# \{0,1\}//' >>"$table"
	fi
	if [ -s "$table" ]; then
		tables+=("$table")
	else
		rm -f "$table"
		ok=0
		log "no table for $k"
	fi
	[ $ok -eq 1 ] || failed+=("$k")
done

for t in "${tables[@]}"; do
	echo "=== $t"
	cat "$t"
done
if [ ${#failed[@]} -ne 0 ]; then
	echo "bench failed for: ${failed[*]}" >&2
	exit 1
fi
