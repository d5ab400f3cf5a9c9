#!/usr/bin/env bash
# `make check`: installs what is missing and builds the test kernels and
# fetches Debian's own (each step timed), host unit tests and fuzzing, then
# KUnit + the VM suite on the 6.1 and 6.12 test kernels, the VM suite
# beside the built-in connector of Debian's 6.1 and 6.12 images and of its
# 6.1 PREEMPT_RT image (cnxx.ko alone there), the short
# reliability job on the debug kernel, and last the audit of the packages
# all of these used. Ends with one line "N passed, N failed" over
# everything, and a non-zero status if anything failed.
#
#   CNXX_KERNELS="6.1 6.12"  kernels to boot      CNXX_FUZZ_SECONDS=20
#   CNXX_DEBUG=6.1           debug-flavor kernel ("" to skip)
#   CNXX_DEBIAN="6.1 6.12"   Debian's own kernels ("" to skip)
#   CNXX_DEBIAN_RT=6.1       Debian's own PREEMPT_RT kernels ("" to skip)
set -uo pipefail
. "$(dirname "$0")/lib.sh"

kernels=${CNXX_KERNELS:-6.1 6.12}
debug=${CNXX_DEBUG-6.1}
debian=${CNXX_DEBIAN-6.1 6.12}
debian_rt=${CNXX_DEBIAN_RT-6.1}

# setup NAME CMD...: a step that tests nothing but must work; timed.
setup() {
	local name=$1 start=$SECONDS
	shift
	echo "=== $name"
	if "$@" >/dev/null; then
		tally_lines+=("$(printf '%-24s %35s %6d s' "$name" ok $((SECONDS - start)))")
	else
		tally_failed=$((tally_failed + 1))
		tally_lines+=("$(printf '%-24s %35s %6d s' "$name" FAILED $((SECONDS - start)))")
	fi
}

setup packages "$CNXX_ROOT/scripts/deps.sh" base kernel vm host-tests fuzz tools \
	$(for k in $kernels $debug $debian $debian_rt; do echo "source-$k"; done) \
	$(for k in $debian; do echo "stock-$k"; done) \
	$(for k in $debian_rt; do echo "stock-$k-rt"; done)
for k in $kernels; do
	setup "kernel-$k" "$CNXX_ROOT/scripts/build-kernel.sh" "$k" base
done
[ -z "$debug" ] || setup "kernel-$debug-debug" "$CNXX_ROOT/scripts/build-kernel.sh" "$debug" debug
for k in $debian; do
	setup "kernel-$k-debian" "$CNXX_ROOT/scripts/stock-kernel.sh" "$k"
done
for k in $debian_rt; do
	setup "kernel-$k-debian-rt" "$CNXX_ROOT/scripts/stock-kernel.sh" "$k" rt
done

tally host-tests "$CNXX_ROOT/scripts/build-host.sh" test
tally fuzz "$CNXX_ROOT/scripts/build-host.sh" fuzz "${CNXX_FUZZ_SECONDS:-20}"
for k in $kernels; do
	tally "vm-$k" "$CNXX_ROOT/scripts/vm.sh" "$k" base check
done
for k in $debian; do
	tally "vm-debian-$k" "$CNXX_ROOT/scripts/vm.sh" "$k" debian check
done
for k in $debian_rt; do
	tally "vm-debian-$k-rt" "$CNXX_ROOT/scripts/vm.sh" "$k" debian-rt check
done
if [ -n "$debug" ]; then
	tally "vm-$debug-debug" "$CNXX_ROOT/scripts/vm.sh" "$debug" debug reliability
fi

tally deps-audit "$CNXX_ROOT/scripts/audit-deps.sh"
# The audit can fail: without one package that the tools need, it must;
# and without the package behind a symlink (libmnl.so -> libmnl0's file).
tally deps-audit-self "$CNXX_ROOT/scripts/audit-deps.sh" --expect-missing nlohmann-json3-dev
tally deps-audit-link "$CNXX_ROOT/scripts/audit-deps.sh" --expect-missing libmnl0
# and without a Debian kernel's headers, declared through {SERIES}
[ -z "$debian" ] || tally deps-audit-stock "$CNXX_ROOT/scripts/audit-deps.sh" \
	--expect-missing "linux-headers-$(stock_abi "${debian%% *}")-common"

tally_summary
