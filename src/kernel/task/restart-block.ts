/**
 * Linux's restart_block: how restart_syscall (arm64 128, compat 0) resumes a call that returned
 * -ERESTART_RESTARTBLOCK when the signal that interrupted it had no handler (nanosleep,
 * clock_nanosleep, futex waits with a timeout, poll with a timeout…).
 */
import type { SyscallContext } from '../syscalls/syscall-types.js';

export interface RestartBlock {
  /**
   * Resumes the call (Linux's restart->fn). undefined is do_no_restart_syscall: -EINTR. A resumed
   * call may arm the block again if it is interrupted once more.
   */
  fn: ((ctx: SyscallContext) => number | Promise<number>) | undefined;
  /**
   * The interrupted call was a compat-from-64 call: restart_syscall is re-issued through the compat
   * table (x8 = 0x80000000 | 0, compat-abi.md §3) and the resumed call keeps its compat layouts.
   */
  compat: boolean;
  /** The interrupted call's name, for the trace (`restart_syscall(<... resuming interrupted nanosleep ...>)`). */
  name: string;
}

export function emptyRestartBlock(): RestartBlock {
  return { fn: undefined, compat: false, name: '' };
}

/** set_restart_fn: the call about to return -ERESTART_RESTARTBLOCK records how to resume. */
export function setRestartFn(ctx: SyscallContext, fn: (ctx: SyscallContext) => number | Promise<number>): void {
  const rb = ctx.task.signals.restartBlock;
  rb.fn = fn;
  rb.compat = ctx.compat;
  rb.name = ctx.name;
}

/** `current->restart_block.fn = do_no_restart_syscall` (rt_sigreturn, a new sleep, compat sigreturn). */
export function cancelRestart(rb: RestartBlock): void {
  rb.fn = undefined;
}

/** arm64's __NR_restart_syscall. */
export const NR_RESTART_SYSCALL = 128;
/** compat restart_syscall (AArch32 number 0) issued from a 64-bit task: __ARM64_COMPAT_SYSCALL_BIT | 0. */
export const COMPAT_NR_RESTART_SYSCALL = 0x80000000 | 0;

/**
 * setup_restart_syscall: the x8 that re-enters the kernel through restart_syscall. For a compat-from-64
 * call the compat number (compat-abi.md §3), decided by the interrupted call recorded in the block.
 */
export function restartSyscallNumber(rb: RestartBlock): number {
  return rb.compat ? COMPAT_NR_RESTART_SYSCALL : NR_RESTART_SYSCALL;
}
