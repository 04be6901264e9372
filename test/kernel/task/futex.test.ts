/**
 * futex(2) wait and wake on a real kernel with two threads sharing a memory map (and a forked
 * process): the value check, keys (private, shared, across fork and aliases), FIFO wake order and
 * counts, bitsets, REQUEUE/CMP_REQUEUE, WAKE_OP's operations and comparisons, timeouts on both
 * clocks, signals (ERESTARTSYS, restart blocks), futex_waitv and the compat timespec layouts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as S from '../../../src/kernel/abi/signal.js';
import {
  FUTEX_CLOCK_REALTIME,
  FUTEX_CMP_REQUEUE,
  FUTEX_OP_ADD,
  FUTEX_OP_ANDN,
  FUTEX_OP_CMP_EQ,
  FUTEX_OP_CMP_GE,
  FUTEX_OP_CMP_GT,
  FUTEX_OP_CMP_LE,
  FUTEX_OP_CMP_LT,
  FUTEX_OP_CMP_NE,
  FUTEX_OP_OPARG_SHIFT,
  FUTEX_OP_OR,
  FUTEX_OP_SET,
  FUTEX_OP_XOR,
  FUTEX_PRIVATE_FLAG,
  FUTEX_REQUEUE,
  FUTEX_WAIT,
  FUTEX_WAIT_BITSET,
  FUTEX_WAIT_REQUEUE_PI,
  FUTEX_WAKE,
  FUTEX_WAKE_BITSET,
  FUTEX_WAKE_OP,
  FUTEX2_PRIVATE,
  FUTEX2_SIZE_U32,
  FUTEX2_SIZE_U64,
  futexOp,
} from '../../../src/kernel/task/futex-abi.js';
import { futexAtomicOp } from '../../../src/kernel/task/futex.js';
import { killInfo, SI_TKILL } from '../../../src/kernel/task/siginfo.js';
import { dequeueSignal } from '../../../src/kernel/task/signal-dequeue.js';
import { sendSignal } from '../../../src/kernel/task/signal-send.js';
import { SigSet } from '../../../src/kernel/task/signal-set.js';
import type { Task } from '../../../src/kernel/task/task.js';
import {
  ctxOf,
  type FutexFixture,
  futex,
  futexFixture,
  futexWaitv,
  now,
  PRIV,
  peek,
  poke,
  putTimespec,
  RDONLY,
  SHARED,
  SHARED_ALIAS,
  settle,
  state,
  UNMAPPED,
} from './futex-fixture.js';

const EAGAIN = -11;
const EFAULT = -14;
const EINVAL = -22;
const ENOSYS = -38;
const ETIMEDOUT = -110;
const ERESTARTSYS = -512;
const ERESTART_RESTARTBLOCK = -516;
const P = FUTEX_PRIVATE_FLAG;
/** Where tests keep timespecs and waitv arrays. */
const SCRATCH = PRIV + 0x8000;

function interrupt(f: FutexFixture, t: Task): void {
  Object.assign(t.signals.actions[S.SIGUSR1]!, { handler: 0x40_2000, flags: 0 });
  sendSignal(f.kernel, t, S.SIGUSR1, killInfo(S.SIGUSR1, SI_TKILL, f.a.tid, 1000), 'thread');
}

test('FUTEX_WAIT returns EAGAIN when the word differs, and sleeps until FUTEX_WAKE when it matches', async () => {
  const f = futexFixture();
  poke(f.a, PRIV, 5);
  assert.equal(now(futex(f, f.a, PRIV, FUTEX_WAIT | P, 6)), EAGAIN);
  const w = futex(f, f.a, PRIV, FUTEX_WAIT | P, 5);
  assert.equal(await state(w), 'pending');
  assert.equal(now(futex(f, f.b, PRIV, FUTEX_WAKE | P, 1)), 1, 'B woke one');
  assert.equal(await w, 0);
  assert.equal(now(futex(f, f.b, PRIV, FUTEX_WAKE | P, 1)), 0, 'nobody left');
});

test('a misaligned word is EINVAL, an unmapped one EFAULT (shared keys also check the mapping)', () => {
  const f = futexFixture();
  assert.equal(now(futex(f, f.a, PRIV + 2, FUTEX_WAIT | P, 0)), EINVAL);
  assert.equal(now(futex(f, f.a, PRIV + 2, FUTEX_WAKE | P, 1)), EINVAL);
  assert.equal(now(futex(f, f.a, UNMAPPED, FUTEX_WAIT | P, 0)), EFAULT);
  assert.equal(now(futex(f, f.a, UNMAPPED, FUTEX_WAKE | P, 1)), 0, 'a private wake needs no mapping');
  assert.equal(now(futex(f, f.a, UNMAPPED, FUTEX_WAKE, 1)), EFAULT, 'a shared one does');
  assert.equal(now(futex(f, f.a, 2 ** 48, FUTEX_WAKE | P, 1)), EFAULT, 'beyond TASK_SIZE');
  assert.equal(now(futex(f, f.a, RDONLY, FUTEX_WAIT, 0)), EFAULT, 'read-only anonymous memory has no shared key');
  assert.equal(now(futex(f, f.a, RDONLY, FUTEX_WAIT | P, 1)), EAGAIN, 'a private key is fine');
});

test('waiters are woken oldest first; nr counts them and nr <= 0 still wakes one', async () => {
  const f = futexFixture();
  const order: string[] = [];
  const ws = ['a', 'b', 'c'].map((n) => {
    const t = n === 'a' ? f.a : n === 'b' ? f.b : f.a;
    const p = futex(f, t, PRIV, FUTEX_WAIT | P, 0) as Promise<number>;
    void p.then(() => order.push(n));
    return p;
  });
  assert.equal(now(futex(f, f.b, PRIV, FUTEX_WAKE | P, 0)), 1);
  await settle();
  assert.deepEqual(order, ['a']);
  assert.equal(now(futex(f, f.b, PRIV, FUTEX_WAKE | P, 0x7fffffff)), 2);
  await Promise.all(ws);
  assert.deepEqual(order, ['a', 'b', 'c']);
});

test('private and shared operations on one word are different futexes (FUT_OFF_MMSHARED)', async () => {
  const f = futexFixture();
  const w = futex(f, f.a, PRIV, FUTEX_WAIT | P, 0);
  assert.equal(now(futex(f, f.b, PRIV, FUTEX_WAKE, 1)), 0, 'a shared wake misses a private waiter');
  assert.equal(now(futex(f, f.b, PRIV, FUTEX_WAKE | P, 1)), 1);
  assert.equal(await w, 0);
  const s = futex(f, f.a, PRIV, FUTEX_WAIT, 0);
  assert.equal(now(futex(f, f.b, PRIV, FUTEX_WAKE | P, 1)), 0);
  assert.equal(now(futex(f, f.b, PRIV, FUTEX_WAKE, 1)), 1);
  assert.equal(await s, 0);
});

test('a shared futex in MAP_SHARED memory is the object and offset: other processes and other addresses meet there', async () => {
  const f = futexFixture();
  const c = f.fork();
  const w = futex(f, c, SHARED + 8, FUTEX_WAIT, 0);
  assert.equal(now(futex(f, f.a, PRIV + 8, FUTEX_WAKE, 1)), 0);
  assert.equal(now(futex(f, f.a, SHARED + 8, FUTEX_WAKE, 1)), 1, 'the parent wakes the forked child');
  assert.equal(await w, 0);
  const w2 = futex(f, f.b, SHARED_ALIAS + 8, FUTEX_WAIT, 0);
  assert.equal(now(futex(f, c, SHARED + 8, FUTEX_WAKE, 1)), 1, 'the same page mapped at another address');
  assert.equal(await w2, 0);
});

test('private memory after fork is a copy: the child does not meet the parent there, even shared', async () => {
  const f = futexFixture();
  const c = f.fork();
  const w = futex(f, c, PRIV, FUTEX_WAIT, 0);
  assert.equal(now(futex(f, f.a, PRIV, FUTEX_WAKE, 1)), 0);
  assert.equal(now(futex(f, c, PRIV, FUTEX_WAKE, 1)), 1);
  assert.equal(await w, 0);
});

test('WAIT_BITSET/WAKE_BITSET: a wake reaches only waiters sharing a bit; bitset 0 is EINVAL', async () => {
  const f = futexFixture();
  assert.equal(now(futex(f, f.a, PRIV, FUTEX_WAIT_BITSET | P, 0, 0, 0, 0)), EINVAL);
  assert.equal(now(futex(f, f.a, PRIV, FUTEX_WAKE_BITSET | P, 1, 0, 0, 0)), EINVAL);
  const w1 = futex(f, f.a, PRIV, FUTEX_WAIT_BITSET | P, 0, 0, 0, 0b01);
  const w2 = futex(f, f.b, PRIV, FUTEX_WAIT_BITSET | P, 0, 0, 0, 0b10);
  assert.equal(now(futex(f, f.a, PRIV, FUTEX_WAKE_BITSET | P, 9, 0, 0, 0b100)), 0);
  assert.equal(now(futex(f, f.a, PRIV, FUTEX_WAKE_BITSET | P, 9, 0, 0, 0b10)), 1);
  assert.equal(await w2, 0);
  assert.equal(await state(w1), 'pending');
  assert.equal(now(futex(f, f.a, PRIV, FUTEX_WAKE | P, 9)), 1, 'plain WAKE matches any bitset');
  assert.equal(await w1, 0);
});

test('REQUEUE wakes nr_wake and moves up to nr_requeue waiters to the second futex, counting both', async () => {
  const f = futexFixture();
  const u1 = PRIV;
  const u2 = PRIV + 4;
  const ws = [0, 1, 2, 3].map((i) => futex(f, i % 2 ? f.a : f.b, u1, FUTEX_WAIT | P, 0) as Promise<number>);
  assert.equal(now(futex(f, f.a, u1, FUTEX_REQUEUE | P, 1, 2, u2)), 3);
  assert.equal(await ws[0], 0);
  assert.equal(now(futex(f, f.a, u1, FUTEX_WAKE | P, 9)), 1, 'one left on the first futex');
  assert.equal(await ws[3], 0);
  assert.equal(now(futex(f, f.a, u2, FUTEX_WAKE | P, 9)), 2, 'two moved');
  assert.deepEqual(await Promise.all(ws), [0, 0, 0, 0]);
  assert.equal(now(futex(f, f.a, u1, FUTEX_REQUEUE | P, 0, 0, u2)), 0);
  assert.equal(now(futex(f, f.a, u1, FUTEX_REQUEUE | P, -1, 0, u2)), EINVAL, 'negative nr_wake');
  assert.equal(now(futex(f, f.a, u1, FUTEX_REQUEUE | P, 1, -1, u2)), EINVAL, 'nr_requeue from a negative val2');
});

test('CMP_REQUEUE checks the first word against val3 before anything (EAGAIN)', async () => {
  const f = futexFixture();
  poke(f.a, PRIV, 7);
  const w = futex(f, f.b, PRIV, FUTEX_WAIT | P, 7);
  assert.equal(now(futex(f, f.a, PRIV, FUTEX_CMP_REQUEUE | P, 0, 1, PRIV + 4, 8)), EAGAIN);
  assert.equal(now(futex(f, f.a, PRIV, FUTEX_CMP_REQUEUE | P, 0, 1, PRIV + 4, 7)), 1);
  assert.equal(await state(w), 'pending', 'requeued, not woken');
  assert.equal(now(futex(f, f.a, PRIV + 4, FUTEX_WAKE | P, 1)), 1);
  assert.equal(await w, 0);
  assert.equal(now(futex(f, f.a, UNMAPPED, FUTEX_CMP_REQUEUE | P, 0, 1, PRIV, 0)), EFAULT);
});

test('the WAKE_OP operations and comparisons, with signed 12-bit arguments and OPARG_SHIFT', () => {
  const f = futexFixture();
  const mem = f.a.mm.as;
  const run = (start: number, op: number, oparg: number, cmp: number, cmparg: number): [number, number] => {
    poke(f.a, PRIV, start);
    const r = futexAtomicOp(mem, futexOp(op, oparg, cmp, cmparg), PRIV);
    return [r, peek(f.a, PRIV)];
  };
  assert.deepEqual(run(5, FUTEX_OP_SET, 9, FUTEX_OP_CMP_EQ, 5), [1, 9]);
  assert.deepEqual(run(5, FUTEX_OP_ADD, -1, FUTEX_OP_CMP_NE, 5), [0, 4]);
  assert.deepEqual(run(0xfffffffe, FUTEX_OP_ADD, 3, FUTEX_OP_CMP_LT, 0), [1, 1], 'the old value compares signed');
  assert.deepEqual(run(0b1000, FUTEX_OP_OR, 0b11, FUTEX_OP_CMP_GE, 8), [1, 0b1011]);
  assert.deepEqual(run(0b1111, FUTEX_OP_ANDN, 0b101, FUTEX_OP_CMP_LE, 14), [0, 0b1010]);
  assert.deepEqual(run(0b1111, FUTEX_OP_XOR, 0b101, FUTEX_OP_CMP_GT, 14), [1, 0b1010]);
  assert.deepEqual(run(-2048, FUTEX_OP_SET, 0, FUTEX_OP_CMP_EQ, -2048), [1, 0], 'cmparg 0x800 is -2048');
  assert.deepEqual(run(0, FUTEX_OP_SET | FUTEX_OP_OPARG_SHIFT, 31, FUTEX_OP_CMP_EQ, 0), [1, 0x80000000]);
  assert.deepEqual(
    run(0, FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT, 33, FUTEX_OP_CMP_EQ, 0),
    [1, 2],
    'shift masked to 5 bits',
  );
  assert.deepEqual(run(3, 5, 1, FUTEX_OP_CMP_EQ, 0), [ENOSYS, 3], 'unknown op: nothing written');
  assert.deepEqual(run(3, FUTEX_OP_SET, 1, 9, 0), [ENOSYS, 1], 'unknown cmp: written all the same');
  assert.equal(futexAtomicOp(mem, futexOp(FUTEX_OP_SET, 1, 0, 0), RDONLY), EFAULT, 'read-only word');
});

test('FUTEX_WAKE_OP updates uaddr2, wakes uaddr1 and, if the comparison held, uaddr2', async () => {
  const f = futexFixture();
  const u1 = PRIV;
  const u2 = PRIV + 4;
  const w1 = futex(f, f.a, u1, FUTEX_WAIT | P, 0);
  const w2 = futex(f, f.b, u2, FUTEX_WAIT | P, 0);
  // *u2 += 1; wake u2 if old > 0 (it was 0): only u1 is woken.
  assert.equal(now(futex(f, f.a, u1, FUTEX_WAKE_OP | P, 1, 1, u2, futexOp(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_GT, 0))), 1);
  assert.equal(peek(f.a, u2), 1);
  assert.equal(await w1, 0);
  assert.equal(await state(w2), 'pending');
  // *u2 = 0; wake u2 if old == 1.
  assert.equal(now(futex(f, f.a, u1, FUTEX_WAKE_OP | P, 1, 1, u2, futexOp(FUTEX_OP_SET, 0, FUTEX_OP_CMP_EQ, 1))), 1);
  assert.equal(await w2, 0);
  assert.equal(now(futex(f, f.a, u1, FUTEX_WAKE_OP | P, 1, 1, RDONLY, 0)), EFAULT);
});

test('FUTEX_WAIT times out after its relative timeout; an invalid timespec is EINVAL', async () => {
  const f = futexFixture();
  putTimespec(f.a, SCRATCH, 0, 30_000_000);
  const t0 = Date.now();
  assert.equal(await futex(f, f.a, PRIV, FUTEX_WAIT | P, 0, SCRATCH), ETIMEDOUT);
  assert.ok(Date.now() - t0 >= 29, 'waited the timeout');
  putTimespec(f.a, SCRATCH, 0, 1e9);
  assert.equal(now(futex(f, f.a, PRIV, FUTEX_WAIT | P, 0, SCRATCH)), EINVAL);
  putTimespec(f.a, SCRATCH, -1, 0);
  assert.equal(now(futex(f, f.a, PRIV, FUTEX_WAIT | P, 0, SCRATCH)), EINVAL);
  assert.equal(now(futex(f, f.a, PRIV, FUTEX_WAIT | P, 0, UNMAPPED)), EFAULT);
  putTimespec(f.a, SCRATCH, 0, 0);
  assert.equal(now(futex(f, f.a, PRIV, FUTEX_WAIT | P, 1, SCRATCH)), EAGAIN, 'the value is checked before the timeout');
});

test('WAIT_BITSET timeouts are absolute, on CLOCK_MONOTONIC or with FUTEX_CLOCK_REALTIME on CLOCK_REALTIME', async () => {
  const f = futexFixture();
  const mono = f.kernel.host.monotonicNs() + 20e6;
  putTimespec(f.a, SCRATCH, Math.floor(mono / 1e9), mono % 1e9);
  assert.equal(await futex(f, f.a, PRIV, FUTEX_WAIT_BITSET | P, 0, SCRATCH, 0, ~0), ETIMEDOUT);
  assert.ok(f.kernel.host.monotonicNs() >= mono);
  const rt = f.kernel.host.realtime();
  putTimespec(f.a, SCRATCH, rt.sec, rt.nsec);
  const op = FUTEX_WAIT_BITSET | P | FUTEX_CLOCK_REALTIME;
  assert.equal(await futex(f, f.a, PRIV, op, 0, SCRATCH, 0, ~0), ETIMEDOUT, 'a realtime deadline already passed');
  putTimespec(f.a, SCRATCH, rt.sec + 3600, 0);
  const w = futex(f, f.a, PRIV, op, 0, SCRATCH, 0, ~0);
  assert.equal(await state(w), 'pending', 'an hour ahead on CLOCK_REALTIME');
  assert.equal(now(futex(f, f.b, PRIV, FUTEX_WAKE | P, 1)), 1);
  assert.equal(await w, 0);
  assert.equal(
    now(futex(f, f.a, PRIV, FUTEX_WAIT | P | FUTEX_CLOCK_REALTIME, 0)),
    ENOSYS,
    'only for the bitset/PI2 waits',
  );
  assert.equal(now(futex(f, f.a, PRIV, FUTEX_WAIT_REQUEUE_PI | P, 0)), ENOSYS);
  assert.equal(now(futex(f, f.a, PRIV, 0x40 | P, 0)), ENOSYS, 'unknown command');
});

test('a signal ends an untimed wait with ERESTARTSYS', async () => {
  const f = futexFixture();
  const w = futex(f, f.b, PRIV, FUTEX_WAIT | P, 0);
  await settle();
  interrupt(f, f.b);
  assert.equal(await w, ERESTARTSYS);
  assert.equal(now(futex(f, f.a, PRIV, FUTEX_WAKE | P, 1)), 0, 'the waiter left the queue');
});

test('a signal ends a timed wait with ERESTART_RESTARTBLOCK; restart_syscall waits to the same deadline', async () => {
  const f = futexFixture();
  putTimespec(f.b, SCRATCH, 0, 60_000_000);
  const t0 = f.kernel.host.monotonicNs();
  const w = futex(f, f.b, PRIV, FUTEX_WAIT | P, 0, SCRATCH);
  await settle();
  interrupt(f, f.b);
  assert.equal(await w, ERESTART_RESTARTBLOCK);
  const rb = f.b.signals.restartBlock;
  assert.ok(rb.fn !== undefined);
  assert.equal(dequeueSignal(f.kernel, f.b, new SigSet())?.sig, S.SIGUSR1, 'the handler would run now');
  const r = rb.fn!(ctxOf(f.kernel, f.b));
  assert.equal(rb.fn, undefined, 'the block is spent once resumed');
  assert.equal(await r, ETIMEDOUT);
  const waited = (f.kernel.host.monotonicNs() - t0) / 1e6;
  assert.ok(waited >= 59 && waited < 1000, `deadline kept (${waited} ms)`);
});

test('futex_waitv returns the index of the futex woken; EAGAIN when a value differs; flags and sizes checked', async () => {
  const f = futexFixture();
  const arr = SCRATCH + 0x100;
  const entry = (i: number, uaddr: number, val: number, flags: number, reserved = 0): void => {
    const b = new Uint8Array(24);
    const d = new DataView(b.buffer);
    d.setBigUint64(0, BigInt(val), true);
    d.setBigUint64(8, BigInt(uaddr), true);
    d.setUint32(16, flags, true);
    d.setUint32(20, reserved, true);
    f.a.mm.as.writeBytes(arr + 24 * i, b, 0, 24);
  };
  entry(0, PRIV, 0, FUTEX2_SIZE_U32 | FUTEX2_PRIVATE);
  entry(1, SHARED, 0, FUTEX2_SIZE_U32);
  const w = futexWaitv(f, f.a, arr, 2, 0, 0, 0);
  assert.equal(await state(w), 'pending');
  assert.equal(now(futex(f, f.b, SHARED, FUTEX_WAKE, 1)), 1);
  assert.equal(await w, 1);
  assert.equal(now(futex(f, f.b, PRIV, FUTEX_WAKE | P, 1)), 0, 'the other entry was unqueued');
  poke(f.a, SHARED, 3);
  assert.equal(now(futexWaitv(f, f.a, arr, 2, 0, 0, 0)), EAGAIN);
  assert.equal(now(futexWaitv(f, f.a, arr, 0, 0, 0, 0)), EINVAL, 'no entries');
  assert.equal(now(futexWaitv(f, f.a, arr, 129, 0, 0, 0)), EINVAL, 'more than FUTEX_WAITV_MAX');
  assert.equal(now(futexWaitv(f, f.a, arr, 1, 1, 0, 0)), EINVAL, 'flags');
  entry(0, PRIV, 0, FUTEX2_SIZE_U64);
  assert.equal(now(futexWaitv(f, f.a, arr, 1, 0, 0, 0)), EINVAL, 'only 32-bit futexes');
  entry(0, PRIV, 0, FUTEX2_SIZE_U32, 1);
  assert.equal(now(futexWaitv(f, f.a, arr, 1, 0, 0, 0)), EINVAL, '__reserved');
  entry(0, PRIV, 2 ** 32, FUTEX2_SIZE_U32);
  assert.equal(now(futexWaitv(f, f.a, arr, 1, 0, 0, 0)), EINVAL, 'a value wider than 32 bits');
  assert.equal(now(futexWaitv(f, f.a, UNMAPPED, 1, 0, 0, 0)), EFAULT);
});

test('futex_waitv times out on an absolute CLOCK_MONOTONIC deadline; other clocks are EINVAL', async () => {
  const f = futexFixture();
  const arr = SCRATCH + 0x100;
  const b = new Uint8Array(24);
  const d = new DataView(b.buffer);
  d.setBigUint64(8, BigInt(PRIV), true);
  d.setUint32(16, FUTEX2_SIZE_U32 | FUTEX2_PRIVATE, true);
  f.a.mm.as.writeBytes(arr, b, 0, 24);
  const mono = f.kernel.host.monotonicNs() + 20e6;
  putTimespec(f.a, SCRATCH, Math.floor(mono / 1e9), mono % 1e9);
  assert.equal(now(futexWaitv(f, f.a, arr, 1, 0, SCRATCH, 7)), EINVAL);
  assert.equal(await futexWaitv(f, f.a, arr, 1, 0, SCRATCH, 1), ETIMEDOUT);
  const w = futexWaitv(f, f.b, arr, 1, 0, 0, 0);
  await settle();
  interrupt(f, f.b);
  assert.equal(await w, ERESTARTSYS, 'no restart block for futex_waitv');
});

test('compat futex (240) reads an 8-byte old_timespec32; futex_time64 ignores the upper half of tv_nsec', async () => {
  const f = futexFixture();
  putTimespec(f.a, SCRATCH, 0, 10_000_000, 8);
  assert.equal(await futex(f, f.a, PRIV, FUTEX_WAIT | P, 0, SCRATCH, 0, 0, 'compat'), ETIMEDOUT);
  putTimespec(f.a, SCRATCH, 0, 1e9, 8);
  assert.equal(now(futex(f, f.a, PRIV, FUTEX_WAIT | P, 0, SCRATCH, 0, 0, 'compat')), EINVAL);
  // tv_nsec = 0xdeadbeef_00989680: 10 ms once the padding is dropped; invalid natively.
  putTimespec(f.a, SCRATCH, 0, 0);
  poke(f.a, SCRATCH + 8, 10_000_000);
  poke(f.a, SCRATCH + 12, 0xdeadbeef);
  assert.equal(now(futex(f, f.a, PRIV, FUTEX_WAIT | P, 0, SCRATCH)), EINVAL);
  assert.equal(await futex(f, f.a, PRIV, FUTEX_WAIT | P, 0, SCRATCH, 0, 0, 'compat-time64'), ETIMEDOUT);
  // val2 of a compat REQUEUE is the 32-bit register.
  const w = futex(f, f.b, PRIV, FUTEX_WAIT | P, 0);
  assert.equal(now(futex(f, f.a, PRIV, FUTEX_REQUEUE | P, 0, 0xffffffff, PRIV + 4, 0, 'compat')), EINVAL);
  assert.equal(now(futex(f, f.a, PRIV, FUTEX_REQUEUE | P, 1, 0, PRIV + 4, 0, 'compat')), 1);
  assert.equal(await w, 0);
});
