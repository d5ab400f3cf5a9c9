#!/usr/bin/env bash
# `make stress`: the long reliability job (scripts/guest/stress.sh:
# privileges, concurrency stress, load/unload cycles, fault injection,
# 1,000,000 fuzzed datagrams, leak scan) on the debug kernels, one VM each.
# Prints each kernel's figures and failures, ends with one summary line and
# a non-zero status if anything failed.
#
#   CNXX_KERNELS="6.1 6.12"   kernels (debug flavor; built on first use)
#   CNXX_VM_TIMEOUT=9000      seconds per VM (TCG runs the fuzzing slowly)
#   CNXX_VM_APPEND="cnxx.seed=N cnxx.fuzz_count=N ..."  replay or resize
#                             (see scripts/guest/stress.sh for the knobs)
set -uo pipefail
. "$(dirname "$0")/lib.sh"

kernels=${CNXX_KERNELS:-6.1 6.12}
export CNXX_VM_TIMEOUT=${CNXX_VM_TIMEOUT:-9000}
passed=0 failed=0 skipped=0
summary=()

for k in $kernels; do
	echo "=== stress on $k (debug)"
	start=$SECONDS
	out=$(mktemp)
	"$CNXX_ROOT/scripts/vm.sh" "$k" debug stress 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	result=$(grep -E '^RESULT passed=' "$out" | tail -1)
	rm -f "$out"
	logf=$CNXX_OUT/logs/$k-debug-stress.log
	if [ -f "$logf" ]; then
		echo "--- figures ($logf)"
		# the steps' diagnostics: "# stress: ...", "# fuzz: ..." and so on
		tr -d '\r' <"$logf" |
			grep -E '^ *# (priv|stress|cycle|fault|fuzz|kmemleak|FAIL)[: ]' |
			sed 's/^ *# /  /'
	fi
	if [ -z "$result" ]; then
		p=0 f=1 s=0
		echo "FAIL stress on $k: no result (status $rc)"
	else
		p=$(echo "$result" | sed -E 's/.*passed=([0-9]+).*/\1/')
		f=$(echo "$result" | sed -E 's/.*failed=([0-9]+).*/\1/')
		s=$(echo "$result" | sed -E 's/.*skipped=([0-9]+).*/\1/')
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1
			echo "FAIL stress on $k: exited with status $rc"
		fi
	fi
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	summary+=("$(printf 'stress-%-8s %4d passed %3d failed %3d skipped %6d s' "$k" "$p" "$f" "$s" $((SECONDS - start)))")
done

echo "=== summary"
printf '%s\n' "${summary[@]}"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
