# The VM part of `make check`: KUnit, the VM suite, the kernel's samples,
# process events with real clients.
. /cnxx/guest/lib.sh
. /cnxx/guest/steps.sh
. /cnxx/guest/proc_steps.sh

steps() {
	common_steps
	step bench_smoke bench_smoke
	step proc_cnctl proc_cnctl
	step proc_forkstat proc_forkstat
	step proc_selftest proc_selftest
	step proc_unload_under_load proc_unload_cycles 3
	step proc_flood proc_flood 1000
	step proc_cnctl_loss proc_cnctl_loss
	step unload_notify_work unload_notify_work 5
	step unload_self_removed unload_self_removed
	step unload_slow_reader unload_slow_reader
	step unload_cnxx unload_cnxx
	step params_ranges params_ranges
	step init_faults init_faults
}
run_job steps
