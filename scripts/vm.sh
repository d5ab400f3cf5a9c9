#!/usr/bin/env bash
# Boots one test VM and judges it.
#
#   scripts/vm.sh KERNEL FLAVOR JOB     e.g. scripts/vm.sh 6.1 base check
#
# FLAVOR base, debug or inproc: a test kernel (scripts/build-kernel.sh);
# debian: Debian's own kernel image of that series with its headers
# package (scripts/stock-kernel.sh), cnxx beside its built-in connector;
# debian-rt: the same with Debian's PREEMPT_RT flavour (6.1), where
# cnxx_proc is not built and its steps skip.
# Builds (or reuses) the kernel, builds cnxx and the test modules for it in
# out/KERNEL-FLAVOR/ (none for the inproc flavor), packs a busybox initramfs
# with them and the user programs, runs the guest job scripts/guest/JOB.sh
# under QEMU (TCG, hard timeout), saves the console to out/logs/, and prints
# the failing cases and a last line "RESULT passed=N failed=M skipped=K".
# The checks of the built C++ objects (scripts/check-objects.py) count with
# them.
#
#   CNXX_VM_APPEND="..."   more kernel command line (cnxx.NAME=VALUE), e.g.
#                          cnxx.steps=a,b to run only those steps of the job
#   CNXX_QEMU_ARGS="..."   more QEMU options; CNXX_QEMU_BIOS="" no qboot
#   CNXX_VM_TIMEOUT=900    seconds
#   CNXX_VM_REUSE=1        boot the last build for KERNEL FLAVOR again
#   CNXX_VM_LOG=NAME       console log out/logs/NAME.log (default
#                          KERNEL-FLAVOR-JOB)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernel=${1:?usage: vm.sh KERNEL FLAVOR JOB}
flavor=${2:?usage: vm.sh KERNEL FLAVOR JOB}
job=${3:?usage: vm.sh KERNEL FLAVOR JOB}
[ -f "$CNXX_ROOT/scripts/guest/$job.sh" ] || die "no guest job '$job'"

need base vm
append=
if [ "$flavor" = debian ] || [ "$flavor" = debian-rt ]; then
	# Debian's own kernel: modules built from its headers package as a user
	# builds them, cnxx beside the built-in connector.
	rt=
	[ "$flavor" = debian ] || rt=rt
	eval "$("$CNXX_ROOT"/scripts/stock-kernel.sh "$kernel" $rt)"
	kdir=$headers ksrc=$source kimage=$vmlinuz
	modules=y
else
	kdir=$("$CNXX_ROOT"/scripts/build-kernel.sh "$kernel" "$flavor")
	ksrc=$(readlink -f "$kdir/source")
	kimage=$kdir/arch/x86/boot/bzImage
	# The inproc flavor's jobs measure the kernel's own connector, with the
	# user programs only.
	modules=y
	grep -qx 'CONFIG_CONNECTOR=y' "$kdir/.config" && modules=n
fi
# cnxx's mode follows the kernel's connector (Kbuild decides the same):
# beside a built-in one, else in its place. The guest reads it from the
# command line.
mode=dropin
grep -qx 'CONFIG_CONNECTOR=y' "$kdir/.config" && mode=beside
[ $modules = n ] || append="cnxx.mode=$mode"
stage=$CNXX_OUT/$kernel-$flavor
mkdir -p "$stage" "$CNXX_OUT/logs"
checks=$stage/build-checks.ktap
# CNXX_VM_REUSE=1 boots what the last run built for this kernel and flavor
# again, with its build checks (a second boot of one build: make bench).
if [ "${CNXX_VM_REUSE:-0}" = 1 ] && [ -f "$stage/initrd.gz" ] && { [ $modules = n ] || [ -f "$checks" ]; }; then
	log "reusing the modules and initramfs built for $kernel ($flavor)"
else
	# A build that fails leaves nothing to reuse.
	rm -f "$stage/initrd.gz"
	rm -rf "$stage/src" "$stage/root" "$stage/samples" "$stage/samples-builtin"
	mkdir -p "$stage/src" "$stage/root/cnxx/guest" "$stage/root/bin"
	mkdir -p "$stage"/root/{proc,sys,dev,tmp,etc}
	rm -f "$checks"
	if [ $modules = y ]; then
		# Modules: a private copy of the tree per kernel, since Kbuild writes its
		# objects next to the sources.
		log "building modules for $kernel ($flavor)"
		grep -v '^#' "$CNXX_ROOT/scripts/vm-sources" | (cd "$CNXX_ROOT" && xargs cp -r --parents -t "$stage/src")
		make -s -C "$kdir" M="$stage/src" CNXX_TESTS=y -j"$(nproc)" modules >"$stage/modules.log" 2>&1 || {
			cat "$stage/modules.log" >&2
			die "module build failed for $kernel"
		}

		# What the kernel's tools did to the C++ objects (objtool on the hardened
		# base and Debian kernels, KASAN on debug), judged with the VM's console
		# below.
		python3 "$CNXX_ROOT/scripts/check-objects.py" "${flavor%-rt}" "$stage/src" "$kdir/.config" >"$checks" ||
			grep -q '^not ok' "$checks" || echo "not ok 1 build_checks: check-objects.py failed" >>"$checks"

		# The kernel's own connector sample, unmodified, built against cnxx's
		# exports: beside the built-in connector through <cnxx/connector.h>,
		# and a second time as cn_test_builtin.ko on vmlinux's own cn_*.
		mkdir -p "$stage/samples"
		cp "$ksrc/samples/connector/cn_test.c" "$stage/samples/"
		echo 'obj-m := cn_test.o' >"$stage/samples/Kbuild"
		samples=(cn_test.ko)
		if [ "$mode" = beside ]; then
			echo "ccflags-y += -include $stage/src/include/cnxx/connector.h" >>"$stage/samples/Kbuild"
			mkdir -p "$stage/samples-builtin"
			cp "$ksrc/samples/connector/cn_test.c" "$stage/samples-builtin/"
			printf 'obj-m := cn_test_builtin.o\ncn_test_builtin-y := cn_test.o\n' >"$stage/samples-builtin/Kbuild"
			make -s -C "$kdir" M="$stage/samples-builtin" modules >"$stage/samples-builtin.log" 2>&1 ||
				{ cat "$stage/samples-builtin.log" >&2; die "cn_test_builtin build failed"; }
			samples+=(../samples-builtin/cn_test_builtin.ko)
		fi
		make -s -C "$kdir" M="$stage/samples" KBUILD_EXTRA_SYMBOLS="$stage/src/Module.symvers" modules \
			>"$stage/samples.log" 2>&1 || { cat "$stage/samples.log" >&2; die "cn_test build failed"; }
	fi

	# User programs and the libraries they need: the guest has only busybox.
	"$CNXX_ROOT/scripts/build-user.sh" "$ksrc" "$stage/root"

	if [ $modules = y ]; then
		cp "$stage"/src/cnxx.ko "$stage"/src/tests/vm/*.ko \
			"$stage"/src/tools/bench/*.ko "${samples[@]/#/$stage/samples/}" "$stage/root/cnxx/"
		# (none on PREEMPT_RT, which Kbuild refuses: the guest says so)
		if [ -e "$stage"/src/cnxx_proc.ko ]; then cp "$stage"/src/cnxx_proc.ko "$stage/root/cnxx/"; fi
		# (no KUnit modules for a kernel without KUnit: the guest says so)
		for ko in "$stage"/src/kunit/*.ko; do
			if [ -e "$ko" ]; then cp "$ko" "$stage/root/cnxx/"; fi
		done
		# the in-tree connector module, to compare with in drop-in mode
		[ "$mode" = beside ] || cp "$kdir/drivers/connector/cn.ko" "$stage/root/cnxx/"
	fi
	cp "$CNXX_ROOT"/scripts/guest/*.sh "$CNXX_ROOT"/scripts/guest/*.awk "$stage/root/cnxx/guest/"
	install -m 0755 "$CNXX_ROOT/scripts/guest/init" "$stage/root/init"
	cp /bin/busybox "$stage/root/bin/busybox"
	(cd "$stage/root" && find . | cpio -o -H newc --quiet | gzip -1) >"$stage/initrd.gz"
fi

mem=512
timeout=${CNXX_VM_TIMEOUT:-900}
[ "$flavor" = debug ] && mem=1536
# A second boot of one job (make bench) keeps the first one's log.
logname=${CNXX_VM_LOG:-$kernel-$flavor-$job}
logf=$CNXX_OUT/logs/$logname.log
# Progress: KTAP results so far, against the count of the last run of the job.
results='^ *(not )?ok [0-9]'
count=$CNXX_OUT/logs/.results-$logname
start=$SECONDS
set +e
# CNXX_QEMU_ARGS adds options; qboot (fast, and it hands the guest both
# CPUs) can be swapped out with CNXX_QEMU_BIOS="" (it hangs under -icount).
bios=${CNXX_QEMU_BIOS-/usr/share/qemu/qboot.rom}
run_watched "booting $kernel ($flavor) for '$job'" "$logf" "$(cat "$count" 2>/dev/null || echo 0)" \
	"$results" timeout --foreground -k 10 "$timeout" qemu-system-x86_64 -accel tcg -cpu max -smp 2 \
	-m "$mem" -nographic -no-reboot -nic none ${bios:+-bios "$bios"} ${CNXX_QEMU_ARGS:-} \
	-kernel "$kimage" -initrd "$stage/initrd.gz" \
	-append "console=ttyS0 panic=-1 quiet cnxx.job=$job $append ${CNXX_VM_APPEND:-}"
rc=$?
set -e
grep -cE "$results" "$logf" >"$count" || true
log "VM finished in $((SECONDS - start)) s (qemu status $rc)"
[ ! -f "$checks" ] || cat "$checks" >>"$logf"
[ $rc -eq 124 ] && echo "[$kernel-$flavor] FAIL VM timed out after $timeout s"
python3 "$CNXX_ROOT/scripts/ktap.py" "$logf" --kunit "$ksrc/tools/testing/kunit" --name "$kernel-$flavor" --expect-end "$job"
