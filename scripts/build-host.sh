#!/usr/bin/env bash
# Host-side builds and tests (no VM).
#
#   scripts/build-host.sh test     core + tools unit tests (CTest, sanitizers)
#   scripts/build-host.sh fuzz [S] each fuzzer for S seconds (default 20)
#   scripts/build-host.sh tools    cnctl and libcnxx, for this machine (build/tools)
#
# Each test mode ends with "RESULT passed=N failed=M skipped=K".
set -euo pipefail
. "$(dirname "$0")/lib.sh"

mode=${1:?usage: build-host.sh test|fuzz|tools}
build=$CNXX_ROOT/build
case "$mode" in
test) need base host-tests tools ;;
fuzz) need base fuzz ;;
tools) need base tools ;;
esac

cmake_build() { # DIR ARGS...
	local dir=$1
	shift
	cmake -S "$CNXX_ROOT" -B "$dir" "$@" >"$dir.cmake.log" 2>&1 ||
		{ cat "$dir.cmake.log" >&2; die "cmake configure failed"; }
	cmake --build "$dir" -j"$(nproc)" >"$dir.build.log" 2>&1 ||
		{ tail -50 "$dir.build.log" >&2; die "host build failed ($dir.build.log)"; }
}

mkdir -p "$build"
case "$mode" in
test)
	cmake_build "$build/host" -DCMAKE_BUILD_TYPE=Debug -DCNXX_SANITIZE=ON
	set +e
	ctest --test-dir "$build/host" --output-on-failure -j"$(nproc)" | tee "$build/ctest.log"
	set -e
	# "100% tests passed, 0 tests failed out of 57"
	line=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$build/ctest.log" | tail -1)
	[ -n "$line" ] || { echo "RESULT passed=0 failed=1 skipped=0"; exit 0; }
	failed=$(echo "$line" | sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/')
	total=$(echo "$line" | sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2/')
	echo "RESULT passed=$((total - failed)) failed=$failed skipped=0"
	;;
fuzz)
	secs=${2:-20}
	cmake_build "$build/fuzz" -DCNXX_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++-14 \
		-DCMAKE_C_COMPILER=clang-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo
	passed=0 failed=0
	for fuzzer in "$build"/fuzz/tests/fuzz/fuzz_*; do
		[ -x "$fuzzer" ] || continue
		name=$(basename "$fuzzer")
		corpus=$build/fuzz/corpus-$name
		mkdir -p "$corpus"
		cp -n "$CNXX_ROOT/tests/fuzz/corpus/$name"/* "$corpus/" 2>/dev/null || true
		if "$fuzzer" -max_total_time="$secs" -print_final_stats=1 \
			-artifact_prefix="$build/fuzz/$name-" "$corpus" \
			>"$build/fuzz/$name.log" 2>&1; then
			runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$build/fuzz/$name.log" | grep -oE '[0-9]+$')
			echo "ok $name: ${runs:-?} inputs in ${secs} s, no crash"
			passed=$((passed + 1))
		else
			echo "not ok $name: crash, see $build/fuzz/$name.log"
			grep -E 'ERROR|SUMMARY' "$build/fuzz/$name.log" | head -5
			failed=$((failed + 1))
		fi
	done
	[ $((passed + failed)) -gt 0 ] || failed=1
	echo "RESULT passed=$passed failed=$failed skipped=0"
	;;
tools)
	cmake_build "$build/tools" -DCMAKE_BUILD_TYPE=Release -DCNXX_TESTS=OFF \
		-DCNXX_SANITIZE=OFF -DCNXX_TOOLS_TESTS=OFF
	echo "cnxx: cnctl and libcnxx.a are in $build/tools/tools/"
	;;
*) die "unknown mode '$mode'" ;;
esac
