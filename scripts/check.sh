#!/usr/bin/env bash
# `make check`: host unit tests and fuzzing, then KUnit + the VM suite on the
# 6.1 and 6.12 test kernels, then the short reliability job on the debug
# kernel. Ends with one line "N passed, N failed" over everything, and a
# non-zero status if anything failed.
#
#   CNXX_KERNELS="6.1 6.12"  kernels to boot      CNXX_FUZZ_SECONDS=20
#   CNXX_DEBUG=6.1           debug-flavor kernel ("" to skip)
set -uo pipefail
. "$(dirname "$0")/lib.sh"

kernels=${CNXX_KERNELS:-6.1 6.12}
debug=${CNXX_DEBUG-6.1}
tally host-tests "$CNXX_ROOT/scripts/build-host.sh" test
tally fuzz "$CNXX_ROOT/scripts/build-host.sh" fuzz "${CNXX_FUZZ_SECONDS:-20}"
for k in $kernels; do
	tally "vm-$k" "$CNXX_ROOT/scripts/vm.sh" "$k" base check
done
if [ -n "$debug" ]; then
	tally "vm-$debug-debug" "$CNXX_ROOT/scripts/vm.sh" "$debug" debug reliability
fi

tally_summary
