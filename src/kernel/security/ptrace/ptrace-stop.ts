/**
 * ptrace stops (kernel/signal.c's ptrace_stop, ptrace_do_notify, ptrace_notify and
 * kernel/ptrace.c's ptrace_event): the tracee records why it stops and the status the tracer's wait
 * will report, tells the tracer (SIGCHLD with CLD_TRAPPED or CLD_STOPPED, and a wake-up of its wait),
 * and sleeps in TASK_TRACED until the tracer resumes it, detaches, or SIGKILL arrives. The result is
 * task->exit_code as the resume left it: the signal the tracer passed in `data`.
 */
import * as S from '../../abi/signal.js';
import type { Kernel } from '../../kernel.js';
import { chldInfo, killInfo, type SigInfo } from '../../task/siginfo.js';
import { sendSignal } from '../../task/signal-send.js';
import { keepHostAlive } from '../../task/signal-wait.js';
import type { Task } from '../../task/task.js';
import { CLD_TRAPPED, eventOption, PTRACE_EVENT_STOP } from './ptrace-abi.js';
import {
  JOBCTL_LISTENING,
  JOBCTL_STOP_PENDING,
  JOBCTL_TRAP_NOTIFY,
  JOBCTL_TRAP_STOP,
  type PtraceLink,
  PtraceStop,
} from './ptrace-state.js';

/** si_code of SIGCHLD for a group stop. */
export const CLD_STOPPED = 5;

/** SA_NOCLDSTOP (sa_flags). */
const SA_NOCLDSTOP = 1;

/** __fatal_signal_pending(): SIGKILL is queued for this very thread. */
export function sigkillPending(task: Task): boolean {
  return task.signals.pending.set.has(S.SIGKILL);
}

/**
 * do_notify_parent_cldstop(for_ptracer): the tracer hears of a stop — SIGCHLD unless it ignores
 * SIGCHLD or asked for SA_NOCLDSTOP — and its wait is woken.
 */
export function notifyTracer(kernel: Kernel, task: Task, link: PtraceLink, why: number): void {
  const tracer = link.tracer;
  const act = tracer.signals.actions[S.SIGCHLD]!;
  if (act.handler !== S.SIG_IGN && !(act.flags & SA_NOCLDSTOP) && tracer.exitStatus === undefined) {
    const status = why === CLD_STOPPED || why === CLD_TRAPPED ? link.exitCode & 0x7f : link.exitCode;
    const info = chldInfo(
      why,
      task.tid,
      task.creds.uid,
      status,
      Math.floor(task.userNs / 1e7),
      Math.floor(task.sysNs / 1e7),
    );
    sendSignal(kernel, tracer, S.SIGCHLD, info, 'group');
  }
  tracer.group.childWait.wakeAll();
}

/**
 * ptrace_stop(): stops the tracee with `exitCode` as the status its tracer's wait reports. Resolves
 * to task->exit_code once the tracer lets it go (0, or the signal passed in `data`). Returns at once
 * (with exitCode) when the task is not traced or SIGKILL is pending, as Linux does.
 * `exiting`: the PTRACE_EVENT_EXIT stop, made after the task's exit status is set.
 */
export function ptraceStop(
  kernel: Kernel,
  task: Task,
  exitCode: number,
  why: number,
  message: number,
  kind: PtraceStop,
  info: SigInfo | undefined,
  exiting = false,
): number | Promise<number> {
  const link = task.ptrace;
  if (link === undefined || sigkillPending(task) || (!exiting && task.exitStatus !== undefined)) return exitCode;
  link.stop = kind;
  link.siginfo = info;
  link.eventMsg = message;
  link.exitCode = exitCode;
  if (why === CLD_STOPPED) link.jobctl &= ~JOBCTL_STOP_PENDING;
  // Any trap clears a pending STOP trap; a STOP trap also answers a pending notification.
  link.jobctl &= ~JOBCTL_TRAP_STOP;
  if (info !== undefined && exitCode >> 8 === PTRACE_EVENT_STOP) link.jobctl &= ~JOBCTL_TRAP_NOTIFY;
  notifyTracer(kernel, task, link, why);
  const release = keepHostAlive();
  const st = task.signals;
  return new Promise<number>((resolve) => {
    const check = (): void => {
      const done =
        link.wake === undefined ||
        task.ptrace !== link ||
        sigkillPending(task) ||
        (!exiting && task.exitStatus !== undefined);
      if (!done) return;
      if (st.wake === check) st.wake = undefined;
      if (link.wake === check) link.wake = undefined;
      link.stop = PtraceStop.None;
      link.jobctl &= ~JOBCTL_LISTENING;
      const code = link.exitCode;
      link.exitCode = 0;
      release();
      resolve(code);
    };
    link.wake = check;
    st.wake = check;
  });
}

/**
 * Lets a stopped tracee go with `data` as its exit_code (ptrace_resume, detach, the tracer's exit).
 * Harmless on a tracee that is not stopped.
 */
export function wakeTracee(link: PtraceLink, data: number): void {
  const w = link.wake;
  if (w === undefined) return;
  link.exitCode = data;
  link.wake = undefined;
  w();
}

/** Wakes a PTRACE_LISTEN-ing tracee so it traps again (ptrace_signal_wake_up with resume). */
export function wakeListener(link: PtraceLink): void {
  if (link.jobctl & JOBCTL_LISTENING) wakeTracee(link, 0);
}

/**
 * ptrace_do_notify(): a trap with a made-up SIGTRAP siginfo (si_code = the status, si_pid the
 * tracee's own tid) — event stops, syscall stops, EVENT_STOP traps.
 */
export function ptraceNotify(
  kernel: Kernel,
  task: Task,
  exitCode: number,
  why: number,
  message: number,
  kind: PtraceStop,
): number | Promise<number> {
  const info = killInfo(S.SIGTRAP, exitCode, task.tid, task.creds.uid);
  return ptraceStop(kernel, task, exitCode, why, message, kind, info);
}

/** The tracer asked for this event (PTRACE_O_TRACEFORK … TRACESECCOMP). */
export function eventEnabled(task: Task, event: number): boolean {
  const l = task.ptrace;
  return l !== undefined && (l.options & eventOption(event)) !== 0;
}

/**
 * ptrace_event(): the PTRACE_EVENT_* stop if the tracer enabled it (status SIGTRAP | event << 8,
 * message for GETEVENTMSG). Returns undefined when there is no stop. The tracer's resume signal is
 * ignored, as Linux ignores it for event stops.
 */
export function ptraceEvent(
  kernel: Kernel,
  task: Task,
  event: number,
  message: number,
  kind: PtraceStop = PtraceStop.Event,
): Promise<void> | undefined {
  if (!eventEnabled(task, event)) return undefined;
  const r = ptraceNotify(kernel, task, S.SIGTRAP | (event << 8), CLD_TRAPPED, message, kind);
  return typeof r === 'number' ? undefined : r.then(() => undefined);
}
