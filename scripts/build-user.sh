#!/usr/bin/env bash
# Builds the static user programs for the test VM and copies them to DEST.
#
#   scripts/build-user.sh KERNEL_SOURCE DEST
#
# vmtest (tests/vm), cnctl (tools), and the kernel's samples/connector/ucon.c
# from KERNEL_SOURCE. Static, because the guest has only busybox.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ksrc=${1:?usage: build-user.sh KERNEL_SOURCE DEST}
dest=${2:?usage: build-user.sh KERNEL_SOURCE DEST}
out=$CNXX_OUT/user
need base tools
mkdir -p "$out" "$dest"

cc_static() { # OUT SRC...
	local o=$1
	shift
	gcc -static -O2 -Wall -Wextra -Werror "$@" -o "$o"
}

cc_static "$out/vmtest" -I"$CNXX_ROOT/tests/vm" "$CNXX_ROOT/tests/vm/vmtest.c"
cc_static "$out/nlfuzz" -I"$CNXX_ROOT/tests/vm" "$CNXX_ROOT/tests/vm/nlfuzz.c"
cc_static "$out/cnstress" -I"$CNXX_ROOT/tests/vm" "$CNXX_ROOT/tests/vm/cnstress.c" -pthread
cc_static "$out/cnunload" -I"$CNXX_ROOT/tests/vm" "$CNXX_ROOT/tests/vm/cnunload.c"
cc_static "$out/cnbench" -I"$CNXX_ROOT/tools/bench" "$CNXX_ROOT/tools/bench/cnbench.c"
# The sample as the kernel ships it: no warnings policy of ours.
gcc -static -O2 -w "$ksrc/samples/connector/ucon.c" -o "$out/ucon"

cmake -S "$CNXX_ROOT/tools" -B "$out/tools" -DCNXX_STATIC_TOOLS=ON \
	-DCMAKE_BUILD_TYPE=Release >"$out/cmake.log" 2>&1 ||
	{ cat "$out/cmake.log" >&2; die "cmake for tools failed"; }
cmake --build "$out/tools" -j"$(nproc)" --target cnctl >"$out/build.log" 2>&1 ||
	{ cat "$out/build.log" >&2; die "building cnctl failed"; }

cp "$out/vmtest" "$out/nlfuzz" "$out/cnstress" "$out/cnunload" "$out/cnbench" "$out/ucon" "$out/tools/cnctl" "$dest/"
