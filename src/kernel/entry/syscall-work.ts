/**
 * The slow path of syscall entry and exit (Linux's syscall_trace_enter / syscall_trace_exit), taken
 * only when a task has syscall work: ptrace syscall stops (PTRACE_SYSCALL, PTRACE_SYSEMU) or a
 * seccomp mode. Order as on arm64: the ptrace entry stop first (the tracer may change the number, the
 * arguments, or skip the call with -1), then seccomp on the number and arguments as they are after
 * the stop, then the call, then the ptrace exit stop. A compat-from-64 call stays compat throughout:
 * a changed number is looked up in the compat table again (compat-abi.md §5).
 */
import type { Task } from '../task/task.js';

/** task.syscallWork bits (Linux's SYSCALL_WORK_*). */
export const SYSCALL_WORK_SECCOMP = 1;
/** PTRACE_SYSCALL: stop at entry and exit. */
export const SYSCALL_WORK_TRACE = 2;
/** PTRACE_SYSEMU: stop at entry, then skip the call. */
export const SYSCALL_WORK_EMU = 4;

/** pt_regs' syscallno when no syscall is to run (a skipped call). */
export const NO_SYSCALL = -1;

/** What the entry work decided. */
export const enum EntryVerdict {
  /** Run the call (task.syscallNo, possibly changed by a tracer, and the registers as they are now). */
  Run = 0,
  /** Skip the call: x0 already holds what user mode sees (tracer's choice, seccomp's errno, …). */
  Skip = 1,
  /** The task is dying (a fatal signal, SECCOMP_RET_KILL_*): no call, no result, no exit stop. */
  Dead = 2,
}

export function hasSyscallWork(task: Task): boolean {
  return task.syscallWork !== 0;
}
