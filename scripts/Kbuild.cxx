# SPDX-License-Identifier: GPL-2.0
#
# Compiling C++ into a kernel module. Kbuild has no C++ rule: this one takes
# the kernel's own C flags (so the config decides code model, fentry,
# retpolines, return thunks, ...) minus the C-only ones, and adds what a
# freestanding C++ without exceptions, RTTI or libstdc++ needs. C++ sources
# include no kernel header, only their own headers by relative path.

# The compiler that matches $(CC): g++ for gcc, clang++ for clang.
CNXX_CXX ?= $(patsubst %clang,%clang++,$(patsubst %gcc,%g++,$(CC)))

cnxx-c-only-flags := -std=gnu11 -std=gnu89 -Wstrict-prototypes \
	-Werror=strict-prototypes -Wno-pointer-sign -Werror=implicit-int \
	-Werror=implicit-function-declaration -Werror=incompatible-pointer-types \
	-Wdeclaration-after-statement -Wmissing-prototypes \
	-Wold-style-definition -Wno-old-style-declaration -Werror=designated-init \
	-Wpacked-not-aligned -Wno-packed-not-aligned -Wno-override-init \
	-Wmissing-parameter-type -Wnested-externs -Wimplicit-function-declaration

# The core is small and its receive and send paths are short chains of
# small functions: -O2 inlines them where the kernel's -Os would leave
# calls. Last on the line, so it wins over the kernel's -O flag.
cnxx-cxx-opt ?= -O2

cnxx-cxx-flags := -std=gnu++17 -ffreestanding -fno-exceptions -fno-rtti \
	-nostdinc++ -fno-threadsafe-statics -fno-use-cxa-atexit \
	-fno-asynchronous-unwind-tables -Wall -Wextra -Werror \
	-Wno-missing-field-initializers $(cnxx-cxx-opt)

# Module BTF is made from DWARF by pahole, which stops at C++ reference
# types ("Unsupported DW_TAG_reference_type", pahole 1.24 on Debian 12):
# where the kernel makes BTF for modules, the C++ objects carry no DWARF.
ifdef CONFIG_DEBUG_INFO_BTF_MODULES
cnxx-cxx-flags += -g0
endif

# Debug-flavor builds (set by Kbuild) check the core's invariants.
ifeq ($(CNXX_DEBUG_BUILD),y)
cnxx-cxx-flags += -DCXXRT_DEBUG
endif

# cxxrt::Spinlock is the platform's raw spinlock where lockdep can see it,
# an inline bit lock elsewhere (cxxrt/lock.h); for the C objects too, so
# that kmod/platform.c builds the lock's functions only where they are used.
ifneq ($(CONFIG_DEBUG_LOCK_ALLOC)$(CONFIG_LOCKDEP),)
ccflags-y += -DCXXRT_PLATFORM_SPINLOCK
endif

# The flags every C object of this module gets, per object: the config's
# code generation plus the KASAN, UBSAN, KCSAN and KCOV flags with their
# per-file opt-outs (KASAN_SANITIZE_foo.o := n, ...), minus the C-only flags.
# Inline functions and templates land in COMDAT sections that the linker may
# discard, leaving dangling __mcount_loc entries: no ftrace in C++.
cxx_flags = -Wp,-MMD,$(depfile) $(NOSTDINC_FLAGS) \
	$(filter-out $(cnxx-c-only-flags) $(CC_FLAGS_FTRACE),\
		$(_c_flags) $(modkern_cflags)) \
	$(basename_flags) $(modname_flags) $(cnxx-cxx-flags)

# objtool on the linked module, as the kernel does by itself with IBT or
# LTO: run per object (Debian's 6.1, without IBT), it points .return_sites
# and .orc_unwind_ip at each object's copy of an inline function or
# template, a COMDAT section that the link then discards, and ld fails
# ("defined in discarded section"). objtool-enabled is Kbuild's own
# per-object switch, which follows this.
override delay-objtool := y
quiet_cmd_cxx_o_cpp = C++ [M]  $@
      cmd_cxx_o_cpp = $(CNXX_CXX) $(cxx_flags) -c -o $@ $< $(cmd_objtool)

define rule_cxx_o_cpp
	$(call cmd_and_fixdep,cxx_o_cpp)
	$(call cmd,gen_objtooldep)
endef

$(obj)/%.o: $(src)/%.cpp FORCE
	$(call if_changed_rule,cxx_o_cpp)

targets += $(cnxx-cxx)
