# The debug-kernel job of `make check` (KASAN, lockdep, kmemleak, atomic
# sleep checks): the check job's steps, then a leak scan.
. /cnxx/guest/lib.sh
. /cnxx/guest/steps.sh

echo "KTAP version 1"
echo "1..6"
step load_cnxx load_cnxx
step kunit kunit_results /cnxx/cnxx_kunit.ko
step vm_suite vm_suite
step samples samples
step unload_cnxx unload_cnxx
step kmemleak kmemleak_scan
