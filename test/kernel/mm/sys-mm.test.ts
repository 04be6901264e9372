import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAP_ANONYMOUS, MAP_FIXED, MAP_GROWSDOWN, MAP_PRIVATE, PROT_READ } from '../../../src/kernel/abi/mman.js';
import { RLIMIT_DATA } from '../../../src/kernel/task/task.js';
import { anon, fresh, PAGE, RW } from './mm-helpers.js';
import { ctxFor, sys, testKernel, testTask } from './sys-ctx.js';

const EBADF = -9;
const ENOMEM = -12;
const EFAULT = -14;
const EBUSY = -16;
const EINVAL = -22;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;

function setup() {
  const mm = fresh();
  const task = testTask();
  const ctx = ctxFor(testKernel(mm), task, mm);
  mm.brkStart = 0x500000;
  mm.brk = 0x500000;
  return { mm, task, ctx };
}

test('brk grows and shrinks the heap, refuses to go below start_brk, and returns the old break on failure', () => {
  const { mm, ctx } = setup();
  assert.equal(sys(ctx, 'brk', 0), 0x500000);
  assert.equal(sys(ctx, 'brk', 0x502001), 0x502001);
  mm.as.write8(0x502fff, 1);
  assert.equal(sys(ctx, 'brk', 0x501000), 0x501000);
  assert.equal(mm.find(0x502000 / PAGE), undefined);
  assert.equal(sys(ctx, 'brk', 0x400000), 0x501000);
  // Growth needs the pages up to one past the new end free.
  anon(mm, PAGE, PROT_READ, MAP_PRIVATE | MAP_FIXED, 0x504000);
  assert.equal(sys(ctx, 'brk', 0x504000), 0x501000);
  assert.equal(sys(ctx, 'brk', 0x503000), 0x503000);
});

test('brk respects RLIMIT_DATA and keeps stack_guard_gap below a grows-down mapping', () => {
  const { mm, task, ctx } = setup();
  task.rlimits[RLIMIT_DATA] = [4 * PAGE, 4 * PAGE];
  assert.equal(sys(ctx, 'brk', 0x500000 + 5 * PAGE), 0x500000);
  assert.equal(sys(ctx, 'brk', 0x500000 + 4 * PAGE), 0x500000 + 4 * PAGE);
  task.rlimits[RLIMIT_DATA] = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
  mm.map(0x500000 + 300 * PAGE, 4 * PAGE, RW, MAP_PRIVATE | MAP_GROWSDOWN, undefined, 0);
  assert.equal(sys(ctx, 'brk', 0x500000 + 100 * PAGE), 0x500000 + 4 * PAGE);
  assert.equal(sys(ctx, 'brk', 0x500000 + 43 * PAGE), 0x500000 + 43 * PAGE);
});

test('the heap VMA grows in place and never merges with the program below it', () => {
  const { mm, ctx } = setup();
  anon(mm, PAGE, RW, MAP_PRIVATE | MAP_FIXED, 0x4ff000);
  assert.equal(sys(ctx, 'brk', 0x502000), 0x502000);
  assert.equal(sys(ctx, 'brk', 0x504000), 0x504000);
  assert.equal(mm.count, 2);
  assert.equal(mm.find(0x503000 / PAGE)!.start, 0x500000 / PAGE);
});

test('mmap of a missing fd is EBADF; munmap checks alignment and range', () => {
  const { ctx } = setup();
  assert.equal(sys(ctx, 'mmap', 0, PAGE, PROT_READ, MAP_PRIVATE, 42, 0), EBADF);
  assert.equal(sys(ctx, 'munmap', 0x1001, PAGE), EINVAL);
  assert.equal(sys(ctx, 'munmap', 2 ** 48 - PAGE, 2 * PAGE), EINVAL);
  assert.equal(sys(ctx, 'munmap', 0x10000, 0), EINVAL);
});

test('msync: holes are ENOMEM (at once for MS_ASYNC alone), MS_INVALIDATE of locked memory EBUSY', () => {
  const { mm, ctx } = setup();
  const a = sys(ctx, 'mmap', 0, 4 * PAGE, RW, ANON, -1, 0);
  assert.equal(sys(ctx, 'msync', a, 4 * PAGE, 4), 0);
  assert.equal(sys(ctx, 'msync', a + 1, PAGE, 4), EINVAL);
  assert.equal(sys(ctx, 'msync', a, PAGE, 5), EINVAL);
  sys(ctx, 'munmap', a + PAGE, PAGE);
  assert.equal(sys(ctx, 'msync', a, 4 * PAGE, 1), ENOMEM);
  assert.equal(sys(ctx, 'msync', a, 4 * PAGE, 4), ENOMEM);
  assert.equal(sys(ctx, 'mlock', a, PAGE), 0);
  assert.equal(sys(ctx, 'msync', a, PAGE, 2), EBUSY);
  void mm;
});

test('mincore: one byte per page, ENOMEM for holes, EFAULT for a bad vector', () => {
  const { mm, ctx } = setup();
  const a = sys(ctx, 'mmap', 0, 3 * PAGE, RW, ANON, -1, 0);
  const vec = sys(ctx, 'mmap', 0, PAGE, RW, ANON, -1, 0);
  mm.as.write8(a + PAGE, 1);
  assert.equal(sys(ctx, 'mincore', a, 3 * PAGE, vec), 0);
  assert.deepEqual([mm.as.read8(vec), mm.as.read8(vec + 1), mm.as.read8(vec + 2)], [0, 1, 0]);
  assert.equal(sys(ctx, 'mincore', a, 4 * PAGE, vec), ENOMEM);
  assert.equal(sys(ctx, 'mincore', a, PAGE, 16), EFAULT);
});

