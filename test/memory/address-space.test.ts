/** AddressSpace.dispose: frames go back and physical memory stops calling the finished space. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AddressSpace, PTE_R, PTE_W } from '../../src/memory/address-space.js';
import { PhysicalMemory } from '../../src/memory/physical-memory.js';

const PAGE = 4096;

test('dispose gives every frame back and unsubscribes from physical memory', () => {
  const phys = new PhysicalMemory(64 << 20);
  const before = phys.listenerCount;
  const as = new AddressSpace(phys);
  assert.equal(phys.listenerCount, before + 2);
  for (let vpn = 16; vpn < 48; vpn++) as.setPte(vpn, phys.alloc(), PTE_R | PTE_W);
  assert.equal(phys.framesInUse, 32);
  as.write32(16 * PAGE, 0x1234);
  assert.equal(as.read32(16 * PAGE), 0x1234);
  as.dispose();
  assert.equal(phys.framesInUse, 0);
  assert.equal(as.presentCount, 0);
  assert.equal(phys.listenerCount, before);
  assert.ok(as.disposed);
  as.dispose();
  assert.equal(phys.listenerCount, before);
});

test('many exec-like generations leave no listeners behind', () => {
  const phys = new PhysicalMemory(64 << 20);
  for (let i = 0; i < 1000; i++) {
    const as = new AddressSpace(phys);
    as.setPte(1, phys.alloc(), PTE_R);
    as.dispose();
  }
  assert.equal(phys.listenerCount, 0);
  assert.equal(phys.framesInUse, 0);
});

test('a disposed space that maps a page again re-attaches and sees the grown buffer', () => {
  const phys = new PhysicalMemory(256 << 20);
  const as = new AddressSpace(phys);
  as.dispose();
  // Grow physical memory while the space is detached: its views are stale until it re-attaches.
  const frames: number[] = [];
  for (let i = 0; i < 8192; i++) frames.push(phys.alloc());
  const f = phys.alloc();
  as.setPte(3, f, PTE_R | PTE_W);
  assert.ok(!as.disposed);
  as.write32(3 * PAGE + 8, 0xbeef);
  assert.equal(phys.dv.getUint32(f * PAGE + 8, true), 0xbeef);
  assert.equal(as.read32(3 * PAGE + 8), 0xbeef);
  assert.equal(phys.listenerCount, 2);
});
