# The debug-kernel job of `make check` (KASAN, lockdep, kmemleak, atomic
# sleep checks, failslab): the check job's steps, short reliability runs
# (privileges, concurrency, load/unload, fault injection, fuzzing), then a
# leak scan. cnxx.seed=N on the kernel command line replays a run.
. /cnxx/guest/lib.sh
. /cnxx/guest/steps.sh

steps() {
	common_steps
	step privileges rel_priv "$(cmdline_param priv_requests 2000)" "$(cmdline_param priv_messages 1024)"
	step concurrency rel_stress "$(cmdline_param stress_seconds 15)"
	step load_unload rel_cycle "$(cmdline_param cycles 30)"
	step fault_injection rel_fault "$(cmdline_param fault_seconds 8)" 10
	step fuzz rel_fuzz "$(cmdline_param fuzz_count 10000)"
	step unload_cnxx unload_cnxx
	step kmemleak kmemleak_scan
}
run_job steps
