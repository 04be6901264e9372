#!/usr/bin/env python3
"""Runs A64 snippets under qemu-aarch64 and prints the register results as TS test-case literals.

Used to record the expected values of the AdvSIMD tests (see gen-test.py). Needs aarch64-linux-gnu-gcc
and qemu-aarch64. All snippets of a case file run in one static binary, each on fresh registers.

Input: a python file defining CASES = [dict(asm=..., v={n: hex}, x={n: int}, out=[...]), ...]
  v: initial vector registers (hex, lane-0 byte first, 32 hex chars); others get the default pattern
  x: initial X registers (ints); 'M+off' strings mean the memory buffer address plus off
  out: list of things to report: 'v3' (vector reg), 'x1' (x reg; memory-relative when in buffer),
       'qc', 'mem:off:len'
Default vector byte (r, i) = ((r*16+i)*0x9d + 0x35) & 0xff; default memory byte j = (j*0x3b + 0x11) & 0xff.
"""
import json
import os
import struct
import subprocess
import sys
import tempfile

MEMSIZE = 512


def vdefault(r):
    return bytes((((r * 16 + i) * 0x9D + 0x35) & 0xFF) for i in range(16))


def memdefault():
    return bytes(((j * 0x3B + 0x11) & 0xFF) for j in range(MEMSIZE))


def hexbytes(b):
    return b.hex()


def la(reg, sym):
    return 'adrp %s, %s\nadd %s, %s, :lo12:%s' % (reg, sym, reg, reg, sym)


def build(cases):
    s = ['.arch armv8-a+crc+crypto', '.text', '.global _start', '_start:']
    data = ['.data', '.balign 4096', 'membuf: .fill %d,1,0' % MEMSIZE, '.balign 16', 'dump: .fill 1024,1,0']
    for k, c in enumerate(cases):
        # init memory
        s += [la('x9', 'meminit%d' % k), la('x10', 'membuf'), 'mov x11, #%d' % MEMSIZE,
              '1: ldrb w12, [x9], #1', 'strb w12, [x10], #1', 'subs x11, x11, #1', 'b.ne 1b',
              la('x9', 'vinit%d' % k)]
        for r in range(0, 32, 4):
            s.append('ld1 {v%d.16b-v%d.16b}, [x9], #64' % (r, r + 3))
        s += ['msr fpsr, xzr', la('x9', 'dump'), 'mov sp, x9', la('x30', 'xinit%d' % k)]
        for r in range(0, 30, 2):
            s.append('ldp x%d, x%d, [x30, #%d]' % (r, r + 1, r * 8))
        s.append('ldr x30, [x30, #240]')
        s.append(c['asm'])
        for r in range(0, 30, 2):
            s.append('stp x%d, x%d, [sp, #%d]' % (r, r + 1, r * 8))
        s += ['str x30, [sp, #240]', 'mrs x0, fpsr', 'str x0, [sp, #248]', 'add x0, sp, #256']
        for r in range(0, 32, 4):
            s.append('st1 {v%d.16b-v%d.16b}, [x0], #64' % (r, r + 3))
        s += ['mov x0, #1', 'mov x1, sp', 'mov x2, #768', 'mov x8, #64', 'svc #0',
              'mov x0, #1', la('x1', 'membuf'), 'mov x2, #%d' % MEMSIZE, 'mov x8, #64', 'svc #0']
        for r, h in c.get('v', {}).items():
            assert len(h) == 32, (c['asm'], r, h)
        vb = b''.join(bytes.fromhex(c.get('v', {}).get(r, '')) if r in c.get('v', {}) else vdefault(r) for r in range(32))
        data.append('.balign 16')
        data.append('vinit%d: .byte %s' % (k, ','.join(str(b) for b in vb)))
        xs = []
        for r in range(31):
            val = c.get('x', {}).get(r, 0)
            if isinstance(val, str) and val.startswith('M'):
                xs.append('membuf+%d' % int(val[2:] or '0'))
            else:
                xs.append(str(val & 0xFFFFFFFFFFFFFFFF))
        data.append('.balign 8')
        data.append('xinit%d: .quad %s' % (k, ','.join(xs)))
        m = c.get('mem', memdefault())
        data.append('meminit%d: .byte %s' % (k, ','.join(str(b) for b in m)))
    s += ['mov x0, #0', 'mov x8, #93', 'svc #0']
    return '\n'.join(s + data) + '\n'


def run(cases):
    d = tempfile.mkdtemp()
    src = os.path.join(d, 'a.S')
    exe = os.path.join(d, 'a')
    with open(src, 'w') as f:
        f.write(build(cases))
    subprocess.check_call(['aarch64-linux-gnu-gcc', '-nostdlib', '-static', '-o', exe, src])
    addr = int(subprocess.check_output(['aarch64-linux-gnu-nm', exe]).decode().split('membuf')[0].split('\n')[-1].split()[0], 16)
    out = subprocess.check_output(['qemu-aarch64', exe])
    res = []
    per = 768 + MEMSIZE
    for k, c in enumerate(cases):
        blk = out[k * per:(k + 1) * per]
        xs = struct.unpack('<31Q', blk[:248])
        fpsr = struct.unpack('<Q', blk[248:256])[0]
        vs = [blk[256 + 16 * r:256 + 16 * r + 16] for r in range(32)]
        mem = blk[768:768 + MEMSIZE]
        r = {}
        for o in c['out']:
            if o.startswith('v'):
                r[o] = vs[int(o[1:])].hex()
            elif o.startswith('x'):
                v = xs[int(o[1:])]
                if addr <= v < addr + 4096:
                    r[o] = 'M+%d' % (v - addr)
                else:
                    r[o] = '0x%x' % v
            elif o == 'qc':
                r[o] = (fpsr >> 27) & 1
            elif o.startswith('mem'):
                _, off, ln = o.split(':')
                r[o] = mem[int(off):int(off) + int(ln)].hex()
        res.append(r)
    return res


def ts_case(c, r):
    parts = ['asm: %s' % json.dumps(c['asm'])]
    if c.get('v'):
        parts.append('v: {%s}' % ', '.join('%d: %s' % (k, json.dumps(v)) for k, v in c['v'].items()))
    if c.get('x'):
        parts.append('x: {%s}' % ', '.join('%d: %s' % (k, json.dumps(v) if isinstance(v, str) else '0x%xn' % (v & 0xFFFFFFFFFFFFFFFF)) for k, v in c['x'].items()))
    if 'mem' in c:
        parts.append('mem: %s' % json.dumps(c['mem'].hex()))
    parts.append('expect: {%s}' % ', '.join('%s: %s' % (k if k.isidentifier() else json.dumps(k), json.dumps(v) if isinstance(v, str) else v) for k, v in r.items()))
    return '  { %s },' % ', '.join(parts)


if __name__ == '__main__':
    case_file = os.path.abspath(sys.argv[1])
    # Case files include cases/common.py by a path relative to this directory.
    os.chdir(os.path.dirname(os.path.abspath(__file__)))
    ns = {}
    exec(open(case_file).read(), ns)
    cases = ns['CASES']
    res = run(cases)
    for c, r in zip(cases, res):
        print(ts_case(c, r))
