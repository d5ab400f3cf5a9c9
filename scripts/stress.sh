#!/usr/bin/env bash
# `make stress`: the long reliability job (scripts/guest/stress.sh:
# privileges, concurrency stress, load/unload cycles, fault injection,
# 1,000,000 fuzzed datagrams, process-events request floods and unloads
# under load, cnxx_proc's load under fail-nth, leak scan) on the debug
# kernels, one VM each.
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
for k in $kernels; do
	tally "stress-$k" "$CNXX_ROOT/scripts/vm.sh" "$k" debug stress
	logf=$CNXX_OUT/logs/$k-debug-stress.log
	if [ -f "$logf" ]; then
		echo "--- figures ($logf)"
		# the steps' diagnostics: "# stress: ...", "# fuzz: ..." and so on
		tr -d '\r' <"$logf" |
			grep -E '^ *# (priv|stress|cycle|fault|fuzz|proc|kmemleak|FAIL)[: ]' |
			sed 's/^ *# /  /'
	fi
done

tally_summary
