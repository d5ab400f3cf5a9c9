// SPDX-License-Identifier: GPL-2.0
// The extern "C" functions of cnxx_abi.h: each converts the opaque handle
// and forwards to the Connector. Every struct cnxx_core * handed out is a
// Connector * made by cnxx_core_create(), which is what makes the casts
// back valid. cnxx_core_receive(), cnxx_core_route() and
// cnxx_core_send_failed() live in connector.cpp, next to what they call,
// so that the per-message paths compile into one function each.
#include "cnxx_abi.h"

#include "../../cxxrt/errno.h"
#include "connector.h"

using cnxx::Connector;

namespace {

Connector* connector_of(cnxx_core* core)
{
    return reinterpret_cast<Connector*>(core);
}

} // namespace

int cnxx_core_create(const struct cnxx_core_config* config, struct cnxx_core** core)
{
    if (!config || !core)
        return -EINVAL;
    const auto result = Connector::create(*config);
    if (result.is_error())
        return result.error().code();
    *core = reinterpret_cast<cnxx_core*>(result.value());
    return 0;
}

bool cnxx_core_reply_may_block(struct cnxx_core* core)
{
    return connector_of(core)->reply_may_block();
}

void cnxx_core_destroy(struct cnxx_core* core)
{
    Connector::destroy(connector_of(core));
}

int cnxx_core_add(
    struct cnxx_core* core, const struct cnxx_cb_id* id, const char* name, cnxx_callback_t cb)
{
    if (!id)
        return -EINVAL;
    return connector_of(core)->add(*id, name, cb).to_errno();
}

int cnxx_core_del(struct cnxx_core* core, const struct cnxx_cb_id* id)
{
    if (!id)
        return -ENOENT;
    return connector_of(core)->remove(*id).to_errno();
}

int cnxx_core_notify_request(struct cnxx_core* core, const struct cn_ctl_msg* ctl, cnxx_size_t size)
{
    if (!ctl)
        return -EINVAL;
    return connector_of(core)->request_notifications(ctl, size).to_errno();
}

void cnxx_core_for_each(
    struct cnxx_core* core, void (*visit)(void* arg, const struct cnxx_cb_info* info), void* arg)
{
    connector_of(core)->for_each(visit, arg);
}

void cnxx_core_stats(struct cnxx_core* core, struct cnxx_stats* stats)
{
    connector_of(core)->read_stats(*stats);
}
