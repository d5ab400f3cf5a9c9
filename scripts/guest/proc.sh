# Process events alone: cnxx, then cnxx_proc.ko and the "proc" group of the
# VM suite (the step the check and reliability jobs run), the unload, and
# on a debug kernel a leak scan.
. /cnxx/guest/lib.sh
. /cnxx/guest/steps.sh

steps() {
	step load_cnxx load_cnxx
	step proc_events proc_events
	step unload_cnxx unload_cnxx
	[ ! -w /sys/kernel/debug/kmemleak ] || step kmemleak kmemleak_scan
}
run_job steps
