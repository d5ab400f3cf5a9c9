#!/usr/bin/env python3
"""Checks that the C++ objects of a cnxx build got what the kernel gives C.

    check-objects.py FLAVOR MODULE_DIR [CONFIG]

MODULE_DIR is the built module tree (cnxx.ko, cnxx_proc.ko and their
objects; no cnxx_proc.ko for PREEMPT_RT), CONFIG the kernel's .config. Prints KTAP, one case per check and
module:
  base (hardened test kernel), debian (Debian's own kernel):
    every C++ function of the module is covered by ORC unwind entries,
    C++ functions have return sites (.return_sites) and indirect-call
    sites (.retpoline_sites), as objtool makes for C; with IBT, C++
    functions begin with ENDBR64 and objtool sealed the needless ones
    (.ibt_endbr_seal); with call-depth tracking, C++ call sites are
    listed (.call_sites). A check whose kernel option CONFIG does not set
    is skipped, naming it.
  debug (KASAN kernel):
    every C++ object that touches memory calls the KASAN hooks (__asan_*).
  every flavor, what ships: no module parameter is for tests (`modinfo`
    names none "test" or fail_*), and the modules export only the API, in
    namespace CNXX or none, and the core for KUnit in
    EXPORTED_FOR_KUNIT_TESTING where CONFIG sets KUNIT.
"""
import os
import re
import subprocess
import sys


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


# The modules with C++ objects.
MODULES = ('cnxx', 'cnxx_proc')


def cxx_objects(root, module):
    """The objects of @module built from C++, as Kbuild's MODULE.mod lists them."""
    with open(os.path.join(root, module + '.mod')) as f:
        objs = [os.path.join(root, o) for o in f.read().split()]
    return sorted(o for o in objs if os.path.exists(o[:-2] + '.cpp'))


def defined_functions(obj):
    """Names of the functions an object defines (text symbols)."""
    names = set()
    for line in run('nm', '--defined-only', obj).splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in 'TtWw':
            names.add(parts[2])
    return names


def sections(ko):
    """Section index -> name."""
    out = {}
    for m in re.finditer(r'^\s*\[\s*(\d+)\]\s+(\S+)', run('readelf', '-SW', ko), re.M):
        out[int(m[1])] = m[2]
    return out


def symbols(ko):
    """(funcs: name -> (shndx, value, size), secsyms: section name -> shndx)."""
    secs = sections(ko)
    funcs, secsyms = {}, {}
    for line in run('readelf', '-sW', ko).splitlines():
        p = line.split()
        if len(p) < 7 or not p[0].endswith(':'):
            continue
        if not p[6].isdigit():
            continue
        shndx = int(p[6])
        if p[3] == 'FUNC' and len(p) >= 8:
            funcs[p[7]] = (shndx, int(p[1], 16), int(p[2], 0))
        elif p[3] == 'SECTION':
            secsyms[secs.get(shndx, '')] = shndx
    return funcs, secsyms


def targets(ko, section, funcs, secsyms):
    """(shndx, offset) each relocation of .rela@section points at."""
    out = []
    cur = None
    for line in run('readelf', '-rW', ko).splitlines():
        m = re.match(r"Relocation section '([^']+)'", line)
        if m:
            cur = m[1]
            continue
        if cur != '.rela' + section:
            continue
        m = re.match(r'\s*[0-9a-f]+\s+[0-9a-f]+\s+\S+\s+([0-9a-f]+)\s+(\S+)\s*([+-])\s*([0-9a-f]+)', line)
        if not m:
            continue
        value, name = int(m[1], 16), m[2]
        addend = int(m[4], 16) * (1 if m[3] == '+' else -1)
        if name in secsyms:
            shndx = secsyms[name]
        elif name in funcs:
            shndx = funcs[name][0]
        else:
            continue
        out.append((shndx, value + addend))
    return out


def span(funcs, name):
    """(shndx, start, end) of @name, from its __pfx_ padding where the kernel
    adds one (6.12 with call padding)."""
    shndx, start, size = funcs[name]
    end = start + max(size, 1)
    pfx = funcs.get('__pfx_' + name)
    if pfx and pfx[0] == shndx and pfx[1] < start:
        start = pfx[1]
    return shndx, start, end


def covered(funcs, objects, points, inherit=False):
    """Functions of @objects (lists of names, one per object) with a point
    in their range. With @inherit, also those with a point before them in
    their section, in an object where objtool left a point in some
    function: objtool writes an ORC entry only where the frame changes, so
    a frameless function may share an earlier function's, whatever the
    link order put before it. An object objtool never saw still fails."""
    by_section = {}
    for shndx, off in points:
        by_section.setdefault(shndx, []).append(off)
    hit = set()
    for names in objects:
        spans = {n: span(funcs, n) for n in names if n in funcs}
        own = {n for n, (shndx, start, end) in spans.items()
               if any(start <= off < end for off in by_section.get(shndx, []))}
        hit |= own
        if inherit and own:
            hit |= {n for n, (shndx, start, _) in spans.items()
                    if any(off < start for off in by_section.get(shndx, []))}
    return hit


class Tap:
    def __init__(self):
        self.cases = []

    def check(self, name, ok, notes=(), skip=None):
        self.cases.append((name, ok, list(notes), skip))

    def emit(self):
        print('KTAP version 1')
        print(f'1..{len(self.cases)}')
        for i, (name, ok, notes, skip) in enumerate(self.cases, 1):
            for n in notes:
                print(f'# {n}')
            print(f'{"ok" if ok else "not ok"} {i} {name}' + (f' # SKIP {skip}' if skip else ''))
        return all(ok for _, ok, _, _ in self.cases)


def read_config(path):
    """The options a kernel .config sets (y or m); None: no config given."""
    if path is None:
        return None
    with open(path) as f:
        return {m[1] for m in re.finditer(r'^CONFIG_(\w+)=[ym]$', f.read(), re.M)}


def global_functions(ko):
    """Names of the global functions of @ko."""
    out = set()
    for line in run('readelf', '-sW', ko).splitlines():
        p = line.split()
        if len(p) >= 8 and p[3] == 'FUNC' and p[4] == 'GLOBAL':
            out.add(p[7])
    return out


def disassembly(ko, funcs):
    """(starts with ENDBR64, makes direct calls) for each function of
    @funcs, read at its section and offset: objdump labels one symbol per
    address, and C++ constructors and destructors share theirs (C1/C2)."""
    secs = sections(ko)
    first, calls = {}, set()
    sec = cur = None
    for line in run('objdump', '-d', '--no-show-raw-insn', ko).splitlines():
        m = re.match(r'^Disassembly of section (\S+):$', line)
        if m:
            sec = m[1]
            continue
        m = re.match(r'^([0-9a-f]+) <[^>]+>:$', line)
        if m:
            cur = (sec, int(m[1], 16))
            continue
        m = re.match(r'^\s*[0-9a-f]+:\s+(\S+)', line)
        if m and cur:
            first.setdefault(cur, m[1])
            if m[1] == 'call':
                calls.add(cur)
    out = {}
    for name, (shndx, value, _) in funcs.items():
        at = (secs.get(shndx), value)
        out[name] = (first.get(at) == 'endbr64', at in calls)
    return out


# What objtool adds for each protection, and the kernel options (old and
# new names) that ask for it. Without a config, the first three, as on the
# hardened test kernels.
PROTECTIONS = (
    ('.orc_unwind_ip', 'ORC entries', ('UNWINDER_ORC',)),
    ('.return_sites', 'return sites (return thunks)', ('RETHUNK', 'MITIGATION_RETHUNK')),
    ('.retpoline_sites', 'indirect-call sites (retpolines)', ('RETPOLINE', 'MITIGATION_RETPOLINE')),
    ('.call_sites', 'call sites (call-depth tracking)',
     ('CALL_DEPTH_TRACKING', 'MITIGATION_CALL_DEPTH_TRACKING')),
    ('.ibt_endbr_seal', 'sealed ENDBR64 (IBT)', ('X86_KERNEL_IBT',)),
)


def check_base(root, module, tap, config):
    ko = os.path.join(root, module + '.ko')
    funcs, secsyms = symbols(ko)
    objs = cxx_objects(root, module)
    objects = [sorted(defined_functions(o) & set(funcs)) for o in objs]
    cxx = set().union(*objects)
    tap.check(f'build_{module}_cxx_functions_found', len(cxx) > 0,
              [f'{len(cxx)} C++ functions in {module}.ko'])
    indirect = any('__x86_indirect_thunk' in run('nm', '-u', o) for o in objs)
    code = disassembly(ko, {n: funcs[n] for n in cxx})
    direct = any(calls for _, calls in code.values())
    secs = set(sections(ko).values())
    for section, what, options in PROTECTIONS[:3] if config is None else PROTECTIONS:
        name = f'build_{module}_cxx' + section.replace('.', '_')
        if config is not None and not config & set(options):
            tap.check(name, True, skip=f'CONFIG_{options[-1]} is not set')
            continue
        need = {'.orc_unwind_ip': 'all', '.retpoline_sites': 'some' if indirect else 'none',
                '.call_sites': 'some' if direct else 'none'}.get(section, 'some')
        present = section in secs
        points = targets(ko, section, funcs, secsyms) if present else []
        hit = covered(funcs, objects, points, inherit=need == 'all')
        notes = [f'{section}: {len(hit)} of {len(cxx)} C++ functions have {what}']
        if need == 'all':
            missing = sorted(cxx - hit)
            notes += [f'missing: {n}' for n in missing[:10]]
            ok = present and not missing
        elif need == 'some':
            ok = present and len(hit) > 0
        else:
            notes.append('the C++ code makes no ' + ('indirect calls' if section == '.retpoline_sites'
                                                      else 'direct calls'))
            ok = True
        tap.check(name, ok, notes)
    if config is not None and 'X86_KERNEL_IBT' in config:
        # -fcf-protection=branch reached the C++ code: every function that
        # C can call (global ones) starts with ENDBR64.
        exported = cxx & global_functions(ko)
        endbr = {n for n, (starts, _) in code.items() if starts}
        missing = sorted(exported - endbr)
        tap.check(f'build_{module}_cxx_endbr', len(exported) > 0 and not missing,
                  [f'{len(endbr)} of {len(cxx)} C++ functions start with ENDBR64, '
                   f'{len(exported) - len(missing)} of {len(exported)} global ones'] +
                  [f'without: {n}' for n in missing[:10]])


def check_debug(root, module, tap):
    missing = []
    objs = cxx_objects(root, module)
    for obj in objs:
        undefined = run('nm', '-u', obj)
        if '__asan_' not in undefined and '__kasan_' not in undefined:
            missing.append(os.path.relpath(obj, root))
    tap.check(f'build_{module}_cxx_kasan_hooks', len(objs) > 0 and not missing,
              [f'{len(objs) - len(missing)} of {len(objs)} C++ objects call the KASAN hooks'] +
              [f'without: {m}' for m in missing])


# A parameter for tests: its name or its description says so.
TEST_PARAM = re.compile(r'^(fail|test|debug)_|\btest', re.I)


def check_shipped(root, module, tap, config):
    ko = os.path.join(root, module + '.ko')
    params = [line.split(':', 1) for line in run('modinfo', '-F', 'parm', ko).splitlines()]
    test = [f'{name}: {desc}' for name, desc in params if TEST_PARAM.search(name + ' ' + desc)]
    tap.check(f'build_{module}_no_test_parameters', not test,
              [f'modinfo {module}.ko: {len(params)} parameters, {len(test)} for tests'] +
              [f'for tests: {t}' for t in test])
    # Module.symvers: crc, symbol, module path, export type, namespace.
    allowed = {'', 'CNXX'}
    if config is None or 'KUNIT' in config:
        allowed.add('EXPORTED_FOR_KUNIT_TESTING')
    exports = {}
    with open(os.path.join(root, 'Module.symvers')) as f:
        for line in f:
            p = line.rstrip('\n').split('\t')
            if len(p) >= 4 and os.path.basename(p[2]) == module:
                ns = p[4] if len(p) > 4 else ''
                exports.setdefault(ns, []).append(p[1])
    other = sorted(ns for ns in exports if ns not in allowed)
    tap.check(f'build_{module}_exports', not other,
              [f'{len(v)} exported in namespace {ns or "(none)"}' for ns, v in sorted(exports.items())] +
              ([] if exports else [f'{module}.ko exports nothing']) +
              [f'not an API namespace: {ns}: {" ".join(exports[ns][:4])}' for ns in other])


def main():
    if len(sys.argv) not in (3, 4) or sys.argv[1] not in ('base', 'debian', 'debug'):
        print(__doc__, file=sys.stderr)
        return 2
    config = read_config(sys.argv[3] if len(sys.argv) == 4 else None)
    tap = Tap()
    for module in MODULES:
        # Kbuild builds no cnxx_proc.ko for PREEMPT_RT (see Kbuild).
        if module == 'cnxx_proc' and config and 'PREEMPT_RT' in config:
            tap.check(f'build_{module}', True, skip='not built for CONFIG_PREEMPT_RT')
            continue
        if sys.argv[1] == 'debug':
            check_debug(sys.argv[2], module, tap)
        else:
            check_base(sys.argv[2], module, tap, config)
        check_shipped(sys.argv[2], module, tap, config)
    return 0 if tap.emit() else 1


if __name__ == '__main__':
    sys.exit(main())
