#!/usr/bin/env bash
# Builds the user programs for the test VM and installs them into its root.
#
#   scripts/build-user.sh KERNEL_SOURCE ROOT
#
# vmtest, cnstress, nlfuzz, cnproc (tests/vm), cnbench, cnproclisten
# (tools/bench) and cnctl, all on libcnxx, and Debian's forkstat go to
# ROOT/cnxx with the shared libraries they need at their paths under ROOT:
# libmnl-dev ships no libmnl.a, so they cannot be static. The kernel's
# samples/connector/ucon.c, where KERNEL_SOURCE has it (6.6+) its connector
# selftest proc_filter.c, cnprocbench with the program it execs, and the
# 32-bit ptrace32 are built static.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ksrc=${1:?usage: build-user.sh KERNEL_SOURCE ROOT}
root=${2:?usage: build-user.sh KERNEL_SOURCE ROOT}
out=$CNXX_OUT/user
need base tools vm
mkdir -p "$out" "$root/cnxx"

cmake -S "$CNXX_ROOT/tools" -B "$out/tools" -DCMAKE_BUILD_TYPE=Release \
	-DCNXX_TOOLS_TESTS=OFF >"$out/cmake.log" 2>&1 ||
	{ cat "$out/cmake.log" >&2; die "cmake for tools failed"; }
cmake --build "$out/tools" -j"$(nproc)" --target cnctl libcnxx >"$out/build.log" 2>&1 ||
	{ cat "$out/build.log" >&2; die "building libcnxx and cnctl failed"; }

# cc_user OUT SRC... [FLAG...]: a program on libcnxx.
cc_user() {
	local o=$1
	shift
	gcc -O2 -Wall -Wextra -Werror -I"$CNXX_ROOT/tools/libcnxx/include" \
		-I"$CNXX_ROOT/include/uapi" "$@" "$out/tools/libcnxx.a" \
		$(pkg-config --libs libmnl) -o "$o"
}

vm=$CNXX_ROOT/tests/vm
cc_user "$out/vmtest" -I"$vm" "$vm"/vmtest*.c -pthread
cc_user "$out/nlfuzz" -I"$vm" "$vm"/nlfuzz*.c "$vm/cnxx_stressutil.c"
cc_user "$out/cnstress" -I"$vm" "$vm"/cnstress*.c "$vm/cnxx_stressutil.c" -pthread
cc_user "$out/cnunload" -I"$vm" "$vm/cnunload.c"
cc_user "$out/cnproc" -I"$vm" "$vm/cnproc.c" "$vm/cnxx_stressutil.c" -pthread
cc_user "$out/cnbench" -I"$CNXX_ROOT/tools/bench" "$CNXX_ROOT/tools/bench/cnbench.c"
cc_user "$out/cnproclisten" "$CNXX_ROOT/tools/bench/cnproclisten.c"
# The process-events load: small static programs, the same on every kernel.
gcc -static -O2 -Wall -Wextra -Werror "$CNXX_ROOT/tools/bench/cnprocbench.c" -o "$out/cnprocbench"
gcc -static -nostdlib -fno-stack-protector -O2 -Wall -Wextra -Werror \
	"$CNXX_ROOT/tools/bench/cnprocexit.c" -o "$out/cnprocexit"
# A 32-bit tracer, for the compat ptrace path: static, no 32-bit loader.
gcc -m32 -static -O2 -Wall -Wextra -Werror "$CNXX_ROOT/tests/vm/ptrace32.c" -o "$out/ptrace32"
# The sample as the kernel ships it: no warnings policy of ours.
gcc -static -O2 -w "$ksrc/samples/connector/ucon.c" -o "$out/ucon"
cp "$out/ucon" "$root/cnxx/"
# The selftest needs that kernel's <linux/cn_proc.h> (proc_input), newer
# than the libc headers' (6.1). It includes only <linux/types.h>, so that
# one header goes first on the path; everything else stays the libc's.
selftest=$ksrc/tools/testing/selftests/connector/proc_filter.c
if [ -f "$selftest" ]; then
	rm -rf "$out/proc_filter-uapi"
	mkdir -p "$out/proc_filter-uapi/linux"
	cp "$ksrc/include/uapi/linux/cn_proc.h" "$out/proc_filter-uapi/linux/"
	gcc -static -O2 -w -I"$out/proc_filter-uapi" "$selftest" -o "$out/proc_filter"
	cp "$out/proc_filter" "$root/cnxx/"
fi

progs=("$out/vmtest" "$out/nlfuzz" "$out/cnstress" "$out/cnunload" "$out/cnproc" "$out/cnbench"
	"$out/cnproclisten" "$out/tools/cnctl" "$(command -v forkstat)")
cp "${progs[@]}" "$out/cnprocbench" "$out/cnprocexit" "$out/ptrace32" "$root/cnxx/"
# the dynamic loader and libraries, at the paths the programs name
for lib in $(ldd "${progs[@]}" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && $2 ~ /^\(/ { print $1 }' | sort -u); do
	cp -L --parents "$lib" "$root/"
done
