# SPDX-License-Identifier: GPL-2.0
#
# cnxx - the kernel connector with a C++ core.
#
#   make              build cnxx.ko and cnxx_proc.ko for the 6.1 test kernel
#   make KDIR=...     build it for any kernel build tree, e.g.
#                     KDIR=/lib/modules/$(uname -r)/build
#   make demo         boot a test kernel in QEMU and exchange messages
#   make check        host tests, then KUnit + VM tests on 6.1 and 6.12
#   make bench        cnxx vs the in-tree connector vs raw netlink
#   make bench-stock  the same on Debian's own kernels, cnxx beside their
#                     built-in connector
#   make stress       long stress, fuzzing and fault-injection runs
#   make tools        cnctl and libcnxx for this machine
#   make install      module, headers and cnctl (as root)
#   make debs         the Debian packages (cnxx-dkms, libcnxx0, libcnxx-dev,
#                     cnxx-tools) in out/debs
#   make debian-system  those packages on a Debian system booted in QEMU
#   make deps         install every Debian package the project uses
#   make cleanroom    run `make demo` and `make check` in a fresh Debian root
#
# Missing Debian packages (scripts/packages) are installed when run as root.

KERNEL ?= 6.1
ifeq ($(origin KDIR),undefined)
KDIR = $(shell scripts/build-kernel.sh $(KERNEL) base)
endif

PREFIX ?= /usr/local
BUILD ?= build
KVER = $(shell $(MAKE) -s -C $(KDIR) kernelrelease 2>/dev/null)

all: module

# The release of a Debian kernel tree (/lib/modules/VER/build or
# /usr/src/linux-headers-VER), whose headers package provides it.
KDIR_RELEASE = $(patsubst /usr/src/linux-headers-%,%,$(patsubst /lib/modules/%/build,%,$(KDIR:/=)))

module:
	@test -n "$(KDIR)" || { echo "cnxx: no kernel build tree" >&2; exit 1; }
	@test -f "$(KDIR)/Makefile" || { echo "cnxx: no kernel build tree at $(KDIR)" >&2; \
		$(if $(filter-out $(KDIR:/=),$(KDIR_RELEASE)),echo "cnxx: install its headers: apt-get install linux-headers-$(KDIR_RELEASE)" >&2;) \
		exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

# cnxx.ko plus the KUnit and VM test modules.
tests-modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) CNXX_TESTS=y modules

tools:
	scripts/build-host.sh tools

check:
	scripts/check.sh

deps:
	scripts/deps.sh

debs:
	scripts/debs.sh

debian-system:
	scripts/debian-system.sh

cleanroom:
	scripts/cleanroom.sh

demo:
	scripts/demo.sh

bench:
	scripts/bench.sh

bench-stock:
	CNXX_BENCH_STOCK=1 scripts/bench.sh

stress:
	scripts/stress.sh

install: module tools
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=extra modules_install
	depmod -a $(KVER)
	install -D -m 0644 -t $(DESTDIR)$(PREFIX)/include/cnxx include/uapi/cnxx/cnxx_wire.h \
		include/uapi/cnxx/cnxx_proc.h
	install -D -m 0644 -t $(DESTDIR)$(PREFIX)/include/cnxx tools/libcnxx/include/cnxx/libcnxx.h \
		tools/libcnxx/include/cnxx/libcnxx.hpp
	install -D -m 0644 $(BUILD)/tools/tools/libcnxx.a $(DESTDIR)$(PREFIX)/lib/libcnxx.a
	install -D -m 0755 $(BUILD)/tools/tools/cnctl $(DESTDIR)$(PREFIX)/bin/cnctl

uninstall:
	rm -f /lib/modules/$(KVER)/extra/cnxx.ko /lib/modules/$(KVER)/extra/cnxx_proc.ko
	-depmod -a $(KVER)
	rm -f $(DESTDIR)$(PREFIX)/include/cnxx/cnxx_wire.h \
		$(DESTDIR)$(PREFIX)/include/cnxx/cnxx_proc.h \
		$(DESTDIR)$(PREFIX)/include/cnxx/libcnxx.h \
		$(DESTDIR)$(PREFIX)/include/cnxx/libcnxx.hpp \
		$(DESTDIR)$(PREFIX)/lib/libcnxx.a $(DESTDIR)$(PREFIX)/bin/cnctl
	-rmdir $(DESTDIR)$(PREFIX)/include/cnxx

# Without KDIR: cleaning must not build a kernel first.
clean:
	find . \( -name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' \
		-o -name '.*.cmd' -o -name '*.o.d' -o -name modules.order \
		-o -name Module.symvers \) -not -path './.git/*' -delete
	rm -rf $(BUILD) out

.PHONY: all module tests-modules tools check deps debs debian-system cleanroom demo bench bench-stock stress install \
	uninstall clean
