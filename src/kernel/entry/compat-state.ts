/**
 * The per-thread "in compat syscall" state (compat-abi.md §2) and its lifetime.
 *
 * The state lives on the task (`Task.inCompatSyscall`) so that everything that runs on the way back
 * to user mode can ask it: it is set by syscall entry for the whole compat-from-64 call — trace
 * stops, seccomp, the body — and stays set through signal delivery and restart processing (x86's
 * TS_COMPAT semantics, compat64's [choice]; v4 cleared it before do_signal). It ends in
 * task/signal-deliver.ts's exitToUserMode, on every return to user mode, which also re-issues an
 * interrupted compat call as compat restart_syscall (x8 = 0x80000000 | 0) from the ABI its restart
 * block recorded. A new task (a fork or clone child, even of a compat fork) is created with the
 * state clear, so an AArch64 program always starts native.
 */
import type { Task } from '../task/task.js';

/** `__ARM64_COMPAT_SYSCALL_BIT`: bit 31 of w8 selects the AArch32 EABI table. */
export const COMPAT_SYSCALL_BIT = 0x80000000;
/** w8 & COMPAT_SYSCALL_NR_MASK is the compat number; the upper 32 bits of x8 are ignored. */
export const COMPAT_SYSCALL_NR_MASK = 0x7fffffff;

/** Syscall entry: the call about to run is compat (bit 31 of w8) or native. */
export function enterSyscall(task: Task, compat: boolean): void {
  task.inCompatSyscall = compat;
}

/** The kernel's in_compat_syscall() for a task that is in (or returning from) a syscall. */
export function inCompatSyscall(task: Task): boolean {
  return task.inCompatSyscall;
}
