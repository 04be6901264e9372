import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAP_GROWSDOWN, MAP_PRIVATE } from '../../../src/kernel/abi/mman.js';
import { VM_GROWSDOWN, type Vma } from '../../../src/kernel/mm/vma.js';
import { STACK_GUARD_GAP_PAGES, VmaTree } from '../../../src/kernel/mm/vma-tree.js';

function vma(start: number, end: number, growsDown = false): Vma {
  return {
    start,
    end,
    prot: 3,
    flags: MAP_PRIVATE | (growsDown ? MAP_GROWSDOWN : 0),
    vmFlags: 3 | (growsDown ? VM_GROWSDOWN : 0),
    file: undefined,
    offset: 0,
    name: undefined,
    anonName: undefined,
    anon: 0,
  };
}

/** The gaps between sorted VMAs, with the guard gap below grows-down ones, from 0 to +∞. */
function gaps(vs: Vma[]): [number, number][] {
  const out: [number, number][] = [];
  let prev = 0;
  for (const v of vs) {
    const top = v.vmFlags & VM_GROWSDOWN ? Math.max(0, v.start - STACK_GUARD_GAP_PAGES) : v.start;
    out.push([prev, top]);
    prev = v.end;
  }
  out.push([prev, Number.POSITIVE_INFINITY]);
  return out;
}

function bruteHighest(vs: Vma[], low: number, high: number, len: number): number {
  let best = -1;
  for (const [a, b] of gaps(vs)) {
    const lo = Math.max(a, low);
    const hi = Math.min(b, high);
    if (hi - lo >= len) best = Math.max(best, hi);
  }
  return best;
}

function bruteLowest(vs: Vma[], low: number, high: number, len: number): number {
  for (const [a, b] of gaps(vs)) {
    const lo = Math.max(a, low);
    const hi = Math.min(b, high);
    if (hi - lo >= len) return lo;
  }
  return -1;
}

for (const [space, growsDownOneIn] of [
  [100000, 10],
  [4000, 3],
] as const)
  test(`the VMA tree agrees with a sorted list on lookups and gap searches (space ${space}, 1 in ${growsDownOneIn} grows down)`, () => {
    let seed = 12345 + space;
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const tree = new VmaTree();
    let list: Vma[] = [];
    for (let step = 0; step < 4000; step++) {
      if (list.length > 0 && rnd(3) === 0) {
        const v = list[rnd(list.length)]!;
        tree.remove(v);
        list = list.filter((x) => x !== v);
      } else {
        const start = rnd(space);
        const end = start + 1 + rnd(50);
        if (list.some((x) => x.start < end && start < x.end)) continue;
        const v = vma(start, end, rnd(growsDownOneIn) === 0);
        tree.insert(v);
        list.push(v);
        list.sort((a, b) => a.start - b.start);
      }
      assert.equal(tree.size, list.length);
      const p = rnd(space + 100);
      assert.equal(
        tree.find(p),
        list.find((x) => x.start <= p && p < x.end),
      );
      assert.equal(
        tree.findAfter(p),
        list.find((x) => x.end > p),
      );
      assert.equal(
        tree.findBefore(p),
        [...list].reverse().find((x) => x.start < p),
      );
      const low = rnd(space / 2);
      const high = low + rnd((space * 3) / 5);
      const len = 1 + rnd(400);
      assert.equal(tree.highestGap(low, high, len), bruteHighest(list, low, high, len), `step ${step}`);
      assert.equal(tree.lowestGap(low, high, len), bruteLowest(list, low, high, len), `step ${step}`);
    }
    assert.deepEqual(tree.toArray(), list);
    assert.deepEqual(
      tree.overlapping(1000, 5000),
      list.filter((x) => x.start < 5000 && x.end > 1000),
    );
  });

test('gap searches keep stack_guard_gap below a grows-down VMA', () => {
  const tree = new VmaTree();
  tree.insert(vma(10000, 10010, true));
  // Below the stack, the highest usable end is 256 pages under its start.
  assert.equal(tree.highestGap(0, 10000, 1), 10000 - STACK_GUARD_GAP_PAGES);
  assert.equal(tree.highestGap(0, 20000, 1), 20000);
});

test('a gap search with 60 000 VMAs visits O(log n) nodes (fast enough to do 60 000 times)', () => {
  const tree = new VmaTree();
  for (let i = 0; i < 60000; i++) tree.insert(vma(i * 3, i * 3 + 2));
  const t0 = performance.now();
  // One wider gap in the middle: the searches must find it among 60 000 one-page gaps.
  tree.remove(tree.find(90000)!);
  for (let i = 0; i < 60000; i++) assert.equal(tree.highestGap(0, 150000, 2), 90003);
  for (let i = 0; i < 60000; i++) assert.equal(tree.lowestGap(0, 200000, 2), 89999);
  const ms = performance.now() - t0;
  assert.ok(ms < 2000, `${ms} ms`);
});

test('lookups stay O(log n): the tree depth grows with log n, through inserts and removals', () => {
  const t = new VmaTree();
  const depths: number[] = [];
  for (const n of [600, 6000, 60000]) {
    for (let i = t.size; i < n; i++) t.insert(vma(2 * i, 2 * i + 1));
    // Churn: remove and re-insert a tenth of the VMAs, as munmap/mmap do.
    for (let i = 0; i < n; i += 10) {
      const v = t.find(2 * i)!;
      t.remove(v);
      t.insert(vma(2 * i, 2 * i + 1));
    }
    const { mean, max } = t.depthStats();
    // A treap's expected depth is about 2 ln n; a degenerate (list-like) tree would be n / 2.
    assert.ok(mean < 3 * Math.log(n), `mean depth ${mean} with ${n} VMAs`);
    assert.ok(max < 8 * Math.log(n), `max depth ${max} with ${n} VMAs`);
    depths.push(mean);
  }
  // 100 times the VMAs adds a constant number of levels, not a factor of 100.
  assert.ok(depths[2]! - depths[0]! < 3 * Math.log(100), `depths ${depths.join(', ')}`);
});
