import type { SyscallRecord } from '../entry/syscall-entry.js';
import type { Task } from '../task/task.js';

/** Receives what --strace shows: each finished syscall, signals, and how tasks end. */
export interface Tracer {
  syscall(task: Task, rec: SyscallRecord): void;
  /** A signal the kernel delivers or that kills the task (si_code, address). */
  signal(task: Task, sig: number, code: number, addr: number): void;
  exit(task: Task, how: { code: number } | { signal: number; core: boolean }): void;
}
