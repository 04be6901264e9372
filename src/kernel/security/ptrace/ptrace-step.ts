/**
 * PTRACE_SINGLESTEP (arm64's single_step_handler, report_syscall's pseudo-step and
 * signal_delivered): a stepping tracee runs one instruction per resume — the run loop executes it
 * with cpu.step() — then gets SIGTRAP with si_code TRAP_TRACE and si_addr the new pc, which its
 * tracer sees as a signal-delivery stop. An SVC counts as the step: its exit reports a pseudo-step
 * (SIGTRAP, SI_USER). Entering a signal handler while stepping traps with SIGTRAP at the handler.
 */
import { Exit } from '../../../cpu/a64/exits.js';
import * as S from '../../abi/signal.js';
import type { Kernel } from '../../kernel.js';
import { faultInfo, killInfo, SI_USER } from '../../task/siginfo.js';
import { forceSignalInfo } from '../../task/signal-send.js';
import type { Task } from '../../task/task.js';
import { CLD_TRAPPED, TRAP_TRACE } from './ptrace-abi.js';
import { ptraceNotify } from './ptrace-stop.js';
import { PtraceStop } from './ptrace-state.js';

/** The run loop asks this per time slice (never per instruction): execute one instruction only. */
export function isSingleStepping(task: Task): boolean {
  const l = task.ptrace;
  return l?.singleStep === true;
}

/**
 * After cpu.step() of a stepping task: an instruction that completed (a plain one, or an SVC whose
 * call has returned) raises the step trap; a fault or BRK raises its own signal instead.
 */
export function singleStepDone(kernel: Kernel, task: Task, exit: Exit): void {
  if (task.exitStatus !== undefined || !isSingleStepping(task)) return;
  if (exit === Exit.Svc) {
    // user_single_step_report: SIGTRAP, SI_USER, pid 0.
    forceSignalInfo(kernel, task, killInfo(S.SIGTRAP, SI_USER, 0, 0));
  } else if (exit === Exit.Quantum || exit === Exit.Yield) {
    forceSignalInfo(kernel, task, faultInfo(S.SIGTRAP, TRAP_TRACE, task.cpu.pc));
  }
}

/** signal_delivered(stepping): the trap after a handler's frame is set up (ptrace_notify(SIGTRAP)). */
export function ptraceStepIntoHandler(kernel: Kernel, task: Task): Promise<void> | undefined {
  const r = ptraceNotify(kernel, task, S.SIGTRAP, CLD_TRAPPED, 0, PtraceStop.Event);
  return typeof r === 'number' ? undefined : r.then(() => undefined);
}
