import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MADV_DONTNEED,
  MADV_FREE,
  MADV_POPULATE_READ,
  MADV_POPULATE_WRITE,
  MADV_REMOVE,
  MADV_WIPEONFORK,
  MAP_FIXED,
  MAP_PRIVATE,
  MAP_SHARED,
  MREMAP_DONTUNMAP,
  MREMAP_FIXED,
  MREMAP_MAYMOVE,
  PROT_NONE,
  PROT_READ,
} from '../../../src/kernel/abi/mman.js';
import { madvise } from '../../../src/kernel/mm/madvise.js';
import {
  doMlock,
  MCL_CURRENT,
  MCL_FUTURE,
  mlock2,
  mlockall,
  munlock,
  munlockall,
} from '../../../src/kernel/mm/mlock.js';
import { mremap } from '../../../src/kernel/mm/mremap.js';
import { VM_LOCKED, VM_LOCKONFAULT } from '../../../src/kernel/mm/vma.js';
import { defaultRlimits, RLIMIT_MEMLOCK } from '../../../src/kernel/task/task.js';
import { anon, compat, fresh, MemFile, mmap, native, PAGE, RW } from './mm-helpers.js';

const EPERM = -1;
const EAGAIN = -11;
const ENOMEM = -12;
const EFAULT = -14;
const EINVAL = -22;

test('mremap grows in place when the pages above are free, and shrinks in place', () => {
  const mm = fresh();
  const a = anon(mm, 4 * PAGE, RW, MAP_PRIVATE | MAP_FIXED, 0x40000000);
  mm.as.write32(a, 42);
  assert.equal(mremap(mm, native(mm), a, 4 * PAGE, 8 * PAGE, 0, 0), a);
  assert.equal(mm.count, 1);
  assert.equal(mm.find(a / PAGE)!.end, a / PAGE + 8);
  assert.equal(mremap(mm, native(mm), a, 8 * PAGE, 2 * PAGE, 0, 0), a);
  assert.equal(mm.find(a / PAGE)!.end, a / PAGE + 2);
  assert.equal(mm.as.read32(a), 42);
});

test('mremap without MREMAP_MAYMOVE cannot grow into a taken range (ENOMEM); with it the pages move', () => {
  const mm = fresh();
  const a = anon(mm, 2 * PAGE, RW, MAP_PRIVATE | MAP_FIXED, 0x40000000);
  anon(mm, PAGE, PROT_READ, MAP_PRIVATE | MAP_FIXED, 0x40002000);
  mm.as.write32(a + PAGE, 77);
  const frame = Math.floor(mm.as.pte(a / PAGE + 1) / 8);
  assert.equal(mremap(mm, native(mm), a, 2 * PAGE, 4 * PAGE, 0, 0), ENOMEM);
  const b = mremap(mm, native(mm), a, 2 * PAGE, 4 * PAGE, MREMAP_MAYMOVE, 0);
  assert.ok(b > 0 && b !== a);
  assert.equal(mm.as.read32(b + PAGE), 77);
  assert.equal(Math.floor(mm.as.pte(b / PAGE + 1) / 8), frame);
  assert.equal(mm.find(a / PAGE), undefined);
});

test('a compat mremap move lands below 4 GiB', () => {
  const mm = fresh();
  const a = anon(mm, PAGE, RW, MAP_PRIVATE | MAP_FIXED, 0x40000000);
  anon(mm, PAGE, PROT_READ, MAP_PRIVATE | MAP_FIXED, 0x40001000);
  const b = mremap(mm, compat(mm), a, PAGE, 2 * PAGE, MREMAP_MAYMOVE, 0);
  assert.ok(b > 0 && b + 2 * PAGE <= 0xf7ff0000, b.toString(16));
});

test('mremap checks: unaligned address or unknown flags EINVAL, FIXED without MAYMOVE EINVAL, unmapped address EFAULT, overlap EINVAL', () => {
  const mm = fresh();
  const a = anon(mm, 2 * PAGE, RW, MAP_PRIVATE | MAP_FIXED, 0x40000000);
  const c = native(mm);
  assert.equal(mremap(mm, c, a + 1, PAGE, PAGE, 0, 0), EINVAL);
  assert.equal(mremap(mm, c, a, PAGE, PAGE, 8, 0), EINVAL);
  assert.equal(mremap(mm, c, a, PAGE, PAGE, MREMAP_FIXED, 0x50000000), EINVAL);
  assert.equal(mremap(mm, c, 0x60000000, PAGE, 2 * PAGE, MREMAP_MAYMOVE, 0), EFAULT);
  assert.equal(mremap(mm, c, a, 3 * PAGE, 4 * PAGE, MREMAP_MAYMOVE, 0), EFAULT);
  assert.equal(mremap(mm, c, a, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, a + PAGE), EINVAL);
  // A zero old length only duplicates shared mappings.
  assert.equal(mremap(mm, c, a, 0, PAGE, MREMAP_MAYMOVE, 0), EINVAL);
});

test('MREMAP_FIXED replaces what is at the destination', () => {
  const mm = fresh();
  const a = anon(mm, PAGE, RW, MAP_PRIVATE | MAP_FIXED, 0x40000000);
  const d = anon(mm, 2 * PAGE, RW, MAP_PRIVATE | MAP_FIXED, 0x50000000);
  mm.as.write32(a, 1);
  mm.as.write32(d, 2);
  mm.as.write32(d + PAGE, 3);
  assert.equal(mremap(mm, native(mm), a, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, d), d);
  assert.equal(mm.as.read32(d), 1);
  assert.equal(mm.as.read32(d + PAGE), 3);
  assert.equal(mm.find(a / PAGE), undefined);
});

test('MREMAP_DONTUNMAP moves the pages and leaves the old range mapped and empty', () => {
  const mm = fresh();
  const a = anon(mm, PAGE, RW, MAP_PRIVATE | MAP_FIXED, 0x40000000);
  mm.as.write32(a, 5);
  assert.equal(mremap(mm, native(mm), a, PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0), EINVAL);
  const b = mremap(mm, native(mm), a, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0);
  assert.ok(b > 0 && b !== a);
  assert.equal(mm.as.read32(b), 5);
  assert.equal(mm.as.read32(a), 0);
});

test('mremap of a zero old length duplicates a shared mapping', () => {
  const mm = fresh();
  const a = anon(mm, PAGE, RW, MAP_SHARED);
  mm.as.write32(a, 9);
  const b = mremap(mm, native(mm), a, 0, PAGE, MREMAP_MAYMOVE, 0);
  assert.ok(b > 0 && b !== a);
  assert.equal(mm.as.read32(b), 9);
  mm.as.write32(b, 10);
  assert.equal(mm.as.read32(a), 10);
});

test('MADV_DONTNEED zero-fills private anonymous memory and refetches file pages', () => {
  const mm = fresh();
  const a = anon(mm, 2 * PAGE);
  mm.as.write32(a, 1);
  mm.as.write32(a + PAGE, 2);
  assert.equal(madvise(mm, a, 2 * PAGE, MADV_DONTNEED, false), 0);
  assert.equal(mm.as.read32(a), 0);
  assert.equal(mm.as.read32(a + PAGE), 0);
  const file = new MemFile(PAGE);
  const f = mmap(mm, 0, PAGE, RW, MAP_PRIVATE, { backing: file, readable: true, writable: true });
  mm.as.write8(f, 0xaa);
  assert.equal(madvise(mm, f, PAGE, MADV_DONTNEED, false), 0);
  assert.equal(mm.as.read8(f), file.data[0]);
});

test('MADV_DONTNEED keeps MAP_SHARED data (it lives in the object)', () => {
  const mm = fresh();
  const a = anon(mm, PAGE, RW, MAP_SHARED);
  mm.as.write32(a, 3);
  assert.equal(madvise(mm, a, PAGE, MADV_DONTNEED, false), 0);
  assert.equal(mm.as.read32(a), 3);
});

test('MADV_FREE is for private anonymous memory only (EINVAL on shared); MADV_REMOVE punches a hole in shared memory', () => {
  const mm = fresh();
  const s = anon(mm, PAGE, RW, MAP_SHARED);
  assert.equal(madvise(mm, s, PAGE, MADV_FREE, false), EINVAL);
  mm.as.write32(s, 3);
  assert.equal(madvise(mm, s, PAGE, MADV_REMOVE, false), 0);
  assert.equal(mm.as.read32(s), 0);
  const p = anon(mm, PAGE);
  assert.equal(madvise(mm, p, PAGE, MADV_FREE, false), 0);
  assert.equal(madvise(mm, p, PAGE, MADV_REMOVE, false), EINVAL);
});

test('madvise: unaligned start or unknown advice EINVAL; a hole in the range ENOMEM after advising the rest; WIPEONFORK on shared EINVAL', () => {
  const mm = fresh();
  const a = anon(mm, PAGE, RW, MAP_PRIVATE | MAP_FIXED, 0x40000000);
  assert.equal(madvise(mm, a + 1, PAGE, MADV_DONTNEED, false), EINVAL);
  assert.equal(madvise(mm, a, PAGE, 77, false), EINVAL);
  mm.as.write32(a, 4);
  assert.equal(madvise(mm, a, 3 * PAGE, MADV_DONTNEED, false), ENOMEM);
  assert.equal(mm.as.read32(a), 0);
  const s = anon(mm, PAGE, RW, MAP_SHARED);
  assert.equal(madvise(mm, s, PAGE, MADV_WIPEONFORK, false), EINVAL);
  assert.equal(madvise(mm, a, 0, 77, false), EINVAL);
  assert.equal(madvise(mm, a, 0, MADV_DONTNEED, false), 0);
});

test('MADV_POPULATE_READ/WRITE fault pages in; a hole is ENOMEM, PROT_NONE EINVAL', () => {
  const mm = fresh();
  const a = anon(mm, 4 * PAGE, RW, MAP_PRIVATE | MAP_FIXED, 0x40000000);
  assert.equal(madvise(mm, a, 4 * PAGE, MADV_POPULATE_WRITE, false), 0);
  assert.equal(mm.as.presentCount, 4);
  assert.equal(madvise(mm, a, 5 * PAGE, MADV_POPULATE_READ, false), ENOMEM);
  const n = anon(mm, PAGE, PROT_NONE);
  assert.equal(madvise(mm, n, PAGE, MADV_POPULATE_READ, false), EINVAL);
  const r = anon(mm, PAGE, PROT_READ);
  assert.equal(madvise(mm, r, PAGE, MADV_POPULATE_WRITE, false), EINVAL);
});

test('mlock accounts VmLck against RLIMIT_MEMLOCK and faults the pages in; munlock gives them back', () => {
  const mm = fresh();
  const r = defaultRlimits();
  r[RLIMIT_MEMLOCK] = [8 * PAGE, 8 * PAGE];
  const c = native(mm, r);
  const a = anon(mm, 16 * PAGE, RW, MAP_PRIVATE | MAP_FIXED, 0x40000000);
  assert.equal(doMlock(mm, c, a + 100, 2 * PAGE, VM_LOCKED), 0);
  assert.equal(mm.lockedVm, 3);
  assert.equal(mm.count, 2);
  assert.equal(mm.as.presentCount, 3);
  // Pages already locked do not count twice against the limit.
  assert.equal(doMlock(mm, c, a, 8 * PAGE, VM_LOCKED), 0);
  assert.equal(mm.lockedVm, 8);
  assert.equal(doMlock(mm, c, a + 8 * PAGE, PAGE, VM_LOCKED), ENOMEM);
  assert.equal(munlock(mm, a, 16 * PAGE), 0);
  assert.equal(mm.lockedVm, 0);
  assert.equal(mm.count, 1);
  // Privileged callers are not limited.
  assert.equal(doMlock(mm, native(mm, r, true), a, 16 * PAGE, VM_LOCKED), 0);
  r[RLIMIT_MEMLOCK] = [0, 0];
  assert.equal(doMlock(mm, c, a, PAGE, VM_LOCKED), EPERM);
});

test('mlock of an unmapped range is ENOMEM; mlock2 with MLOCK_ONFAULT locks without faulting in', () => {
  const mm = fresh();
  const c = native(mm);
  assert.equal(doMlock(mm, c, 0x40000000, PAGE, VM_LOCKED), ENOMEM);
  const a = anon(mm, 4 * PAGE);
  assert.equal(mlock2(mm, c, a, 4 * PAGE, 2), EINVAL);
  assert.equal(mlock2(mm, c, a, 4 * PAGE, 1), 0);
  assert.equal(mm.find(a / PAGE)!.vmFlags & VM_LOCKONFAULT, VM_LOCKONFAULT);
  assert.equal(mm.as.presentCount, 0);
});

test('mlockall(MCL_CURRENT|MCL_FUTURE) locks what is mapped and what will be; munlockall undoes both', () => {
  const mm = fresh();
  const c = native(mm, defaultRlimits(), true);
  anon(mm, 2 * PAGE);
  assert.equal(mlockall(mm, c, 0), EINVAL);
  assert.equal(mlockall(mm, c, 4), EINVAL);
  assert.equal(mlockall(mm, c, MCL_CURRENT | MCL_FUTURE), 0);
  assert.equal(mm.lockedVm, 2);
  anon(mm, 3 * PAGE, PROT_READ);
  assert.equal(mm.lockedVm, 5);
  assert.equal(munlockall(mm), 0);
  assert.equal(mm.lockedVm, 0);
  assert.equal(mm.defFlags, 0);
  void EAGAIN;
});
