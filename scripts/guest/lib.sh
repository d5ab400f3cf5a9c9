# Helpers for guest jobs (busybox sh). Source, do not run.
#
# Output is KTAP: each step prints its own output indented (KTAP as a
# subtest), then "ok N step" or "not ok N step"; the host parses it with
# the kernel's KTAP parser.

step_no=0
step_counting=
# cnxx.steps=NAME,...: run only these steps; the others report a skip.
steps_only=

# cmdline_param NAME DEFAULT: VALUE of cnxx.NAME=VALUE on the kernel command
# line (vm.sh's CNXX_VM_APPEND), else DEFAULT.
cmdline_param() {
	for arg in $(cat /proc/cmdline); do
		case "$arg" in "cnxx.$1="*) echo "${arg#cnxx.$1=}"; return ;; esac
	done
	echo "$2"
}

# cnxx's mode, as vm.sh says on the command line: dropin (in place of the
# kernel's connector, unit 11) or beside (next to a built-in connector, on
# a unit of its own; /proc/net/connector is the kernel's).
cnxx_mode=$(cmdline_param mode dropin)

# proc_missing: whether this kernel has no cnxx_proc.ko, saying why as a
# skip: Kbuild does not build it for PREEMPT_RT. Anywhere else its absence
# is not an excuse, and the step's insmod fails.
proc_missing() {
	[ ! -e /cnxx/cnxx_proc.ko ] || return 1
	[ "$(cat /sys/kernel/realtime 2>/dev/null)" = 1 ] || return 1
	echo "# SKIP cnxx_proc.ko is not built for a PREEMPT_RT kernel"
}

# The built-in connector's /proc/net/connector before cnxx was first
# loaded (beside mode): cnxx must never change it.
CONNECTOR_SNAPSHOT=/tmp/connector.builtin

if [ "$cnxx_mode" = beside ] && [ ! -f $CONNECTOR_SNAPSHOT ] && [ -d /tmp ]; then
	cat /proc/net/connector >$CONNECTOR_SNAPSHOT 2>/dev/null
fi

# cnxx_listed NAME IDX:VAL: whether cnxx lists that callback: in
# /proc/net/connector in drop-in mode, in its own /proc/net/cnxx beside
# the built-in connector.
cnxx_listed() {
	cl_file=/proc/net/connector
	[ "$cnxx_mode" = dropin ] || cl_file=/proc/net/cnxx
	grep -Eq "^$1 +$2( |\$)" $cl_file 2>/dev/null
}

# connector_untouched: in drop-in mode, that no /proc/net/connector is left
# (cnxx is not loaded); beside, that the built-in one's is as it was.
connector_untouched() {
	if [ "$cnxx_mode" = dropin ]; then
		[ ! -e /proc/net/connector ] || { echo "# /proc/net/connector left behind"; return 1; }
		return 0
	fi
	cmp -s /proc/net/connector $CONNECTOR_SNAPSHOT && return 0
	echo "# /proc/net/connector changed; it was:"
	sed 's/^/# | /' $CONNECTOR_SNAPSHOT
	echo "# it is:"
	sed 's/^/# | /' /proc/net/connector
	return 1
}

# run_job FN: the KTAP of a job whose steps are the "step" calls of function
# FN. FN runs twice: once only counting its steps, for the plan, then for
# real.
run_job() {
	steps_only=$(cmdline_param steps "")
	step_counting=1
	step_no=0
	"$1"
	echo "KTAP version 1"
	echo "1..$step_no"
	step_counting=
	step_no=0
	"$1"
}

# step NAME CMD...: runs CMD, indents its output, reports its exit status
# (4 is a skip, as for the kernel's selftests).
step() {
	name=$1
	shift
	step_no=$((step_no + 1))
	[ -z "$step_counting" ] || return 0
	case ,$steps_only, in
	,, | *",$name,"*) ;;
	*)
		echo "ok $step_no $name # SKIP not in cnxx.steps"
		return 0
		;;
	esac
	"$@" >/tmp/step.out 2>&1
	rc=$?
	# A step that prints KTAP is a subtest: its version line comes first,
	# then its name. Other output is the diagnostics of a leaf.
	first=$(head -n 1 /tmp/step.out)
	case "$first" in
	"KTAP version"*)
		echo "    $first"
		echo "    # Subtest: $name"
		sed '1d; s/^/    /' /tmp/step.out
		;;
	*) sed 's/^/    /' /tmp/step.out ;;
	esac
	if [ $rc -eq 0 ]; then
		echo "ok $step_no $name"
	elif [ $rc -eq 4 ]; then
		# kselftest's KSFT_SKIP
		echo "ok $step_no $name # SKIP"
		rc=0
	else
		echo "# $name exited with status $rc"
		echo "not ok $step_no $name"
	fi
	dmesg_check "$name"
	return $rc
}

# dmesg_check STEP: prints kernel messages since the last call (without the
# sample's per-message chatter) so the host can look for oopses and warnings.
# load_faults MODULE.ko [PARAMS]: loads MODULE with each of its allocations
# failing in turn (cnproc loadfaults: fail-nth, with failslab failing
# sleeping allocations too). Returns 4 where the kernel has no failslab.
load_faults() {
	fs=/sys/kernel/debug/failslab
	if [ ! -e /proc/self/fail-nth ] || [ ! -d $fs ]; then
		echo "# SKIP no failslab or fail-nth on this kernel"
		return 4
	fi
	saved=$(cat $fs/ignore-gfp-wait)
	echo N >$fs/ignore-gfp-wait
	echo 0 >$fs/verbose
	lf_rc=0
	/cnxx/cnproc loadfaults "$@" || lf_rc=1
	echo "$saved" >$fs/ignore-gfp-wait
	return $lf_rc
}

dmesg_check() {
	dmesg -c 2>/dev/null | grep -v 'cn_test_callback' | sed "s/^/cnxx-dmesg[$1]: /"
}

# expect_eq WHAT GOT WANT
expect_eq() {
	if [ "$2" = "$3" ]; then
		echo "# $1: $2"
	else
		echo "# $1: got '$2', want '$3'"
		return 1
	fi
}

# kunit_results MODULE: loads a KUnit module and prints its suites as one
# KTAP document. debugfs holds one document per suite, each numbered 1..1:
# their headers are dropped and the suites numbered in turn.
kunit_results() {
	# Distribution kernels leave KUnit out; the tree's Kbuild then builds
	# no suites.
	if [ ! -e "$1" ] && [ ! -d /sys/kernel/debug/kunit ]; then
		echo "# SKIP the kernel has no KUnit (CONFIG_KUNIT is not set): no suites built"
		return 4
	fi
	insmod "$1" || return 1
	n=0
	for f in /sys/kernel/debug/kunit/*/results; do
		[ -f "$f" ] && n=$((n + 1))
	done
	echo "KTAP version 1"
	echo "1..$n"
	i=0
	for f in /sys/kernel/debug/kunit/*/results; do
		[ -f "$f" ] || continue
		i=$((i + 1))
		sed -E -e '1,2d' -e "\$s/^(not ok|ok) 1 /\1 $i /" "$f"
	done
	rmmod "$(basename "$1" .ko)"
	[ $n -gt 0 ]
}
