/**
 * ptrace syscall stops (Linux's report_syscall): the entry and exit stops of a task traced with
 * PTRACE_SYSCALL or PTRACE_SYSEMU, with arm64's x7 convention (0 at entry, 1 at exit, restored on
 * resume).
 */

import { EntryVerdict } from '../../entry/syscall-work.js';
import type { Kernel } from '../../kernel.js';
import type { Task } from '../../task/task.js';

/**
 * The entry stop. The tracer may change registers and task.syscallNo (NT_ARM_SYSTEM_CALL) while the
 * task is stopped. Dead when the task was killed while stopped; Skip for PTRACE_SYSEMU or syscallNo -1.
 */
export function ptraceSyscallEnter(_kernel: Kernel, _task: Task): EntryVerdict | Promise<EntryVerdict> {
  return EntryVerdict.Run;
}

/** The exit stop, after x0 holds the result. */
export function ptraceSyscallExit(_kernel: Kernel, _task: Task): void | Promise<void> {}
