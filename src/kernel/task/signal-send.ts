/**
 * Sending signals, as Linux's kernel/signal.c does it: prepare_signal (stop/continue side effects,
 * ignored signals dropped), the legacy rule (a non-real-time signal already pending is not queued
 * again), queueing siginfo within RLIMIT_SIGPENDING, complete_signal (which thread takes it, the
 * fatal-signal fast path) and waking the task. force_sig_info for synchronous faults unblocks the
 * signal and resets an ignored or blocked handler to SIG_DFL, so a fault nobody can handle kills.
 *
 * Deviations kept on purpose: the first task is pid 1 but is not treated as a pid-namespace init
 * (SIGNAL_UNKILLABLE), so it dies of signals exactly like the process qemu-aarch64 runs; and while
 * the trace (--strace) is on, ignored signals are still queued and reported at delivery, as under
 * ptrace (Linux's sig_ignored never ignores a signal for a traced task).
 */
import * as S from '../abi/signal.js';
import { signalfdNotify } from '../fs/signalfd-notify.js';
import type { Kernel } from '../kernel.js';
import { jobctlTrapPending, ptraceSigcont } from '../security/ptrace/ptrace-jobctl.js';
import { inPtraceStop } from '../security/ptrace/ptrace-state.js';
import { CLD_CONTINUED, notifyParentJobControl } from './exit.js';
import { killInfo, SI_USER, type SigInfo, siCode, siSigno } from './siginfo.js';
import { COREDUMP_LO, IGNORE_LO, inKernelMask, STOP_LO, sigBit } from './signal-set.js';
import { RLIMIT_SIGPENDING, type Task } from './task.js';

const EAGAIN = -11;

/** sa_flags bit the kernel keeps for itself (force_exit_sig): the action can no longer change. */
export const SA_IMMUTABLE = 0x00800000;

/** Whether the signal goes to one thread (tkill, faults) or to the process (kill, timers). */
export type SendScope = 'thread' | 'group';

/** The threads of a task's process (the task itself while it runs alone). */
export function threadsOf(_kernel: Kernel, task: Task): Task[] {
  const out: Task[] = [];
  for (const t of task.group.threads) if (t.exitStatus === undefined) out.push(t);
  if (!out.includes(task)) out.push(task);
  return out;
}

/** signal_pending(): a signal this thread would take now, or its process is being killed. */
export function signalPending(task: Task): boolean {
  const st = task.signals;
  if (st.group.groupExitSignal !== undefined) return true;
  const b = st.blocked;
  const p = st.pending.set;
  const s = st.group.shared.set;
  if (((p.lo | s.lo) & ~b.lo) !== 0 || ((p.hi | s.hi) & ~b.hi) !== 0) return true;
  // A traced task with a job-control trap to make (TIF_SIGPENDING from recalc_sigpending's jobctl test).
  return task.ptrace !== undefined && jobctlTrapPending(task);
}

/** fatal_signal_pending(): SIGKILL queued or the process is exiting. */
export function fatalSignalPending(task: Task): boolean {
  return task.signals.group.groupExitSignal !== undefined || task.signals.pending.set.has(S.SIGKILL);
}

/** signal_wake_up(): ends the task's interruptible wait (or its stop, which rechecks why it sleeps). */
export function signalWakeUp(task: Task): void {
  const w = task.signals.wake;
  if (w !== undefined) w();
}

/** The handler of sig says "ignore" (sig_handler_ignored). */
export function handlerIgnores(task: Task, sig: number): boolean {
  const h = task.signals.actions[sig]!.handler;
  return h === S.SIG_IGN || (h === S.SIG_DFL && inKernelMask(sig, IGNORE_LO));
}

function sigIgnored(kernel: Kernel, t: Task, sig: number): boolean {
  const st = t.signals;
  if (st.blocked.has(sig) || st.realBlocked.has(sig)) return false;
  // The tracer sees every signal of a traced task (sig_ignored).
  if (t.ptrace !== undefined && sig !== S.SIGKILL) return false;
  if (kernel.trace !== undefined && sig !== S.SIGKILL) return false;
  return handlerIgnores(t, sig);
}

/** sig_fatal(): the default action ends the process and nothing catches it. */
function sigFatal(t: Task, sig: number): boolean {
  return !inKernelMask(sig, IGNORE_LO | STOP_LO) && t.signals.actions[sig]!.handler === S.SIG_DFL;
}

/** Drops queue entries and accounts them (flush_sigqueue_mask over the process and every thread). */
function flushEverywhere(kernel: Kernel, t: Task, maskLo: number): void {
  const g = t.signals.group;
  g.queued -= g.shared.flush(maskLo, 0);
  for (const th of threadsOf(kernel, t)) g.queued -= th.signals.pending.flush(maskLo, 0);
}

/**
 * prepare_signal(): a stop signal cancels a pending SIGCONT; SIGCONT cancels pending stop signals
 * and continues a stopped process (even when SIGCONT itself is then ignored). False = drop it.
 */
function prepareSignal(kernel: Kernel, t: Task, sig: number): boolean {
  const g = t.signals.group;
  if (g.groupExitSignal !== undefined) return false;
  if (inKernelMask(sig, STOP_LO)) {
    flushEverywhere(kernel, t, sigBit(S.SIGCONT));
  } else if (sig === S.SIGCONT) {
    flushEverywhere(kernel, t, STOP_LO);
    ptraceSigcont(threadsOf(kernel, t));
    if (g.stopped) {
      g.stopped = false;
      for (const th of threadsOf(kernel, t)) signalWakeUp(th);
      notifyParentJobControl(kernel, t.group, CLD_CONTINUED, S.SIGCONT);
    }
  }
  return !sigIgnored(kernel, t, sig);
}

/** complete_signal(): pick the thread to take it; a fatal signal starts the group exit at once. */
function completeSignal(kernel: Kernel, sig: number, t: Task, scope: SendScope): void {
  // wants_signal: a stopped task (group-stopped, or in a ptrace stop when traced) takes only SIGKILL.
  const wants = (p: Task): boolean =>
    p.exitStatus === undefined &&
    !p.signals.blocked.has(sig) &&
    (sig === S.SIGKILL || (p.ptrace !== undefined ? !inPtraceStop(p) : !p.signals.group.stopped));
  let target: Task | undefined;
  if (wants(t)) target = t;
  else if (scope === 'group') target = threadsOf(kernel, t).find(wants);
  if (target === undefined) return;
  const g = t.signals.group;
  if (
    sigFatal(t, sig) &&
    g.groupExitSignal === undefined &&
    !target.signals.realBlocked.has(sig) &&
    (sig === S.SIGKILL || (kernel.trace === undefined && t.ptrace === undefined)) &&
    !inKernelMask(sig, COREDUMP_LO)
  ) {
    g.groupExitSignal = sig;
    g.stopped = false;
    for (const th of threadsOf(kernel, t)) {
      th.signals.pending.set.add(S.SIGKILL);
      signalWakeUp(th);
    }
    return;
  }
  signalWakeUp(target);
}

/**
 * __send_signal_locked(): queue sig with its siginfo on the thread's or the process's pending set.
 * Returns 0 (also when the signal is ignored or merged into one already pending) or -EAGAIN when a
 * real-time signal sent by sigqueue-like means exceeds RLIMIT_SIGPENDING.
 */
export function sendSignal(kernel: Kernel, t: Task, sig: number, info: SigInfo, scope: SendScope): number {
  if (!prepareSignal(kernel, t, sig)) return 0;
  const g = t.signals.group;
  const pending = scope === 'group' ? g.shared : t.signals.pending;
  if (sig < S.SIGRTMIN && pending.set.has(sig)) return 0;
  if (sig !== S.SIGKILL) {
    const code = siCode(info);
    // Non-RT signals from kill() or the kernel always get their siginfo; others count against the limit.
    const override = sig < S.SIGRTMIN && code >= 0;
    if (override || g.queued + 1 <= t.rlimits[RLIMIT_SIGPENDING]![0]) {
      pending.queue.push({ sig, info });
      g.queued++;
    } else if (sig >= S.SIGRTMIN && code !== SI_USER) {
      return EAGAIN;
    }
    // Otherwise the signal is still sent, without its siginfo (collect_signal makes one up).
  }
  pending.set.add(sig);
  signalfdNotify(t);
  completeSignal(kernel, sig, t, scope);
  return 0;
}

/** How force_sig_info treats the handler (enum sig_handler). */
export type ForceMode = 'current' | 'default' | 'exit';

/**
 * force_sig_info_to_task(): a signal the task cannot refuse (faults, a bad sigreturn frame). If it is
 * blocked or ignored (or the mode asks for it) the action goes back to SIG_DFL and the signal is
 * unblocked, so the default action — usually death — follows.
 */
export function forceSignalInfo(kernel: Kernel, t: Task, info: SigInfo, mode: ForceMode = 'current'): number {
  const sig = siSigno(info);
  const st = t.signals;
  const a = st.actions[sig]!;
  const blocked = st.blocked.has(sig);
  if (blocked || a.handler === S.SIG_IGN || mode !== 'current') {
    a.handler = S.SIG_DFL;
    if (mode === 'exit') a.flags = (a.flags | SA_IMMUTABLE) >>> 0;
    if (blocked) st.blocked.del(sig);
  }
  const r = sendSignal(kernel, t, sig, info, 'thread');
  signalWakeUp(t);
  return r;
}

/**
 * send_sig(SIGPIPE, current, 0): a write into a pipe, socket or host stream with no reader left
 * (SEND_SIG_NOINFO, to the writing thread).
 */
export function sendSigpipe(kernel: Kernel, t: Task): void {
  sendSignal(kernel, t, S.SIGPIPE, killInfo(S.SIGPIPE, SI_USER, t.tgid, t.creds.uid), 'thread');
}
