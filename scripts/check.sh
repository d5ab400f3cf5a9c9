#!/usr/bin/env bash
# `make check`: installs what is missing and builds the test kernels (each
# step timed), host unit tests and fuzzing, then KUnit + the VM suite on the
# 6.1 and 6.12 test kernels, the short reliability job on the debug kernel,
# and last the audit of the packages all of these used. Ends with one line
# "N passed, N failed" over everything, and a non-zero status if anything
# failed.
#
#   CNXX_KERNELS="6.1 6.12"  kernels to boot      CNXX_FUZZ_SECONDS=20
#   CNXX_DEBUG=6.1           debug-flavor kernel ("" to skip)
set -uo pipefail
. "$(dirname "$0")/lib.sh"

kernels=${CNXX_KERNELS:-6.1 6.12}
debug=${CNXX_DEBUG-6.1}
passed=0 failed=0 skipped=0
summary=()

# run_part NAME CMD...: runs CMD, shows its output, adds up its RESULT line.
run_part() {
	local name=$1 out rc result p f s
	shift
	local start=$SECONDS
	echo "=== $name"
	out=$(mktemp)
	"$@" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	result=$(grep -E '^RESULT passed=' "$out" | tail -1)
	rm -f "$out"
	if [ -z "$result" ]; then
		p=0 f=1 s=0
		echo "FAIL $name: no result (status $rc)"
	else
		p=$(echo "$result" | sed -E 's/.*passed=([0-9]+).*/\1/')
		f=$(echo "$result" | sed -E 's/.*failed=([0-9]+).*/\1/')
		s=$(echo "$result" | sed -E 's/.*skipped=([0-9]+).*/\1/')
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1
			echo "FAIL $name: exited with status $rc"
		fi
	fi
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	summary+=("$(printf '%-24s %4d passed %3d failed %3d skipped %5d s' "$name" "$p" "$f" "$s" $((SECONDS - start)))")
}

# setup NAME CMD...: a step that tests nothing but must work; timed.
setup() {
	local name=$1 start=$SECONDS
	shift
	echo "=== $name"
	if "$@" >/dev/null; then
		summary+=("$(printf '%-24s %34s %5d s' "$name" ok $((SECONDS - start)))")
	else
		failed=$((failed + 1))
		summary+=("$(printf '%-24s %34s %5d s' "$name" FAILED $((SECONDS - start)))")
	fi
}

setup packages "$CNXX_ROOT/scripts/deps.sh" base kernel vm host-tests fuzz tools \
	$(for k in $kernels $debug; do echo "source-$k"; done)
for k in $kernels; do
	setup "kernel-$k" "$CNXX_ROOT/scripts/build-kernel.sh" "$k" base
done
[ -z "$debug" ] || setup "kernel-$debug-debug" "$CNXX_ROOT/scripts/build-kernel.sh" "$debug" debug

run_part host-tests "$CNXX_ROOT/scripts/build-host.sh" test
run_part fuzz "$CNXX_ROOT/scripts/build-host.sh" fuzz "${CNXX_FUZZ_SECONDS:-20}"
for k in $kernels; do
	run_part "vm-$k" "$CNXX_ROOT/scripts/vm.sh" "$k" base check
done
if [ -n "$debug" ]; then
	run_part "vm-$debug-debug" "$CNXX_ROOT/scripts/vm.sh" "$debug" debug reliability
fi

run_part deps-audit "$CNXX_ROOT/scripts/audit-deps.sh"
# The audit can fail: without one package that the tools need, it must.
run_part deps-audit-self "$CNXX_ROOT/scripts/audit-deps.sh" --expect-missing nlohmann-json3-dev

echo "=== summary"
printf '%s\n' "${summary[@]}"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
