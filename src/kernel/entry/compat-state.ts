/**
 * The per-thread "in compat syscall" state (compat-abi.md §2) and its lifetime.
 *
 * The state lives on the task (`Task.inCompatSyscall`) so that everything that runs on the way back
 * to user mode can ask it: it is set by syscall entry for the whole compat-from-64 call — trace
 * stops, seccomp, the body — and stays set through signal delivery and restart processing (x86's
 * TS_COMPAT semantics, compat64's [choice]; v4 cleared it before do_signal). The kernel loop calls
 * `exitToUserMode` once that processing is done, on every return to user mode. A new task (a fork
 * or clone child, even of a compat fork) is created with the state clear, and exec returns through
 * exitToUserMode like any call, so an AArch64 program always starts native.
 */
import type { Task } from '../task/task.js';

/** `__ARM64_COMPAT_SYSCALL_BIT`: bit 31 of w8 selects the AArch32 EABI table. */
export const COMPAT_SYSCALL_BIT = 0x80000000;
/** w8 & COMPAT_SYSCALL_NR_MASK is the compat number; the upper 32 bits of x8 are ignored. */
export const COMPAT_SYSCALL_NR_MASK = 0x7fffffff;
/** `__NR_restart_syscall` on arm64. */
export const NR_RESTART_SYSCALL = 128;
/** `__NR_compat_restart_syscall` (AArch32 EABI). */
export const NR_COMPAT_RESTART_SYSCALL = 0;

/** Syscall entry: the call about to run is compat (bit 31 of w8) or native. */
export function enterSyscall(task: Task, compat: boolean): void {
  task.inCompatSyscall = compat;
}

/** The kernel's in_compat_syscall() for a task that is in (or returning from) a syscall. */
export function inCompatSyscall(task: Task): boolean {
  return task.inCompatSyscall;
}

/** Return to user mode, after signal delivery and restart processing: the state ends here. */
export function exitToUserMode(task: Task): void {
  task.inCompatSyscall = false;
}

/**
 * The x8 value that re-issues an interrupted call as restart_syscall when no handler runs
 * (-ERESTART_RESTARTBLOCK): `0x80000000 | 0` when the interrupted call was compat (§3, [choice]:
 * v4's code never did this), arm64's 128 otherwise. Signal delivery asks this before exitToUserMode.
 * The restart function keeps the layout chosen when its block was set up (a compat nanosleep
 * writes an old_timespec32 whichever ABI restarts it).
 */
export function restartSyscallNumber(task: Task): number {
  return task.inCompatSyscall ? COMPAT_SYSCALL_BIT | NR_COMPAT_RESTART_SYSCALL : NR_RESTART_SYSCALL;
}
