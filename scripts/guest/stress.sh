# The job of `make stress` on the debug kernels: long versions of the
# reliability steps, cnxx_proc's load with each of its allocations failing
# in turn (too long for make check: about 370 loads, 6 to 12 minutes),
# then a leak scan. Lengths can be changed on the kernel
# command line (CNXX_VM_APPEND): cnxx.stress_seconds=, cnxx.cycles=,
# cnxx.fault_seconds=, cnxx.fuzz_count=, cnxx.priv_requests=,
# cnxx.priv_messages=, cnxx.proc_requests=, cnxx.proc_cycles=; cnxx.seed=
# replays a run.
. /cnxx/guest/lib.sh
. /cnxx/guest/steps.sh
. /cnxx/guest/proc_steps.sh

steps() {
	step load_cnxx load_cnxx
	step privileges rel_priv "$(cmdline_param priv_requests 20000)" "$(cmdline_param priv_messages 8192)"
	step concurrency rel_stress "$(cmdline_param stress_seconds 300)"
	step load_unload rel_cycle "$(cmdline_param cycles 300)"
	step fault_injection rel_fault "$(cmdline_param fault_seconds 60)" 10
	step fuzz rel_fuzz "$(cmdline_param fuzz_count 1000000)"
	step proc_flood proc_flood "$(cmdline_param proc_requests 1000)"
	step proc_unload_under_load proc_unload_cycles "$(cmdline_param proc_cycles 15)"
	step proc_load_faults proc_load_faults
	step unload_cnxx unload_cnxx
	step kmemleak kmemleak_scan
}
run_job steps
