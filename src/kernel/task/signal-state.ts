/**
 * Signal state, split the way Linux splits it so threads can share the right parts later:
 * - SigHand (sighand_struct): the dispositions, shared by tasks cloned with CLONE_SIGHAND;
 * - GroupSignals (signal_struct): the process-wide pending set, group exit and stop, interval
 *   timers, shared by a thread group (CLONE_THREAD);
 * - SignalState (in task_struct): the thread's blocked mask, private pending set, alternate stack,
 *   saved mask of sigsuspend/ppoll, restart block, last fault (thread.fault_address/fault_code) and
 *   the wake-up of an interruptible wait.
 */

import { ITimers } from './itimer.js';
import { emptyRestartBlock, type RestartBlock } from './restart-block.js';
import type { SigInfo } from './siginfo.js';
import { SigSet } from './signal-set.js';

export interface SigAction {
  /** Handler address, SIG_DFL (0) or SIG_IGN (1). */
  handler: number;
  /** sa_flags, reduced to the UAPI bits rt_sigaction accepts (unsigned 32-bit). */
  flags: number;
  restorer: number;
  /** sa_mask as two 32-bit words (signals 1–32, 33–64); never holds SIGKILL or SIGSTOP. */
  maskLo: number;
  maskHi: number;
}

export function defaultSigAction(): SigAction {
  return { handler: 0, flags: 0, restorer: 0, maskLo: 0, maskHi: 0 };
}

/** One queued signal (Linux's struct sigqueue). */
export interface QueuedSignal {
  readonly sig: number;
  readonly info: SigInfo;
}

/** A pending set and the siginfo queue behind it (struct sigpending). */
export class SigPending {
  readonly set = new SigSet();
  readonly queue: QueuedSignal[] = [];

  /** Drops every signal in mask from the set and the queue (flush_sigqueue_mask); returns the count of queue entries dropped. */
  flush(maskLo: number, maskHi: number): number {
    this.set.lo &= ~maskLo;
    this.set.hi &= ~maskHi;
    let dropped = 0;
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const q = this.queue[i]!;
      const inMask = q.sig <= 32 ? maskLo & (1 << (q.sig - 1)) : maskHi & (1 << (q.sig - 33));
      if (inMask !== 0) {
        this.queue.splice(i, 1);
        dropped++;
      }
    }
    return dropped;
  }
}

/** sighand_struct: one action per signal (index 1..64; index 0 unused). */
export class SigHand {
  readonly actions: SigAction[] = Array.from({ length: 65 }, defaultSigAction);

  /** A copy for fork (without CLONE_SIGHAND). */
  clone(): SigHand {
    const h = new SigHand();
    for (let i = 1; i <= 64; i++) Object.assign(h.actions[i]!, this.actions[i]!);
    return h;
  }

  /** exec's flush_signal_handlers: caught signals go back to SIG_DFL; ignored ones stay ignored. */
  flushHandlers(): void {
    for (let i = 1; i <= 64; i++) {
      const a = this.actions[i]!;
      if (a.handler !== 1) a.handler = 0;
      a.flags = 0;
      a.restorer = 0;
      a.maskLo = 0;
      a.maskHi = 0;
    }
  }
}

/** signal_struct: what the threads of a process share. */
export class GroupSignals {
  readonly shared = new SigPending();
  /** SIGNAL_GROUP_EXIT: the process is dying by this signal (set by a fatal signal's fast path). */
  groupExitSignal: number | undefined;
  /** exit_group's wait status (group_exit_code); undefined when a signal ends the group. */
  groupExitStatus: number | undefined;
  /** SIGNAL_STOP_STOPPED: stopped by a stop signal until SIGCONT or SIGKILL. */
  stopped = false;
  /** Signals queued with siginfo, for RLIMIT_SIGPENDING (Linux counts per user; one process per user here). */
  queued = 0;
  readonly itimers = new ITimers();
}

/** SS_ONSTACK, SS_DISABLE and SS_AUTODISARM (linux/signal.h). */
export const SS_ONSTACK = 1;
export const SS_DISABLE = 2;
export const SS_AUTODISARM = 0x80000000 | 0;

/** The alternate signal stack (sas_ss_sp, sas_ss_size, sas_ss_flags). */
export interface AltStack {
  sp: number;
  size: number;
  /** As set by sigaltstack (0, SS_ONSTACK, SS_DISABLE, possibly with SS_AUTODISARM). */
  flags: number;
}

export class SignalState {
  readonly blocked = new SigSet();
  /**
   * real_blocked: the mask rt_sigtimedwait replaced while it waits (the waited-for signals are
   * unblocked then); a signal in it is never ignored at send time nor taken as fatal early.
   */
  readonly realBlocked = new SigSet();
  readonly pending = new SigPending();
  /** saved_sigmask with TIF_RESTORE_SIGMASK: rt_sigsuspend/ppoll/pselect's mask to restore on the way out. */
  savedMask: SigSet | undefined;
  /**
   * The alternate stack. A process started by the emulator has flags 0, as Linux's first user task
   * (inherited from init_task); threads created with CLONE_VM get SS_DISABLE (sas_ss_reset).
   */
  altStack: AltStack = { sp: 0, size: 0, flags: 0 };
  /** thread.fault_address and thread.fault_code (the ESR): kept until the next fault, as on arm64. */
  faultAddress = 0;
  faultCode = 0;
  readonly restartBlock: RestartBlock = emptyRestartBlock();
  /** Wakes the task from an interruptible wait (set by signal-wait.ts while it waits). */
  wake: (() => void) | undefined;
  /**
   * Set by rt_sigreturn: the exact 64-bit x0 it restored (the syscall result path carries a number,
   * exact only below 2^53), written back by the run loop after the call returns.
   */
  sigreturnX0: [number, number] | undefined;

  constructor(
    public hand: SigHand = new SigHand(),
    public group: GroupSignals = new GroupSignals(),
  ) {}

  get actions(): SigAction[] {
    return this.hand.actions;
  }

  /** The blocked mask's words, for /proc and the VFS's SIGPIPE check. */
  get blockedLo(): number {
    return this.blocked.lo;
  }
  get blockedHi(): number {
    return this.blocked.hi;
  }

  /**
   * The signal state of a task made by clone/fork (copy_sighand, copy_signal, copy_process): the
   * dispositions are shared with CLONE_SIGHAND and copied otherwise, the process state shared with
   * CLONE_THREAD and fresh otherwise; the blocked mask is inherited, the pending sets start empty,
   * the alternate stack is inherited except by a thread sharing the memory without vfork (sas_ss_reset).
   */
  forClone(o: { sighand: boolean; thread: boolean; vmWithoutVfork: boolean }): SignalState {
    const s = new SignalState(o.sighand ? this.hand : this.hand.clone(), o.thread ? this.group : new GroupSignals());
    s.blocked.copyFrom(this.blocked);
    s.altStack = o.vmWithoutVfork ? { sp: 0, size: 0, flags: SS_DISABLE } : { ...this.altStack };
    return s;
  }

  /**
   * What execve does to signals (de_thread's unshare_sighand, flush_signal_handlers, setup_new_exec):
   * caught signals go back to SIG_DFL in a private copy of the dispositions, the alternate stack's
   * address and size are forgotten (its flags stay), the restart block is dropped. The mask, the
   * pending signals and the interval timers survive exec.
   */
  onExec(sharedHand: boolean): void {
    if (sharedHand) this.hand = this.hand.clone();
    this.hand.flushHandlers();
    this.altStack = { sp: 0, size: 0, flags: this.altStack.flags };
    this.restartBlock.fn = undefined;
  }

  /** The signals pending for this thread (private | shared), as /proc and rt_sigpending report them. */
  pendingSet(): SigSet {
    const p = this.pending.set;
    const s = this.group.shared.set;
    return new SigSet(p.lo | s.lo, p.hi | s.hi);
  }
}
