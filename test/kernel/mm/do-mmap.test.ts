import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MAP_FIXED,
  MAP_FIXED_NOREPLACE,
  MAP_GROWSDOWN,
  MAP_HUGETLB,
  MAP_LOCKED,
  MAP_NORESERVE,
  MAP_POPULATE,
  MAP_PRIVATE,
  MAP_SHARED,
  MAP_SHARED_VALIDATE,
  PROT_READ,
  PROT_WRITE,
} from '../../../src/kernel/abi/mman.js';
import { MMAP_MIN_ADDR } from '../../../src/kernel/mm/memory-map.js';
import { defaultRlimits, RLIMIT_MEMLOCK } from '../../../src/kernel/task/task.js';
import { Access, FaultResult } from '../../../src/memory/guest-fault.js';
import { anon, fresh, MemFile, mmap, native, PAGE, pools, RW } from './mm-helpers.js';

const EPERM = -1;
const EAGAIN = -11;
const ENOMEM = -12;
const EACCES = -13;
const EEXIST = -17;
const EINVAL = -22;
const EOPNOTSUPP = -95;
const MiB = 1024 * 1024;

test('mmap of length 0, of an unaligned offset or without a mapping type fails with EINVAL', () => {
  const mm = fresh();
  assert.equal(mmap(mm, 0, 0, RW, MAP_PRIVATE), EINVAL);
  assert.equal(mmap(mm, 0, PAGE, RW, MAP_PRIVATE, undefined, 100), EINVAL);
  assert.equal(mmap(mm, 0, PAGE, RW, 0), EINVAL);
  assert.equal(mmap(mm, 0, PAGE, RW, MAP_SHARED_VALIDATE), EINVAL);
});

test('MAP_FIXED needs a page-aligned address (EINVAL) at or above dac_mmap_min_addr, 4096 on Debian arm64 (EPERM unless privileged)', () => {
  const mm = fresh();
  assert.equal(anon(mm, PAGE, RW, MAP_PRIVATE | MAP_FIXED, 0x10000010), EINVAL);
  assert.equal(anon(mm, PAGE, RW, MAP_PRIVATE | MAP_FIXED, 0), EPERM);
  assert.equal(anon(mm, PAGE, RW, MAP_PRIVATE | MAP_FIXED, 0x1000), 0x1000);
  assert.equal(mmap(mm, 0, PAGE, RW, MAP_PRIVATE | MAP_FIXED, undefined, 0, native(mm, defaultRlimits(), true)), 0);
  assert.equal(anon(mm, PAGE, RW, MAP_PRIVATE | MAP_FIXED, MMAP_MIN_ADDR), MMAP_MIN_ADDR);
});

test('MAP_FIXED_NOREPLACE over an existing mapping fails with EEXIST and changes nothing', () => {
  const mm = fresh();
  const a = anon(mm, 2 * PAGE);
  mm.as.write32(a, 9);
  assert.equal(anon(mm, PAGE, RW, MAP_PRIVATE | MAP_FIXED_NOREPLACE, a + PAGE), EEXIST);
  assert.equal(mm.as.read32(a), 9);
  assert.equal(anon(mm, PAGE, RW, MAP_PRIVATE | MAP_FIXED_NOREPLACE, a + 2 * PAGE), a + 2 * PAGE);
});

test('MAP_FIXED replaces what was there with fresh zero pages', () => {
  const mm = fresh();
  const a = anon(mm, 2 * PAGE);
  mm.as.write32(a + PAGE, 9);
  assert.equal(anon(mm, PAGE, RW, MAP_PRIVATE | MAP_FIXED, a + PAGE), a + PAGE);
  assert.equal(mm.as.read32(a + PAGE), 0);
});

test('MAP_SHARED_VALIDATE refuses unknown flags with EOPNOTSUPP; MAP_SHARED ignores them', () => {
  const mm = fresh();
  const f = { backing: new MemFile(PAGE), readable: true, writable: true };
  assert.equal(mmap(mm, 0, PAGE, RW, MAP_SHARED_VALIDATE | 0x200000, f), EOPNOTSUPP);
  assert.ok(mmap(mm, 0, PAGE, RW, MAP_SHARED | 0x200000, f) > 0);
});

test('MAP_GROWSDOWN with MAP_SHARED anonymous memory or a file is EINVAL', () => {
  const mm = fresh();
  assert.equal(anon(mm, PAGE, RW, MAP_SHARED | MAP_GROWSDOWN), EINVAL);
  const f = { backing: new MemFile(PAGE), readable: true, writable: true };
  assert.equal(mmap(mm, 0, PAGE, RW, MAP_PRIVATE | MAP_GROWSDOWN, f), EINVAL);
});

test('file access modes: shared writable needs write access, any mapping needs read access (EACCES)', () => {
  const mm = fresh();
  const file = new MemFile(PAGE);
  assert.equal(mmap(mm, 0, PAGE, RW, MAP_SHARED, { backing: file, readable: true, writable: false }), EACCES);
  assert.equal(mmap(mm, 0, PAGE, PROT_READ, MAP_PRIVATE, { backing: file, readable: false, writable: true }), EACCES);
  // A private writable mapping of a read-only file is fine (copy-on-write).
  assert.ok(mmap(mm, 0, PAGE, RW, MAP_PRIVATE, { backing: file, readable: true, writable: false }) > 0);
  // A shared read-only mapping of a read-only file cannot be made writable later.
  const s = mmap(mm, 0, PAGE, PROT_READ, MAP_SHARED, { backing: file, readable: true, writable: false });
  assert.equal(mm.mprotect(s / PAGE, s / PAGE + 1, RW, native(mm)), EACCES);
});

test('a file with no mmap gives ENODEV', () => {
  const mm = fresh();
  assert.equal(mmap(mm, 0, PAGE, PROT_READ, MAP_PRIVATE, { backing: undefined, readable: true, writable: true }), -19);
});

test('a page of a file mapping wholly beyond the end of the file is SIGBUS; the partial last page reads zeros after EOF', () => {
  const mm = fresh();
  const file = new MemFile(PAGE + 100);
  const a = mmap(mm, 0, 3 * PAGE, PROT_READ, MAP_PRIVATE, { backing: file, readable: true, writable: true });
  assert.equal(mm.as.read8(a + PAGE + 99), file.data[PAGE + 99]);
  assert.equal(mm.as.read8(a + PAGE + 100), 0);
  assert.equal(mm.resolveFault(a / PAGE + 2, Access.Read), FaultResult.BusErr);
});

test('MAP_POPULATE faults every page in at once', () => {
  const mm = fresh();
  const a = anon(mm, 8 * PAGE, RW, MAP_PRIVATE | MAP_POPULATE);
  assert.equal(mm.as.presentCount, 8);
  assert.ok(mm.as.pte(a / PAGE) >= 0);
});

test('MAP_LOCKED beyond RLIMIT_MEMLOCK fails with EAGAIN; with a zero limit EPERM', () => {
  const mm = fresh();
  const r = defaultRlimits();
  r[RLIMIT_MEMLOCK] = [4 * PAGE, 4 * PAGE];
  const c = native(mm, r);
  assert.equal(mmap(mm, 0, 8 * PAGE, RW, MAP_PRIVATE | MAP_LOCKED, undefined, 0, c), EAGAIN);
  const a = mmap(mm, 0, 4 * PAGE, RW, MAP_PRIVATE | MAP_LOCKED, undefined, 0, c);
  assert.ok(a > 0);
  assert.equal(mm.lockedVm, 4);
  assert.equal(mm.as.presentCount, 4);
  r[RLIMIT_MEMLOCK] = [0, 0];
  assert.equal(mmap(mm, 0, PAGE, RW, MAP_PRIVATE | MAP_LOCKED, undefined, 0, c), EPERM);
});

test('MAP_HUGETLB rounds the length up to 2 MiB and places the mapping 2 MiB aligned', () => {
  const mm = fresh();
  const a = anon(mm, PAGE, RW, MAP_PRIVATE | MAP_HUGETLB);
  assert.ok(a > 0);
  assert.equal(a % (2 * MiB), 0);
  assert.equal(mm.find(a / PAGE)!.end - mm.find(a / PAGE)!.start, 512);
  assert.equal(mm.munmap(a / PAGE, a / PAGE + 512), 0);
});

test('MAP_HUGETLB reserves huge pages: beyond the pool it fails with ENOMEM; with MAP_NORESERVE a fault past the pool is SIGBUS', () => {
  const mm = fresh(64 << 20);
  const free = pools.default.free - pools.default.reserved;
  assert.equal(anon(mm, (free + 1) * 2 * MiB, RW, MAP_SHARED | MAP_HUGETLB), ENOMEM);
  const a = anon(mm, (free + 1) * 2 * MiB, RW, MAP_SHARED | MAP_HUGETLB | MAP_NORESERVE);
  assert.ok(a > 0);
  for (let i = 0; i < free; i++) mm.as.write8(a + i * 2 * MiB, 1);
  assert.equal(mm.resolveFault((a + free * 2 * MiB) / PAGE, Access.Write), FaultResult.BusErr);
  mm.munmap(a / PAGE, (a + (free + 1) * 2 * MiB) / PAGE);
  assert.equal(pools.default.free - pools.default.reserved, free);
});

test('MAP_HUGETLB: an unknown huge page size is EINVAL; a fixed address off a huge page boundary is EINVAL; a file is EINVAL', () => {
  const mm = fresh();
  assert.equal(anon(mm, PAGE, RW, MAP_PRIVATE | MAP_HUGETLB | (20 << 26)), EINVAL);
  assert.equal(anon(mm, PAGE, RW, MAP_PRIVATE | MAP_HUGETLB | MAP_FIXED, 0x40001000), EINVAL);
  const f = { backing: new MemFile(PAGE), readable: true, writable: true };
  assert.equal(mmap(mm, 0, PAGE, RW, MAP_PRIVATE | MAP_HUGETLB, f), EINVAL);
  // 32 MiB pages exist on arm64 but the pool has none: the reservation fails.
  assert.equal(anon(mm, PAGE, RW, MAP_SHARED | MAP_HUGETLB | (25 << 26)), ENOMEM);
});

test('PROT_WRITE alone maps readable memory, as arm64 has no write-only pages', () => {
  const mm = fresh();
  const a = anon(mm, PAGE, PROT_WRITE);
  mm.as.write32(a, 3);
  assert.equal(mm.as.read32(a), 3);
});
