#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Writes the seed corpora of the fuzzers: small valid inputs and the edge
cases around each check, so that fuzzing starts past the first branches.

    tests/fuzz/make_corpus.py            # into tests/fuzz/corpus/
"""
import os
import struct
import sys

NLM_F_ACK = 0x4
NLMSG_DONE = 3
CONTROL = 0xFFFFFFFF


def cn_msg(idx, val, data=b"", length=None, seq=0, ack=0):
    length = len(data) if length is None else length
    return struct.pack("<IIIIHH", idx, val, seq, ack, length, 0) + data


def nlmsg(payload, flags=0, length=None):
    length = 16 + len(payload) if length is None else length
    return struct.pack("<IHHII", length, NLMSG_DONE, flags, 0, 0) + payload


def aligned(*messages):
    out = b""
    for message in messages:
        out += message
        out += b"\0" * (-len(out) % 4)
    return out


def ctl(group, idx_ranges, val_ranges, length=None, idx_num=None, val_num=None):
    idx_num = len(idx_ranges) if idx_num is None else idx_num
    val_num = len(val_ranges) if val_num is None else val_num
    ranges = b"".join(struct.pack("<II", f, r) for f, r in idx_ranges + val_ranges)
    length = len(ranges) if length is None else length
    return struct.pack("<IIII", idx_num, val_num, group, length) + ranges


def receive_inputs():
    # First byte: bit 0 capable sender, bits 4-6 an allocation to fail.
    good_request = ctl(1, [(0, 10)], [(0, 10)])
    return {
        "single": b"\x00" + nlmsg(cn_msg(1, 1, b"hello")),
        "single_ack": b"\x00" + nlmsg(cn_msg(3, 1, b"\x01\x02"), NLM_F_ACK),
        "several": b"\x00" + aligned(nlmsg(cn_msg(1, 1, b"a"), NLM_F_ACK),
                                     nlmsg(cn_msg(3, 1, b"bcd")),
                                     nlmsg(cn_msg(9, 9), NLM_F_ACK)),
        "short_payload": b"\x00" + nlmsg(b"\0" * 19, NLM_F_ACK),
        "len_beyond": b"\x00" + nlmsg(cn_msg(1, 1, b"ab", length=3), NLM_F_ACK),
        "bad_nlmsg_len": b"\x00" + aligned(nlmsg(cn_msg(1, 1)), nlmsg(cn_msg(1, 1), length=15)),
        "oversize": b"\x00" + nlmsg(cn_msg(1, 1, b"\0" * 16365), NLM_F_ACK),
        "trailing": b"\x00" + nlmsg(cn_msg(1, 1)) + b"\x07" * 7,
        "self_remove": b"\x00" + aligned(nlmsg(cn_msg(5, 5)), nlmsg(cn_msg(5, 5), NLM_F_ACK)),
        "churn": b"\x00" + nlmsg(cn_msg(6, 6, b"x")),
        "control_capable": b"\x01" + nlmsg(cn_msg(CONTROL, CONTROL, good_request), NLM_F_ACK),
        "control_denied": b"\x00" + nlmsg(cn_msg(CONTROL, CONTROL, good_request), NLM_F_ACK),
        "control_enomem": b"\x11" + nlmsg(cn_msg(CONTROL, CONTROL, good_request), NLM_F_ACK),
        "control_remove": b"\x01" + aligned(
            nlmsg(cn_msg(CONTROL, CONTROL, good_request)),
            nlmsg(cn_msg(CONTROL, CONTROL, ctl(0, [(0, 10)], [(0, 10)])), NLM_F_ACK)),
    }


def ctl_inputs():
    return {
        "good": ctl(1, [(0, 10)], [(0, 10)]),
        # Also read as ids to add: 1:16, 1:5 and 2:3 fall in its ranges.
        "match_ids": ctl(3, [(1, 5)], [(2, 3)]),
        "remove": ctl(0, [(0, 10)], [(0, 10)]),
        "several_ranges": ctl(2, [(0, 1), (5, 5), (100, 1)], [(0, 1), (7, 2)]),
        "edge_of_space": ctl(1, [(0xFFFFFFF0, 0x10)], [(0, 0xFFFFFFFF)]),
        "wrap": ctl(1, [(0xFFFFFFFF, 2)], [(0, 1)]),
        "empty_range": ctl(1, [(0, 1)], [(5, 0)]),
        "no_val": ctl(1, [(0, 1)], []),
        "count_overflow": ctl(1, [(0, 1)], [(0, 1)], idx_num=0x80000001, val_num=0x80000001),
        "len_mismatch": ctl(1, [(0, 1)], [(0, 1)], length=24),
        "too_many": ctl(1, [(i, 1) for i in range(4)], [(i, 1) for i in range(4)]),
        "big_group": ctl(33, [(0, 1)], [(0, 1)]),
        "short": b"\x01\x00\x00\x00\x01\x00",
    }


def write(directory, inputs):
    os.makedirs(directory, exist_ok=True)
    for name, data in inputs.items():
        with open(os.path.join(directory, name), "wb") as f:
            f.write(data)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "corpus")
    write(os.path.join(root, "fuzz_receive"), receive_inputs())
    write(os.path.join(root, "fuzz_ctl"), ctl_inputs())


if __name__ == "__main__":
    main()
