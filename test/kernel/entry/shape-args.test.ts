import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  logicalKinds,
  registerCount,
  shapeArg,
  shapeCompatArgs,
  shapeNativeArgs,
} from '../../../src/kernel/entry/shape-args.js';

/** Register halves for x0..x5 (and x8 left 0): each entry [lo, hi] as unsigned 32-bit words. */
function regs(...pairs: [number, number][]): Int32Array {
  const x = new Int32Array(66);
  pairs.forEach(([lo, hi], i) => {
    x[2 * i] = lo | 0;
    x[2 * i + 1] = hi | 0;
  });
  return x;
}

test('native shaping: int kinds read the low word signed, pointers and sizes all 64 bits, offsets signed 64', () => {
  const x = regs([0xffffff9c, 0xdeadbeef], [0x1000, 0x7fff], [0xfffffffe, 0xffffffff], [5, 1]);
  assert.deepEqual(shapeNativeArgs(['dirfd', 'ptr', 'off', 'size'], x), [-100, 0x7fff00001000, -2, 2 ** 32 + 5, 0, 0]);
});

test('compat shaping narrows every register to 32 bits first (upper halves ignored, zero-extended)', () => {
  const x = regs([0xffffff9c, 0xdeadbeef], [0x1000, 0x7fff], [0xfffffffe, 0xffffffff], [5, 1]);
  // int-like kinds are signed 32-bit, compat_off_t and compat_long_t too; pointers and sizes unsigned 32-bit.
  assert.deepEqual(shapeCompatArgs(['dirfd', 'ptr', 'off', 'size'], x), [-100, 0x1000, -2, 5, 0, 0]);
  assert.equal(shapeArg('long', 0x80000000, 0, true), -0x80000000);
  assert.equal(shapeArg('ulong', 0x80000000, 0, true), 0x80000000);
  assert.equal(shapeArg('mapflags', 0x80000022, 0, true), 0x80000022);
});

test('a row without kinds still gets six values, so the trace can show them raw', () => {
  const x = regs([1, 9], [2, 9], [3, 9], [4, 9], [5, 9], [6, 9]);
  assert.deepEqual(shapeCompatArgs(undefined, x), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(shapeCompatArgs([], x), [1, 2, 3, 4, 5, 6]);
});

test('EABI pairs: pread64(fd, buf, count, pad, off_lo, off_hi) reaches the handler as (fd, buf, count, off)', () => {
  const x = regs([3, 0xffffffff], [0x2000, 0], [100, 0], [0x55555555, 0x1234], [0x89abcdef, 0xffff], [0x1, 0xffff]);
  const kinds = ['fd', 'buf_out', 'size', 'pad', 'off64_pair'] as const;
  assert.equal(registerCount(kinds), 6);
  assert.deepEqual(shapeCompatArgs(kinds, x), [3, 0x2000, 100, 0x1_89abcdef]);
  assert.deepEqual(logicalKinds(kinds), ['fd', 'buf_out', 'size', 'off']);
});

test('a negative 64-bit offset in a pair stays negative; u64 pairs are unsigned', () => {
  const x = regs([4, 0], [0, 0], [0xfffffff0, 0], [0xffffffff, 0]);
  assert.deepEqual(shapeCompatArgs(['fd', 'pad', 'off64_pair'], x), [4, -16]);
  assert.deepEqual(shapeCompatArgs(['fd', 'pad', 'u64_pair'], x), [4, 2 ** 64 - 16]);
});

test('_llseek(fd, offset_high, offset_low, result, whence): the high word comes first', () => {
  const x = regs([3, 0], [0x1, 0xdead], [0x10, 0xbeef], [0x3000, 0], [1, 0]);
  const kinds = ['fd', 'off64_hilo', 'ptr', 'whence'] as const;
  assert.equal(registerCount(kinds), 5);
  assert.deepEqual(shapeCompatArgs(kinds, x), [3, 2 ** 32 + 0x10, 0x3000, 1]);
  assert.deepEqual(logicalKinds(kinds), ['fd', 'off', 'ptr', 'whence']);
});

test('preadv(fd, vec, vlen, pos_low, pos_high): an unaligned pair is still low word first', () => {
  const x = regs([3, 0], [0x1000, 0], [2, 0], [0x200, 0], [0x1, 0]);
  assert.deepEqual(shapeCompatArgs(['fd', 'ptr', 'int', 'off64_pair'], x), [3, 0x1000, 2, 2 ** 32 + 0x200]);
});
