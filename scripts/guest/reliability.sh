# The debug-kernel job of `make check` (KASAN, lockdep, kmemleak, atomic
# sleep checks, failslab): the check job's steps, short reliability runs
# (privileges, concurrency, load/unload, fault injection, fuzzing), the
# unload, parameter and init-failure steps, a leak scan, then the reports
# KASAN and lockdep must make about deliberate bugs. Unloads of cnxx_proc
# under load (and its selftest on 6.6+) run here too, for KASAN, lockdep
# and kmemleak to see; the longer process-event steps are the check and
# stress jobs'. cnxx.seed=N on the kernel command line replays a run.
. /cnxx/guest/lib.sh
. /cnxx/guest/steps.sh
. /cnxx/guest/proc_steps.sh

steps() {
	common_steps
	step privileges rel_priv "$(cmdline_param priv_requests 2000)" "$(cmdline_param priv_messages 1024)"
	step concurrency rel_stress "$(cmdline_param stress_seconds 15)"
	step load_unload rel_cycle "$(cmdline_param cycles 30)"
	step fault_injection rel_fault "$(cmdline_param fault_seconds 8)" 10
	step fuzz rel_fuzz "$(cmdline_param fuzz_count 10000)"
	step proc_selftest proc_selftest
	step proc_unload_under_load proc_unload_cycles "$(cmdline_param proc_cycles 3)"
	step unload_notify_work unload_notify_work "$(cmdline_param unload_notify_cycles 20)"
	step unload_self_removed unload_self_removed
	step unload_slow_reader unload_slow_reader
	step unload_cnxx unload_cnxx
	step params_ranges params_ranges
	step init_faults init_faults
	step kmemleak kmemleak_scan
	# Last: each leaves a report. Lockdep first: it switches itself off
	# after a report, and also when KASAN's report taints the kernel.
	step expected_lockdep expect_lockdep
	step expected_kasan expect_kasan
}
run_job steps
