/**
 * Interruptible waits (Linux's TASK_INTERRUPTIBLE sleeps): a blocking syscall parks its task on a
 * promise, and a signal that becomes pending for the task ends the wait early. The caller then
 * returns the restart code its Linux twin returns (-ERESTARTSYS for most waits, -ERESTARTNOHAND,
 * -ERESTART_RESTARTBLOCK with a restart block for timed sleeps, -EINTR where Linux never restarts);
 * the return to user mode turns that into a restart or -EINTR.
 *
 * Usage in a handler (e.g. a pipe read):
 *   const r = await waitInterruptible(ctx.task, pipe.wait());
 *   if (r === INTERRUPTED) return -ERESTARTSYS;
 */
import type { Host } from '../host.js';
import { signalPending } from './signal-send.js';
import type { Task } from './task.js';

export const INTERRUPTED: unique symbol = Symbol('interrupted by a signal');
export type Interrupted = typeof INTERRUPTED;

/** Longest delay one host timer takes (setTimeout's 32-bit millisecond limit). */
const MAX_HOST_DELAY_MS = 0x7fffffff;

/**
 * Keeps the host's event loop alive while a task waits for something only a signal can end (a stop,
 * pause): Linux would keep the process sleeping, but an idle event loop ends the emulator. Returns
 * the function that lets go.
 */
export function keepHostAlive(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const again = (): void => {
    timer = setTimeout(again, MAX_HOST_DELAY_MS);
  };
  again();
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
}

/**
 * Waits for `event`, or until a signal is pending for the task (checked first, as
 * wait_event_interruptible does). Only one wait per task at a time: a task blocks in one place.
 */
export function waitInterruptible<T>(task: Task, event: Promise<T>): Promise<T | Interrupted> {
  if (signalPending(task)) return Promise.resolve(INTERRUPTED);
  const st = task.signals;
  return new Promise<T | Interrupted>((resolve, reject) => {
    const finish = (v: T | Interrupted): void => {
      if (st.wake === wake) st.wake = undefined;
      resolve(v);
    };
    const wake = (): void => {
      if (signalPending(task) || task.exitStatus !== undefined) finish(INTERRUPTED);
    };
    st.wake = wake;
    event.then(finish, (e: unknown) => {
      if (st.wake === wake) st.wake = undefined;
      reject(e);
    });
  });
}

/**
 * Parks the task until a signal is pending (pause, rt_sigsuspend): always resolves to INTERRUPTED.
 * When nothing can ever send one, Linux sleeps for ever; a host interval keeps the emulator alive
 * meanwhile (an idle event loop would otherwise end the process).
 */
export function waitForSignal(task: Task): Promise<Interrupted> {
  const release = keepHostAlive();
  const r = waitInterruptible(task, new Promise<never>(() => {})) as Promise<Interrupted>;
  return r.then((v) => {
    release();
    return v;
  });
}

/**
 * Sleeps until remainingNs() reaches zero (it is re-read whenever the host timer fires, so clock
 * changes and setTimeout's early or late wake-ups are absorbed), or a signal is pending. Resolves to
 * 'done' or INTERRUPTED.
 */
export function sleepInterruptible(task: Task, remainingNs: () => number): Promise<'done' | Interrupted> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const elapsed = new Promise<'done'>((resolve) => {
    const arm = (): void => {
      const ns = remainingNs();
      if (ns <= 0) {
        resolve('done');
        return;
      }
      timer = setTimeout(arm, Math.min(MAX_HOST_DELAY_MS, Math.ceil(ns / 1e6)));
    };
    arm();
  });
  return waitInterruptible(task, elapsed).then((r) => {
    if (timer !== undefined) clearTimeout(timer);
    return r;
  });
}

/** Remaining nanoseconds to an absolute monotonic deadline. */
export function untilMonotonic(host: Host, deadlineNs: number): () => number {
  return () => deadlineNs - host.monotonicNs();
}
