// syscall-entry first: it is the module graph's root (the sys-* handler modules reach it through kernel.js).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isRegisterLayoutKind, registerCount, shapeCompatArgs } from '../../../src/kernel/entry/shape-args.js';
import { ARM64_TABLE, compatTable, logicalRow } from '../../../src/kernel/entry/syscall-entry.js';
import { ARM64_SPECS } from '../../../src/kernel/syscalls/arm64-specs.js';
import { COMPAT_ROWS } from '../../../src/kernel/syscalls/compat-rows.js';
import { compatSpecs } from '../../../src/kernel/syscalls/compat-table.js';
import { ARM_EABI_SYSCALL_COUNT, ARM_EABI_SYSCALL_NUMBERS } from '../../../src/kernel/syscalls/numbers.generated.js';
import { StraceTracer } from '../../../src/kernel/trace/strace-tracer.js';
import { FakeMemory, fakeTask, sink } from '../trace/fake-guest.js';

const COMPAT_TABLE = compatTable();
const COMPAT_SPECS = compatSpecs();

test('every AArch32 EABI number has its row, in number order; unassigned numbers get -ENOSYS rows', () => {
  assert.equal(COMPAT_TABLE.length, ARM_EABI_SYSCALL_COUNT);
  assert.equal(COMPAT_TABLE.length, 451);
  const assigned = new Map<number, string>(Object.entries(ARM_EABI_SYSCALL_NUMBERS).map(([name, nr]) => [nr, name]));
  for (const row of COMPAT_TABLE) {
    const name = assigned.get(row.nr);
    if (name === undefined) {
      assert.equal(row.name, `syscall_${row.nr}`);
      assert.equal(row.handler, undefined);
    } else {
      assert.equal(row.name, name, `row ${row.nr}`);
    }
  }
  // Spot checks against arch/arm/include/uapi/asm/unistd.h.
  const nr = (name: string) => COMPAT_TABLE.find((r) => r.name === name)?.nr;
  assert.deepEqual(
    [nr('getpid'), nr('_llseek'), nr('getdents'), nr('mmap2'), nr('stat64'), nr('fstatat64'), nr('clock_gettime64')],
    [20, 140, 141, 192, 195, 327, 403],
  );
});

test('every assigned number is declared exactly once, with its register kinds', () => {
  const names = COMPAT_ROWS.map((r) => r.name);
  assert.equal(new Set(names).size, names.length, 'a name declared twice');
  assert.deepEqual([...names].sort(), Object.keys(ARM_EABI_SYSCALL_NUMBERS).sort());
  assert.equal(COMPAT_SPECS.length, COMPAT_ROWS.length);
  const order = COMPAT_ROWS.map((r) => ARM_EABI_SYSCALL_NUMBERS[r.name]);
  assert.deepEqual(
    order,
    [...order].sort((a, b) => a - b),
    'rows are declared in number order',
  );
});

test('no row needs more than the six argument registers; pads are followed by a pair', () => {
  for (const row of COMPAT_TABLE) {
    assert.ok(registerCount(row.args) <= 6, `${row.name} uses ${registerCount(row.args)} registers`);
    row.args.forEach((k, i) => {
      if (k === 'pad') assert.match(row.args[i + 1] ?? '', /_pair$/, `${row.name}: pad not before a pair`);
    });
  }
  for (const row of ARM64_TABLE) assert.ok(!row.args.some(isRegisterLayoutKind), `arm64 ${row.name} has EABI kinds`);
});

test('64-bit arguments occupy the registers the EABI prototypes give them', () => {
  // Registers per call, from the compat entry points' prototypes (arch/arm64/kernel/sys32.c, fs/read_write.c…).
  const expected: Record<string, number> = {
    pread64: 6,
    pwrite64: 6,
    truncate64: 4,
    ftruncate64: 4,
    readahead: 5,
    arm_fadvise64_64: 6,
    arm_sync_file_range: 6,
    fallocate: 6,
    _llseek: 5,
    preadv: 5,
    pwritev: 5,
    preadv2: 6,
    pwritev2: 6,
    fanotify_mark: 6,
    lookup_dcookie: 4,
    mmap2: 6,
  };
  for (const [name, regs] of Object.entries(expected)) {
    const row = COMPAT_TABLE.find((r) => r.name === name)!;
    assert.equal(registerCount(row.args), regs, name);
  }
  // …and every row with a pair is one of them.
  for (const row of COMPAT_TABLE) {
    if (row.args.some(isRegisterLayoutKind)) assert.ok(row.name in expected, `${row.name} has a pair`);
  }
});

test('a row that shares an arm64 handler unchanged has the arm64 row kinds, as its handler reads them', () => {
  const native = new Map(ARM64_SPECS.map((s) => [s.name, s]));
  let shared = 0;
  for (const r of COMPAT_ROWS) {
    const s = r.source;
    if (s.kind !== 'native' || s.adapt !== undefined) continue;
    const spec = native.get(s.native ?? r.name);
    if (spec === undefined) continue;
    const row = logicalRow(COMPAT_TABLE[ARM_EABI_SYSCALL_NUMBERS[r.name]]!);
    assert.deepEqual(row.args, spec.args, r.name);
    shared++;
  }
  assert.ok(shared > 50, `only ${shared} rows share an arm64 handler unchanged`);
});

test('shared rows run the arm64 handler itself; missing rows say why', () => {
  const byName = (name: string) => COMPAT_TABLE.find((r) => r.name === name)!;
  const nativeGetpid = ARM64_SPECS.find((s) => s.name === 'getpid')!.handler;
  assert.equal(byName('getpid').handler, nativeGetpid);
  assert.equal(byName('readv').handler, ARM64_SPECS.find((s) => s.name === 'readv')!.handler);
  for (const row of COMPAT_TABLE) {
    if (row.name.startsWith('syscall_')) continue;
    if (row.level === 'missing') {
      assert.equal(row.handler, undefined, row.name);
      assert.ok((row.note ?? '').length > 0, `${row.name} is missing without a reason`);
    } else {
      assert.equal(typeof row.handler, 'function', row.name);
    }
  }
  assert.match(byName('bdflush').note ?? '', /not wired on arm64/);
  assert.equal(byName('stat64').level, 'full');
  assert.equal(byName('mmap2').level, 'full');
});

test('a row whose arm64 handler lacks compat behaviour stays missing until the handler says compatAware', () => {
  for (const r of COMPAT_ROWS) {
    const s = r.source;
    if (s.kind !== 'native' || s.options?.needs === undefined) continue;
    const spec = ARM64_SPECS.find((x) => x.name === (s.native ?? r.name));
    const row = COMPAT_TABLE[ARM_EABI_SYSCALL_NUMBERS[r.name]]!;
    if (spec?.handler !== undefined && spec.compatAware !== true) {
      assert.equal(row.level, 'missing', r.name);
      assert.match(row.note ?? '', /does not follow the compat ABI yet/);
    }
  }
});

test('the trace formats random calls of every compat row in its logical view without throwing', () => {
  let seed = 0x2545f491;
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  const out = sink();
  const tracer = new StraceTracer(out.write, { column: 0 });
  const task = fakeTask(new FakeMemory().put(0x1000, 'x'.repeat(64)));
  let lines = 0;
  for (const data of COMPAT_TABLE) {
    const row = logicalRow(data);
    for (let round = 0; round < 10; round++) {
      const x = new Int32Array(66);
      for (let i = 0; i < 12; i++) x[i] = round % 2 === 0 ? next() | 0 : 0x1000;
      const args = shapeCompatArgs(data.args, x);
      const rec = { row, nr: data.nr, compat: true, args };
      tracer.syscallEnter(task, rec);
      tracer.syscall(task, { ...rec, result: round % 3 === 0 ? -(next() % 4096) : next() });
      const text = out.lines().at(-1)!;
      assert.ok(text.includes(' = '), `${data.name}: ${text}`);
      assert.ok(!text.includes('undefined') && !text.includes('NaN'), `${data.name}: ${text}`);
      lines++;
    }
  }
  assert.ok(lines >= 4510);
  // Pairs are shown joined and pads dropped: pread64(fd, buf, count, offset).
  const pread = COMPAT_TABLE.find((r) => r.name === 'pread64')!;
  assert.deepEqual(logicalRow(pread).args, ['fd', 'buf_out', 'size', 'off']);
});
