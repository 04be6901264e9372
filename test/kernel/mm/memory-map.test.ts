import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAP_PRIVATE, PROT_READ, PROT_WRITE } from '../../../src/kernel/abi/mman.js';
import { MemoryMap } from '../../../src/kernel/mm/memory-map.js';
import { computeLayout } from '../../../src/kernel/mm/mmap-layout.js';
import { SeededRandom } from '../../../src/kernel/random.js';
import { AddressSpace } from '../../../src/memory/address-space.js';
import { GUEST_FAULT } from '../../../src/memory/guest-fault.js';
import { PhysicalMemory } from '../../../src/memory/physical-memory.js';

const RW = PROT_READ | PROT_WRITE;

function fresh(): MemoryMap {
  const layout = computeLayout(new SeededRandom(1), { randomize: false, stackRlimit: 8 << 20, legacy: false });
  return new MemoryMap(new AddressSpace(new PhysicalMemory(64 << 20)), layout);
}

test('mmap without a hint goes top-down below mmap_base', () => {
  const mm = fresh();
  const a = mm.findFree(8192, 0, mm.layout.native);
  assert.equal(a, mm.layout.native.mmapBase - 8192);
  mm.map(a, 8192, RW, MAP_PRIVATE, undefined, 0);
  assert.equal(mm.findFree(4096, 0, mm.layout.native), a - 4096);
});

test('compat limits place memory below 4 GiB, under mmap_compat_base', () => {
  const mm = fresh();
  const a = mm.findFree(65536, 0, mm.layout.compat);
  assert.equal(a, 0xf7ff0000 - 65536);
});

test('a free hint is honoured; a taken one falls back to the search', () => {
  const mm = fresh();
  assert.equal(mm.findFree(4096, 0x10000000, mm.layout.native), 0x10000000);
  mm.map(0x10000000, 4096, RW, MAP_PRIVATE, undefined, 0);
  assert.notEqual(mm.findFree(4096, 0x10000000, mm.layout.native), 0x10000000);
});

test('munmap of a partial range splits the VMA', () => {
  const mm = fresh();
  mm.map(0x20000000, 5 * 4096, RW, MAP_PRIVATE, undefined, 0);
  mm.munmap(0x20000000 / 4096 + 1, 0x20000000 / 4096 + 3);
  assert.deepEqual(
    mm.all().map((v) => [v.start * 4096, v.end * 4096]),
    [
      [0x20000000, 0x20001000],
      [0x20003000, 0x20005000],
    ],
  );
});

test('mprotect of the middle splits into three VMAs, and restoring merges them back', () => {
  const mm = fresh();
  const s = 0x30000000 / 4096;
  mm.map(0x30000000, 3 * 4096, RW, MAP_PRIVATE, undefined, 0);
  assert.ok(mm.mprotect(s + 1, s + 2, PROT_READ, undefined));
  assert.equal(mm.count, 3);
  assert.ok(mm.mprotect(s + 1, s + 2, RW, undefined));
  assert.equal(mm.count, 1);
  assert.equal(mm.mprotect(s + 5, s + 6, RW, undefined), false);
});

test('untouched anonymous memory reads zero, writes stick, and a read-only page faults on write', () => {
  const mm = fresh();
  mm.map(0x40000000, 2 * 4096, RW, MAP_PRIVATE, undefined, 0);
  assert.equal(mm.as.read32(0x40000010), 0);
  mm.as.write32(0x40000010, 0x12345678);
  assert.equal(mm.as.read32(0x40000010), 0x12345678);
  mm.mprotect(0x40000000 / 4096, 0x40000000 / 4096 + 1, PROT_READ, undefined);
  assert.equal(mm.as.read32(0x40000010), 0x12345678);
  assert.throws(
    () => mm.as.write32(0x40000010, 1),
    (e) => e === GUEST_FAULT,
  );
  assert.throws(
    () => mm.as.read32(0x50000000),
    (e) => e === GUEST_FAULT,
  );
});

test('a huge PROT_NONE-style reservation costs no frames until touched', () => {
  const mm = fresh();
  const before = mm.as.phys.framesInUse;
  mm.map(0x100000000, 2 ** 40, 0, MAP_PRIVATE, undefined, 0);
  assert.equal(mm.as.phys.framesInUse, before);
  assert.equal(mm.count, 1);
});
