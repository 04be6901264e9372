/**
 * PI futexes: LOCK_PI on a free word, contention (FUTEX_WAITERS, direct hand-over on UNLOCK_PI in
 * FIFO order), TRYLOCK_PI, EDEADLK/EPERM/ESRCH/EINVAL, timeouts on CLOCK_REALTIME (LOCK_PI) and
 * CLOCK_MONOTONIC (LOCK_PI2), signals (ERESTARTNOINTR), and across processes in shared memory.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as S from '../../../src/kernel/abi/signal.js';
import {
  FUTEX_CLOCK_REALTIME,
  FUTEX_LOCK_PI,
  FUTEX_LOCK_PI2,
  FUTEX_OWNER_DIED,
  FUTEX_PRIVATE_FLAG,
  FUTEX_TRYLOCK_PI,
  FUTEX_UNLOCK_PI,
  FUTEX_WAIT,
  FUTEX_WAITERS,
  FUTEX_WAKE,
} from '../../../src/kernel/task/futex-abi.js';
import { killInfo, SI_TKILL } from '../../../src/kernel/task/siginfo.js';
import { sendSignal } from '../../../src/kernel/task/signal-send.js';
import { futex, futexFixture, now, PRIV, peek, poke, putTimespec, SHARED, settle, state } from './futex-fixture.js';

const EPERM = -1;
const ESRCH = -3;
const EAGAIN = -11;
const EINVAL = -22;
const EDEADLK = -35;
const ETIMEDOUT = -110;
const ERESTARTNOINTR = -513;
const P = FUTEX_PRIVATE_FLAG;
const SCRATCH = PRIV + 0x8000;

test('LOCK_PI takes a free futex (TID written), EDEADLK for the owner, EPERM for an unlock by another', () => {
  const f = futexFixture();
  assert.equal(now(futex(f, f.a, PRIV, FUTEX_LOCK_PI | P, 0)), 0);
  assert.equal(peek(f.a, PRIV), f.a.tid);
  assert.equal(now(futex(f, f.a, PRIV, FUTEX_LOCK_PI | P, 0)), EDEADLK);
  assert.equal(now(futex(f, f.b, PRIV, FUTEX_UNLOCK_PI | P, 0)), EPERM);
  assert.equal(now(futex(f, f.a, PRIV, FUTEX_UNLOCK_PI | P, 0)), 0);
  assert.equal(peek(f.a, PRIV), 0);
  poke(f.a, PRIV, FUTEX_OWNER_DIED);
  assert.equal(now(futex(f, f.b, PRIV, FUTEX_LOCK_PI | P, 0)), 0, 'a free futex with OWNER_DIED');
  assert.equal(peek(f.a, PRIV), (FUTEX_OWNER_DIED | f.b.tid) >>> 0, 'OWNER_DIED is kept');
});

test('a contended LOCK_PI sets FUTEX_WAITERS and sleeps; UNLOCK_PI hands the lock to the oldest waiter', async () => {
  const f = futexFixture();
  const c = f.fork();
  assert.equal(now(futex(f, f.a, SHARED, FUTEX_LOCK_PI, 0)), 0);
  const wb = futex(f, f.b, SHARED, FUTEX_LOCK_PI, 0);
  assert.equal(await state(wb), 'pending');
  assert.equal(peek(f.a, SHARED), (FUTEX_WAITERS | f.a.tid) >>> 0);
  const wc = futex(f, c, SHARED, FUTEX_LOCK_PI, 0);
  assert.equal(await state(wc), 'pending', 'another process queues behind');
  assert.equal(now(futex(f, f.a, SHARED, FUTEX_UNLOCK_PI, 0)), 0);
  assert.equal(await wb, 0);
  assert.equal(peek(f.a, SHARED), (FUTEX_WAITERS | f.b.tid) >>> 0, 'the new owner, WAITERS kept');
  assert.equal(await state(wc), 'pending');
  assert.equal(now(futex(f, f.a, SHARED, FUTEX_UNLOCK_PI, 0)), EPERM, 'no longer the owner');
  assert.equal(now(futex(f, f.b, SHARED, FUTEX_UNLOCK_PI, 0)), 0);
  assert.equal(await wc, 0);
  assert.equal(peek(c, SHARED), (FUTEX_WAITERS | c.tid) >>> 0);
  assert.equal(now(futex(f, c, SHARED, FUTEX_UNLOCK_PI, 0)), 0);
  assert.equal(peek(c, SHARED), 0, 'no waiters left: the word is 0');
});

test('TRYLOCK_PI takes a free futex and gives EAGAIN on a held one (leaving FUTEX_WAITERS set)', () => {
  const f = futexFixture();
  assert.equal(now(futex(f, f.a, PRIV, FUTEX_TRYLOCK_PI | P, 0)), 0);
  assert.equal(now(futex(f, f.b, PRIV, FUTEX_TRYLOCK_PI | P, 0)), EAGAIN);
  assert.equal(peek(f.a, PRIV), (FUTEX_WAITERS | f.a.tid) >>> 0);
  assert.equal(now(futex(f, f.a, PRIV, FUTEX_UNLOCK_PI | P, 0)), 0);
  assert.equal(peek(f.a, PRIV), 0);
});

test('LOCK_PI on a word naming no task is ESRCH; WAKE on a PI futex with waiters and LOCK_PI behind FUTEX_WAIT are EINVAL', async () => {
  const f = futexFixture();
  poke(f.a, PRIV, 4000);
  assert.equal(now(futex(f, f.a, PRIV, FUTEX_LOCK_PI | P, 0)), ESRCH);
  assert.equal(peek(f.a, PRIV), (FUTEX_WAITERS | 4000) >>> 0, 'the waiters bit was set first');
  poke(f.a, PRIV, f.a.tid);
  const w = futex(f, f.b, PRIV, FUTEX_LOCK_PI | P, 0);
  assert.equal(await state(w), 'pending');
  assert.equal(now(futex(f, f.a, PRIV, FUTEX_WAKE | P, 1)), EINVAL);
  poke(f.a, PRIV, FUTEX_WAITERS | 4000);
  assert.equal(now(futex(f, f.a, PRIV, FUTEX_UNLOCK_PI | P, 0)), EPERM);
  poke(f.a, PRIV, FUTEX_WAITERS | f.a.tid);
  assert.equal(now(futex(f, f.a, PRIV, FUTEX_UNLOCK_PI | P, 0)), 0);
  assert.equal(await w, 0);
  const u = PRIV + 4;
  const plain = futex(f, f.b, u, FUTEX_WAIT | P, 0);
  poke(f.a, u, f.b.tid);
  assert.equal(now(futex(f, f.a, u, FUTEX_LOCK_PI | P, 0)), EINVAL, 'the top waiter is not a PI waiter');
  poke(f.a, u, 0);
  assert.equal(now(futex(f, f.a, u, FUTEX_WAKE | P, 1)), 1);
  assert.equal(await plain, 0);
});

test('a word whose TID disagrees with the PI state is EINVAL', async () => {
  const f = futexFixture();
  const c = f.fork();
  poke(f.a, PRIV, f.a.tid);
  const w = futex(f, f.b, PRIV, FUTEX_LOCK_PI | P, 0);
  assert.equal(await state(w), 'pending');
  poke(f.a, PRIV, FUTEX_WAITERS | c.tid);
  assert.equal(now(futex(f, f.a, PRIV, FUTEX_LOCK_PI | P, 0)), EINVAL);
  poke(f.a, PRIV, FUTEX_WAITERS | f.a.tid);
  assert.equal(now(futex(f, f.a, PRIV, FUTEX_UNLOCK_PI | P, 0)), 0);
  assert.equal(await w, 0);
});

test('LOCK_PI times out on an absolute CLOCK_REALTIME deadline, LOCK_PI2 on CLOCK_MONOTONIC', async () => {
  const f = futexFixture();
  poke(f.a, PRIV, f.a.tid);
  const rt = f.kernel.host.realtime();
  const rtNs = rt.sec * 1e9 + rt.nsec + 20e6;
  putTimespec(f.b, SCRATCH, Math.floor(rtNs / 1e9), rtNs % 1e9);
  assert.equal(await futex(f, f.b, PRIV, FUTEX_LOCK_PI | P, 0, SCRATCH), ETIMEDOUT);
  const mono = f.kernel.host.monotonicNs() + 20e6;
  putTimespec(f.b, SCRATCH, Math.floor(mono / 1e9), mono % 1e9);
  assert.equal(await futex(f, f.b, PRIV, FUTEX_LOCK_PI2 | P, 0, SCRATCH), ETIMEDOUT);
  putTimespec(f.b, SCRATCH, rt.sec + 3600, 0);
  const w = futex(f, f.b, PRIV, FUTEX_LOCK_PI2 | P | FUTEX_CLOCK_REALTIME, 0, SCRATCH);
  assert.equal(await state(w), 'pending', 'an hour ahead on CLOCK_REALTIME');
  assert.equal(now(futex(f, f.a, PRIV, FUTEX_UNLOCK_PI | P, 0)), 0);
  assert.equal(await w, 0);
  assert.equal(
    now(futex(f, f.a, PRIV, FUTEX_LOCK_PI | P | FUTEX_CLOCK_REALTIME, 0)),
    -38,
    'LOCK_PI takes no clock flag',
  );
});

test('a signal interrupts a PI wait with ERESTARTNOINTR and the waiter leaves; the last one leaving drops the state', async () => {
  const f = futexFixture();
  poke(f.a, PRIV, f.a.tid);
  const w = futex(f, f.b, PRIV, FUTEX_LOCK_PI | P, 0);
  await settle();
  Object.assign(f.b.signals.actions[S.SIGUSR1]!, { handler: 0x40_2000, flags: 0 });
  sendSignal(f.kernel, f.b, S.SIGUSR1, killInfo(S.SIGUSR1, SI_TKILL, f.a.tid, 1000), 'thread');
  assert.equal(await w, ERESTARTNOINTR);
  assert.equal(peek(f.a, PRIV), (FUTEX_WAITERS | f.a.tid) >>> 0, 'the waiters bit stays');
  assert.equal(now(futex(f, f.a, PRIV, FUTEX_UNLOCK_PI | P, 0)), 0);
  assert.equal(peek(f.a, PRIV), 0, 'no kernel waiters: unlocked to 0');
});
