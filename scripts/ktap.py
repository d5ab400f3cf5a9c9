#!/usr/bin/env python3
"""Reads a VM console log: test results and kernel problems.

    ktap.py LOG --kunit DIR [--name NAME] [--expect-end JOB]

The results are the kernel's own KTAP parser's: every KTAP document in the
log (KUnit suites, the VM suite, guest steps) goes through kunit_parser from
DIR, the kernel source's tools/testing/kunit, which counts the leaf cases
and reports plans that were not met and malformed lines. What it cannot see
is counted here: one more failure for each kind of kernel problem (oops,
BUG, WARNING, KASAN, lockdep, kmemleak, hung task, sleeping in atomic
context) and for a VM that did not reach the end of its job. Prints the
failures, then a last line "RESULT passed=N failed=M skipped=K".

Expected reports: a guest step that triggers a report on purpose writes
"cnxx-expect: begin KIND" to the kernel log right before and
"cnxx-expect: end KIND" right after (KIND: KASAN, lockdep, or WARNING for
a WARN() a test provokes). Between the two, exactly one report of that
kind must appear (its header line counted once); its lines are not
problems, but any other problem is, and a region with no report, two
reports or no end is a failure.
"""
import argparse
import inspect
import io
import re
import sys

DMESG_PREFIX = re.compile(r'^cnxx-dmesg\[[^]]*\]: ')
# A top-level document starts at a version line with no indentation.
DOCUMENT = re.compile(r'^(KTAP|TAP) version \d+$')
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
    'WARNING': re.compile(r'WARNING: CPU: \d+ PID: \d+ at '),
}
EXPECT = re.compile(r'cnxx-expect: (?P<edge>begin|end) (?P<kind>\S+)')


def kunit_parse(kunit_dir, documents):
    """Runs kunit_parser on each document; returns (counts, failures)."""
    sys.path.insert(0, kunit_dir)
    import kunit_parser
    import kunit_printer
    out = io.StringIO()
    quiet = kunit_printer.Printer(out)
    takes_printer = 'printer' in inspect.signature(kunit_parser.parse_run_tests).parameters
    if not takes_printer:
        kunit_parser.stdout = quiet  # 6.1 prints through a module global
    counts = {'passed': 0, 'failed': 0, 'skipped': 0}
    failures = []
    status = kunit_parser.TestStatus

    def walk(test, path):
        if test.subtests:
            failed_before = counts['failed']
            for sub in test.subtests:
                walk(sub, path + [sub.name])
            # A step can fail after its cases passed (a check of its own,
            # its exit status): its own "not ok" counts then.
            if (test.status in (status.FAILURE, status.TEST_CRASHED)
                    and counts['failed'] == failed_before and path):
                counts['failed'] += 1
                failures.append(('/'.join(path) + ' (its cases passed)', test.log[-8:]))
        elif test.status == status.SUCCESS:
            counts['passed'] += 1
        elif test.status == status.SKIPPED:
            counts['skipped'] += 1
        elif test.name:  # unnamed: a missing case, reported as an error
            counts['failed'] += 1
            failures.append(('/'.join(path), test.log[-8:]))

    for first, lines in documents:
        where = f'KTAP document at log line {first + 1}'
        try:
            test = (kunit_parser.parse_run_tests(lines, quiet) if takes_printer
                    else kunit_parser.parse_run_tests(lines))
        except Exception as e:  # the parser gives up on some truncated input
            counts['failed'] += 1
            failures.append((f'{where}: the KTAP parser failed: {e}', []))
            continue
        walk(test, [])
        for line in out.getvalue().splitlines():
            if '[ERROR]' in line:
                counts['failed'] += 1
                failures.append((f"{where}: {line.split('[ERROR]', 1)[1].strip()}", []))
        out.seek(0)
        out.truncate()
    return counts, failures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('log')
    ap.add_argument('--kunit', required=True, metavar='DIR',
                    help="the kernel source's tools/testing/kunit")
    ap.add_argument('--name', default='')
    ap.add_argument('--expect-end', metavar='JOB')
    args = ap.parse_args()

    with open(args.log, errors='replace') as f:
        lines = [l.rstrip('\r\n').replace('\r', '') for l in f]

    problems = {}
    documents = []  # (first line index, lines)
    ended = False
    expect = None  # the open region: [kind, first line, headers seen]
    expected_failures = []
    for i, line in enumerate(lines):
        # Guest output prefixes dmesg lines; strip the prefix for matching.
        text = DMESG_PREFIX.sub('', line)
        # KTAP documents are the guest's; the kernel log's own (KUnit
        # writes there too) would count every case twice.
        if text == line:
            if DOCUMENT.match(line):
                documents.append((i, []))
            if documents:
                documents[-1][1].append(line)
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

    counts, failures = kunit_parse(args.kunit, documents)
    passed, failed, skipped = counts['passed'], counts['failed'], counts['skipped']
    if not documents:
        failed += 1
        failures.append(('no KTAP output', []))
    if expect:
        expected_failures.append((f'expected {expect[0]} report: no end marker', expect[1]))
    prefix = f'[{args.name}] ' if args.name else ''
    for what, i in expected_failures:
        failed += 1
        print(f'{prefix}FAIL {what}, at log line {i + 1}')
    for path, context in failures:
        print(f'{prefix}FAIL {path}')
        for ctx in context:
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
