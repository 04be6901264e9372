import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAP_PRIVATE, MAP_SHARED, PROT_READ } from '../../../src/kernel/abi/mman.js';
import { PageCache, pageCacheOf } from '../../../src/kernel/mm/page-cache.js';
import { AddressSpace } from '../../../src/memory/address-space.js';
import { Access, FaultResult } from '../../../src/memory/guest-fault.js';
import { fresh, MemFile, mmap, PAGE, RW } from './mm-helpers.js';

function rw(file: MemFile) {
  return { backing: file, readable: true, writable: true };
}

test('a write through a MAP_SHARED mapping is seen at once by read(2) through the page cache', () => {
  const mm = fresh();
  const file = new MemFile(2 * PAGE);
  const a = mmap(mm, 0, 2 * PAGE, RW, MAP_SHARED, rw(file));
  mm.as.write32(a + 8, 0x41424344);
  const cache = pageCacheOf(file, mm.as.phys);
  const buf = new Uint8Array(4);
  assert.equal(cache.read(8, buf, 0, 4), 4);
  assert.deepEqual([...buf], [0x44, 0x43, 0x42, 0x41]);
  // The host file has not been written yet.
  assert.notEqual(file.data[8], 0x44);
});

test('write(2) through the page cache is seen at once by a MAP_SHARED mapping, and reaches the file', () => {
  const mm = fresh();
  const file = new MemFile(2 * PAGE);
  const a = mmap(mm, 0, 2 * PAGE, PROT_READ, MAP_SHARED, rw(file));
  assert.equal(mm.as.read8(a + PAGE + 1), file.data[PAGE + 1]);
  pageCacheOf(file, mm.as.phys).write(PAGE + 1, Uint8Array.of(0xee), 0, 1);
  assert.equal(mm.as.read8(a + PAGE + 1), 0xee);
  assert.equal(file.data[PAGE + 1], 0xee);
});

test('msync and munmap write dirty shared pages back to the file, and only dirty ones', () => {
  const mm = fresh();
  const file = new MemFile(4 * PAGE);
  const a = mmap(mm, 0, 4 * PAGE, RW, MAP_SHARED, rw(file));
  mm.as.read8(a + 2 * PAGE);
  mm.as.write8(a + 5, 0x55);
  mm.writeBack(mm.find(a / PAGE)!, a / PAGE, a / PAGE + 4);
  assert.equal(file.data[5], 0x55);
  assert.equal(file.writes, 1);
  // After writeback the page is clean and write-protected: the next write marks it dirty again.
  mm.as.write8(a + 6, 0x66);
  assert.equal(file.data[6], (6 * 7 + 3) & 0xff);
  assert.equal(mm.munmap(a / PAGE, a / PAGE + 4), 0);
  assert.equal(file.data[6], 0x66);
  assert.equal(file.writes, 2);
});

test('two shared mappings of one file share frames; a private one sees writes until it copies the page', () => {
  const mm = fresh();
  const file = new MemFile(PAGE);
  const s1 = mmap(mm, 0, PAGE, RW, MAP_SHARED, rw(file));
  const s2 = mmap(mm, 0, PAGE, RW, MAP_SHARED, rw(file));
  const p = mmap(mm, 0, PAGE, RW, MAP_PRIVATE, rw(file));
  mm.as.write8(s1, 1);
  assert.equal(mm.as.read8(s2), 1);
  assert.equal(mm.as.read8(p), 1);
  mm.as.write8(p, 2);
  mm.as.write8(s1, 3);
  assert.equal(mm.as.read8(p), 2);
  assert.equal(mm.as.read8(s2), 3);
});

test('truncating a mapped file makes pages past the new end SIGBUS and zeroes the tail of the last one', () => {
  const mm = fresh();
  const file = new MemFile(3 * PAGE);
  const a = mmap(mm, 0, 3 * PAGE, RW, MAP_SHARED, rw(file));
  mm.as.write8(a + 2 * PAGE, 9);
  mm.as.write8(a + PAGE + 200, 8);
  const cache = pageCacheOf(file, mm.as.phys);
  file.truncate(PAGE + 100);
  cache.resize(PAGE + 100);
  assert.equal(mm.resolveFault(a / PAGE + 2, Access.Read), FaultResult.BusErr);
  assert.equal(mm.as.read8(a + PAGE + 99), file.data[PAGE + 99]);
  assert.equal(mm.as.read8(a + PAGE + 200), 0);
});

test('a shared file mapping stays shared with a forked child', () => {
  const mm = fresh();
  const file = new MemFile(PAGE);
  const a = mmap(mm, 0, PAGE, RW, MAP_SHARED, rw(file));
  const child = mm.fork(new AddressSpace(mm.as.phys));
  child.as.write8(a, 0x77);
  assert.equal(mm.as.read8(a), 0x77);
});

test('clean cached pages nobody maps are given back when memory runs short', () => {
  const mm = fresh(1 << 20);
  const file = new MemFile(64 * PAGE);
  const a = mmap(mm, 0, 64 * PAGE, PROT_READ, MAP_PRIVATE, rw(file));
  for (let i = 0; i < 64; i++) mm.as.read8(a + i * PAGE);
  mm.munmap(a / PAGE, a / PAGE + 64);
  const cache = pageCacheOf(file, mm.as.phys);
  assert.equal(cache.residentPages, 64);
  // Filling the rest of the 1 MiB cap forces the cache to give its pages back.
  const b = mmap(mm, 0, 250 * PAGE, RW, MAP_PRIVATE);
  for (let i = 0; i < 250; i++) mm.as.write8(b + i * PAGE, 1);
  assert.ok(cache.residentPages < 64);
});

test('a shmem object reads zeros where nothing was written and grows when written past its end', () => {
  const mm = fresh();
  const c = new PageCache(mm.as.phys, undefined, 0);
  assert.equal(c.write(PAGE + 10, Uint8Array.of(1, 2), 0, 2), 2);
  assert.equal(c.size(), PAGE + 12);
  const b = new Uint8Array(PAGE + 12);
  assert.equal(c.read(0, b, 0, b.length), PAGE + 12);
  assert.equal(b[0], 0);
  assert.equal(b[PAGE + 11], 2);
  c.release();
});
