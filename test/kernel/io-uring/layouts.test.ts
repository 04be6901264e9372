/** The io_uring ABI tables: structure sizes and offsets as include/uapi/linux/io_uring.h has them, the rings layout. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CQE, GETEVENTS_ARG, PARAMS, PROBE, PROBE_OP, ringLayout, SQE } from '../../../src/kernel/io-uring/layouts.js';
import { IORING_OP, IORING_OP_LAST, OP_DEFS } from '../../../src/kernel/io-uring/opcodes.js';

test('structure sizes are the same fixed-width layouts in both ABIs', () => {
  assert.equal(PARAMS.size, 120);
  assert.equal(SQE.size, 64);
  assert.equal(CQE.size, 16);
  assert.equal(PROBE.size, 16);
  assert.equal(PROBE_OP.size, 8);
  assert.equal(GETEVENTS_ARG.size, 24);
});

test('field offsets of params, SQE and CQE', () => {
  assert.equal(PARAMS.fields.features!.offset, 20);
  assert.equal(PARAMS.fields.wq_fd!.offset, 24);
  assert.equal(PARAMS.fields.sq_off!.offset, 40);
  assert.equal(PARAMS.fields.cq_off!.offset, 80);
  const sqe: Record<string, number> = {
    opcode: 0,
    flags: 1,
    ioprio: 2,
    fd: 4,
    off: 8,
    addr: 16,
    len: 24,
    op_flags: 28,
    user_data: 32,
    buf_index: 40,
    personality: 42,
    file_index: 44,
    addr3: 48,
  };
  for (const [name, off] of Object.entries(sqe)) assert.equal(SQE.fields[name]!.offset, off, name);
  assert.equal(CQE.fields.res!.offset, 8);
  assert.equal(CQE.fields.flags!.offset, 12);
  assert.equal(GETEVENTS_ARG.fields.ts!.offset, 16);
});

test('struct io_rings on arm64 (64-byte cache lines): what a 6.1 kernel reports for 4/8 entries', () => {
  const l = ringLayout(4, 8, false, false);
  assert.deepEqual(
    [l.sqHead, l.sqTail, l.cqHead, l.cqTail, l.sqMask, l.cqMask, l.sqEntriesOff, l.cqEntriesOff],
    [0, 64, 128, 192, 256, 260, 264, 268],
  );
  assert.deepEqual([l.sqDropped, l.sqFlags, l.cqFlags, l.cqOverflow, l.cqes], [272, 276, 280, 284, 320]);
  assert.equal(l.sqArray, 448);
  assert.equal(l.ringsSize, 448 + 16);
  assert.equal(l.sqesSize, 256);
  const big = ringLayout(4, 8, true, true);
  assert.equal(big.cqeSize, 32);
  assert.equal(big.sqeSize, 128);
  assert.equal(big.sqArray, 320 + 8 * 32);
});

test('the opcode table has one entry per 6.1 opcode, in order', () => {
  assert.equal(OP_DEFS.length, IORING_OP_LAST);
  for (const [name, op] of Object.entries(IORING_OP)) assert.equal(OP_DEFS[op]!.name, name);
  assert.ok(OP_DEFS[IORING_OP.READV]!.needsFile && OP_DEFS[IORING_OP.READV]!.implemented);
  assert.ok(!OP_DEFS[IORING_OP.OPENAT]!.needsFile);
  assert.ok(!OP_DEFS[IORING_OP.SPLICE]!.implemented);
});
