# The debug-kernel job of `make check` (KASAN, lockdep, kmemleak, atomic
# sleep checks, failslab): the check job's steps, short reliability runs
# (privileges, concurrency, load/unload, fault injection, fuzzing), the
# unload, parameter and init-failure steps, a leak scan, then the reports
# KASAN and lockdep must make about deliberate bugs. cnxx.seed=N on the
# kernel command line replays a run.
. /cnxx/guest/lib.sh
. /cnxx/guest/steps.sh

echo "KTAP version 1"
echo "1..17"
step load_cnxx load_cnxx
step kunit kunit_results /cnxx/cnxx_kunit.ko
step vm_suite vm_suite
step samples samples
step privileges rel_priv "$(rel_param priv_requests 2000)" "$(rel_param priv_messages 1024)"
step concurrency rel_stress "$(rel_param stress_seconds 15)"
step load_unload rel_cycle "$(rel_param cycles 30)"
step fault_injection rel_fault "$(rel_param fault_seconds 8)" 10
step fuzz rel_fuzz "$(rel_param fuzz_count 10000)"
step unload_self_removed unload_self_removed
step unload_slow_reader unload_slow_reader
step unload_cnxx unload_cnxx
step params_ranges params_ranges
step init_faults init_faults
step kmemleak kmemleak_scan
# Last: each leaves a report. Lockdep first: it switches itself off after
# a report, and also when KASAN's report taints the kernel.
step expected_lockdep expect_lockdep
step expected_kasan expect_kasan
