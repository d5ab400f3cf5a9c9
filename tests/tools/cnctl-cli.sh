#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# cnctl's command line as users see it: exit status and messages.
# Runs without the module; checks that need a connector socket adapt to
# what the kernel has.
#
# usage: cnctl-cli.sh CNCTL FIXTURES   (FIXTURES: fake /proc/net dirs)
set -u

cnctl=$1
fixtures=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

# expect STATUS PATTERN ARGS...: cnctl ARGS must exit with STATUS and
# print something matching PATTERN (grep -E; empty: anything, even
# nothing) on stdout or stderr.
expect() {
	want=$1
	pattern=$2
	shift 2
	"$cnctl" "$@" >"$tmp/out" 2>&1
	got=$?
	if [ "$got" = "$want" ] &&
	   { [ -z "$pattern" ] || grep -Eq -- "$pattern" "$tmp/out"; }; then
		echo "ok: cnctl $*"
	else
		echo "FAIL: cnctl $*: exit $got, wanted $want and /$pattern/:"
		sed 's/^/    /' "$tmp/out"
		failed=1
	fi
}

expect 0 '^cnctl [0-9]' --version
expect 0 'Usage' --help
for cmd in send listen request watch list proc; do
	expect 0 'Usage' $cmd --help
done

# bad command lines: exit 2, naming the problem
expect 2 'subcommand' ''
expect 2 'subcommand'
expect 2 'bad id .3.: expected IDX:VAL' send 3
expect 2 "id value '4294967296' is out of range" send 3:4294967296
expect 2 'bad hex data' send 3:1 --hex zz
expect 2 "cannot read '/nonexistent/f'" send 3:1 --file /nonexistent/f
head -c 16365 /dev/zero >"$tmp/big"
expect 2 'too large: at most 16364' send 3:1 --file "$tmp/big"
expect 2 'excludes' send 3:1 text --hex 00
expect 2 "flags '65536' is out of range" send 3:1 --flags 65536
expect 2 "seq '-1'|bad seq" send 3:1 --seq=-1
expect 2 'bad id' request nope
expect 2 'groups start at 1' listen 0
expect 2 'bad group' listen x
expect 2 'out of range' listen 4294967296
expect 2 'count' listen 1 --count 0
expect 2 'timeout' listen 1 --timeout -1
expect 2 'end before start' watch 19-10 1 --group 14
expect 2 'empty range' watch 1 5+0 --group 14
expect 2 'group' watch 1 1
expect 2 'groups start at 1' watch 1 1 --group 0
expect 2 "unknown event 'forks' in 'exec,forks'" proc --events exec,forks
expect 2 "empty event name" proc --events fork,
expect 2 'count' proc --count 0
expect 2 'timeout' proc --timeout x
expect 0 'proc +print process events' --help

# list, from fake proc directories
expect 0 'cn_test +14:1110 +14 +3 +0 +0' list --proc "$fixtures/cnxx"
expect 0 '^notify_failed +0$' list --proc "$fixtures/cnxx"
expect 0 '"module":"cnxx".*"delivered":12' list --json --proc "$fixtures/cnxx"
expect 0 'in-tree connector' list --proc "$fixtures/intree"
expect 0 '^cn_proc +1:1$' list --proc "$fixtures/intree"
expect 0 'warning: cannot read .*cnxx_stats' list --proc "$fixtures/nostats"
expect 1 "not loaded: load it with 'modprobe cnxx' or 'insmod cnxx.ko'" \
	list --proc "$tmp"

# a kernel with the in-tree connector only: nothing acks or replies
if [ -e /proc/net/connector ] && [ ! -e /proc/net/cnxx ]; then
	expect 0 '' send 3:1 hello
	expect 1 'no ack within 0.2 s' send 3:1 --ack-request --timeout 0.2
	expect 1 'no reply to seq 5 within 0.2 s' \
		request 3:1 --seq 5 --group 0 --timeout 0.2
	if [ "$(id -u)" = 0 ]; then
		expect 0 '' listen 14 --timeout 0.2
		expect 1 'timed out after 0 of 1 messages' \
			listen 14 --count 1 --timeout 0.2
		expect 1 'not answered' watch 10 1 --group 14 --timeout 5
		expect 1 'group 40 does not exist' listen 40 --timeout 0.2
		# any group parses; the kernel socket decides (32 groups here)
		expect 1 'group 1000 does not exist: the connector has groups 1\.\.32' \
			listen 1000 --timeout 0.2
	else
		expect 1 'needs CAP_NET_ADMIN' listen 14 --timeout 0.2
	fi
fi

exit $failed
