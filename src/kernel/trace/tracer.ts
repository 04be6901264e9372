import type { SyscallRecord } from '../entry/syscall-entry.js';
import type { Task } from '../task/task.js';

/** Who sent a signal (si_pid, si_uid), for signals a process sent rather than the kernel (si_code <= 0). */
export interface SignalSenderInfo {
  readonly pid: number;
  readonly uid: number;
}

/** Receives what --strace shows: each finished syscall, signals, and how tasks end. */
export interface Tracer {
  /**
   * Optional: the call is about to run its handler. A tracer reads the input arguments here, before the call
   * can change them (execve replaces the memory its path lives in), and knows which call a task was in if the
   * task ends inside it (exit_group, a fatal signal): strace's `exit_group(0) = ?`.
   */
  syscallEnter?(task: Task, rec: Omit<SyscallRecord, 'result'>): void;
  syscall(task: Task, rec: SyscallRecord): void;
  /** A signal the kernel delivers or that kills the task (si_code, address; the sender when si_code <= 0). */
  signal(task: Task, sig: number, code: number, addr: number, sender?: SignalSenderInfo): void;
  exit(task: Task, how: { code: number } | { signal: number; core: boolean }): void;
}
