/**
 * Signal delivery on the way back to user mode (arm64's do_notify_resume → do_signal, with the
 * generic get_signal and handle_signal / signal_delivered):
 * - syscall restart: a call that returned -ERESTARTSYS/-ERESTARTNOINTR/-ERESTARTNOHAND/
 *   -ERESTART_RESTARTBLOCK is rewound (pc -= 4, x0 = orig_x0); a handler that runs turns
 *   ERESTARTNOHAND, ERESTART_RESTARTBLOCK and (without SA_RESTART) ERESTARTSYS into -EINTR;
 *   with no handler, ERESTART_RESTARTBLOCK becomes restart_syscall (x8 = 128, or the compat
 *   number 0x80000000 when the interrupted call was a compat one);
 * - get_signal: dequeue (faults first), report to the trace, then ignore, stop, kill (with a core
 *   flag) or hand over to a handler (SA_RESETHAND resets it);
 * - handle_signal: the rt_sigframe, then the handler's mask (sa_mask, plus the signal unless
 *   SA_NODEFER), SS_AUTODISARM; a frame that cannot be written forces SIGSEGV.
 * Like Linux's loop, every pending deliverable signal gets its frame before the task runs again
 * (the last one's handler runs first).
 */

import { KERNEL_ERRNO } from '../abi/errno.js';
import * as S from '../abi/signal.js';
import type { Kernel } from '../kernel.js';
import {
  jobctlTrap,
  jobctlTrapPending,
  ptraceGroupStopStarts,
  ptraceSignal,
} from '../security/ptrace/ptrace-jobctl.js';
import { ptraceStepIntoHandler } from '../security/ptrace/ptrace-step.js';
import { CLD_STOPPED, notifyParentJobControl } from './exit.js';
import { pollItimers } from './itimer.js';
import { pollPosixTimers } from './posix-timers.js';
import { restartSyscallNumber } from './restart-block.js';
import { rseqSignalDeliver } from './rseq.js';
import { type KSignal, setupRtFrame } from './sigframe.js';
import { kernelInfo, type SigInfo, siAddr, siCode, siPid, siUid } from './siginfo.js';
import { resetAltStack } from './signal-altstack.js';
import { dequeueSignal, dequeueSynchronous } from './signal-dequeue.js';
import { forceSignalInfo, SA_IMMUTABLE, signalPending, signalWakeUp } from './signal-send.js';
import { COREDUMP_LO, IGNORE_LO, inKernelMask, KERNEL_ONLY_LO, type SigSet, STOP_LO } from './signal-set.js';
import { SS_AUTODISARM } from './signal-state.js';
import { keepHostAlive } from './signal-wait.js';
import type { Task } from './task.js';

const ERESTARTSYS = -KERNEL_ERRNO.ERESTARTSYS;
const ERESTARTNOINTR = -KERNEL_ERRNO.ERESTARTNOINTR;
const ERESTARTNOHAND = -KERNEL_ERRNO.ERESTARTNOHAND;
const ERESTART_RESTARTBLOCK = -KERNEL_ERRNO.ERESTART_RESTARTBLOCK;
const EINTR = -4;

function isRestartCode(r: number): boolean {
  return r === ERESTARTSYS || r === ERESTARTNOINTR || r === ERESTARTNOHAND || r === ERESTART_RESTARTBLOCK;
}

/**
 * syscall_set_return_value for the -EINTR of an interrupted call: sign-extended for a native call,
 * zero-extended from 32 bits for a compat one (compat-abi.md §1). (entry/ has the same rule; it is
 * repeated here so the task layer does not import the syscall tables.)
 */
function setSyscallResult(task: Task, result: number): void {
  const x = task.cpu.x;
  x[0] = result | 0;
  x[1] = task.inCompatSyscall ? 0 : result < 0 ? -1 : 0;
}

/** set_current_blocked: SIGKILL and SIGSTOP can never be blocked. */
export function setCurrentBlocked(task: Task, lo: number, hi: number): void {
  task.signals.blocked.set(lo & ~KERNEL_ONLY_LO, hi);
}

/** restore_saved_sigmask: rt_sigsuspend's (and ppoll's) temporary mask ends when no handler took it over. */
export function restoreSavedSigmask(task: Task): void {
  const saved = task.signals.savedMask;
  if (saved === undefined) return;
  task.signals.savedMask = undefined;
  setCurrentBlocked(task, saved.lo, saved.hi);
}

/**
 * set_user_sigmask for ppoll, pselect6, epoll_pwait, io_pgetevents: the call runs with a temporary
 * mask and the old one is restored on the way out — by the frame of a handler that interrupts the
 * call, or by the caller through restoreSigmaskUnless.
 */
export function setUserSigmask(task: Task, lo: number, hi: number): void {
  task.signals.savedMask = task.signals.blocked.clone();
  setCurrentBlocked(task, lo, hi);
}

/**
 * restore_saved_sigmask_unless(interrupted): a call that returns -ERESTARTNOHAND leaves the saved mask
 * for signal delivery (a handler's frame saves it); any other result restores it now.
 */
export function restoreSigmaskUnless(task: Task, interrupted: boolean): void {
  if (!interrupted) restoreSavedSigmask(task);
}

/**
 * is_current_pgrp_orphaned: no member of the caller's process group has a parent in another group of
 * the same session. SIGTSTP, SIGTTIN and SIGTTOU are then discarded (nobody could continue them). The
 * first process's parent is outside the emulated system, as in a new session: its group is orphaned.
 */
function pgrpOrphaned(kernel: Kernel, task: Task): boolean {
  const pgid = task.group.pgid;
  for (const g of kernel.groups.values()) {
    if (g.pgid !== pgid || g.state !== 'live') continue;
    const p = g.parent;
    if (p !== undefined && p.state === 'live' && p.pgid !== pgid && p.sid === g.sid) return false;
  }
  return true;
}

/** What get_signal decided. */
type Got = KSignal | 'none' | 'stopped';

/**
 * get_signal(): the next signal to hand to a handler, carrying out ignore/stop/terminate on the way.
 * A traced task may stop for its tracer on the way (job-control traps, signal-delivery stops): the
 * answer is then a promise.
 */
function getSignal(kernel: Kernel, task: Task): Got | Promise<Got> {
  const st = task.signals;
  for (;;) {
    if (task.exitStatus !== undefined) return 'none';
    const g = st.group;
    if (g.groupExitSignal !== undefined) {
      // The process is exiting (exit_group, or a fatal signal's fast path): this thread goes too.
      if (g.groupExitStatus !== undefined) kernel.exitQuietly(task, g.groupExitStatus);
      else kernel.killTask(task, g.groupExitSignal, false);
      return 'none';
    }
    const link = task.ptrace;
    if (link !== undefined) {
      // A traced task takes part in a group stop by trapping for its tracer, then runs on.
      if (jobctlTrapPending(task)) {
        const trap = jobctlTrap(kernel, task, link);
        if (trap !== undefined) return trap.then(() => getSignal(kernel, task));
        continue;
      }
    } else if (g.stopped) return 'stopped';
    const d = dequeueSynchronous(task) ?? dequeueSignal(kernel, task, st.blocked);
    if (d === undefined) return 'none';
    const { sig, info } = d;
    const code = siCode(info);
    kernel.trace?.signal(task, sig, code, siAddr(info), code <= 0 ? { pid: siPid(info), uid: siUid(info) } : undefined);
    if (link !== undefined && sig !== S.SIGKILL && !(st.actions[sig]!.flags & SA_IMMUTABLE)) {
      // The signal-delivery stop: the tracer decides what, if anything, is delivered.
      const traced = ptraceSignal(kernel, task, sig, info);
      if (traced instanceof Promise) {
        return traced.then((t) => {
          const r = t === undefined ? 'again' : actOn(kernel, task, t.sig, t.info);
          return r === 'again' ? getSignal(kernel, task) : r;
        });
      }
      if (traced === undefined) continue;
      const r = actOn(kernel, task, traced.sig, traced.info);
      if (r === 'again') continue;
      return r;
    }
    const r = actOn(kernel, task, sig, info);
    if (r === 'again') continue;
    return r;
  }
}

/**
 * The rest of get_signal for one dequeued signal: ignore it ('again': look for the next), hand it to
 * its handler, stop the process, or end it.
 */
function actOn(kernel: Kernel, task: Task, sig: number, info: SigInfo): Got | 'again' {
  const st = task.signals;
  const g = st.group;
  const ka = st.actions[sig]!;
  if (ka.handler === S.SIG_IGN) return 'again';
  if (ka.handler !== S.SIG_DFL) {
    const action = { ...ka };
    if (ka.flags & S.SA_RESETHAND) ka.handler = S.SIG_DFL;
    return { sig, info, action };
  }
  if (inKernelMask(sig, IGNORE_LO)) return 'again';
  if (inKernelMask(sig, STOP_LO)) {
    if (sig !== S.SIGSTOP && pgrpOrphaned(kernel, task)) return 'again';
    // do_signal_stop: the whole process stops and the parent hears of it (CLD_STOPPED).
    g.stopped = true;
    task.group.stopSignal = sig;
    ptraceGroupStopStarts(task);
    for (const t of task.group.threads) if (t !== task) signalWakeUp(t);
    // A parent that traces the stopping thread hears of the stop through its trap instead.
    if (task.ptrace?.tracer.group !== task.group.parent) notifyParentJobControl(kernel, task.group, CLD_STOPPED, sig);
    // A traced task traps for its tracer instead of sleeping (the next round of get_signal).
    return task.ptrace !== undefined ? 'again' : 'stopped';
  }
  // do_group_exit: the default action ends the whole process.
  kernel.killProcess(task, sig, inKernelMask(sig, COREDUMP_LO));
  return 'none';
}

/**
 * Waits in the stopped state until SIGCONT or SIGKILL (a stopped process does not take other
 * signals: they stay pending, as on Linux). Nothing inside one process can send either, so like a
 * stopped Linux process it may wait for ever; the host is kept alive meanwhile, as the kernel would
 * keep the process. (Job control, with another process to continue it, comes with the processes work.)
 */
function waitWhileStopped(task: Task): Promise<void> {
  const st = task.signals;
  const release = keepHostAlive();
  return new Promise<void>((resolve) => {
    const check = (): void => {
      const g = st.group;
      // A task attached while stopped leaves the sleep to trap for its tracer.
      if (g.stopped && g.groupExitSignal === undefined && task.exitStatus === undefined && task.ptrace === undefined) {
        st.wake = check;
        return;
      }
      if (st.wake === check) st.wake = undefined;
      release();
      resolve();
    };
    check();
  });
}

/** force_sigsegv(): a handler's frame could not be built. */
function forceSigsegv(kernel: Kernel, task: Task, sig: number): void {
  forceSignalInfo(kernel, task, kernelInfo(S.SIGSEGV), sig === S.SIGSEGV ? 'default' : 'current');
}

/** handle_signal + signal_setup_done + signal_delivered. */
function handleSignal(kernel: Kernel, task: Task, ksig: KSignal): void {
  const st = task.signals;
  const oldset: SigSet = st.savedMask ?? st.blocked.clone();
  rseqSignalDeliver(kernel, task, ksig.sig);
  if (!setupRtFrame(task, ksig, oldset)) {
    forceSigsegv(kernel, task, ksig.sig);
    return;
  }
  st.savedMask = undefined;
  const a = ksig.action;
  const blocked = st.blocked.clone();
  blocked.lo |= a.maskLo;
  blocked.hi |= a.maskHi;
  if (!(a.flags & S.SA_NODEFER)) blocked.add(ksig.sig);
  setCurrentBlocked(task, blocked.lo, blocked.hi);
  if (st.altStack.flags & SS_AUTODISARM) resetAltStack(st);
}

/** The syscall-restart state do_signal works out before asking for a signal. */
interface SyscallRestart {
  continueAddr: number;
  restartAddr: number;
  retval: number;
}

/** do_signal(): one round of restart handling and delivery. */
function doSignal(kernel: Kernel, task: Task): void | Promise<void> {
  const cpu = task.cpu;
  const x = cpu.x;
  let restart: SyscallRestart | undefined;
  if (task.inSyscall) {
    // Linux reads the result as an int: the low word of x0.
    restart = { continueAddr: cpu.pc, restartAddr: cpu.pc - 4, retval: x[0]! | 0 };
    // forget_syscall: a signal-delivery stop shows syscallno -1 (NT_ARM_SYSTEM_CALL).
    task.inSyscall = false;
    task.syscallNo = -1;
    if (isRestartCode(restart.retval)) {
      x[0] = task.origX0Lo;
      x[1] = task.origX0Hi;
      cpu.pc = restart.restartAddr;
    }
  }
  return deliver(kernel, task, restart);
}

function deliver(kernel: Kernel, task: Task, restart: SyscallRestart | undefined): void | Promise<void> {
  const got = getSignal(kernel, task);
  if (got instanceof Promise) return got.then((g) => deliverGot(kernel, task, restart, g));
  return deliverGot(kernel, task, restart, got);
}

function deliverGot(kernel: Kernel, task: Task, restart: SyscallRestart | undefined, got: Got): void | Promise<void> {
  const cpu = task.cpu;
  if (got === 'stopped') return waitWhileStopped(task).then(() => deliver(kernel, task, restart));
  if (got !== 'none') {
    if (restart !== undefined && cpu.pc === restart.restartAddr) {
      const r = restart.retval;
      if (
        r === ERESTARTNOHAND ||
        r === ERESTART_RESTARTBLOCK ||
        (r === ERESTARTSYS && !(got.action.flags & S.SA_RESTART))
      ) {
        setSyscallResult(task, EINTR);
        cpu.pc = restart.continueAddr;
      }
    }
    handleSignal(kernel, task, got);
    // signal_delivered while single-stepping: the tracer sees the handler's first instruction.
    if (task.ptrace?.singleStep) return ptraceStepIntoHandler(kernel, task);
    return;
  }
  if (task.exitStatus !== undefined) return;
  if (restart !== undefined && cpu.pc === restart.restartAddr && restart.retval === ERESTART_RESTARTBLOCK) {
    const x = cpu.x;
    x[16] = restartSyscallNumber(task.signals.restartBlock);
    x[17] = 0;
  }
  restoreSavedSigmask(task);
}

/** The result in x0 is exactly a restart code (as a sign-extended native or a zero-extended compat value). */
function resultIsRestart(task: Task): boolean {
  const x = task.cpu.x;
  return isRestartCode(x[0]! | 0) && x[1] === (task.inCompatSyscall ? 0 : -1);
}

/**
 * The return to user mode after a syscall or a CPU exit: interval timers that are due fire, then
 * every deliverable signal is delivered (with syscall restart handling for the call just made).
 * Returns a promise only while the task is stopped. Clears the per-call state (in_syscall, in compat
 * syscall) on the way out.
 */
export function exitToUserMode(kernel: Kernel, task: Task): void | Promise<void> {
  pollItimers(kernel, task);
  pollPosixTimers(kernel, task);
  while (wantsWork(task)) {
    const r = doSignal(kernel, task);
    if (r !== undefined) {
      return r.then(() => {
        const more = exitToUserMode(kernel, task);
        if (more !== undefined) return more;
        leave(task);
      });
    }
  }
  leave(task);
}

/** Work before the task may run again: a deliverable signal, a restart to handle, a mask to restore. */
function wantsWork(task: Task): boolean {
  return (
    task.exitStatus === undefined &&
    (signalPending(task) ||
      (task.signals.group.stopped && task.ptrace === undefined) ||
      (task.inSyscall && resultIsRestart(task)) ||
      task.signals.savedMask !== undefined)
  );
}

function leave(task: Task): void {
  task.inSyscall = false;
  // Every exception entry starts with syscallno = NO_SYSCALL; only an SVC sets it.
  task.syscallNo = -1;
  task.inCompatSyscall = false;
}
