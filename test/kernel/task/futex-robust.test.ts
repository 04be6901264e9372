/**
 * The exit-time futex work: the native robust list (24-byte head), the compat one (12-byte head,
 * 32-bit futex_offset arithmetic), list_op_pending, PI entries, the 2048-entry limit, the hand-over
 * of PI futexes to waiters when their owner dies, and CHILD_CLEARTID's write and wake.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAP_ANONYMOUS, MAP_PRIVATE, PROT_READ, PROT_WRITE } from '../../../src/kernel/abi/mman.js';
import {
  FUTEX_LOCK_PI,
  FUTEX_OWNER_DIED,
  FUTEX_PRIVATE_FLAG,
  FUTEX_TID_MASK,
  FUTEX_WAIT,
  FUTEX_WAITERS,
  FUTEX_WAKE,
} from '../../../src/kernel/task/futex-abi.js';
import { exitRobustList, futexWakeClearTid } from '../../../src/kernel/task/robust-list.js';
import type { Task } from '../../../src/kernel/task/task.js';
import { futex, futexFixture, now, PRIV, peek, poke, SHARED, state } from './futex-fixture.js';

const ESRCH = -3;
const P = FUTEX_PRIVATE_FLAG;
const HEAD = PRIV + 0x100;
const COMPAT_HEAD = PRIV + 0x200;
const HIGH = 0xf000_0000;

/** Stores a 64-bit value given as a number (negative: two's complement). */
function poke64(t: Task, addr: number, v: number): void {
  t.mm.as.write64(addr, v | 0, Math.floor(v / 4294967296) | 0);
}

/**
 * A pthread-style robust mutex: the list entry at `at`, the lock word at at + offset. Entries are
 * chained in the order given; the last points back at the head.
 */
function nativeList(t: Task, head: number, entries: number[], offset: number, pending = 0): void {
  poke64(t, head, entries[0] ?? head);
  poke64(t, head + 8, offset);
  poke64(t, head + 16, pending);
  for (let i = 0; i < entries.length; i++) poke64(t, entries[i]! - (entries[i]! % 2), entries[i + 1] ?? head);
}

test('a dying thread marks the robust futexes it owns OWNER_DIED, keeps WAITERS and wakes one waiter each', async () => {
  const f = futexFixture();
  const m1 = PRIV + 0x1000; // entry; the word is at entry + 8 (futex_offset)
  const m2 = PRIV + 0x1100;
  const m3 = PRIV + 0x1200;
  nativeList(f.a, HEAD, [m1, m2, m3], 8);
  poke(f.a, m1 + 8, f.a.tid);
  poke(f.a, m2 + 8, FUTEX_WAITERS | f.a.tid);
  poke(f.a, m3 + 8, f.b.tid); // another thread's: untouched
  const w = futex(f, f.b, m2 + 8, FUTEX_WAIT, FUTEX_WAITERS | f.a.tid);
  assert.equal(await state(w), 'pending');
  f.a.robustListHead = HEAD;
  exitRobustList(f.kernel, f.a);
  assert.equal(peek(f.a, m1 + 8), FUTEX_OWNER_DIED);
  assert.equal(peek(f.a, m2 + 8), (FUTEX_WAITERS | FUTEX_OWNER_DIED) >>> 0);
  assert.equal(peek(f.a, m3 + 8), f.b.tid);
  assert.equal(await w, 0, 'the shared wake reached the waiter');
  assert.equal(f.a.robustListHead, 0, 'the head is forgotten');
});

test('a negative futex_offset (glibc: the lock word before the list entry) is read exactly', () => {
  const f = futexFixture();
  const entry = PRIV + 0x1018; // pthread_mutex_t at 0x1000: __lock at +0, __list at +24
  nativeList(f.a, HEAD, [entry], -24);
  poke(f.a, PRIV + 0x1000, FUTEX_WAITERS | f.a.tid);
  f.a.robustListHead = HEAD;
  exitRobustList(f.kernel, f.a);
  assert.equal(peek(f.a, PRIV + 0x1000), (FUTEX_WAITERS | FUTEX_OWNER_DIED) >>> 0);
});

test('list_op_pending: handled once even when on the list; a pending 0 word wakes a waiter without OWNER_DIED', async () => {
  const f = futexFixture();
  const m1 = PRIV + 0x1000;
  const m2 = PRIV + 0x1100;
  nativeList(f.a, HEAD, [m1], 8, m1);
  poke(f.a, m1 + 8, FUTEX_WAITERS | f.a.tid);
  const w1 = futex(f, f.b, m1 + 8, FUTEX_WAIT, FUTEX_WAITERS | f.a.tid);
  const w2 = futex(f, f.b, m1 + 8, FUTEX_WAIT, FUTEX_WAITERS | f.a.tid);
  f.a.robustListHead = HEAD;
  exitRobustList(f.kernel, f.a);
  assert.equal(await w1, 0);
  assert.equal(await state(w2), 'pending', 'one wake, not two');
  assert.equal(now(futex(f, f.a, m1 + 8, FUTEX_WAKE, 1)), 1);
  assert.equal(await w2, 0);
  // The thread died between releasing the lock (word 0) and waking: the waiter is woken.
  nativeList(f.a, HEAD, [], 8, m2);
  poke(f.a, m2 + 8, 0);
  const w3 = futex(f, f.b, m2 + 8, FUTEX_WAIT, 0);
  f.a.robustListHead = HEAD;
  exitRobustList(f.kernel, f.a);
  assert.equal(peek(f.a, m2 + 8), 0, 'no OWNER_DIED on a free lock');
  assert.equal(await w3, 0);
});

test('the compat list (12-byte head) is walked after the native one, futex_offset added modulo 2^32', () => {
  const f = futexFixture();
  const m1 = PRIV + 0x1000;
  const word = PRIV + 0x1010;
  nativeList(f.a, HEAD, [m1], 0x10);
  poke(f.a, word, f.a.tid);
  // entry + futex_offset wraps in 32 bits: 0x10002000 + (-0x20001ff0) = 0xf0000010.
  assert.ok(f.a.mm.map(HIGH, 0x1000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, undefined, 0));
  const m2 = PRIV + 0x2000;
  f.a.mm.as.write32(COMPAT_HEAD, m2);
  f.a.mm.as.write32(COMPAT_HEAD + 4, -0x20001ff0);
  f.a.mm.as.write32(COMPAT_HEAD + 8, 0);
  f.a.mm.as.write32(m2, COMPAT_HEAD);
  poke(f.a, HIGH + 0x10, f.a.tid);
  f.a.robustListHead = HEAD;
  f.a.compatRobustListHead = COMPAT_HEAD;
  exitRobustList(f.kernel, f.a);
  assert.equal(peek(f.a, word), FUTEX_OWNER_DIED, 'native entry');
  assert.equal(peek(f.a, HIGH + 0x10), FUTEX_OWNER_DIED, 'compat entry');
  assert.equal(f.a.compatRobustListHead, 0);
});

test('a circular list stops after ROBUST_LIST_LIMIT entries; a fault or a misaligned word ends the walk', () => {
  const f = futexFixture();
  const base = PRIV + 0x1000;
  // 3000 entries 16 bytes apart, the last pointing at the first: never reaches the head.
  for (let i = 0; i < 3000; i++) poke64(f.a, base + 16 * i, base + 16 * ((i + 1) % 3000));
  for (let i = 0; i < 3000; i++) poke(f.a, base + 16 * i + 8, f.a.tid);
  poke64(f.a, HEAD, base);
  poke64(f.a, HEAD + 8, 8);
  poke64(f.a, HEAD + 16, 0);
  f.a.robustListHead = HEAD;
  exitRobustList(f.kernel, f.a);
  let marked = 0;
  for (let i = 0; i < 3000; i++) if (peek(f.a, base + 16 * i + 8) === FUTEX_OWNER_DIED) marked++;
  assert.equal(marked, 2048);
  const m1 = PRIV + 0x100;
  nativeList(f.a, HEAD, [m1, PRIV + 0x300], 2);
  poke(f.a, PRIV + 0x300 + 4, f.a.tid);
  f.a.robustListHead = HEAD;
  exitRobustList(f.kernel, f.a);
  assert.equal(peek(f.a, PRIV + 0x300 + 4), f.a.tid, 'the walk stopped at the misaligned first word');
  f.a.robustListHead = 0x5000_0000;
  exitRobustList(f.kernel, f.a);
  assert.equal(f.a.robustListHead, 0, 'an unmapped head is ignored');
});

test('a PI futex whose owner dies goes to its oldest waiter with OWNER_DIED; the dead TID is ESRCH afterwards', async () => {
  const f = futexFixture();
  const c = f.fork();
  const entry = SHARED + 0x100;
  const word = entry + 8;
  nativeList(f.a, HEAD, [entry + 1], 8); // bit 0: a PI futex
  poke(f.a, word, f.a.tid);
  const wb = futex(f, f.b, word, FUTEX_LOCK_PI, 0);
  const wc = futex(f, c, word, FUTEX_LOCK_PI, 0);
  assert.equal(await state(wb), 'pending');
  f.a.robustListHead = HEAD;
  f.a.exitStatus = 0;
  exitRobustList(f.kernel, f.a);
  assert.equal(await wb, 0);
  assert.equal(peek(f.a, word), (FUTEX_OWNER_DIED | FUTEX_WAITERS | f.b.tid) >>> 0);
  assert.equal(await state(wc), 'pending');
  // B dies without a robust list: C gets it without OWNER_DIED being added.
  poke(f.a, word, FUTEX_WAITERS | f.b.tid);
  f.b.exitStatus = 0;
  exitRobustList(f.kernel, f.b);
  assert.equal(await wc, 0);
  assert.equal(peek(c, word) & FUTEX_TID_MASK, c.tid);
  poke(f.a, PRIV, f.b.tid);
  assert.equal(now(futex(f, c, PRIV, FUTEX_LOCK_PI | P, 0)), 0, 'a private word of C is not the dead thread’s');
  poke(c, PRIV + 4, f.b.tid);
  assert.equal(now(futex(f, c, PRIV + 4, FUTEX_LOCK_PI | P, 0)), ESRCH, 'the dead owner is gone');
});

test('CHILD_CLEARTID: 0 written to the tid word and one shared waiter woken (pthread_join)', async () => {
  const f = futexFixture();
  const tidp = PRIV + 0x40;
  poke(f.a, tidp, f.b.tid);
  const join = futex(f, f.a, tidp, FUTEX_WAIT, f.b.tid);
  const other = futex(f, f.a, tidp, FUTEX_WAIT, f.b.tid);
  f.b.clearChildTid = tidp;
  futexWakeClearTid(f.kernel, f.b);
  assert.equal(peek(f.a, tidp), 0);
  assert.equal(await join, 0);
  assert.equal(await state(other), 'pending', 'one waiter only');
  assert.equal(now(futex(f, f.a, tidp, FUTEX_WAKE, 1)), 1);
  assert.equal(await other, 0);
  f.b.clearChildTid = 0x5000_0000;
  futexWakeClearTid(f.kernel, f.b);
});
