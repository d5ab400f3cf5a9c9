# The VM part of `make check`: KUnit, the VM suite, the kernel's samples.
. /cnxx/guest/lib.sh
. /cnxx/guest/steps.sh

steps() {
	common_steps
	step bench_smoke bench_smoke
	step unload_cnxx unload_cnxx
}
run_job steps
