#!/usr/bin/env bash
# `make demo`: boots the 6.1 test kernel (CNXX_KERNEL to change), loads cnxx
# and shows user space and kernel modules exchanging messages.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernel=${CNXX_KERNEL:-6.1}
result=$("$CNXX_ROOT/scripts/vm.sh" "$kernel" base demo)
logf=$CNXX_OUT/logs/$kernel-base-demo.log
sed -n '/^cnxx-guest: start demo/,/^cnxx-guest: end demo/p' "$logf" |
	grep -v '^cnxx-guest:' | tr -d '\r'
echo
echo "$result" | grep -v '^RESULT' || true
echo "$result" | grep -q 'failed=0' || die "the demo VM reported problems (log: $logf)"
echo "cnxx: demo finished; full console log in $logf"
