/**
 * The ring memory through real mappings: SQ_RING and CQ_RING are one set of pages, the SQEs
 * another; the kernel side sees what the process stores at once; a compat mapping lies below 4 GiB.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAP_SHARED } from '../../../src/kernel/abi/mman.js';
import { IoRing } from '../../../src/kernel/io-uring/io-ring.js';
import {
  IORING_OFF_CQ_RING,
  IORING_OFF_SQES,
  IORING_SQ_CQ_OVERFLOW,
  ringLayout,
} from '../../../src/kernel/io-uring/layouts.js';
import { parseSqe, Request } from '../../../src/kernel/io-uring/request.js';
import { IoUringFile } from '../../../src/kernel/io-uring/ring-file.js';
import { RingMemory } from '../../../src/kernel/io-uring/ring-memory.js';
import { compat, fresh, mmap, PAGE, RW } from '../mm/mm-helpers.js';

function setup() {
  const mm = fresh();
  const layout = ringLayout(4, 8, false, false);
  const mem = new RingMemory(mm.as.phys, layout);
  mem.get();
  return { mm, layout, mem };
}

test('SQ_RING and CQ_RING map the same pages; SQES others', () => {
  const { mm, layout, mem } = setup();
  const file = { backing: mem, readable: true, writable: true };
  const sq = mmap(mm, 0, PAGE, RW, MAP_SHARED, file, 0);
  const cq = mmap(mm, 0, PAGE, RW, MAP_SHARED, file, IORING_OFF_CQ_RING);
  const sqes = mmap(mm, 0, PAGE, RW, MAP_SHARED, file, IORING_OFF_SQES);
  assert.ok(sq > 0 && cq > 0 && sqes > 0);
  mm.as.write32(sq + layout.cqHead, 0x1234);
  assert.equal(mm.as.read32(cq + layout.cqHead), 0x1234, 'a store through SQ_RING shows through CQ_RING');
  assert.equal(mem.u32(layout.cqHead), 0x1234, 'and to the kernel side');
  mem.setU32(layout.cqTail, 7);
  assert.equal(mm.as.read32(cq + layout.cqTail), 7, 'the kernel side shows through the mapping');
  mm.as.write32(sqes, 0xabcd);
  assert.equal(mem.bytes(IORING_OFF_SQES, 4)[0], 0xcd);
  assert.equal(mm.as.read32(sq), 0, 'the SQEs are not the rings');
});

test('a compat mapping of the ring lies below 4 GiB; a native one above', () => {
  const { mm, mem } = setup();
  const file = { backing: mem, readable: true, writable: true };
  const low = mmap(mm, 0, PAGE, RW, MAP_SHARED, file, 0, compat(mm));
  assert.ok(low > 0 && low + PAGE <= 0xfffff000, `0x${low.toString(16)}`);
  const high = mmap(mm, 0, PAGE, RW, MAP_SHARED, file, 0);
  assert.ok(high > 2 ** 32, `0x${high.toString(16)}`);
});

test('completions beyond the CQ ring wait on the overflow list, in order, until there is room', () => {
  const { layout, mem } = setup();
  const ring = new IoRing(mem, layout, 4, 8, 0, false);
  const ud = (n: number) => new Uint8Array([n, 0, 0, 0, 0, 0, 0, 0]);
  for (let i = 0; i < 10; i++) ring.post(ud(i), -i, 0, true);
  assert.equal(ring.cqReady(), 8);
  assert.equal(ring.overflow.length, 2);
  assert.ok(mem.u32(layout.sqFlags) & IORING_SQ_CQ_OVERFLOW);
  assert.equal(ring.completions, 10);
  // The process consumes three.
  mem.setU32(layout.cqHead, 3);
  ring.flushOverflow();
  assert.equal(ring.overflow.length, 0);
  assert.equal(mem.u32(layout.sqFlags) & IORING_SQ_CQ_OVERFLOW, 0);
  assert.equal(ring.cqReady(), 7);
  // CQE 8 landed in slot 0 (tail 8 & mask 7), CQE 9 in slot 1.
  assert.equal(mem.bytes(layout.cqes, 1)[0], 8);
  assert.equal(new DataView(mem.bytes(layout.cqes + 16, 16).buffer).getInt32(8, true), -9);
});

test('counted timeouts fire when enough other completions were posted', () => {
  const { layout, mem } = setup();
  const ring = new IoRing(mem, layout, 4, 8, 0, false);
  let fired = 0;
  ring.countedTimeouts.push({
    req: new Request(parseSqe(new Uint8Array(64)), 0),
    target: ring.completions + 2,
    fire: () => fired++,
  });
  ring.post(new Uint8Array(8), 0, 0, true);
  assert.equal(fired, 0);
  ring.post(new Uint8Array(8), 0, 0, true, true);
  assert.equal(fired, 0, 'a timeout CQE does not count');
  ring.post(new Uint8Array(8), 0, 0, true);
  assert.equal(fired, 1);
  assert.equal(ring.countedTimeouts.length, 0);
  assert.equal(ring.cqTimeouts, 1);
});

test("the ring file's mmap check: a known offset and a length within the region's pages", () => {
  const { mem, layout } = setup();
  const ring = new IoRing(mem, layout, 4, 8, 0, false);
  const kernel = {} as ConstructorParameters<typeof IoUringFile>[0];
  const f = new IoUringFile(kernel, ring);
  assert.equal(f.mmapCheck(0, layout.ringsSize), 0);
  assert.equal(f.mmapCheck(IORING_OFF_CQ_RING, PAGE), 0);
  assert.equal(f.mmapCheck(IORING_OFF_SQES, 256), 0);
  assert.equal(f.mmapCheck(0x1000, PAGE), -22, 'an offset that names no region');
  assert.equal(f.mmapCheck(0, 2 * PAGE), -22, 'longer than the rings region');
});
