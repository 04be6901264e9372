/**
 * The CPU-time clocks (the clock half of Linux's kernel/time/posix-cpu-timers.c):
 * CLOCK_PROCESS_CPUTIME_ID (2), CLOCK_THREAD_CPUTIME_ID (3) and the clockids built from a pid, as
 * glibc's pthread_getcpuclockid and clock_getcpuclockid make them: `(~pid << 3) | which`, bit 2 set
 * for a thread's clock (MAKE_PROCESS_CPUCLOCK / MAKE_THREAD_CPUCLOCK), pid 0 meaning the caller.
 * `which` is CPUCLOCK_PROF (user + system), CPUCLOCK_VIRT (user) or CPUCLOCK_SCHED (the scheduler's
 * runtime); a negative id whose low three bits are 3 (CLOCKFD) names a dynamic clock behind an fd,
 * which compat64 has none of.
 *
 * Model: a thread's CPU time is what the run loop measures for it (kernel.ts): the host's monotonic
 * time spent running its guest code (user, Task.userNs) and its syscalls (system, Task.sysNs). It
 * advances only while the thread runs, never while it sleeps or another task has the CPU, and agrees
 * with getrusage, times and wait4's rusage, which read the same counters. A process's time adds its
 * dead threads' (ThreadGroup.deadThreads, as wait.ts's processTimes). CPUCLOCK_VIRT is the user
 * part, CPUCLOCK_PROF and CPUCLOCK_SCHED the sum.
 */
import type { Kernel } from '../kernel.js';
import type { Task } from './task.js';
import { processTimes } from './wait.js';

export const CLOCK_PROCESS_CPUTIME_ID = 2;
export const CLOCK_THREAD_CPUTIME_ID = 3;
export const CPUCLOCK_PROF = 0;
export const CPUCLOCK_VIRT = 1;
export const CPUCLOCK_SCHED = 2;
const CPUCLOCK_MAX = 3;
const CPUCLOCK_PERTHREAD_MASK = 4;
const CPUCLOCK_CLOCK_MASK = 3;
const CLOCKFD = 3;
const CLOCKFD_MASK = 7;
/** TICK_NSEC at CONFIG_HZ=250 (Debian arm64): the resolution of the PROF and VIRT clocks. */
const TICK_NSEC = 4_000_000;

/** MAKE_PROCESS_CPUCLOCK(pid, which) */
export function makeProcessCpuclock(pid: number, which: number): number {
  return (~pid << 3) | which | 0;
}

/** MAKE_THREAD_CPUCLOCK(tid, which) */
export function makeThreadCpuclock(tid: number, which: number): number {
  return makeProcessCpuclock(tid, which | CPUCLOCK_PERTHREAD_MASK);
}

/** A resolved CPU clock: one thread's, or a process's (task is then one of its threads). */
export interface CpuClock {
  readonly thread: boolean;
  readonly which: number;
  readonly task: Task;
}

/** Whether the id belongs to the CPU-time clocks (clockid_to_kclock picks clock_posix_cpu or the two named ones). */
export function isCpuClockId(id: number): boolean {
  return (
    id === CLOCK_PROCESS_CPUTIME_ID || id === CLOCK_THREAD_CPUTIME_ID || (id < 0 && (id & CLOCKFD_MASK) !== CLOCKFD)
  );
}

/**
 * pid_for_clock + pid_task: the clock an id names for the caller, or undefined (-EINVAL). A thread's
 * clock must be of the caller's own process; a process's clock may be any process's, named by its
 * pid (or, for clock_gettime only, by the caller's own tid: `gettime`).
 */
export function cpuClockOf(kernel: Kernel, current: Task, id: number, gettime: boolean): CpuClock | undefined {
  if (id === CLOCK_PROCESS_CPUTIME_ID) return { thread: false, which: CPUCLOCK_SCHED, task: current };
  if (id === CLOCK_THREAD_CPUTIME_ID) return { thread: true, which: CPUCLOCK_SCHED, task: current };
  if (!isCpuClockId(id)) return undefined;
  const which = id & CPUCLOCK_CLOCK_MASK;
  if (which >= CPUCLOCK_MAX) return undefined;
  const thread = (id & CPUCLOCK_PERTHREAD_MASK) !== 0;
  const pid = ~(id >> 3);
  if (pid === 0) return { thread, which, task: current };
  const t = kernel.tasks.get(pid);
  if (t === undefined) return undefined;
  if (thread) return t.exitStatus === undefined && t.tgid === current.tgid ? { thread, which, task: t } : undefined;
  if (gettime && pid === current.tid) return { thread, which, task: current };
  // A process is named by its leader's pid, also while a zombie (until it is reaped).
  return t.tid === t.tgid && t.group.state !== 'reaped' ? { thread, which, task: t } : undefined;
}

function pick(which: number, userNs: number, sysNs: number): number {
  return which === CPUCLOCK_VIRT ? userNs : userNs + sysNs;
}

/** A thread's CPU time in ns (cpu_clock_sample). */
export function threadCpuNs(task: Task, which = CPUCLOCK_SCHED): number {
  return pick(which, task.userNs, task.sysNs);
}

/** A process's CPU time in ns: its live threads and those that have exited (cpu_clock_sample_group). */
export function processCpuNs(task: Task, which = CPUCLOCK_SCHED): number {
  const t = processTimes(task.group);
  return pick(which, t.userNs, t.sysNs);
}

/** The clock's reading in ns (cpu_clock_sample / cpu_clock_sample_group). */
export function cpuClockNs(c: CpuClock): number {
  return c.thread ? threadCpuNs(c.task, c.which) : processCpuNs(c.task, c.which);
}

/** Whether the clock's thread, or any thread of its process, is still alive. */
export function cpuClockAlive(c: CpuClock): boolean {
  return c.thread ? c.task.exitStatus === undefined : c.task.group.threads.size > 0;
}

/**
 * posix_cpu_nsleep's checks for a pid-built id: a CPU clock the caller may sleep on — any process's,
 * or another thread's of its own process, never its own thread clock (false: -EINVAL).
 */
export function cpuClockCanSleep(kernel: Kernel, current: Task, id: number): boolean {
  const c = cpuClockOf(kernel, current, id, false);
  return c !== undefined && !(c.thread && c.task === current);
}

/** clock_gettime of a CPU clock: ns, or undefined for an id that names no clock (-EINVAL). */
export function cpuClockNow(kernel: Kernel, current: Task, id: number): number | undefined {
  const c = cpuClockOf(kernel, current, id, true);
  return c === undefined ? undefined : cpuClockNs(c);
}

/** posix_cpu_clock_getres: 1 ns for SCHED clocks, a tick for PROF and VIRT; undefined (-EINVAL) for no clock. */
export function cpuClockResNs(kernel: Kernel, current: Task, id: number): number | undefined {
  const c = cpuClockOf(kernel, current, id, false);
  if (c === undefined) return undefined;
  return c.which === CPUCLOCK_SCHED ? 1 : TICK_NSEC;
}
