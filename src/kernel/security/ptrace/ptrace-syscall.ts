/**
 * ptrace syscall stops (arm64's report_syscall with the generic ptrace_report_syscall): the entry
 * and exit stops of a task traced with PTRACE_SYSCALL or PTRACE_SYSEMU. Status SIGTRAP, or
 * SIGTRAP | 0x80 with PTRACE_O_TRACESYSGOOD; the event message says entry (1) or exit (2) for
 * PTRACE_GET_SYSCALL_INFO. arm64's register convention: x7 reads 0 at the entry stop and 1 at the
 * exit stop, and the tracee's own x7 is put back on resume — a tracer's write to x7 during the stop
 * is discarded, as Linux documents. A resume with a signal sends it (SEND_SIG_PRIV). PTRACE_SYSEMU
 * stops at entry and never runs the call (no exit stop). While single-stepping the exit reports a
 * pseudo-step instead (the run loop raises it, ptrace-step.ts).
 */

import * as S from '../../abi/signal.js';
import { EntryVerdict, SYSCALL_WORK_EMU } from '../../entry/syscall-work.js';
import type { Kernel } from '../../kernel.js';
import { kernelInfo } from '../../task/siginfo.js';
import { sendSignal } from '../../task/signal-send.js';
import type { Task } from '../../task/task.js';
import {
  CLD_TRAPPED,
  PTRACE_EVENTMSG_SYSCALL_ENTRY,
  PTRACE_EVENTMSG_SYSCALL_EXIT,
  PTRACE_O_TRACESYSGOOD,
} from './ptrace-abi.js';
import { ptraceNotify, sigkillPending } from './ptrace-stop.js';
import { PtraceStop } from './ptrace-state.js';

/** x7 as a pair of 32-bit halves in cpu.x. */
const X7_LO = 14;
const X7_HI = 15;

/**
 * One syscall stop with the x7 convention; resolves once the tracer resumes the task (the resume
 * signal, if any, already sent).
 */
function reportSyscall(kernel: Kernel, task: Task, exit: boolean): void | Promise<void> {
  const l = task.ptrace;
  if (l === undefined) return;
  const x = task.cpu.x;
  const lo = x[X7_LO]!;
  const hi = x[X7_HI]!;
  x[X7_LO] = exit ? 1 : 0;
  x[X7_HI] = 0;
  const code = S.SIGTRAP | (l.options & PTRACE_O_TRACESYSGOOD ? 0x80 : 0);
  const msg = exit ? PTRACE_EVENTMSG_SYSCALL_EXIT : PTRACE_EVENTMSG_SYSCALL_ENTRY;
  const kind = exit ? PtraceStop.SyscallExit : PtraceStop.SyscallEntry;
  const after = (sig: number): void => {
    x[X7_LO] = lo;
    x[X7_HI] = hi;
    // "this isn't the same as continuing with a signal, but it will do for normal use" (ptrace.h).
    if (sig > 0 && sig <= 64) sendSignal(kernel, task, sig, kernelInfo(sig), 'thread');
  };
  const r = ptraceNotify(kernel, task, code, CLD_TRAPPED, msg, kind);
  if (typeof r === 'number') return after(r);
  return r.then(after);
}

/**
 * The entry stop. The tracer may change registers and task.syscallNo (NT_ARM_SYSTEM_CALL) while the
 * task is stopped. Dead when the task was killed while stopped; Skip for PTRACE_SYSEMU (syscallNo -1
 * is turned into a skip by the caller).
 */
export function ptraceSyscallEnter(kernel: Kernel, task: Task): EntryVerdict | Promise<EntryVerdict> {
  // As Linux, SYSEMU is decided by the work bits before the stop (a resume there changes the next call).
  const emu = (task.syscallWork & SYSCALL_WORK_EMU) !== 0;
  const verdict = (): EntryVerdict => {
    if (sigkillPending(task) || task.exitStatus !== undefined) return EntryVerdict.Dead;
    return emu ? EntryVerdict.Skip : EntryVerdict.Run;
  };
  const r = reportSyscall(kernel, task, false);
  return r === undefined ? verdict() : r.then(verdict);
}

/** The exit stop, after x0 holds the result (a pseudo-step instead while single-stepping). */
export function ptraceSyscallExit(kernel: Kernel, task: Task): void | Promise<void> {
  if (task.ptrace === undefined || task.ptrace.singleStep) return;
  return reportSyscall(kernel, task, true);
}
