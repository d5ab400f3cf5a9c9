#!/usr/bin/env python3
"""Checks that the C++ objects of a cnxx build got what the kernel gives C.

    check-objects.py FLAVOR MODULE_DIR

MODULE_DIR is the built module tree (cnxx.ko, kmod/core/*.o, cxxrt/*.o).
Prints KTAP, one case per check:
  base (hardened kernel: IBT, retpolines, return thunks, ORC):
    every C++ function of cnxx.ko is covered by ORC unwind entries,
    C++ functions have return sites (.return_sites) and indirect-call
    sites (.retpoline_sites), as objtool makes for C.
  debug (KASAN kernel):
    every C++ object that touches memory calls the KASAN hooks (__asan_*).
"""
import glob
import os
import re
import subprocess
import sys


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def cxx_objects(root):
    objs = []
    for src in glob.glob(os.path.join(root, 'kmod/core/**/*.cpp'), recursive=True) + \
            glob.glob(os.path.join(root, 'cxxrt/*.cpp')):
        obj = src[:-4] + '.o'
        if os.path.exists(obj):
            objs.append(obj)
    return sorted(objs)


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


def covered(funcs, names, points):
    """Functions among @names with at least one point in their range.

    The range starts at the function's __pfx_ padding where the kernel adds
    one (6.12 with call padding): an ORC entry there covers a function whose
    frame never changes.
    """
    by_section = {}
    for shndx, off in points:
        by_section.setdefault(shndx, []).append(off)
    hit = set()
    for name in names:
        if name not in funcs:
            continue
        shndx, start, size = funcs[name]
        end = start + max(size, 1)
        pfx = funcs.get('__pfx_' + name)
        if pfx and pfx[0] == shndx and pfx[1] < start:
            start = pfx[1]
        if any(start <= off < end for off in by_section.get(shndx, [])):
            hit.add(name)
    return hit


class Tap:
    def __init__(self):
        self.cases = []

    def check(self, name, ok, notes=()):
        self.cases.append((name, ok, list(notes)))

    def emit(self):
        print('KTAP version 1')
        print(f'1..{len(self.cases)}')
        for i, (name, ok, notes) in enumerate(self.cases, 1):
            for n in notes:
                print(f'# {n}')
            print(f'{"ok" if ok else "not ok"} {i} {name}')
        return all(ok for _, ok, _ in self.cases)


def check_base(root, tap):
    ko = os.path.join(root, 'cnxx.ko')
    funcs, secsyms = symbols(ko)
    cxx = set()
    for obj in cxx_objects(root):
        cxx |= defined_functions(obj)
    cxx &= set(funcs)
    tap.check('build_cxx_functions_found', len(cxx) > 0, [f'{len(cxx)} C++ functions in cnxx.ko'])
    secs = set(sections(ko).values())
    for section, need, what in (
            ('.orc_unwind_ip', 'all', 'ORC entries'),
            ('.return_sites', 'some', 'return sites (return thunks)'),
            ('.retpoline_sites', 'some', 'indirect-call sites (retpolines)')):
        present = section in secs
        hit = covered(funcs, cxx, targets(ko, section, funcs, secsyms)) if present else set()
        notes = [f'{section}: {len(hit)} of {len(cxx)} C++ functions have {what}']
        if need == 'all':
            missing = sorted(cxx - hit)
            notes += [f'missing: {n}' for n in missing[:10]]
            ok = present and not missing
        else:
            ok = present and len(hit) > 0
        tap.check('build_cxx' + section.replace('.', '_'), ok, notes)


def check_debug(root, tap):
    missing = []
    objs = cxx_objects(root)
    for obj in objs:
        undefined = run('nm', '-u', obj)
        if '__asan_' not in undefined and '__kasan_' not in undefined:
            missing.append(os.path.relpath(obj, root))
    tap.check('build_cxx_kasan_hooks', len(objs) > 0 and not missing,
              [f'{len(objs) - len(missing)} of {len(objs)} C++ objects call the KASAN hooks'] +
              [f'without: {m}' for m in missing])


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ('base', 'debug'):
        print(__doc__, file=sys.stderr)
        return 2
    tap = Tap()
    (check_base if sys.argv[1] == 'base' else check_debug)(sys.argv[2], tap)
    return 0 if tap.emit() else 1


if __name__ == '__main__':
    sys.exit(main())
