/**
 * What /proc tells about a task beyond its own fields: its threads, its scheduler state letter,
 * CPU times in clock ticks, start time, controlling terminal, PF_* flags and wait channel — the
 * facts fs/proc/array.c and base.c gather from task_struct, signal_struct and the scheduler.
 */

import type { Kernel } from '../kernel.js';
import { ARM64_SYSCALL_NUMBERS } from '../syscalls/numbers.generated.js';
import type { Task } from '../task/task.js';
import type { ThreadGroup } from '../task/thread-group.js';
import { processTimes } from '../task/wait.js';
import { controllingTtyOf } from './tty-jobctl.js';
import type { FsEnv } from './vnode.js';

/** USER_HZ: the clock-tick unit of /proc times (and AT_CLKTCK). */
export const USER_HZ = 100;

/** nsec_to_clock_t */
export function nsToTicks(ns: number): number {
  return Math.floor((ns * USER_HZ) / 1e9);
}

/** The task with this tid, if it exists (live, or a zombie leader not yet reaped). */
export function taskByTid(env: FsEnv, tid: number): Task | undefined {
  const t = env.kernel.tasks.get(tid);
  if (t !== undefined) return t;
  // A task not registered with the kernel (unit tests that build one by hand) still sees itself.
  return env.task.tid === tid ? env.task : undefined;
}

/** An exited task keeps no memory, files or fs context for /proc (exit_mm, exit_files, exit_fs ran). */
export function hasExited(t: Task): boolean {
  return t.exitStatus !== undefined;
}

/**
 * The threads /proc/<pid>/task lists: a leader that has exited stays listed until the process is
 * reaped (it is still on the thread list, as a zombie), then the live threads, by tid.
 */
export function threadList(kernel: Kernel, g: ThreadGroup): Task[] {
  const out = [...g.threads];
  if (!g.threads.has(g.leader) && g.state !== 'reaped' && kernel.tasks.get(g.leader.tid) === g.leader) {
    out.push(g.leader);
  }
  return out.sort((a, b) => a.tid - b.tid);
}

/** get_nr_threads: signal->nr_threads, which counts a zombie leader until it is released. */
export function nrThreads(kernel: Kernel, g: ThreadGroup): number {
  return threadList(kernel, g).length;
}

export type StateLetter = 'R' | 'S' | 'D' | 'T' | 'Z';

/** task_state_array of fs/proc/array.c. */
export const STATE_NAMES: Readonly<Record<StateLetter, string>> = {
  R: 'R (running)',
  S: 'S (sleeping)',
  D: 'D (disk sleep)',
  T: 'T (stopped)',
  Z: 'Z (zombie)',
};

/**
 * The task's state as the scheduler would report it: the reader itself is running; an exited task
 * is a zombie; a task of a stopped process is stopped; a task parked in a syscall (an interruptible
 * wait, or any call that has not returned) sleeps, uninterruptibly (D) for a vfork parent; anything
 * else is runnable, waiting for its slice.
 */
export function taskState(env: FsEnv, t: Task): StateLetter {
  if (t.exitStatus !== undefined) return 'Z';
  if (t === env.task) return 'R';
  if (t.signals.group.stopped) return 'T';
  if (t.signals.wake !== undefined) return 'S';
  if (t.inSyscall) return isVforkWait(t) ? 'D' : 'S';
  return 'R';
}

/**
 * A task parked in clone or clone3 is a vfork parent waiting for its child to exec or exit (any
 * other clone returns at once): wait_for_vfork_done sleeps TASK_KILLABLE, which reports as D.
 */
function isVforkWait(t: Task): boolean {
  const nr = t.cpu.x[16]! | 0;
  return nr === ARM64_SYSCALL_NUMBERS.clone || nr === ARM64_SYSCALL_NUMBERS.clone3;
}

/** CPU time of one thread, in nanoseconds. */
export function taskCpuNs(t: Task): { userNs: number; sysNs: number } {
  return { userNs: t.userNs, sysNs: t.sysNs };
}

/** thread_group_cputime: the live threads plus the threads that have exited. */
export function groupCpuNs(g: ThreadGroup): { userNs: number; sysNs: number } {
  return processTimes(g);
}

const startTimes = new WeakMap<Task, number>();

/**
 * Records when a thread was created (monotonic ns), for its own /proc/<pid>/task/<tid>/stat
 * starttime; clone should call it for every new task. Without it a thread reports its
 * process's start time.
 */
export function recordTaskStart(task: Task, monotonicNs: number): void {
  startTimes.set(task, monotonicNs);
}

/** start_time: nanoseconds after boot that the task was created. */
export function startTimeNs(kernel: Kernel, t: Task): number {
  const at = startTimes.get(t) ?? (t.group === undefined ? kernel.bootNs : t.group.startNs);
  return Math.max(0, at - kernel.bootNs);
}

/**
 * The controlling terminal (tty_nr, as new_encode_dev, and its foreground process group) of g's
 * session (fs/tty-jobctl.ts): none (0 and -1) for a session without one.
 */
export function controllingTty(kernel: Kernel, g: ThreadGroup): { nr: number; pgrp: number } {
  const t = controllingTtyOf(kernel, g);
  if (t === undefined || t.rdev <= 0) return { nr: 0, pgrp: -1 };
  const dev = t.rdev;
  const major = Math.floor(dev / 0x100) & 0xfff;
  const minor = (dev & 0xff) | (Math.floor(dev / 0x100000) & 0xfff00);
  return { nr: (minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12), pgrp: t.pgrp };
}

const PF_EXITING = 0x4;
const PF_FORKNOEXEC = 0x40;
const PF_SIGNALED = 0x400;
const PF_RANDOMIZE = 0x400000;
const ADDR_NO_RANDOMIZE = 0x0040000;

/** task->flags: PF_RANDOMIZE unless ADDR_NO_RANDOMIZE, PF_FORKNOEXEC until exec, PF_EXITING/PF_SIGNALED once dead. */
export function taskFlags(t: Task): number {
  let f = 0;
  if ((t.personality & ADDR_NO_RANDOMIZE) === 0) f |= PF_RANDOMIZE;
  const g = t.group;
  // copy_process sets PF_FORKNOEXEC on every new task; exec clears it. The first process was exec'd by the emulator.
  if (g !== undefined && (t !== g.leader || (!g.didExec && g.parent !== undefined))) f |= PF_FORKNOEXEC;
  if (t.exitStatus !== undefined) {
    f |= PF_EXITING;
    if ((t.exitStatus & 0x7f) !== 0) f |= PF_SIGNALED;
  }
  return f;
}

/** exit_signal: the process's for its leader, -1 for the other threads (they are reaped by themselves). */
export function exitSignalOf(t: Task): number {
  const g = t.group;
  if (g === undefined) return 17;
  return t === g.leader ? g.exitSignal : -1;
}

/**
 * exit_code: the wait status once the task has exited; for the process as a whole, the group's
 * exit code during a group exit or a stop (the stop signal).
 */
export function exitCodeOf(t: Task, whole: boolean): number {
  const g = t.group;
  if (whole && g !== undefined) {
    const gs = t.signals.group;
    if (gs.groupExitStatus !== undefined) return gs.groupExitStatus;
    if (gs.groupExitSignal !== undefined) return gs.groupExitSignal;
    if (gs.stopped && g.jobReport?.kind === 'stopped') return g.jobReport.sig;
  }
  return t.exitStatus ?? 0;
}

/** Kernel functions a task sleeps in, by the syscall it is parked in (what get_wchan finds on arm64). */
const WCHAN_BY_SYSCALL = new Map<number, string>([
  [ARM64_SYSCALL_NUMBERS.wait4, 'do_wait'],
  [ARM64_SYSCALL_NUMBERS.waitid, 'do_wait'],
  [ARM64_SYSCALL_NUMBERS.nanosleep, 'do_nanosleep'],
  [ARM64_SYSCALL_NUMBERS.clock_nanosleep, 'do_nanosleep'],
  [ARM64_SYSCALL_NUMBERS.futex, 'futex_wait_queue'],
  [ARM64_SYSCALL_NUMBERS.futex_waitv, 'futex_wait_multiple'],
  [ARM64_SYSCALL_NUMBERS.ppoll, 'do_sys_poll'],
  [ARM64_SYSCALL_NUMBERS.pselect6, 'do_select'],
  [ARM64_SYSCALL_NUMBERS.epoll_pwait, 'do_epoll_wait'],
  [ARM64_SYSCALL_NUMBERS.epoll_pwait2, 'do_epoll_wait'],
  [ARM64_SYSCALL_NUMBERS.rt_sigsuspend, 'sigsuspend'],
  [ARM64_SYSCALL_NUMBERS.rt_sigtimedwait, 'do_sigtimedwait'],
  [ARM64_SYSCALL_NUMBERS.clone, 'kernel_clone'],
  [ARM64_SYSCALL_NUMBERS.clone3, 'kernel_clone'],
  [ARM64_SYSCALL_NUMBERS.accept, 'inet_csk_accept'],
  [ARM64_SYSCALL_NUMBERS.accept4, 'inet_csk_accept'],
]);

const READS = new Set<number>([
  ARM64_SYSCALL_NUMBERS.read,
  ARM64_SYSCALL_NUMBERS.readv,
  ARM64_SYSCALL_NUMBERS.pread64,
  ARM64_SYSCALL_NUMBERS.preadv,
  ARM64_SYSCALL_NUMBERS.preadv2,
]);
const WRITES = new Set<number>([
  ARM64_SYSCALL_NUMBERS.write,
  ARM64_SYSCALL_NUMBERS.writev,
  ARM64_SYSCALL_NUMBERS.pwrite64,
  ARM64_SYSCALL_NUMBERS.pwritev,
  ARM64_SYSCALL_NUMBERS.pwritev2,
]);

/**
 * /proc/<pid>/wchan: the function a sleeping task waits in, "0" for a running one (or one whose
 * wait compat64 cannot name). Native syscalls only; a compat call's wait is not named.
 */
export function wchanName(env: FsEnv, t: Task): string {
  const state = taskState(env, t);
  if (state === 'T') return 'do_signal_stop';
  if (state !== 'S' && state !== 'D') return '0';
  const x8 = t.cpu.x[16]! | 0;
  if (x8 < 0) return '0';
  if (READS.has(x8) || WRITES.has(x8)) {
    const f = t.files.get(t.origX0Lo | 0);
    const pipe = f?.path.startsWith('pipe:') === true;
    if (READS.has(x8)) return pipe ? 'pipe_read' : 'wait_woken';
    return pipe ? 'pipe_write' : 'wait_woken';
  }
  return WCHAN_BY_SYSCALL.get(x8) ?? '0';
}
