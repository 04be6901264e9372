/**
 * Interval timers (setitimer/getitimer), per process as in Linux's signal_struct:
 * - ITIMER_REAL runs on CLOCK_MONOTONIC and sends SIGALRM (SI_KERNEL) to the process. A periodic one
 *   is re-armed when its SIGALRM is dequeued (Linux does it in dequeue_signal), so a blocked SIGALRM
 *   stops the ticking.
 * - ITIMER_VIRTUAL and ITIMER_PROF count CPU time; compat64 has one clock for both, the emulator's own
 *   CPU time, and sends SIGVTALRM / SIGPROF.
 * Expiry is noticed two ways: the run loop polls between time slices (a guest computing never lets a
 * host timer callback run), and a host timer wakes a task that is blocked in a syscall.
 */
import * as S from '../abi/signal.js';
import type { Kernel } from '../kernel.js';
import { kernelInfo } from './siginfo.js';
import { sendSignal } from './signal-send.js';
import type { Task } from './task.js';

export const ITIMER_REAL = 0;
export const ITIMER_VIRTUAL = 1;
export const ITIMER_PROF = 2;

/** TICK_NSEC at CONFIG_HZ=250 (Debian arm64): the CPU timers' granularity. */
const TICK_NSEC = 4_000_000;
/** Longest delay a host timer takes (setTimeout's 32-bit millisecond limit). */
const MAX_HOST_DELAY_MS = 0x7fffffff;

export class IntervalTimer {
  /** hrtimer queued (REAL) / it->expires != 0 (CPU timers). */
  armed = false;
  /** Absolute expiry on the timer's clock, in ns. */
  expiry = 0;
  /** it_real_incr / it->incr, in ns (0 = one-shot). */
  interval = 0;
  host: ReturnType<typeof setTimeout> | undefined;
}

export class ITimers {
  readonly timers: readonly IntervalTimer[] = [new IntervalTimer(), new IntervalTimer(), new IntervalTimer()];
}

export interface ItimerValue {
  /** Time to the next expiry in ns (0 = disarmed). */
  value: number;
  interval: number;
}

const SIGNALS = [S.SIGALRM, S.SIGVTALRM, S.SIGPROF];

function clockNs(kernel: Kernel, which: number): number {
  return which === ITIMER_REAL ? kernel.host.monotonicNs() : kernel.host.cpuTimeNs();
}

/** getitimer: itimer_get_remtime (REAL: a timer due but not yet handled shows 1 µs) or get_cpu_itimer. */
export function getItimer(kernel: Kernel, task: Task, which: number): ItimerValue {
  const t = task.signals.group.itimers.timers[which]!;
  if (!t.armed) return { value: 0, interval: t.interval };
  const rem = t.expiry - clockNs(kernel, which);
  if (rem > 0) return { value: rem, interval: t.interval };
  return { value: which === ITIMER_REAL ? 1000 : TICK_NSEC, interval: t.interval };
}

/** do_setitimer: returns the old value; value 0 disarms. */
export function setItimer(kernel: Kernel, task: Task, which: number, value: number, interval: number): ItimerValue {
  const old = getItimer(kernel, task, which);
  const t = task.signals.group.itimers.timers[which]!;
  cancelHost(t);
  if (which === ITIMER_REAL) {
    t.armed = value !== 0;
    t.interval = value !== 0 ? interval : 0;
    if (t.armed) {
      t.expiry = kernel.host.monotonicNs() + value;
      armHost(kernel, task, t);
    }
  } else {
    // set_cpu_itimer: a CPU timer fires one tick late at the earliest; the interval is kept even when disarmed.
    t.armed = value !== 0;
    if (t.armed) t.expiry = kernel.host.cpuTimeNs() + value + TICK_NSEC;
    t.interval = interval;
  }
  return old;
}

/** The run loop's check between time slices: fire every timer whose time has come. */
export function pollItimers(kernel: Kernel, task: Task): void {
  const timers = task.signals.group.itimers.timers;
  for (let which = 0; which < 3; which++) {
    const t = timers[which]!;
    if (t.armed && clockNs(kernel, which) >= t.expiry) fire(kernel, task, which, t);
  }
}

function fire(kernel: Kernel, task: Task, which: number, t: IntervalTimer): void {
  if (which === ITIMER_REAL) {
    // it_real_fn: HRTIMER_NORESTART; a periodic timer comes back when SIGALRM is dequeued.
    t.armed = false;
    cancelHost(t);
  } else if (t.interval !== 0) {
    t.expiry += t.interval;
  } else {
    t.armed = false;
  }
  sendSignal(kernel, task, SIGNALS[which]!, kernelInfo(SIGNALS[which]!), 'group');
}

/** dequeue_signal's SIGALRM step: a periodic ITIMER_REAL that fired is forwarded past now and restarted. */
export function rearmRealTimer(kernel: Kernel, task: Task): void {
  const t = task.signals.group.itimers.timers[ITIMER_REAL]!;
  if (t.armed || t.interval === 0) return;
  const now = kernel.host.monotonicNs();
  // hrtimer_forward: the first expiry + k * interval that is after now.
  if (now >= t.expiry) t.expiry += (Math.floor((now - t.expiry) / t.interval) + 1) * t.interval;
  t.armed = true;
  armHost(kernel, task, t);
}

/** Stops every host timer of the process (exit, exec). */
export function cancelItimers(task: Task): void {
  for (const t of task.signals.group.itimers.timers) {
    cancelHost(t);
    t.armed = false;
    t.interval = 0;
  }
}

function cancelHost(t: IntervalTimer): void {
  if (t.host !== undefined) clearTimeout(t.host);
  t.host = undefined;
}

function armHost(kernel: Kernel, task: Task, t: IntervalTimer): void {
  cancelHost(t);
  const ms = Math.min(MAX_HOST_DELAY_MS, Math.max(0, Math.ceil((t.expiry - kernel.host.monotonicNs()) / 1e6)));
  t.host = setTimeout(() => {
    t.host = undefined;
    if (!t.armed || task.exitStatus !== undefined) return;
    if (kernel.host.monotonicNs() < t.expiry) armHost(kernel, task, t);
    else fire(kernel, task, ITIMER_REAL, t);
  }, ms);
}
