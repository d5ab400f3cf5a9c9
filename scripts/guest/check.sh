# The VM part of `make check`: KUnit, the VM suite, the kernel's samples.
. /cnxx/guest/lib.sh
. /cnxx/guest/steps.sh

steps() {
	step load_cnxx load_cnxx
	step kunit kunit_results /cnxx/cnxx_kunit.ko
	step vm_suite vm_suite
	step bench_smoke bench_smoke
	step samples samples
	step unload_cnxx unload_cnxx
}
run_job steps
