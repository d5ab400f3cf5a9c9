# The VM part of `make check`: KUnit, the VM suite, the kernel's samples,
# process events with real clients; beside a built-in connector, the two
# side by side and the unit parameter; last, lockdown.
. /cnxx/guest/lib.sh
. /cnxx/guest/steps.sh
. /cnxx/guest/proc_steps.sh
. /cnxx/guest/beside_steps.sh

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
	if [ "$cnxx_mode" = beside ]; then
		step builtin_coexist builtin_coexist
	else
		step unload_cnxx unload_cnxx
	fi
	step params_ranges params_ranges
	[ "$cnxx_mode" = dropin ] || step unit_param unit_param
	step init_faults init_faults
	step groups_1024 groups_1024
	step groups_listen groups_listen
	step groups_unload groups_unload
	step lockdown_unsigned lockdown_unsigned
}
run_job steps
