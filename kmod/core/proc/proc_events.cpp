// SPDX-License-Identifier: GPL-2.0
// Process events: the messages of drivers/connector/cn_proc.c, its request
// parsing and its per-socket filter, for the probe glue in kmod/proc/.
#include "proc_abi.h"

#include "../../../cxxrt/errno.h"
#include "../../../cxxrt/types.h"
#include "../wire.h"

namespace cnxx::proc {

using cxxrt::u16;
using cxxrt::u32;
using cxxrt::u8;
using Event = cnxx_proc_event;

// <linux/connector.h>: CN_IDX_PROC, CN_VAL_PROC.
constexpr cnxx_cb_id events_id = {1, 1};

static_assert(sizeof(Event) == 40);
static_assert(__builtin_offsetof(Event, event_data) == 16);
static_assert(CNXX_PROC_MSG_SIZE == 4 + wire::connector_message_size + sizeof(Event));

namespace {

// Fills the union member of @facts->what; the caller zeroed the union.
void fill_event_data(Event& event, const cnxx_proc_facts& facts)
{
    auto& data = event.event_data;
    switch (facts.what) {
    case CNXX_PROC_EVENT_NONE:
        data.ack.err = facts.ack_err;
        break;
    case CNXX_PROC_EVENT_FORK:
        data.fork = {facts.peer_pid, facts.peer_tgid, facts.pid, facts.tgid};
        break;
    case CNXX_PROC_EVENT_EXEC:
        data.exec = {facts.pid, facts.tgid};
        break;
    case CNXX_PROC_EVENT_UID:
    case CNXX_PROC_EVENT_GID:
        data.id = {facts.pid, facts.tgid, facts.real_id, facts.effective_id};
        break;
    case CNXX_PROC_EVENT_SID:
        data.sid = {facts.pid, facts.tgid};
        break;
    case CNXX_PROC_EVENT_PTRACE:
        data.ptrace = {facts.pid, facts.tgid, facts.peer_pid, facts.peer_tgid};
        break;
    case CNXX_PROC_EVENT_COMM:
        data.comm.process_pid = facts.pid;
        data.comm.process_tgid = facts.tgid;
        // As get_task_comm(): at most 15 characters, NUL-padded.
        for (u32 i = 0; i + 1 < sizeof(data.comm.comm) && facts.comm[i]; i++)
            data.comm.comm[i] = facts.comm[i];
        break;
    case CNXX_PROC_EVENT_COREDUMP:
        data.coredump = {facts.pid, facts.tgid, facts.peer_pid, facts.peer_tgid};
        break;
    case CNXX_PROC_EVENT_EXIT:
        data.exit = {facts.pid, facts.tgid, facts.exit_code, facts.exit_signal,
            facts.peer_pid, facts.peer_tgid};
        break;
    }
}

} // namespace

} // namespace cnxx::proc

using namespace cnxx;
using namespace cnxx::proc;

extern "C" cn_msg* cnxx_proc_encode(const cnxx_proc_facts* facts, void* buffer)
{
    auto* bytes = static_cast<u8*>(buffer);
    // SAFETY: the caller's buffer is CNXX_PROC_MSG_SIZE bytes, 8-aligned;
    // the header at +4 is 4-aligned and the event at +24 8-aligned.
    auto* header = reinterpret_cast<wire::ConnectorMessage*>(bytes + 4);
    auto* event = reinterpret_cast<Event*>(bytes + 4 + wire::connector_message_size);
    const bool ack = facts->what == CNXX_PROC_EVENT_NONE;

    // Every byte, the union's included: `= {}` on a union guarantees only
    // its first member.
    __builtin_memset(bytes, 0, CNXX_PROC_MSG_SIZE);
    header->id = events_id;
    header->seq = ack ? facts->ack_seq : 0;
    header->ack = ack ? facts->ack_ack + 1 : 0;
    header->len = sizeof(Event);
    event->what = facts->what;
    event->cpu = ack ? u32(-1) : 0;
    event->timestamp_ns = facts->timestamp_ns;
    fill_event_data(*event, *facts);
    return reinterpret_cast<cn_msg*>(header);
}

extern "C" int cnxx_proc_parse(cnxx_proc_dialect dialect, const void* data, u16 len,
    cnxx_proc_request* request)
{
    const auto* words = static_cast<const u32*>(data);

    if (len == sizeof(u32)) {
        *request = {words[0], CNXX_PROC_EVENT_ALL};
        return 0;
    }
    if (dialect == CNXX_PROC_DIALECT_6_6 && len == sizeof(cnxx_proc_input)) {
        // As valid_event(): unknown bits dropped, none at all means all.
        u32 events = words[1] & CNXX_PROC_EVENT_ALL;
        *request = {words[0], events ? events : CNXX_PROC_EVENT_ALL};
        return 0;
    }
    return -EMSGSIZE;
}

extern "C" u32 cnxx_proc_apply(const cnxx_proc_request* request,
    cnxx_proc_subscription* sub, int* listener_delta)
{
    *listener_delta = 0;
    switch (request->op) {
    case CNXX_PROC_CN_MCAST_LISTEN:
        if (!sub) {
            *listener_delta = 1;
            return 0;
        }
        if (!sub->listening)
            *listener_delta = 1;
        *sub = {request->events, 1, 0};
        return 0;
    case CNXX_PROC_CN_MCAST_IGNORE:
        if (!sub) {
            *listener_delta = -1;
            return 0;
        }
        if (sub->listening)
            *listener_delta = -1;
        *sub = {CNXX_PROC_EVENT_NONE, 0, 1};
        return 0;
    default:
        return EINVAL;
    }
}

extern "C" bool cnxx_proc_filtered_out(const cnxx_proc_subscription* sub, u32 what,
    u32 exit_code)
{
    if (!sub)
        return false;
    if (sub->ignoring)
        return true;
    if (sub->events == CNXX_PROC_EVENT_ALL)
        return false;
    if ((sub->events & CNXX_PROC_EVENT_NONZERO_EXIT) && what == CNXX_PROC_EVENT_EXIT
        && exit_code != 0)
        return false;
    return !(sub->events & what);
}
