/**
 * POSIX timers (timer_create & co., Linux's kernel/time/posix-timers.c with the CPU-clock side of
 * posix-cpu-timers.c): per process (shared by its threads, gone at exec and exit), ids counted up
 * from 0 per process, each timer sending its signal with an SI_TIMER siginfo (si_timerid, si_overrun,
 * si_value) to the process (SIGEV_SIGNAL) or one of its threads (SIGEV_THREAD_ID), or nothing
 * (SIGEV_NONE).
 *
 * A timer owns at most one queued signal, as Linux's preallocated sigqueue: an expiry while that
 * signal is still pending adds to its si_overrun instead of queueing another. Linux re-arms a
 * periodic timer only when its signal is dequeued and counts the missed periods then; compat64 keeps
 * the timer running on the same grid (expiry + k·interval) and adds each expiry that finds the signal
 * still queued to si_overrun, which gives the same count and the same next expiry without a hook in
 * dequeue_signal. timer_getoverrun reports the si_overrun of the last signal taken off the queue. A
 * timer_settime or timer_delete while the signal waits drops the periods counted for it (Linux never
 * re-arms for that signal), leaving what send_sigqueue itself added.
 *
 * Clocks: CLOCK_REALTIME, CLOCK_TAI, CLOCK_MONOTONIC and CLOCK_BOOTTIME run on the host's monotonic
 * clock (absolute REALTIME/TAI values are converted when the timer is set; compat64's realtime clock
 * never jumps) and are woken by host timers. The CPU clocks (cpu-clocks.ts) advance only while the
 * process runs, so their timers are checked on a host tick while one is armed (the scheduler gives the
 * host a turn every few ms of guest execution). The run loop's poll (pollPosixTimers, on the return to
 * user mode) makes both exact to the time slice. The raw and coarse clocks cannot carry timers (-EOPNOTSUPP), nor can the alarm clocks, which
 * need an RTC compat64 does not have.
 *
 * Deviations: a timer's signal goes through sendSignal, so a legacy (non-real-time) signal already
 * pending from another source absorbs it (Linux queues the timer's entry beside it) and it counts
 * against RLIMIT_SIGPENDING like any queued signal.
 */

import { LP64, layoutOf, offsetOf } from '../abi/layout.js';
import * as S from '../abi/signal.js';
import { siginfo } from '../abi/structs-signal.js';
import type { Kernel } from '../kernel.js';
import { type CpuClock, cpuClockAlive, cpuClockNs, cpuClockOf, isCpuClockId } from './cpu-clocks.js';
import { exitHooksOf } from './exit.js';
import { type SigInfo, timerInfo } from './siginfo.js';
import { sendSignal, threadsOf } from './signal-send.js';
import type { GroupSignals, SigPending } from './signal-state.js';
import type { Task } from './task.js';

const EINVAL = -22;
const EAGAIN = -11;
const EOPNOTSUPP = -95;

export const SIGEV_SIGNAL = 0;
export const SIGEV_NONE = 1;
export const SIGEV_THREAD = 2;
export const SIGEV_THREAD_ID = 4;
export const TIMER_ABSTIME = 1;

const CLOCK_REALTIME = 0;
const CLOCK_MONOTONIC = 1;
const CLOCK_MONOTONIC_RAW = 4;
const CLOCK_REALTIME_COARSE = 5;
const CLOCK_MONOTONIC_COARSE = 6;
const CLOCK_BOOTTIME = 7;
const CLOCK_REALTIME_ALARM = 8;
const CLOCK_BOOTTIME_ALARM = 9;
const CLOCK_TAI = 11;

const INT_MAX = 0x7fffffff;
const NS = 1e9;
/** KTIME_MAX (as a double): a timespec beyond KTIME_SEC_MAX seconds means "never". */
export const KTIME_MAX = 2 ** 63 - 1;
const KTIME_SEC_MAX = Math.floor(KTIME_MAX / NS);
/** The scheduler tick (CONFIG_HZ=250), in ms: how often armed CPU-clock timers are checked from the host. */
const TICK_MS = 4;
/** Longest delay one host timer takes (setTimeout's 32-bit millisecond limit). */
const MAX_HOST_DELAY_MS = 0x7fffffff;
const OVERRUN = offsetOf(layoutOf(siginfo, LP64), '_sifields._timer._overrun').offset;

/** timespec64_to_ktime: ns, saturating at KTIME_MAX. */
export function timespecNs(sec: number, nsec: number): number {
  return sec >= KTIME_SEC_MAX ? KTIME_MAX : Math.min(KTIME_MAX, sec * NS + nsec);
}

/**
 * hrtimer_forward's count: how many periods move an expiry that is due (now ≥ expiry) past now;
 * 0 when it is not due. The new expiry is expiry + count · interval.
 */
export function forwardCount(expiry: number, now: number, interval: number): number {
  if (now < expiry) return 0;
  return Math.floor((now - expiry) / interval) + 1;
}

/** A timer's notification, as timer_create read it from struct sigevent (good_sigevent checked it). */
export interface TimerEvent {
  readonly notify: number;
  readonly signo: number;
  /** sigev_value's two 32-bit words (a compat sigevent's upper word is 0). */
  readonly valueLo: number;
  readonly valueHi: number;
  /** sigev_notify_thread_id */
  readonly tid: number;
}

/** A timer's setting in ns: time to the next expiry (0 = disarmed) and the period. */
export interface TimerValue {
  value: number;
  interval: number;
}

/**
 * A new setting as timer_settime/timerfd_settime read it: it_value also in whole seconds and ns, so
 * an absolute CLOCK_REALTIME time (around 1.7e18 ns, beyond a double's exact integers) converts to
 * the monotonic clock without rounding.
 */
export interface TimerSetting extends TimerValue {
  readonly sec: number;
  readonly nsec: number;
}

/**
 * Where an absolute CLOCK_REALTIME (or TAI) time falls on the monotonic clock, exactly: the difference
 * is taken in seconds and ns separately. A time beyond KTIME_MAX stays "never".
 */
export function realtimeToMonotonic(kernel: Kernel, at: TimerSetting): number {
  if (at.value >= KTIME_MAX) return KTIME_MAX;
  const rt = kernel.host.realtime();
  return (at.sec - rt.sec) * NS + (at.nsec - rt.nsec) + kernel.host.monotonicNs();
}

export class PosixTimer {
  /** Armed: hrtimer queued / cpu timer expires != 0 (for SIGEV_NONE: set and not yet expired). */
  armed = false;
  /** Absolute expiry: on the monotonic clock for the clocks above, in CPU ns for a CPU clock. */
  expiry = 0;
  /** it_interval in ns (0 = one-shot). */
  interval = 0;
  /** it_overrun_last: si_overrun of the last signal dequeued. */
  overrunLast = 0;
  /** The siginfo of the timer's signal while it may still be queued, and the set it was queued on. */
  queued: SigInfo | undefined;
  queuedOn: SigPending | undefined;
  /**
   * The queued signal is the current setting's (Linux's si_sys_private matches it_requeue_pending):
   * its dequeue sets overrunLast, and expiries while it waits count as the missed periods Linux's
   * dequeue-time re-arm would count. False once timer_settime or timer_delete left it behind.
   */
  countsOnDequeue = false;
  /** What send_sigqueue itself added to the queued signal's si_overrun (firings that found it queued). */
  queuedSent = 0;
  host: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly id: number,
    /** The clockid as given to timer_create. */
    readonly clockId: number,
    /** The CPU clock, for timers on one. */
    readonly cpu: CpuClock | undefined,
    readonly event: TimerEvent,
  ) {}
}

/** The timers of one process (signal_struct's posix_timers and next_posix_timer_id). */
class ProcessTimers {
  readonly timers = new Map<number, PosixTimer>();
  nextId = 0;
  /** The host interval that checks the CPU-clock timers while one is armed (the scheduler tick). */
  tick: ReturnType<typeof setInterval> | undefined;
  constructor(
    readonly kernel: Kernel,
    /** A thread of the process (the last one to call a timer syscall), to find the live ones. */
    public member: Task,
  ) {}
}

const byProcess = new WeakMap<GroupSignals, ProcessTimers>();
const exitHooked = new WeakSet<Kernel>();

function processTimers(kernel: Kernel, task: Task): ProcessTimers {
  let p = byProcess.get(task.signals.group);
  if (p === undefined) {
    p = new ProcessTimers(kernel, task);
    byProcess.set(task.signals.group, p);
    if (!exitHooked.has(kernel)) {
      exitHooked.add(kernel);
      const hooks = exitHooksOf(kernel);
      // exit_itimers at the death of the process,
      hooks.processDead.push((_k, g) => deleteProcessTimers(g.leader));
      // and in begin_new_exec: mm_release runs at exec (the task still running) and at thread exit.
      hooks.mmRelease.push((_k, t) => {
        if (t.exitStatus === undefined) deleteProcessTimers(t);
      });
    }
  }
  p.member = task;
  return p;
}

/** A live thread of the process, or undefined once every thread has exited. */
function liveMember(p: ProcessTimers): Task | undefined {
  const m = p.member;
  if (m.exitStatus === undefined) return m;
  return threadsOf(p.kernel, m).find((t) => t.exitStatus === undefined);
}

/** Which clocks take timers: 'hr', 'cpu', or the errno timer_create gives (clockid_to_kclock, kc->timer_create). */
function timerClockKind(id: number): 'hr' | 'cpu' | number {
  if (isCpuClockId(id)) return 'cpu';
  switch (id) {
    case CLOCK_REALTIME:
    case CLOCK_MONOTONIC:
    case CLOCK_BOOTTIME:
    case CLOCK_TAI:
      return 'hr';
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_REALTIME_COARSE:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_REALTIME_ALARM:
    case CLOCK_BOOTTIME_ALARM:
      return EOPNOTSUPP;
    default:
      // A negative id that is no CPU clock names a dynamic (fd) clock, which has no timer_create.
      return id >= 0 ? EINVAL : EOPNOTSUPP;
  }
}

/** The timer's clock now, in the domain of its expiry. */
function timerNow(kernel: Kernel, t: PosixTimer): number {
  return t.cpu !== undefined ? cpuClockNs(t.cpu) : kernel.host.monotonicNs();
}

/** good_sigevent: the event is usable by this process; false = -EINVAL. */
function goodSigevent(kernel: Kernel, task: Task, ev: TimerEvent): boolean {
  switch (ev.notify) {
    case SIGEV_SIGNAL | SIGEV_THREAD_ID: {
      const t = kernel.tasks.get(ev.tid);
      if (t === undefined || t.exitStatus !== undefined || t.tgid !== task.tgid) return false;
      return ev.signo > 0 && ev.signo <= S.NSIG;
    }
    case SIGEV_SIGNAL:
    case SIGEV_THREAD:
      return ev.signo > 0 && ev.signo <= S.NSIG;
    case SIGEV_NONE:
      return true;
    default:
      return false;
  }
}

/**
 * timer_create (do_timer_create): a new timer on clockId with the given event (undefined: SIGALRM
 * to the process with si_value = the timer id). `publish` writes the id to the caller's memory; when
 * it fails the timer is released and -EFAULT returned. As in Linux, an id is used up by any attempt
 * that gets past the clock check. Returns 0 or a negative errno.
 */
export function timerCreate(
  kernel: Kernel,
  task: Task,
  clockId: number,
  event: TimerEvent | undefined,
  publish: (id: number) => boolean,
): number {
  const kind = timerClockKind(clockId);
  if (typeof kind === 'number') return kind;
  const p = processTimers(kernel, task);
  const id = allocateId(p);
  if (id < 0) return id;
  const ev: TimerEvent = event ?? { notify: SIGEV_SIGNAL, signo: S.SIGALRM, valueLo: id, valueHi: 0, tid: 0 };
  if (event !== undefined && !goodSigevent(kernel, task, event)) return EINVAL;
  if (!publish(id)) return -14;
  let cpu: CpuClock | undefined;
  if (kind === 'cpu') {
    cpu = cpuClockOf(kernel, task, clockId, false);
    if (cpu === undefined) return EINVAL;
  }
  p.timers.set(id, new PosixTimer(id, clockId, cpu, ev));
  return 0;
}

/** posix_timer_add: the next free id from the process's counter, wrapping at INT_MAX; -EAGAIN when all are used. */
function allocateId(p: ProcessTimers): number {
  const first = p.nextId;
  for (;;) {
    const id = p.nextId;
    p.nextId = id === INT_MAX ? 0 : id + 1;
    if (!p.timers.has(id)) return id;
    if (p.nextId === first) return EAGAIN;
  }
}

/** The caller's process's timer with that id (lock_timer), or undefined (-EINVAL). */
export function lookupTimer(task: Task, id: number): PosixTimer | undefined {
  return byProcess.get(task.signals.group)?.timers.get(id);
}

function pendingHas(p: SigPending, info: SigInfo): boolean {
  for (const q of p.queue) if (q.info === info) return true;
  return false;
}

/** Notices that the timer's signal has left the queue (it was dequeued or flushed). */
function syncQueued(t: PosixTimer): void {
  if (t.queued === undefined || pendingHas(t.queuedOn!, t.queued)) return;
  // it_overrun_last is the re-arm's count; si_overrun adds what send_sigqueue counted (timer_overrun_to_int).
  if (t.countsOnDequeue) t.overrunLast = siOverrun(t.queued) - t.queuedSent;
  t.queued = undefined;
  t.queuedOn = undefined;
}

function siOverrun(info: SigInfo): number {
  return new DataView(info.buffer, info.byteOffset).getInt32(OVERRUN, true);
}

function setOverrun(info: SigInfo, v: number): void {
  new DataView(info.buffer, info.byteOffset).setInt32(OVERRUN, Math.min(INT_MAX, v), true);
}

/** Adds expiries to a queued signal's si_overrun, saturating at INT_MAX (timer_overrun_to_int). */
export function addOverrun(info: SigInfo, count: number): void {
  const dv = new DataView(info.buffer, info.byteOffset);
  dv.setInt32(OVERRUN, Math.min(INT_MAX, dv.getInt32(OVERRUN, true) + count), true);
}

/**
 * The timer's expiry has come (posix_timer_fn / cpu_timer_fire): a periodic timer moves on by whole
 * periods past now, a one-shot one disarms, and `count` expiries are notified.
 */
function expire(p: ProcessTimers, t: PosixTimer, now: number): void {
  const count = t.interval > 0 ? forwardCount(t.expiry, now, t.interval) : 1;
  if (t.interval > 0 && t.event.notify !== SIGEV_NONE) t.expiry += count * t.interval;
  else t.armed = false;
  if (t.event.notify !== SIGEV_NONE) notify(p, t, count);
}

/** posix_timer_event + send_sigqueue: queue the timer's signal, or count the expiries on the one still queued. */
function notify(p: ProcessTimers, t: PosixTimer, count: number): void {
  syncQueued(t);
  if (t.queued !== undefined) {
    if (!t.countsOnDequeue) {
      // A new setting fired while the old signal waits: send_sigqueue's si_overrun++, and the signal
      // now stands for this setting (posix_timer_event rewrote its si_sys_private).
      t.queuedSent++;
      t.countsOnDequeue = t.interval > 0;
    }
    addOverrun(t.queued, count);
    return;
  }
  const ev = t.event;
  const toThread = (ev.notify & SIGEV_THREAD_ID) !== 0;
  let target: Task | undefined;
  if (toThread) {
    const th = p.kernel.tasks.get(ev.tid);
    if (th !== undefined && th.exitStatus === undefined && th.tgid === p.member.tgid) target = th;
  } else {
    target = liveMember(p);
  }
  if (target === undefined) {
    // send_sigqueue found no task: the signal is lost and the timer stops.
    t.armed = false;
    return;
  }
  const info = timerInfo(ev.signo, t.id, Math.min(INT_MAX, count - 1), ev.valueLo, ev.valueHi);
  sendSignal(p.kernel, target, ev.signo, info, toThread ? 'thread' : 'group');
  const on = toThread ? target.signals.pending : target.signals.group.shared;
  if (pendingHas(on, info)) {
    t.queued = info;
    t.queuedOn = on;
    t.countsOnDequeue = t.interval > 0;
    t.queuedSent = 0;
  }
}

/**
 * timer_settime or timer_delete while the timer's signal is queued: Linux would never re-arm for it,
 * so the missed periods counted so far do not reach its si_overrun — only send_sigqueue's own.
 */
function leaveQueuedBehind(t: PosixTimer): void {
  syncQueued(t);
  if (t.queued === undefined) return;
  setOverrun(t.queued, t.queuedSent);
  t.countsOnDequeue = false;
}

/** Fires the timer if it is due (also used by the syscalls, so values read back are current). */
function catchUp(p: ProcessTimers, t: PosixTimer): void {
  if (!t.armed || (t.event.notify === SIGEV_NONE && t.cpu === undefined)) return;
  if (t.cpu !== undefined && !cpuClockAlive(t.cpu)) return;
  const now = timerNow(p.kernel, t);
  if (now >= t.expiry) expire(p, t, now);
}

function cancelHost(t: PosixTimer): void {
  if (t.host !== undefined) clearTimeout(t.host);
  t.host = undefined;
}

/** A host timer for the next expiry of a timer on a wall clock (hrtimer_start). */
function armHost(p: ProcessTimers, t: PosixTimer): void {
  cancelHost(t);
  if (!t.armed || t.cpu !== undefined || t.event.notify === SIGEV_NONE) return;
  const ms = Math.min(MAX_HOST_DELAY_MS, Math.max(0, Math.ceil((t.expiry - p.kernel.host.monotonicNs()) / 1e6)));
  t.host = setTimeout(() => {
    t.host = undefined;
    if (p.timers.get(t.id) !== t || !t.armed) return;
    if (liveMember(p) === undefined) {
      // The process is gone without deleteProcessTimers: let nothing keep the host alive.
      deleteAll(p);
      return;
    }
    catchUp(p, t);
    armHost(p, t);
  }, ms);
}

/** timer_gettime (common_timer_get / posix_cpu_timer_get). */
export function timerGettime(kernel: Kernel, task: Task, t: PosixTimer): TimerValue {
  const p = processTimers(kernel, task);
  syncQueued(t);
  catchUp(p, t);
  if (t.cpu !== undefined) {
    if (!cpuClockAlive(t.cpu)) return { value: 0, interval: 0 };
    if (!t.armed) return { value: 0, interval: t.interval };
    const rem = t.expiry - cpuClockNs(t.cpu);
    return { value: rem > 0 ? rem : 1, interval: t.interval };
  }
  if (!t.armed) return { value: 0, interval: t.interval };
  const now = kernel.host.monotonicNs();
  if (t.event.notify === SIGEV_NONE) {
    // Never queued: a periodic one is moved past now here, a one-shot one reads 0 once expired.
    if (t.interval > 0) t.expiry += forwardCount(t.expiry, now, t.interval) * t.interval;
    const rem = t.expiry - now;
    return { value: Math.max(rem, 0), interval: t.interval };
  }
  const rem = t.expiry - now;
  return { value: rem > 0 ? rem : 1, interval: t.interval };
}

/**
 * timer_settime (common_timer_set / posix_cpu_timer_set): returns the old setting. value 0 disarms;
 * TIMER_ABSTIME takes value as a time on the timer's clock. A time already passed fires at once.
 */
export function timerSettime(kernel: Kernel, task: Task, t: PosixTimer, flags: number, next: TimerSetting): TimerValue {
  const p = processTimers(kernel, task);
  const old = timerGettime(kernel, task, t);
  cancelHost(t);
  t.armed = false;
  t.interval = 0;
  t.overrunLast = 0;
  // A signal still queued from the old setting no longer reports its overrun (it_requeue_pending moves on).
  leaveQueuedBehind(t);
  if (next.value === 0) return old;
  if (t.cpu !== undefined && !cpuClockAlive(t.cpu)) return old;
  t.interval = next.interval;
  const abs = (flags & TIMER_ABSTIME) !== 0;
  if (t.cpu !== undefined) {
    t.expiry = abs ? next.value : cpuClockNs(t.cpu) + next.value;
  } else if (!abs) {
    t.expiry = kernel.host.monotonicNs() + next.value;
  } else if (t.clockId === CLOCK_REALTIME || t.clockId === CLOCK_TAI) {
    t.expiry = realtimeToMonotonic(kernel, next);
  } else {
    t.expiry = next.value;
  }
  t.armed = true;
  catchUp(p, t);
  armHost(p, t);
  if (t.cpu !== undefined && t.armed) startTick(p);
  return old;
}

/** timer_getoverrun: the overrun count of the last signal delivered. */
export function timerGetoverrun(t: PosixTimer): number {
  syncQueued(t);
  return Math.min(INT_MAX, t.overrunLast);
}

/** timer_delete: the timer goes; a signal it already queued stays pending. */
export function timerDelete(kernel: Kernel, task: Task, t: PosixTimer): void {
  const p = processTimers(kernel, task);
  cancelHost(t);
  t.armed = false;
  leaveQueuedBehind(t);
  p.timers.delete(t.id);
}

function deleteAll(p: ProcessTimers): void {
  for (const t of p.timers.values()) {
    cancelHost(t);
    t.armed = false;
  }
  p.timers.clear();
  stopTick(p);
}

/**
 * run_posix_cpu_timers on the scheduler tick: while a CPU-clock timer is armed, a host interval of
 * one tick checks them. The scheduler gives the host a turn at least every HOST_TURN_MS of guest
 * execution, so they fire within about a tick and a host turn of their time even without the run
 * loop's poll; the poll (pollPosixTimers) makes it exact to the time slice.
 */
function startTick(p: ProcessTimers): void {
  if (p.tick !== undefined) return;
  p.tick = setInterval(() => {
    if (liveMember(p) === undefined) {
      deleteAll(p);
      return;
    }
    let armed = false;
    for (const t of p.timers.values()) {
      if (t.cpu === undefined || !t.armed) continue;
      catchUp(p, t);
      armed ||= t.armed;
    }
    if (!armed) stopTick(p);
  }, TICK_MS);
}

function stopTick(p: ProcessTimers): void {
  if (p.tick !== undefined) clearInterval(p.tick);
  p.tick = undefined;
}

/**
 * exit_itimers: deletes every POSIX timer of the task's process. Registered as exit hooks for the
 * death of a process and for exec (mm_release of a task that is not exiting). The id counter
 * carries on, as Linux's signal_struct keeps it across exec.
 */
export function deleteProcessTimers(task: Task): void {
  const p = byProcess.get(task.signals.group);
  if (p !== undefined) deleteAll(p);
}

/**
 * Hook for the return to user mode (beside pollItimers): fires the process's timers that are due.
 * The only way CPU-clock timers fire (their clocks advance only while guest code runs), and the way
 * wall-clock timers fire while the guest computes without giving the host a turn.
 */
export function pollPosixTimers(_kernel: Kernel, task: Task): void {
  const p = byProcess.get(task.signals.group);
  if (p === undefined || p.timers.size === 0) return;
  for (const t of p.timers.values()) {
    if (!t.armed) continue;
    catchUp(p, t);
    if (t.cpu === undefined && t.host === undefined) armHost(p, t);
  }
}

/** The number of timers the process has (for /proc and tests). */
export function timerCount(task: Task): number {
  return byProcess.get(task.signals.group)?.timers.size ?? 0;
}
