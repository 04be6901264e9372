import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MAP_FIXED,
  MAP_GROWSDOWN,
  MAP_NORESERVE,
  MAP_PRIVATE,
  MAP_SHARED,
  PROT_NONE,
  PROT_READ,
  PROT_WRITE,
} from '../../../src/kernel/abi/mman.js';
import { MAX_MAP_COUNT, MMAP_MIN_ADDR } from '../../../src/kernel/mm/memory-map.js';
import { madvise } from '../../../src/kernel/mm/madvise.js';
import { defaultRlimits, RLIMIT_AS } from '../../../src/kernel/task/task.js';
import { AddressSpace } from '../../../src/memory/address-space.js';
import { Access, FaultResult } from '../../../src/memory/guest-fault.js';
import { anon, compat, faults, fresh, mmap, native, PAGE, RW, ranges } from './mm-helpers.js';

const ENOMEM = -12;
const EAGAIN = -11;
const MiB = 1024 * 1024;

test('mmap without a hint goes top-down below mmap_base', () => {
  const mm = fresh();
  const a = anon(mm, 8192);
  assert.equal(a, mm.layout.native.mmapBase - 8192);
  assert.equal(anon(mm, 4096, PROT_READ), a - 4096);
});

test('compat calls place memory below 4 GiB, under mmap_compat_base', () => {
  const mm = fresh();
  const a = mmap(mm, 0, 65536, RW, MAP_PRIVATE, undefined, 0, compat(mm));
  assert.equal(a, 0xf7ff0000 - 65536);
});

test('a free hint is honoured, rounded down to a page; a taken one falls back to the search', () => {
  const mm = fresh();
  assert.equal(anon(mm, 4096, RW, MAP_PRIVATE, 0x10000fff), 0x10000000);
  assert.notEqual(anon(mm, 4096, RW, MAP_PRIVATE, 0x10000000), 0x10000000);
});

test('a hint below mmap_min_addr is raised to mmap_min_addr', () => {
  const mm = fresh();
  assert.equal(anon(mm, 4096, RW, MAP_PRIVATE, 0x1000), MMAP_MIN_ADDR);
});

test('a compat hint is honoured only if the mapping ends at or below 0xfffff000', () => {
  const mm = fresh();
  const c = compat(mm);
  assert.equal(mmap(mm, 0xffffe000, 4096, RW, MAP_PRIVATE, undefined, 0, c), 0xffffe000);
  const r = mmap(mm, 0xfffff000, 4096, RW, MAP_PRIVATE, undefined, 0, c);
  assert.ok(r < 0xf7ff0000, r.toString(16));
});

test('the top-down search falls back to bottom-up from TASK_UNMAPPED_BASE when nothing fits below mmap_base', () => {
  const mm = fresh();
  const base = mm.layout.native.mmapBase;
  const blocker = base - 32 * MiB - MMAP_MIN_ADDR;
  assert.equal(anon(mm, blocker, PROT_NONE, MAP_PRIVATE | MAP_NORESERVE | MAP_FIXED, MMAP_MIN_ADDR), MMAP_MIN_ADDR);
  // 63 MiB: not a multiple of 2 MiB, so no THP alignment.
  assert.equal(anon(mm, 63 * MiB, PROT_NONE, MAP_PRIVATE | MAP_NORESERVE), base - 32 * MiB);
});

test('the legacy layout searches bottom-up from TASK_UNMAPPED_BASE', () => {
  const mm = fresh(256 << 20, { legacy: true });
  assert.equal(anon(mm, 4096), 2 ** 46);
  assert.equal(anon(mm, 4096), 2 ** 46 + 4096);
});

test('adjacent anonymous mappings with the same protection merge into one VMA', () => {
  const mm = fresh();
  const a = anon(mm, 4096);
  const b = anon(mm, 4096);
  assert.equal(b, a - 4096);
  assert.equal(mm.count, 1);
  anon(mm, 4096, PROT_READ);
  assert.equal(mm.count, 2);
});

test('munmap of a partial range splits the VMA', () => {
  const mm = fresh();
  anon(mm, 5 * PAGE, RW, MAP_PRIVATE | MAP_FIXED, 0x20000000);
  assert.equal(mm.munmap(0x20000000 / PAGE + 1, 0x20000000 / PAGE + 3), 0);
  assert.deepEqual(ranges(mm), [
    [0x20000000, 0x20001000],
    [0x20003000, 0x20005000],
  ]);
});

test('munmap spanning several VMAs and holes removes everything in the range', () => {
  const mm = fresh();
  const base = 0x30000000;
  anon(mm, 2 * PAGE, RW, MAP_PRIVATE | MAP_FIXED, base);
  anon(mm, 2 * PAGE, PROT_READ, MAP_PRIVATE | MAP_FIXED, base + 3 * PAGE);
  anon(mm, 2 * PAGE, RW, MAP_PRIVATE | MAP_FIXED, base + 6 * PAGE);
  assert.equal(mm.munmap(base / PAGE + 1, base / PAGE + 7), 0);
  assert.deepEqual(ranges(mm), [
    [base, base + PAGE],
    [base + 7 * PAGE, base + 8 * PAGE],
  ]);
});

test('mprotect of the middle splits into three VMAs, and restoring merges them back', () => {
  const mm = fresh();
  const s = 0x30000000 / PAGE;
  anon(mm, 3 * PAGE, RW, MAP_PRIVATE | MAP_FIXED, 0x30000000);
  assert.equal(mm.mprotect(s + 1, s + 2, PROT_READ, native(mm)), 0);
  assert.equal(mm.count, 3);
  assert.equal(mm.mprotect(s + 1, s + 2, RW, native(mm)), 0);
  assert.equal(mm.count, 1);
});

test('mprotect over a hole changes the VMAs before the hole and then fails with ENOMEM', () => {
  const mm = fresh();
  const s = 0x40000000 / PAGE;
  anon(mm, 2 * PAGE, RW, MAP_PRIVATE | MAP_FIXED, 0x40000000);
  anon(mm, 2 * PAGE, RW, MAP_PRIVATE | MAP_FIXED, 0x40003000);
  assert.equal(mm.mprotect(s, s + 5, PROT_READ, native(mm)), ENOMEM);
  assert.equal(mm.find(s)!.prot, PROT_READ);
  assert.equal(mm.find(s + 3)!.prot, RW);
  assert.equal(mm.mprotect(s + 2, s + 3, PROT_READ, native(mm)), ENOMEM);
});

test('untouched anonymous memory reads zero, writes stick, and a read-only page faults on write', () => {
  const mm = fresh();
  anon(mm, 2 * PAGE, RW, MAP_PRIVATE | MAP_FIXED, 0x40000000);
  assert.equal(mm.as.read32(0x40000010), 0);
  mm.as.write32(0x40000010, 0x12345678);
  assert.equal(mm.as.read32(0x40000010), 0x12345678);
  mm.mprotect(0x40000000 / PAGE, 0x40000000 / PAGE + 1, PROT_READ, native(mm));
  assert.equal(mm.as.read32(0x40000010), 0x12345678);
  assert.ok(faults(() => mm.as.write32(0x40000010, 1)));
  assert.equal(mm.as.faultResult, FaultResult.AccErr);
  assert.ok(faults(() => mm.as.read32(0x50000000)));
  assert.equal(mm.as.faultResult, FaultResult.MapErr);
});

test('PROT_NONE memory faults with SEGV_ACCERR for every access', () => {
  const mm = fresh();
  anon(mm, PAGE, PROT_NONE, MAP_PRIVATE | MAP_FIXED, 0x40000000);
  for (const a of [Access.Read, Access.Write, Access.Exec])
    assert.equal(mm.resolveFault(0x40000000 / PAGE, a), FaultResult.AccErr);
});

test('mmap may take the map count one past vm.max_map_count, as Linux does', () => {
  const mm = fresh();
  for (let i = 0; i < MAX_MAP_COUNT; i++) anon(mm, PAGE, i % 2 ? PROT_READ : RW);
  assert.equal(mm.count, MAX_MAP_COUNT);
  assert.ok(anon(mm, PAGE, RW) > 0);
  assert.equal(mm.count, MAX_MAP_COUNT + 1);
  assert.equal(anon(mm, PAGE, PROT_READ), ENOMEM);
});

test('at vm.max_map_count, munmap of the middle of a VMA fails with ENOMEM; mprotect and madvise splits too', () => {
  const mm = fresh();
  mm.maxMapCount = 10;
  const big = anon(mm, 8 * PAGE);
  for (let i = 0; i < 9; i++)
    anon(mm, PAGE, i % 2 ? PROT_READ : RW, MAP_PRIVATE | MAP_FIXED, 0x50000000 + 2 * i * PAGE);
  assert.equal(mm.count, 10);
  const b = big / PAGE;
  assert.equal(mm.munmap(b + 2, b + 3), ENOMEM);
  assert.equal(mm.mprotect(b + 2, b + 3, PROT_READ, native(mm)), ENOMEM);
  assert.equal(madvise(mm, big + 2 * PAGE, PAGE, 10 /* MADV_DONTFORK */, false), EAGAIN);
  // Unmapping an end only shrinks the VMA: no new VMA is needed.
  assert.equal(mm.munmap(b, b + 1), 0);
  assert.equal(mm.count, 10);
});

test('a fault below the stack grows it; beyond RLIMIT_STACK it is SEGV_MAPERR', () => {
  const mm = fresh();
  mm.stackLimit = 64 * PAGE;
  const top = 0x7000000000;
  assert.ok(mm.map(top - 4 * PAGE, 4 * PAGE, RW, MAP_PRIVATE | MAP_GROWSDOWN, undefined, 0, '[stack]'));
  mm.as.write32(top - 10 * PAGE, 1);
  assert.equal(mm.find(top / PAGE - 10)!.start, top / PAGE - 10);
  assert.equal(mm.resolveFault(top / PAGE - 65, Access.Write), FaultResult.MapErr);
  assert.equal(mm.resolveFault(top / PAGE - 64, Access.Write), FaultResult.Resolved);
});

test('the stack does not grow to within stack_guard_gap of an accessible mapping below it', () => {
  const mm = fresh();
  const top = 0x7000000000;
  mm.map(top - 4 * PAGE, 4 * PAGE, RW, MAP_PRIVATE | MAP_GROWSDOWN, undefined, 0, '[stack]');
  anon(mm, PAGE, RW, MAP_PRIVATE | MAP_FIXED, top - 300 * PAGE);
  const below = top / PAGE - 299;
  assert.equal(mm.resolveFault(below + 255, Access.Write), FaultResult.MapErr);
  assert.equal(mm.resolveFault(below + 256, Access.Write), FaultResult.Resolved);
  // A PROT_NONE mapping is not "accessible": it does not block growth.
  const mm2 = fresh();
  mm2.map(top - 4 * PAGE, 4 * PAGE, RW, MAP_PRIVATE | MAP_GROWSDOWN, undefined, 0, '[stack]');
  anon(mm2, PAGE, PROT_NONE, MAP_PRIVATE | MAP_FIXED, top - 300 * PAGE);
  assert.equal(mm2.resolveFault(top / PAGE - 290, Access.Write), FaultResult.Resolved);
});

test('a hinted mmap is not placed inside the stack guard gap', () => {
  const mm = fresh();
  const top = 0x7000000000;
  mm.map(top - 4 * PAGE, 4 * PAGE, RW, MAP_PRIVATE | MAP_GROWSDOWN, undefined, 0, '[stack]');
  assert.notEqual(anon(mm, PAGE, RW, MAP_PRIVATE, top - 5 * PAGE), top - 5 * PAGE);
  assert.equal(anon(mm, PAGE, RW, MAP_PRIVATE, top - 261 * PAGE), top - 261 * PAGE);
});

test('RLIMIT_AS refuses new mappings with ENOMEM, counting the pages a MAP_FIXED mapping replaces', () => {
  const mm = fresh();
  const r = defaultRlimits();
  r[RLIMIT_AS] = [16 * PAGE, 16 * PAGE];
  const c = native(mm, r);
  const a = mmap(mm, 0, 12 * PAGE, RW, MAP_PRIVATE, undefined, 0, c);
  assert.ok(a > 0);
  assert.equal(mmap(mm, 0, 8 * PAGE, RW, MAP_PRIVATE, undefined, 0, c), ENOMEM);
  assert.equal(mmap(mm, a, 8 * PAGE, RW, MAP_PRIVATE | MAP_FIXED, undefined, 0, c), a);
});

test('a 1 TiB PROT_NONE MAP_NORESERVE reservation costs no memory and no page-table entries', () => {
  const mm = fresh(64 << 20);
  const before = mm.as.phys.framesInUse;
  const a = anon(mm, 2 ** 40, PROT_NONE, MAP_PRIVATE | MAP_NORESERVE);
  assert.ok(a > 0);
  assert.equal(mm.as.presentCount, 0);
  // Open a window, touch it, and unmap the whole reservation quickly.
  assert.equal(mm.mprotect(a / PAGE, a / PAGE + 4, RW, native(mm)), 0);
  mm.as.write32(a + 8, 7);
  assert.equal(mm.as.presentCount, 1);
  const t0 = performance.now();
  assert.equal(mm.munmap(a / PAGE, (a + 2 ** 40) / PAGE), 0);
  assert.ok(performance.now() - t0 < 200);
  assert.equal(mm.as.phys.framesInUse, before);
});

test('a private writable mapping larger than all memory is refused without MAP_NORESERVE (heuristic overcommit)', () => {
  const mm = fresh(64 << 20);
  assert.equal(anon(mm, 2 ** 40), ENOMEM);
  assert.ok(anon(mm, 2 ** 40, RW, MAP_PRIVATE | MAP_NORESERVE) > 0);
});

test('touching more memory than the emulator cap faults (SIGBUS) and marks the map out of memory', () => {
  const mm = fresh(8 << 20);
  const a = anon(mm, 16 * MiB, RW, MAP_PRIVATE | MAP_NORESERVE);
  let failed = -1;
  for (let i = 0; i < 16 * MiB; i += PAGE) {
    if (faults(() => mm.as.write8(a + i, 1))) {
      failed = i;
      break;
    }
  }
  assert.ok(failed > 0 && failed < 8 * MiB);
  assert.equal(mm.as.faultResult, FaultResult.BusErr);
  assert.ok(mm.outOfMemory);
});

test('large native anonymous mappings are 2 MiB aligned (THP), compat ones are not', () => {
  const mm = fresh();
  anon(mm, PAGE);
  const a = anon(mm, 4 * MiB);
  assert.equal(a % (2 * MiB), 0);
  const c = mmap(mm, 0, 4 * MiB, RW, MAP_PRIVATE, undefined, 0, compat(mm));
  assert.equal(c, 0xf7ff0000 - 4 * MiB);
});

test('fork shares private pages copy-on-write: a write on either side is private to it', () => {
  const mm = fresh();
  const a = anon(mm, 2 * PAGE);
  mm.as.write32(a, 111);
  const child = mm.fork(new AddressSpace(mm.as.phys));
  const frame = Math.floor(mm.as.pte(a / PAGE) / 8);
  assert.equal(Math.floor(child.as.pte(a / PAGE) / 8), frame);
  assert.equal(mm.as.phys.refCount(frame), 2);
  child.as.write32(a, 222);
  assert.equal(mm.as.read32(a), 111);
  assert.equal(child.as.read32(a), 222);
  mm.as.write32(a, 333);
  assert.equal(child.as.read32(a), 222);
  assert.equal(mm.as.phys.refCount(frame), 1);
});

test('MAP_SHARED anonymous memory stays shared across fork, even pages touched only after it', () => {
  const mm = fresh();
  const a = anon(mm, 2 * PAGE, RW, MAP_SHARED);
  mm.as.write32(a, 5);
  const child = mm.fork(new AddressSpace(mm.as.phys));
  child.as.write32(a, 6);
  assert.equal(mm.as.read32(a), 6);
  child.as.write32(a + PAGE, 7);
  assert.equal(mm.as.read32(a + PAGE), 7);
});

test('MADV_DONTFORK areas are absent in the child; MADV_WIPEONFORK areas are zero there', () => {
  const mm = fresh();
  const a = anon(mm, PAGE, RW, MAP_PRIVATE | MAP_FIXED, 0x60000000);
  const b = anon(mm, PAGE, RW, MAP_PRIVATE | MAP_FIXED, 0x60010000);
  mm.as.write32(a, 1);
  mm.as.write32(b, 2);
  assert.equal(madvise(mm, a, PAGE, 10 /* MADV_DONTFORK */, false), 0);
  assert.equal(madvise(mm, b, PAGE, 18 /* MADV_WIPEONFORK */, false), 0);
  const child = mm.fork(new AddressSpace(mm.as.phys));
  assert.equal(child.find(a / PAGE), undefined);
  assert.equal(child.as.read32(b), 0);
  assert.equal(mm.as.read32(b), 2);
});

test('exit (clear) gives every frame back', () => {
  const mm = fresh();
  const before = mm.as.phys.framesInUse;
  const a = anon(mm, 64 * PAGE);
  for (let i = 0; i < 64; i++) mm.as.write8(a + i * PAGE, i);
  anon(mm, 4 * PAGE, RW, MAP_SHARED);
  mm.clear();
  assert.equal(mm.count, 0);
  assert.equal(mm.as.phys.framesInUse, before);
  assert.equal(mm.totalVm, 0);
});

test('total_vm and its parts follow Linux: data for private writable, stack for grows-down', () => {
  const mm = fresh();
  anon(mm, 4 * PAGE);
  anon(mm, 2 * PAGE, PROT_READ);
  mm.map(0x7000000000, 8 * PAGE, RW, MAP_PRIVATE | MAP_GROWSDOWN, undefined, 0, '[stack]');
  assert.equal(mm.totalVm, 14);
  assert.equal(mm.dataVm, 4);
  assert.equal(mm.stackVm, 8);
  void PROT_WRITE;
});
