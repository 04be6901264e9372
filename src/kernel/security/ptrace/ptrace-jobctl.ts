/**
 * What ptrace changes in signal delivery (kernel/signal.c): the signal-delivery stop every signal
 * but SIGKILL makes (ptrace_signal: the tracer may suppress, change or keep it), the job-control
 * traps (do_jobctl_trap: a traced task's part in a group stop, PTRACE_INTERRUPT, the notifications of
 * a seized tracee), and what a group stop or SIGCONT does to traced threads.
 */
import * as S from '../../abi/signal.js';
import type { Kernel } from '../../kernel.js';
import { killInfo, SI_USER, type SigInfo, siSigno } from '../../task/siginfo.js';
import { sendSignal, signalWakeUp } from '../../task/signal-send.js';
import type { Task } from '../../task/task.js';
import { CLD_TRAPPED, PTRACE_EVENT_STOP } from './ptrace-abi.js';
import { CLD_STOPPED, ptraceStop, sigkillPending, wakeListener } from './ptrace-stop.js';
import {
  JOBCTL_STOP_PENDING,
  JOBCTL_TRAP_NOTIFY,
  JOBCTL_TRAP_STOP,
  type PtraceLink,
  PtraceStop,
} from './ptrace-state.js';

/** The jobctl bits that make a traced task trap at its next return to user mode. */
export const JOBCTL_PENDING_MASK = JOBCTL_STOP_PENDING | JOBCTL_TRAP_STOP | JOBCTL_TRAP_NOTIFY;

/** A traced task has a job-control trap to make (its return to user mode must look). */
export function jobctlTrapPending(task: Task): boolean {
  const l = task.ptrace;
  return l !== undefined && (l.jobctl & JOBCTL_PENDING_MASK) !== 0;
}

/**
 * do_signal_stop + do_jobctl_trap for a traced task: the group-stop trap. ATTACH-style tracees report
 * the stop signal with no siginfo (GETSIGINFO fails: that is how tracers tell a group-stop); seized
 * ones report PTRACE_EVENT_STOP with the stop signal, or SIGTRAP when no group stop is in effect
 * (PTRACE_INTERRUPT, SIGCONT notifications, a new child). Resolves once the tracer lets it go; the
 * resume signal is ignored.
 */
export function jobctlTrap(kernel: Kernel, task: Task, link: PtraceLink): Promise<void> | undefined {
  const g = task.signals.group;
  let signr = task.group.stopSignal || S.SIGSTOP;
  // A pending group stop becomes a STOP trap.
  if (link.jobctl & JOBCTL_STOP_PENDING) link.jobctl |= JOBCTL_TRAP_STOP;
  let r: number | Promise<number>;
  if (link.seized) {
    if (!g.stopped) signr = S.SIGTRAP;
    const code = signr | (PTRACE_EVENT_STOP << 8);
    const info = killInfo(signr, code, task.tid, task.creds.uid);
    r = ptraceStop(kernel, task, code, CLD_STOPPED, 0, PtraceStop.Group, info);
  } else {
    r = ptraceStop(kernel, task, signr, CLD_STOPPED, 0, PtraceStop.Group, undefined);
  }
  // Whatever happened (a stop, or none because SIGKILL is pending), the trap is made.
  link.jobctl &= ~(JOBCTL_STOP_PENDING | JOBCTL_TRAP_STOP);
  if (typeof r === 'number') return undefined;
  return r.then(() => undefined);
}

/** A signal the tracer let through (possibly changed), or undefined when it is gone. */
export interface TracedSignal {
  sig: number;
  info: SigInfo;
}

/**
 * ptrace_signal(): the signal-delivery stop. The tracer's resume `data` is the signal to deliver
 * (0 suppresses it); a changed signal gets a fresh SI_USER siginfo from the tracer unless the tracer
 * wrote one with PTRACE_SETSIGINFO; a signal now blocked (or any while SIGKILL is pending) is queued
 * again instead.
 */
export function ptraceSignal(
  kernel: Kernel,
  task: Task,
  sig: number,
  info: SigInfo,
): Promise<TracedSignal | undefined> | TracedSignal | undefined {
  const link = task.ptrace!;
  const r = ptraceStop(kernel, task, sig, CLD_TRAPPED, 0, PtraceStop.Signal, info);
  const after = (code: number): TracedSignal | undefined => {
    // PTRACE_SETSIGINFO replaces link.siginfo while the task is stopped.
    let si = link.siginfo ?? info;
    link.siginfo = undefined;
    if (code <= 0 || code > 64) return undefined;
    if (code !== siSigno(si)) si = killInfo(code, SI_USER, link.tracer.tid, link.tracer.creds.uid);
    if (task.signals.blocked.has(code) || sigkillPending(task) || task.signals.group.groupExitSignal !== undefined) {
      sendSignal(kernel, task, code, si, 'thread');
      return undefined;
    }
    return { sig: code, info: si };
  };
  return typeof r === 'number' ? after(r) : r.then(after);
}

/**
 * A group stop starts (do_signal_stop): every traced thread takes part by trapping; seized ones
 * other than the stopping thread are also notified (ptrace_trap_notify), which wakes a listener.
 */
export function ptraceGroupStopStarts(task: Task): void {
  for (const t of task.group.threads) {
    const l = t.ptrace;
    if (l === undefined) continue;
    l.jobctl |= JOBCTL_STOP_PENDING;
    if (t === task) continue;
    if (l.seized) {
      l.jobctl |= JOBCTL_TRAP_NOTIFY;
      wakeListener(l);
    }
    signalWakeUp(t);
  }
}

/**
 * SIGCONT (prepare_signal): no traced thread takes part in the ended stop any more; seized ones are
 * notified and trap again with PTRACE_EVENT_STOP (a listener is woken for it).
 */
export function ptraceSigcont(threads: readonly Task[]): void {
  for (const t of threads) {
    const l = t.ptrace;
    if (l === undefined) continue;
    l.jobctl &= ~JOBCTL_STOP_PENDING;
    if (l.seized) {
      l.jobctl |= JOBCTL_TRAP_NOTIFY;
      wakeListener(l);
      signalWakeUp(t);
    }
  }
}
