#!/usr/bin/env bash
# `make bench`: one VM boot per kernel running scripts/guest/bench.sh, which
# measures the kernel's cn.ko, cnxx.ko and a raw-netlink reference in turn
# with the same client. Writes out/bench-KERNEL.txt (the table) and
# out/bench-KERNEL.raw (every figure), prints the tables, and exits non-zero
# if a VM run failed.
#
#   CNXX_KERNELS="6.1 6.12"  kernels          CNXX_BENCH_REPS=5  rounds
#   CNXX_BENCH_MS            guest time per workload and run, in ms
#                            (default 100 with icount, 300 with wall)
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
[ "$reps" -ge 1 ] 2>/dev/null || die "CNXX_BENCH_REPS must be a positive number"
mkdir -p "$CNXX_OUT"
append="cnxx.reps=$reps cnxx.bench_ms=$ms cnxx.clock=$clock tsc=reliable"

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

failed=()
tables=()
for k in $kernels; do
	logf=$CNXX_OUT/logs/$k-base-bench.log
	table=$CNXX_OUT/bench-$k.txt
	rm -f "$logf" "$table"
	vmout=$CNXX_OUT/bench-$k.vm
	CNXX_VM_APPEND="$append ${CNXX_VM_APPEND:-}" \
		"$CNXX_ROOT/scripts/vm.sh" "$k" base bench 2>&1 | tee "$vmout" >&2
	rc=${PIPESTATUS[0]}
	ok=1
	if ! result_read "$vmout" "$rc" "bench-$k" >&2; then
		ok=0
		log "bench VM for $k failed ($res_passed passed, $res_failed failed)"
	fi
	if [ -f "$logf" ]; then
		# Step output is indented and each line a KTAP diagnostic ("# ").
		tr -d '\r' <"$logf" |
			sed -n '/# cnxx-bench-table begin/,/# cnxx-bench-table end/p' |
			sed -e 's/^[[:space:]]*# \{0,1\}//' -e '/^cnxx-bench-table /d' >"$table"
		tr -d '\r' <"$logf" | sed -n 's/^[[:space:]]*# \(BENCH .*\)/\1/p' \
			>"$CNXX_OUT/bench-$k.raw"
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
