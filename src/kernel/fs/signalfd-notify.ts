/**
 * Where signalfd readers wait (sighand_struct's signalfd_wqh), one queue per process: the signal
 * layer calls signalfdNotify when a signal becomes pending for a task (signalfd_notify in
 * __send_signal_locked), and every signalfd of that process re-checks its mask. Kept apart from
 * signalfd.ts so the signal layer depends on nothing but this queue.
 */
import type { GroupSignals } from '../task/signal-state.js';
import type { Task } from '../task/task.js';
import { WaitQueue } from '../task/wait-queue.js';

const queues = new WeakMap<GroupSignals, WaitQueue>();

/** The queue of the process whose signal state is `group`. */
export function signalfdWaitQueue(group: GroupSignals): WaitQueue {
  let q = queues.get(group);
  if (q === undefined) {
    q = new WaitQueue();
    queues.set(group, q);
  }
  return q;
}

/** signalfd_notify(): a signal was just made pending for t; wakes its process's signalfd waiters. */
export function signalfdNotify(t: Task): void {
  queues.get(t.signals.group)?.wakeAll();
}
