/**
 * Sending and dequeueing: the pick order (fault signals first, then the lowest number; the thread's
 * own set before the process's), legacy signals merging, real-time signals queueing up to
 * RLIMIT_SIGPENDING, ignored signals dropped, SIGCONT/stop signals cancelling each other,
 * force_sig's unblock-and-reset, and ITIMER_REAL firing, re-arming on dequeue and being read back.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as S from '../../../src/kernel/abi/signal.js';
import { cancelItimers, getItimer, ITIMER_REAL, pollItimers, setItimer } from '../../../src/kernel/task/itimer.js';
import { faultInfo, killInfo, SI_QUEUE, SI_USER, siCode, siValue } from '../../../src/kernel/task/siginfo.js';
import { dequeueSignal, dequeueSynchronous } from '../../../src/kernel/task/signal-dequeue.js';
import { forceSignalInfo, sendSignal, signalPending } from '../../../src/kernel/task/signal-send.js';
import { nextSignal, SigSet } from '../../../src/kernel/task/signal-set.js';
import { RLIMIT_SIGPENDING } from '../../../src/kernel/task/task.js';
import { signalFixture } from './signal-fixture.js';

const none = new SigSet();

function queued(sig: number, value: number) {
  const info = killInfo(sig, SI_QUEUE, 1, 1000);
  new DataView(info.buffer).setInt32(24, value, true);
  return info;
}

test('nextSignal: synchronous signals of the first word first, then the lowest number', () => {
  const p = new SigSet();
  for (const s of [S.SIGHUP, S.SIGSEGV, S.SIGUSR1, 40]) p.add(s);
  assert.equal(nextSignal(p, none), S.SIGSEGV);
  p.del(S.SIGSEGV);
  assert.equal(nextSignal(p, none), S.SIGHUP);
  assert.equal(nextSignal(p, new SigSet(-1, 0)), 40);
  assert.equal(nextSignal(new SigSet(0x80000000 | 0, 0), none), 32);
  assert.equal(nextSignal(new SigSet(0, 0x80000000 | 0), none), 64);
  assert.equal(nextSignal(new SigSet(), none), 0);
});

test('a legacy signal pending twice is one; real-time signals queue with their values in order', () => {
  const { kernel, task } = signalFixture();
  task.signals.blocked.set(-1, -1);
  sendSignal(kernel, task, S.SIGUSR1, killInfo(S.SIGUSR1, SI_USER, 1, 0), 'group');
  sendSignal(kernel, task, S.SIGUSR1, killInfo(S.SIGUSR1, SI_USER, 1, 0), 'group');
  for (const v of [1, 2, 3]) sendSignal(kernel, task, 40, queued(40, v), 'group');
  assert.equal(signalPending(task), false, 'all blocked');
  const got: [number, number][] = [];
  for (;;) {
    const d = dequeueSignal(kernel, task, none);
    if (d === undefined) break;
    got.push([d.sig, siValue(d.info)[0]]);
  }
  assert.deepEqual(
    got.map((g) => g[0]),
    [S.SIGUSR1, 40, 40, 40],
  );
  assert.deepEqual(
    got.slice(1).map((g) => g[1]),
    [1, 2, 3],
  );
  assert.equal(task.signals.group.queued, 0, 'queue accounting back to zero');
});

test('the thread set is taken before the process set; fault signals before others', () => {
  const { kernel, task } = signalFixture();
  task.signals.blocked.set(-1, -1);
  sendSignal(kernel, task, S.SIGHUP, killInfo(S.SIGHUP, SI_USER, 1, 0), 'group');
  sendSignal(kernel, task, S.SIGTERM, killInfo(S.SIGTERM, SI_USER, 1, 0), 'thread');
  sendSignal(kernel, task, S.SIGBUS, faultInfo(S.SIGBUS, S.BUS_ADRERR, 0x1234), 'thread');
  task.signals.blocked.set(0, 0);
  assert.equal(dequeueSynchronous(task)?.sig, S.SIGBUS);
  assert.equal(dequeueSynchronous(task), undefined);
  assert.equal(dequeueSignal(kernel, task, task.signals.blocked)?.sig, S.SIGTERM);
  assert.equal(dequeueSignal(kernel, task, task.signals.blocked)?.sig, S.SIGHUP);
});

test('RLIMIT_SIGPENDING: a real-time signal from sigqueue over the limit fails with EAGAIN; kill still sends', () => {
  const { kernel, task } = signalFixture();
  task.rlimits[RLIMIT_SIGPENDING] = [2, 2];
  task.signals.blocked.set(-1, -1);
  assert.equal(sendSignal(kernel, task, 40, queued(40, 1), 'group'), 0);
  assert.equal(sendSignal(kernel, task, 40, queued(40, 2), 'group'), 0);
  assert.equal(sendSignal(kernel, task, 40, queued(40, 3), 'group'), -11);
  assert.equal(sendSignal(kernel, task, 41, killInfo(41, SI_USER, 1, 0), 'group'), 0);
  const d = [1, 2, 3].map(() => dequeueSignal(kernel, task, none));
  assert.deepEqual(
    d.map((x) => x?.sig),
    [40, 40, 41],
  );
  assert.equal(siCode(d[2]!.info), SI_USER, 'the kill() without a queue entry: made-up SI_USER info');
});

test('ignored signals are dropped at send time unless blocked; SIGCONT cancels pending stop signals', () => {
  const { kernel, task } = signalFixture();
  sendSignal(kernel, task, S.SIGCHLD, killInfo(S.SIGCHLD, SI_USER, 1, 0), 'group');
  assert.equal(task.signals.pendingSet().isEmpty(), true, 'SIGCHLD with SIG_DFL is ignored');
  task.signals.actions[S.SIGUSR2]!.handler = S.SIG_IGN;
  sendSignal(kernel, task, S.SIGUSR2, killInfo(S.SIGUSR2, SI_USER, 1, 0), 'group');
  assert.equal(task.signals.pendingSet().isEmpty(), true, 'SIG_IGN');
  task.signals.blocked.add(S.SIGUSR2);
  sendSignal(kernel, task, S.SIGUSR2, killInfo(S.SIGUSR2, SI_USER, 1, 0), 'group');
  assert.ok(task.signals.pendingSet().has(S.SIGUSR2), 'blocked: kept, the handler may change');
  task.signals.blocked.add(S.SIGTSTP);
  sendSignal(kernel, task, S.SIGTSTP, killInfo(S.SIGTSTP, SI_USER, 1, 0), 'group');
  assert.ok(task.signals.pendingSet().has(S.SIGTSTP));
  sendSignal(kernel, task, S.SIGCONT, killInfo(S.SIGCONT, SI_USER, 1, 0), 'group');
  assert.ok(!task.signals.pendingSet().has(S.SIGTSTP), 'SIGCONT flushed the stop signal');
});

test('force_sig on a blocked or ignored fault signal unblocks it and resets the handler', () => {
  const { kernel, task } = signalFixture();
  const a = task.signals.actions[S.SIGSEGV]!;
  a.handler = 0x1000;
  task.signals.blocked.add(S.SIGSEGV);
  forceSignalInfo(kernel, task, faultInfo(S.SIGSEGV, S.SEGV_MAPERR, 8));
  assert.equal(a.handler, S.SIG_DFL);
  assert.ok(!task.signals.blocked.has(S.SIGSEGV));
  assert.ok(signalPending(task));
  const b = task.signals.actions[S.SIGILL]!;
  b.handler = 0x2000;
  forceSignalInfo(kernel, task, faultInfo(S.SIGILL, S.ILL_ILLOPC, 8));
  assert.equal(b.handler, 0x2000, 'a caught, unblocked fault keeps its handler');
});

test('a fatal signal to a process takes the fast path: group exit, SIGKILL queued', () => {
  const { kernel, task } = signalFixture();
  sendSignal(kernel, task, S.SIGTERM, killInfo(S.SIGTERM, SI_USER, 1, 0), 'group');
  assert.equal(task.signals.group.groupExitSignal, S.SIGTERM);
  assert.ok(task.signals.pending.set.has(S.SIGKILL));
});

test('ITIMER_REAL: fires when polled after expiry, re-arms when SIGALRM is dequeued, getitimer', () => {
  const { kernel, task, clock } = signalFixture();
  task.signals.blocked.add(S.SIGALRM);
  try {
    const old = setItimer(kernel, task, ITIMER_REAL, 50_000_000, 20_000_000);
    assert.deepEqual(old, { value: 0, interval: 0 });
    clock.monotonicNs += 10_000_000;
    assert.deepEqual(getItimer(kernel, task, ITIMER_REAL), { value: 40_000_000, interval: 20_000_000 });
    pollItimers(kernel, task);
    assert.ok(!task.signals.pendingSet().has(S.SIGALRM), 'not yet');
    clock.monotonicNs += 45_000_000;
    pollItimers(kernel, task);
    assert.ok(task.signals.pendingSet().has(S.SIGALRM), 'fired');
    assert.deepEqual(getItimer(kernel, task, ITIMER_REAL), { value: 0, interval: 20_000_000 }, 'waits for the dequeue');
    clock.monotonicNs += 100_000_000;
    const d = dequeueSignal(kernel, task, none);
    assert.equal(d?.sig, S.SIGALRM);
    // Forwarded past now: expiry was at +50 ms, now is +155 ms, so the next is at +170 ms.
    assert.deepEqual(getItimer(kernel, task, ITIMER_REAL), { value: 15_000_000, interval: 20_000_000 });
    const prev = setItimer(kernel, task, ITIMER_REAL, 0, 0);
    assert.equal(prev.interval, 20_000_000);
    assert.deepEqual(getItimer(kernel, task, ITIMER_REAL), { value: 0, interval: 0 });
  } finally {
    cancelItimers(task);
  }
});
