#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Links the freestanding objects of the core the way the module does and
# fails if they need anything but the platform (cnxx_pf_* and the lock
# classes) and what the kernel itself exports: no C++ runtime, no static
# constructors, no unwind tables.
set -eu
combined=$(mktemp --suffix=.o)
trap 'rm -f "$combined"' EXIT
ld -r -o "$combined" "$@"
undefined=$(nm -u "$combined" | awk '{print $2}' |
	grep -v -E '^(cnxx_pf_[a-z_]+|cnxx_[a-z]+_lock_class|memcpy|memset|memmove|memcmp)$' ||
	true)
status=0
if [ -n "$undefined" ]; then
	echo "the core needs: $undefined"
	status=1
fi
if readelf -S "$combined" | grep -q -E '\.(init_array|ctors|eh_frame)'; then
	echo "the core has static constructors or unwind tables"
	status=1
fi
[ $status -eq 0 ] && echo "freestanding core: OK ($# objects)"
exit $status
