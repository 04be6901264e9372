/**
 * Taking a signal off the pending sets (Linux's dequeue_signal, collect_signal and
 * dequeue_synchronous_signal): the thread's own set first, then the process's; within a set the
 * lowest-numbered unblocked signal, fault signals first. A signal whose siginfo was not queued
 * (SIGKILL, or over RLIMIT_SIGPENDING) comes out with an SI_USER siginfo from pid 0.
 */
import * as S from '../abi/signal.js';
import type { Kernel } from '../kernel.js';
import { rearmRealTimer } from './itimer.js';
import { lostInfo, type SigInfo, siCode } from './siginfo.js';
import { nextSignal, type SigSet, SYNCHRONOUS_LO, sigBit } from './signal-set.js';
import type { GroupSignals, SigPending } from './signal-state.js';
import type { Task } from './task.js';

export interface Dequeued {
  readonly sig: number;
  readonly info: SigInfo;
}

/**
 * Removes the queued siginfo at index i (by default sig's first); the bit stays set while another
 * entry for sig is queued after it.
 */
function collect(p: SigPending, g: GroupSignals, sig: number, i = p.queue.findIndex((q) => q.sig === sig)): SigInfo {
  const more = i >= 0 && p.queue.findIndex((q, k) => k > i && q.sig === sig) >= 0;
  if (!more) p.set.del(sig);
  if (i < 0) return lostInfo(sig);
  const [q] = p.queue.splice(i, 1);
  g.queued--;
  return q!.info;
}

/** dequeue_signal(task, mask): mask is the set NOT to take (the blocked mask, or ~wanted for sigtimedwait). */
export function dequeueSignal(kernel: Kernel, task: Task, mask: SigSet): Dequeued | undefined {
  const st = task.signals;
  const g = st.group;
  let sig = nextSignal(st.pending.set, mask);
  if (sig !== 0) return { sig, info: collect(st.pending, g, sig) };
  sig = nextSignal(g.shared.set, mask);
  if (sig === 0) return undefined;
  const info = collect(g.shared, g, sig);
  if (sig === S.SIGALRM) rearmRealTimer(kernel, task);
  return { sig, info };
}

/** dequeue_synchronous_signal(): the first queued kernel-raised fault signal of this thread, if unblocked. */
export function dequeueSynchronous(task: Task): Dequeued | undefined {
  const st = task.signals;
  const p = st.pending;
  if ((p.set.lo & ~st.blocked.lo & SYNCHRONOUS_LO) === 0) return undefined;
  const i = p.queue.findIndex((e) => siCode(e.info) > 0 && e.sig < 32 && (sigBit(e.sig) & SYNCHRONOUS_LO) !== 0);
  if (i < 0) return undefined;
  const sig = p.queue[i]!.sig;
  return { sig, info: collect(p, st.group, sig, i) };
}
