/**
 * POSIX timers through their handlers, on the fixture's fake clocks: ids per process, the default
 * SIGALRM event, SI_TIMER siginfo, overrun counting while the signal stays queued (the numbers
 * Linux's dequeue-time hrtimer_forward gives), timer_getoverrun, gettime/settime values, SIGEV_NONE,
 * SIGEV_THREAD_ID, the clocks that take timers, CPU-clock timers, and the compat layouts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LP64, layoutOf, offsetOf } from '../../../src/kernel/abi/layout.js';
import * as S from '../../../src/kernel/abi/signal.js';
import { siginfo } from '../../../src/kernel/abi/structs-signal.js';
import {
  CPUCLOCK_SCHED,
  CPUCLOCK_VIRT,
  cpuClockNow,
  cpuClockResNs,
  makeProcessCpuclock,
  makeThreadCpuclock,
} from '../../../src/kernel/task/cpu-clocks.js';
import {
  addOverrun,
  deleteProcessTimers,
  forwardCount,
  pollPosixTimers,
  SIGEV_NONE,
  SIGEV_SIGNAL,
  SIGEV_THREAD_ID,
  TIMER_ABSTIME,
  timerCount,
} from '../../../src/kernel/task/posix-timers.js';
import { SI_TIMER, siCode, siSigno, siValue, timerInfo } from '../../../src/kernel/task/siginfo.js';
import { dequeueSignal } from '../../../src/kernel/task/signal-dequeue.js';
import { SigSet } from '../../../src/kernel/task/signal-set.js';
import {
  ctxOf,
  itimerspec64,
  itimerspecAt,
  readBytes,
  readItimerspec64,
  sysNow,
  type TimerFixture,
  timerFixture,
  writeBytes,
} from './timer-fixture.js';

const EINVAL = -22;
const EFAULT = -14;
const EOPNOTSUPP = -95;
const MS = 1_000_000;
const CLOCK_REALTIME = 0;
const CLOCK_MONOTONIC = 1;
const CLOCK_PROCESS_CPUTIME_ID = 2;
const CLOCK_MONOTONIC_COARSE = 6;
const CLOCK_REALTIME_ALARM = 8;

const L = layoutOf(siginfo, LP64);
const TIMERID = offsetOf(L, '_sifields._timer._tid').offset;
const OVERRUN = offsetOf(L, '_sifields._timer._overrun').offset;

function timerFields(info: Uint8Array): { id: number; overrun: number } {
  const dv = new DataView(info.buffer, info.byteOffset);
  return { id: dv.getInt32(TIMERID, true), overrun: dv.getInt32(OVERRUN, true) };
}

/** timer_create(clock, NULL or the native sigevent, &id): the id. */
function create(f: TimerFixture, clock: number, ev?: { notify: number; signo: number; value?: number; tid?: number }) {
  const ctx = ctxOf(f.kernel, f.task);
  let evp = 0;
  if (ev !== undefined) {
    const b = new Uint8Array(64);
    const dv = new DataView(b.buffer);
    dv.setInt32(0, ev.value ?? 0, true);
    dv.setInt32(8, ev.signo, true);
    dv.setInt32(12, ev.notify, true);
    dv.setInt32(16, ev.tid ?? 0, true);
    evp = f.buf + 0x100;
    writeBytes(f.task, evp, b);
  }
  const r = sysNow(ctx, 'timer_create', clock, evp, f.buf);
  if (r !== 0) return r;
  return new DataView(readBytes(f.task, f.buf, 4).buffer).getInt32(0, true);
}

function settime(f: TimerFixture, id: number, intervalNs: number, valueNs: number, flags = 0): number {
  writeBytes(f.task, f.buf + 0x200, itimerspec64(intervalNs, valueNs));
  return sysNow(ctxOf(f.kernel, f.task), 'timer_settime', id, flags, f.buf + 0x200, f.buf + 0x240);
}

function gettime(f: TimerFixture, id: number): [number, number] {
  assert.equal(sysNow(ctxOf(f.kernel, f.task), 'timer_gettime', id, f.buf + 0x280), 0);
  return readItimerspec64(f.task, f.buf + 0x280);
}

function advance(f: TimerFixture, ns: number): void {
  f.clock.monotonicNs += ns;
  pollPosixTimers(f.kernel, f.task);
}

const none = new SigSet();

test('hrtimer_forward arithmetic: periods to move a due expiry past now; si_overrun saturates at INT_MAX', () => {
  assert.equal(forwardCount(100, 99, 10), 0, 'not due');
  assert.equal(forwardCount(100, 100, 10), 1, 'due exactly: one period');
  assert.equal(forwardCount(100, 109, 10), 1);
  assert.equal(forwardCount(100, 110, 10), 2, 'now on the next boundary: past it');
  assert.equal(forwardCount(100, 135, 10), 4, '100 + 4·10 = 140 > 135');
  const info = timerInfo(S.SIGALRM, 0, 0x7ffffff0, 0, 0);
  addOverrun(info, 5);
  assert.equal(timerFields(info).overrun, 0x7ffffff5);
  addOverrun(info, 100);
  assert.equal(timerFields(info).overrun, 0x7fffffff);
});

test('timer ids count up per process from 0 and are not reused; the default event is SIGALRM with si_value = id', (t) => {
  const f = timerFixture(t);
  assert.equal(create(f, CLOCK_MONOTONIC), 0);
  assert.equal(create(f, CLOCK_MONOTONIC), 1);
  assert.equal(sysNow(ctxOf(f.kernel, f.task), 'timer_delete', 0), 0);
  assert.equal(sysNow(ctxOf(f.kernel, f.task), 'timer_delete', 0), EINVAL, 'deleted');
  assert.equal(create(f, CLOCK_MONOTONIC), 2, 'id 0 is free but the counter moved on');
  f.block(S.SIGALRM);
  assert.equal(settime(f, 2, 0, 10 * MS), 0);
  advance(f, 9 * MS);
  assert.equal(f.task.signals.group.shared.set.has(S.SIGALRM), false, 'not yet');
  advance(f, 1 * MS);
  const d = dequeueSignal(f.kernel, f.task, none);
  assert.ok(d !== undefined);
  assert.equal(d.sig, S.SIGALRM);
  assert.equal(siCode(d.info), SI_TIMER);
  assert.deepEqual(timerFields(d.info), { id: 2, overrun: 0 });
  assert.deepEqual(siValue(d.info), [2, 0]);
  assert.deepEqual(gettime(f, 2), [0, 0], 'a one-shot timer that fired is disarmed');
});

test('a periodic timer whose signal stays blocked: one signal, si_overrun = the expiries missed; timer_getoverrun', (t) => {
  const f = timerFixture(t);
  const ctx = ctxOf(f.kernel, f.task);
  const id = create(f, CLOCK_MONOTONIC, { notify: SIGEV_SIGNAL, signo: S.SIGRTMIN + 1, value: 77 });
  f.block(S.SIGRTMIN + 1);
  settime(f, id, 10 * MS, 10 * MS);
  advance(f, 35 * MS); // expiries at 10, 20, 30: one signal, two overruns
  assert.equal(f.task.signals.group.shared.queue.length, 1);
  advance(f, 10 * MS); // 40 as well
  assert.equal(f.task.signals.group.shared.queue.length, 1, 'still one queued signal');
  assert.equal(sysNow(ctx, 'timer_getoverrun', id), 0, 'nothing delivered yet');
  const d = dequeueSignal(f.kernel, f.task, none);
  assert.ok(d !== undefined);
  // Linux: fired at 10, dequeued at 45, hrtimer_forward from 10 → 4 periods → it_overrun = 3.
  assert.deepEqual(timerFields(d.info), { id, overrun: 3 });
  assert.deepEqual(siValue(d.info), [77, 0]);
  assert.equal(sysNow(ctx, 'timer_getoverrun', id), 3);
  const [interval, value] = gettime(f, id);
  assert.equal(interval, 10 * MS);
  assert.equal(value, 5 * MS, 'next expiry at 50, on the grid');
  advance(f, 5 * MS);
  const d2 = dequeueSignal(f.kernel, f.task, none);
  assert.equal(d2 !== undefined && timerFields(d2.info).overrun, 0);
  assert.equal(sysNow(ctx, 'timer_getoverrun', id), 0);
});

test('timer_settime returns the old setting; TIMER_ABSTIME on CLOCK_REALTIME; a time already passed fires at once', (t) => {
  const f = timerFixture(t);
  const id = create(f, CLOCK_REALTIME, { notify: SIGEV_SIGNAL, signo: S.SIGUSR1 });
  f.block(S.SIGUSR1);
  assert.equal(settime(f, id, 0, 30 * MS), 0);
  f.clock.monotonicNs += 10 * MS;
  assert.equal(settime(f, id, 5 * MS, 0), 0, 'disarm');
  assert.deepEqual(readItimerspec64(f.task, f.buf + 0x240), [0, 20 * MS], 'old value: 20 ms left, no interval');
  const now = 1_700_000_000; // the fixture's realtime clock stands still
  const ctx = ctxOf(f.kernel, f.task);
  writeBytes(f.task, f.buf + 0x200, itimerspecAt(now, 20 * MS));
  assert.equal(sysNow(ctx, 'timer_settime', id, TIMER_ABSTIME, f.buf + 0x200, 0), 0);
  assert.deepEqual(gettime(f, id), [0, 20 * MS], 'exactly 20 ms left');
  advance(f, 20 * MS);
  assert.equal(f.task.signals.group.shared.set.has(S.SIGUSR1), true, 'fired at the absolute time');
  dequeueSignal(f.kernel, f.task, none);
  writeBytes(f.task, f.buf + 0x200, itimerspecAt(now - 1, 0));
  assert.equal(sysNow(ctx, 'timer_settime', id, TIMER_ABSTIME, f.buf + 0x200, 0), 0);
  assert.equal(f.task.signals.group.shared.set.has(S.SIGUSR1), true, 'a past absolute time fires during the call');
});

test('SIGEV_NONE: no signal; timer_gettime counts down, a periodic one wraps, a one-shot one reads 0', (t) => {
  const f = timerFixture(t);
  const id = create(f, CLOCK_MONOTONIC, { notify: SIGEV_NONE, signo: 0 });
  settime(f, id, 10 * MS, 10 * MS);
  advance(f, 25 * MS);
  assert.equal(f.task.signals.pendingSet().isEmpty(), true);
  assert.deepEqual(gettime(f, id), [10 * MS, 5 * MS]);
  settime(f, id, 0, 10 * MS);
  advance(f, 4 * MS);
  assert.deepEqual(gettime(f, id), [0, 6 * MS]);
  advance(f, 7 * MS);
  assert.deepEqual(gettime(f, id), [0, 0]);
  assert.equal(f.task.signals.pendingSet().isEmpty(), true);
});

test('SIGEV_THREAD_ID sends to that thread; good_sigevent refuses other threads, bad signals and notify values', (t) => {
  const f = timerFixture(t);
  const id = create(f, CLOCK_MONOTONIC, { notify: SIGEV_THREAD_ID, signo: S.SIGUSR2, tid: f.other.tid });
  assert.ok(id >= 0);
  f.block(S.SIGUSR2);
  settime(f, id, 0, MS);
  advance(f, MS);
  assert.equal(f.other.signals.pending.set.has(S.SIGUSR2), true, "on the thread's own set");
  assert.equal(f.task.signals.group.shared.set.has(S.SIGUSR2), false);
  const next = create(f, CLOCK_MONOTONIC);
  assert.equal(create(f, CLOCK_MONOTONIC, { notify: SIGEV_THREAD_ID, signo: S.SIGUSR2, tid: 9999 }), EINVAL);
  assert.equal(create(f, CLOCK_MONOTONIC, { notify: SIGEV_SIGNAL, signo: 0 }), EINVAL);
  assert.equal(create(f, CLOCK_MONOTONIC, { notify: SIGEV_SIGNAL, signo: 65 }), EINVAL);
  assert.equal(create(f, CLOCK_MONOTONIC, { notify: 3, signo: S.SIGUSR1 }), EINVAL);
  assert.equal(create(f, CLOCK_MONOTONIC), (next as number) + 5, 'each refused sigevent used up an id, as in Linux');
});

test('clocks: coarse and alarm clocks take no timers (EOPNOTSUPP), unknown ids EINVAL, a bad pointer EFAULT', (t) => {
  const f = timerFixture(t);
  assert.equal(create(f, CLOCK_MONOTONIC_COARSE), EOPNOTSUPP);
  assert.equal(create(f, CLOCK_REALTIME_ALARM), EOPNOTSUPP);
  assert.equal(create(f, 10), EINVAL);
  assert.equal(create(f, 16), EINVAL);
  assert.equal(create(f, makeThreadCpuclock(0, 3)), EINVAL, 'CPUCLOCK_MAX');
  assert.equal(create(f, -5), EOPNOTSUPP, 'a CLOCKFD id: dynamic clocks have no timers');
  assert.equal(create(f, makeProcessCpuclock(4242, CPUCLOCK_SCHED)), EINVAL, 'no such process');
  const ctx = ctxOf(f.kernel, f.task);
  assert.equal(sysNow(ctx, 'timer_create', CLOCK_MONOTONIC, 0x10, f.buf), EFAULT, 'sigevent unreadable');
  assert.equal(sysNow(ctx, 'timer_create', CLOCK_MONOTONIC, 0, 0x10), EFAULT, 'id unwritable');
  assert.equal(timerCount(f.task), 0);
  const id = create(f, CLOCK_MONOTONIC);
  assert.equal(sysNow(ctx, 'timer_settime', id, 0, 0, 0), EINVAL, 'no new value');
  const bad = itimerspec64(0, 0);
  new DataView(bad.buffer).setBigInt64(24, 1_000_000_000n, true);
  writeBytes(f.task, f.buf + 0x200, bad);
  assert.equal(sysNow(ctx, 'timer_settime', id, 0, f.buf + 0x200, 0), EINVAL, 'tv_nsec = 1e9');
  assert.equal(sysNow(ctx, 'timer_gettime', id + 1, f.buf), EINVAL);
  assert.equal(sysNow(ctx, 'timer_getoverrun', -1), EINVAL);
});

test('CPU-clock timers fire on the CPU time of their clock, noticed by the poll', (t) => {
  const f = timerFixture(t);
  const proc = create(f, CLOCK_PROCESS_CPUTIME_ID, { notify: SIGEV_SIGNAL, signo: S.SIGPROF });
  const thr = create(f, makeThreadCpuclock(f.other.tid, CPUCLOCK_SCHED), {
    notify: SIGEV_SIGNAL,
    signo: S.SIGVTALRM,
  });
  f.task.signals.blocked.set(-1, -1);
  f.other.signals.blocked.set(-1, -1);
  settime(f, proc, 0, 5 * MS);
  settime(f, thr, 0, 3 * MS);
  f.clock.monotonicNs += 100 * MS;
  pollPosixTimers(f.kernel, f.task);
  assert.equal(f.task.signals.pendingSet().isEmpty(), true, 'wall time alone does not count');
  f.task.userNs += 4 * MS;
  pollPosixTimers(f.kernel, f.task);
  assert.equal(f.task.signals.pendingSet().isEmpty(), true);
  assert.deepEqual(gettime(f, proc), [0, 1 * MS]);
  f.other.sysNs += 2 * MS;
  pollPosixTimers(f.kernel, f.task);
  assert.equal(f.task.signals.group.shared.set.has(S.SIGPROF), true, 'the process clock adds both threads');
  assert.equal(f.task.signals.group.shared.set.has(S.SIGVTALRM), false);
  f.other.userNs += 1 * MS;
  pollPosixTimers(f.kernel, f.task);
  assert.equal(f.task.signals.group.shared.set.has(S.SIGVTALRM), true, "the thread clock counts that thread's time");
});

test('clock_gettime/clock_getres of the CPU clocks: pid-built ids, VIRT is the user part, other processes, EINVAL', (t) => {
  const f = timerFixture(t);
  f.task.userNs = 7 * MS;
  f.task.sysNs = 3 * MS;
  f.other.userNs = 1 * MS;
  assert.equal(makeProcessCpuclock(0, CPUCLOCK_SCHED), -6);
  assert.equal(makeThreadCpuclock(0, CPUCLOCK_SCHED), -2);
  assert.equal(cpuClockNow(f.kernel, f.task, CLOCK_PROCESS_CPUTIME_ID), 11 * MS);
  assert.equal(cpuClockNow(f.kernel, f.task, 3), 10 * MS);
  assert.equal(cpuClockNow(f.kernel, f.task, makeThreadCpuclock(f.other.tid, CPUCLOCK_SCHED)), 1 * MS);
  assert.equal(cpuClockNow(f.kernel, f.task, makeProcessCpuclock(f.task.tgid, CPUCLOCK_VIRT)), 8 * MS);
  assert.equal(cpuClockNow(f.kernel, f.other, makeProcessCpuclock(f.other.tid, CPUCLOCK_SCHED)), 11 * MS, 'own tid');
  assert.equal(cpuClockResNs(f.kernel, f.other, makeProcessCpuclock(f.other.tid, CPUCLOCK_SCHED)), undefined);
  assert.equal(cpuClockNow(f.kernel, f.task, makeThreadCpuclock(4242, CPUCLOCK_SCHED)), undefined);
  assert.equal(cpuClockResNs(f.kernel, f.task, CLOCK_PROCESS_CPUTIME_ID), 1);
  assert.equal(cpuClockResNs(f.kernel, f.task, makeProcessCpuclock(0, CPUCLOCK_VIRT)), 4 * MS);
});

test('compat timer_create reads compat_sigevent (sival_int only); *_time32 use old_itimerspec32, time64 ignore tv_nsec high bits', (t) => {
  const f = timerFixture(t);
  const c32 = ctxOf(f.kernel, f.task, 'compat');
  const ev = new Uint8Array(16);
  const dv = new DataView(ev.buffer);
  dv.setInt32(0, 0x1234, true); // sival_int
  dv.setInt32(4, S.SIGUSR1, true); // sigev_signo
  dv.setInt32(8, SIGEV_SIGNAL, true); // sigev_notify
  writeBytes(f.task, f.buf + 0x100, ev);
  assert.equal(sysNow(c32, 'timer_create', CLOCK_MONOTONIC, f.buf + 0x100, f.buf), 0);
  const id = new DataView(readBytes(f.task, f.buf, 4).buffer).getInt32(0, true);
  const spec = new Uint8Array(16);
  const sv = new DataView(spec.buffer);
  sv.setInt32(0, 1, true); // it_interval = 1.5 s
  sv.setInt32(4, 500_000_000, true);
  sv.setInt32(8, 2, true); // it_value = 2 s
  writeBytes(f.task, f.buf + 0x200, spec);
  writeBytes(f.task, f.buf + 0x300, new Uint8Array(32).fill(0xaa));
  assert.equal(sysNow(c32, 'timer_settime', id, 0, f.buf + 0x200, f.buf + 0x300), 0);
  const old = readBytes(f.task, f.buf + 0x300, 32);
  assert.deepEqual([...old.subarray(0, 16)], new Array(16).fill(0), 'old value: 16 zero bytes');
  assert.deepEqual([...old.subarray(16)], new Array(16).fill(0xaa), 'nothing written past old_itimerspec32');
  f.clock.monotonicNs += 500 * MS;
  assert.equal(sysNow(c32, 'timer_gettime', id, f.buf + 0x300), 0);
  const g = new DataView(readBytes(f.task, f.buf + 0x300, 16).buffer);
  assert.deepEqual(
    [g.getInt32(0, true), g.getInt32(4, true), g.getInt32(8, true), g.getInt32(12, true)],
    [1, 500_000_000, 1, 500_000_000],
  );
  f.block(S.SIGUSR1);
  f.clock.monotonicNs += 1500 * MS;
  pollPosixTimers(f.kernel, f.task);
  const d = dequeueSignal(f.kernel, f.task, none);
  assert.ok(d !== undefined && siSigno(d.info) === S.SIGUSR1);
  assert.deepEqual(siValue(d.info), [0x1234, 0], 'the upper half of sigval is 0 for a compat timer');

  const c64 = ctxOf(f.kernel, f.task, 'compat-time64');
  const wide = itimerspec64(0, 3 * 1e9 + 7);
  new DataView(wide.buffer).setUint32(28, 0xdeadbeef, true); // garbage in the high half of it_value.tv_nsec
  writeBytes(f.task, f.buf + 0x200, wide);
  assert.equal(sysNow(c64, 'timer_settime', id, 0, f.buf + 0x200, 0), 0, 'time64: high half of tv_nsec ignored');
  assert.equal(sysNow(c64, 'timer_gettime', id, f.buf + 0x280), 0);
  assert.deepEqual(readItimerspec64(f.task, f.buf + 0x280), [0, 3 * 1e9 + 7]);
  assert.equal(sysNow(ctxOf(f.kernel, f.task), 'timer_settime', id, 0, f.buf + 0x200, 0), EINVAL, 'native: invalid');
});

test('a signal left queued by a deleted timer stays pending; deleteProcessTimers empties the process', (t) => {
  const f = timerFixture(t);
  const id = create(f, CLOCK_MONOTONIC);
  create(f, CLOCK_MONOTONIC);
  f.block(S.SIGALRM);
  settime(f, id, MS, MS);
  advance(f, MS);
  assert.equal(sysNow(ctxOf(f.kernel, f.task), 'timer_delete', id), 0);
  assert.equal(f.task.signals.group.shared.set.has(S.SIGALRM), true);
  deleteProcessTimers(f.task);
  assert.equal(timerCount(f.task), 0);
  assert.equal(create(f, CLOCK_MONOTONIC), 2, 'the id counter survives (exec keeps signal_struct)');
});

test('Linux 6.1: timer_settime while the signal waits drops the periods counted for it; a later firing counts again', (t) => {
  const f = timerFixture(t);
  const ctx = ctxOf(f.kernel, f.task);
  const id = create(f, CLOCK_MONOTONIC, { notify: SIGEV_SIGNAL, signo: S.SIGUSR2 });
  f.block(S.SIGUSR2);
  settime(f, id, 10 * MS, 10 * MS);
  advance(f, 45 * MS); // expiries at 10..40: overrun 3 so far
  settime(f, id, 0, 0);
  let d = dequeueSignal(f.kernel, f.task, none);
  assert.equal(d !== undefined && timerFields(d.info).overrun, 0, 'no re-arm ever counted the periods');
  assert.equal(sysNow(ctx, 'timer_getoverrun', id), 0);
  settime(f, id, 10 * MS, 10 * MS);
  advance(f, 10 * MS); // queued (overrun 0)
  settime(f, id, 10 * MS, 10 * MS); // re-armed while it waits
  advance(f, 25 * MS); // the new setting fires at +10 (send_sigqueue's ++) and +20 (a missed period)
  d = dequeueSignal(f.kernel, f.task, none);
  assert.equal(d !== undefined && timerFields(d.info).overrun, 2);
  assert.equal(sysNow(ctx, 'timer_getoverrun', id), 1, "the re-arm's count: si_overrun less send_sigqueue's own");
  sysNow(ctx, 'timer_delete', id);
});
