# The VM part of `make check`: KUnit, the VM suite, the kernel's samples.
. /cnxx/guest/lib.sh
. /cnxx/guest/steps.sh

echo "KTAP version 1"
echo "1..10"
step load_cnxx load_cnxx
step kunit kunit_results /cnxx/cnxx_kunit.ko
step vm_suite vm_suite
step bench_smoke bench_smoke
step samples samples
step unload_self_removed unload_self_removed
step unload_slow_reader unload_slow_reader
step unload_cnxx unload_cnxx
step params_ranges params_ranges
step init_faults init_faults
