#!/usr/bin/env python3
"""Reads a VM console log: counts KTAP test cases and looks for kernel problems.

    ktap.py LOG [--name NAME] [--expect-end JOB]

Counts leaf results of every KTAP document in the log (KUnit suites, the VM
suite, guest steps), names each failing case, and counts one more failure
for each kind of kernel problem (oops, BUG, WARNING, KASAN, lockdep,
kmemleak, hung task, sleeping in atomic context) and for a VM that did not
reach the end of its job. Prints the failures, then a last line
"RESULT passed=N failed=M skipped=K".

Expected reports: a guest step that triggers a report on purpose writes
"cnxx-expect: begin KIND" to the kernel log right before and
"cnxx-expect: end KIND" right after (KIND: KASAN or lockdep). Between the
two, exactly one report of that kind must appear (its header line counted
once); its lines are not problems, but any other problem is, and a region
with no report, two reports or no end is a failure.
"""
import argparse
import re
import sys

RESULT = re.compile(r'^(?P<indent>\s*)(?P<ok>not ok|ok) (?P<num>\d+)(?: -)?\s*(?P<name>[^#]*?)\s*(?:#\s*(?P<directive>\S+)(?P<reason>.*))?$')
SUBTEST = re.compile(r'^(?P<indent>\s*)# Subtest: (?P<name>.*)$')
PROBLEMS = [
    ('kernel panic', re.compile(r'Kernel panic')),
    ('oops', re.compile(r'\bOops\b|general protection fault|invalid opcode:')),
    ('BUG', re.compile(r'\bBUG[: ]')),
    ('WARNING', re.compile(r'WARNING: ')),
    ('KASAN', re.compile(r'KASAN')),
    ('UBSAN', re.compile(r'UBSAN')),
    ('lockdep', re.compile(r'possible (recursive|circular) locking|inconsistent lock state|suspicious RCU usage|lock held when returning')),
    ('kmemleak', re.compile(r'kmemleak: \d+ new suspected|unreferenced object 0x')),
    ('hung task', re.compile(r'INFO: task .* blocked for more than')),
    ('RCU stall', re.compile(r'rcu_.*detected stalls|self-detected stall')),
    ('sleeping in atomic', re.compile(r'sleeping function called from invalid context|scheduling while atomic')),
]
# The first line of one report of each kind that can be expected.
EXPECTED_HEADERS = {
    'KASAN': re.compile(r'BUG: KASAN: '),
    'lockdep': re.compile(r'possible circular locking dependency detected'),
}
EXPECT = re.compile(r'cnxx-expect: (?P<edge>begin|end) (?P<kind>\S+)')


def level_of(indent):
    return len(indent.replace('\t', '    ')) // 4


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('log')
    ap.add_argument('--name', default='')
    ap.add_argument('--expect-end', metavar='JOB')
    args = ap.parse_args()

    with open(args.log, errors='replace') as f:
        lines = [l.rstrip('\r\n').replace('\r', '') for l in f]

    passed = failed = skipped = 0
    failures = []
    subtest = {}
    pending = {}
    problems = {}
    ended = False
    expect = None  # the open region: [kind, first line, headers seen]
    expected_failures = []
    for i, line in enumerate(lines):
        # Guest output prefixes dmesg lines; strip the prefix for matching.
        text = re.sub(r'^cnxx-dmesg\[[^]]*\]: ', '', line)
        m = EXPECT.search(text)
        if m:
            kind = m['kind']
            if m['edge'] == 'begin':
                if expect or kind not in EXPECTED_HEADERS:
                    expected_failures.append((f'bad expect marker "{text.strip()}"', i))
                expect = [kind, i, 0]
            else:
                if not expect or expect[0] != kind:
                    expected_failures.append((f'expect end without begin for {kind}', i))
                elif expect[2] != 1:
                    expected_failures.append((f'expected one {kind} report, saw {expect[2]}', expect[1]))
                expect = None
            continue
        if expect and EXPECTED_HEADERS[expect[0]].search(text):
            expect[2] += 1
            continue
        for kind, pat in PROBLEMS:
            if pat.search(text) and not text.lstrip().startswith('#'):
                if expect and kind == expect[0]:
                    continue  # a further line of the expected report
                problems.setdefault(kind, []).append(i)
        if args.expect_end and re.match(r'^cnxx-guest: end %s status' % re.escape(args.expect_end), line):
            ended = True
        m = SUBTEST.match(line)
        if m:
            subtest[level_of(m['indent']) ] = m['name'].strip()
            continue
        m = RESULT.match(line)
        if not m:
            continue
        lvl = level_of(m['indent'])
        leaf = not pending.get(lvl, False)
        pending[lvl] = False
        for l in list(pending):
            if l > lvl:
                pending[l] = False
        for l in range(lvl):
            pending[l] = True
        if not leaf:
            continue
        directive = (m['directive'] or '').upper()
        path = '/'.join([subtest[l] for l in range(1, lvl + 1) if l in subtest] + [m['name']])
        if directive == 'SKIP':
            skipped += 1
        elif m['ok'] == 'ok':
            passed += 1
        else:
            failed += 1
            failures.append((path, i))

    if expect:
        expected_failures.append((f'expected {expect[0]} report: no end marker', expect[1]))
    prefix = f'[{args.name}] ' if args.name else ''
    for what, i in expected_failures:
        failed += 1
        print(f'{prefix}FAIL {what}, at log line {i + 1}')
    for path, i in failures:
        print(f'{prefix}FAIL {path}')
        for ctx in lines[max(0, i - 8):i]:
            if ctx.strip().startswith('#') and not ctx.strip().startswith('# Subtest'):
                print(f'{prefix}    {ctx.strip()}')
    for kind, where in problems.items():
        failed += 1
        print(f'{prefix}FAIL kernel reported {kind} ({len(where)} lines), first at log line {where[0] + 1}:')
        for ctx in lines[where[0]:where[0] + 25]:
            print(f'{prefix}    {ctx}')
    if args.expect_end and not ended:
        failed += 1
        print(f'{prefix}FAIL VM did not finish job {args.expect_end}; last lines:')
        for ctx in lines[-30:]:
            print(f'{prefix}    {ctx}')
    print(f'RESULT passed={passed} failed={failed} skipped={skipped}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
