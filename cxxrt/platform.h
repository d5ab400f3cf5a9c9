// SPDX-License-Identifier: GPL-2.0
// The platform services (cnxx_pf_*) the runtime builds on: the kernel shim
// in a module, a fake on the host.
#pragma once

#include "../kmod/core/cnxx_abi.h"
