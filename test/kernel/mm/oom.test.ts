/** The memory cap reached by a guest touch: the process is SIGKILLed with one line; clean failures stay -ENOMEM. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAP_ANONYMOUS, MAP_POPULATE, MAP_PRIVATE, PROT_READ, PROT_WRITE } from '../../../src/kernel/abi/mman.js';
import { SIGKILL } from '../../../src/kernel/abi/signal.js';
import { doMmap } from '../../../src/kernel/mm/do-mmap.js';
import { hugetlbPoolsOf, maxHugePages } from '../../../src/kernel/mm/hugetlb.js';
import { capMiB, oomKillIfOutOfMemory } from '../../../src/kernel/mm/oom.js';
import { GUEST_FAULT } from '../../../src/memory/guest-fault.js';
import { signalFixture } from '../task/signal-fixture.js';

const PAGE = 4096;
const MiB = 1024 * 1024;
const ENOMEM = -12;

function fixture() {
  const f = signalFixture();
  const out: string[] = [];
  f.kernel.host.traceWrite = (s) => out.push(s);
  const mmap = (len: number, flags = 0) =>
    doMmap(f.task.mm, {
      addr: 0,
      len,
      prot: PROT_READ | PROT_WRITE,
      flags: MAP_PRIVATE | MAP_ANONYMOUS | flags,
      off: 0,
      file: undefined,
      caller: { limits: f.task.mm.layout.native },
      compat: false,
      personality: 0,
      pools: hugetlbPoolsOf(f.kernel),
    });
  return { ...f, out, mmap };
}

/** Writes one byte per page until the memory cap stops it; returns the address that faulted. */
function touchUntilFault(f: ReturnType<typeof fixture>, a: number, len: number): number {
  for (let p = a; p < a + len; p += PAGE) {
    try {
      f.task.mm.as.write8(p, 1);
    } catch (e) {
      if (e !== GUEST_FAULT) throw e;
      return p;
    }
  }
  return -1;
}

test('a touch beyond the cap marks the map; the kill sends SIGKILL to the process and prints one line', () => {
  const f = fixture();
  // The fixture's kernel has a 64 MiB cap; 48 MiB twice fits the commit check but not in memory.
  const a = f.mmap(48 * MiB);
  const b = f.mmap(48 * MiB);
  assert.ok(a > 0 && b > 0);
  assert.equal(touchUntilFault(f, a, 48 * MiB), -1);
  assert.equal(oomKillIfOutOfMemory(f.kernel, f.task), false);
  assert.ok(touchUntilFault(f, b, 48 * MiB) > b);
  assert.equal(f.task.mm.outOfMemory, true);
  assert.equal(oomKillIfOutOfMemory(f.kernel, f.task), true);
  assert.deepEqual(f.out, [`compat64: out of emulated memory (cap 64 MiB); killing pid ${f.task.tgid}\n`]);
  assert.ok(f.task.signals.pending.set.has(SIGKILL) || f.task.signals.group.shared.set.has(SIGKILL));
  // Reported once.
  assert.equal(oomKillIfOutOfMemory(f.kernel, f.task), false);
});

test('calls that can fail cleanly kill nobody: one mapping larger than memory is ENOMEM, MAP_POPULATE stops short', () => {
  const f = fixture();
  assert.equal(f.mmap(65 * MiB), ENOMEM);
  const a = f.mmap(40 * MiB);
  assert.equal(touchUntilFault(f, a, 40 * MiB), -1);
  // mmap ignores MAP_POPULATE's failure (__mm_populate with ignore_errors): the memory is not there yet.
  const b = f.mmap(40 * MiB, MAP_POPULATE);
  assert.ok(b > 0);
  assert.equal(f.task.mm.outOfMemory, false);
  assert.equal(oomKillIfOutOfMemory(f.kernel, f.task), false);
  assert.deepEqual(f.out, []);
});

test('the cap in the message: whole MiB, or one decimal', () => {
  assert.equal(capMiB(512 * MiB), '512');
  assert.equal(capMiB(1536 * 1024), '1.5');
});

test('the hugetlb pool: options.hugePages pages (64 by default), no more than the memory cap holds', () => {
  const f = signalFixture();
  assert.equal(hugetlbPoolsOf(f.kernel).default.total, maxHugePages(64 * MiB));
  assert.equal(maxHugePages(64 * MiB), 32);
  const phys = f.kernel.phys;
  assert.equal(hugetlbPoolsOf({ phys, options: { hugePages: 7 } }).default.total, 7);
  assert.equal(hugetlbPoolsOf({ phys, options: { hugePages: 1000 } }).default.total, 32);
  assert.equal(hugetlbPoolsOf({ phys, options: {} }).default.total, 32);
  assert.equal(hugetlbPoolsOf({ options: { hugePages: 0 } }).default.total, 0);
  assert.equal(hugetlbPoolsOf({}).default.total, 64);
});
