/**
 * wq_sleep: a task parked in mq_timedsend/mq_timedreceive until the other side hands its message
 * over (the waiter becomes ready), a signal is pending (-ERESTARTSYS: SA_RESTART restarts the call
 * with the same absolute timeout), or the absolute CLOCK_REALTIME deadline passes (-ETIMEDOUT).
 * A waiter found ready wins over a signal or an expired timer, as in Linux, where the hand-over is
 * checked first after every wake-up.
 */
import type { Kernel } from '../kernel.js';
import { INTERRUPTED, keepHostAlive, waitInterruptible } from '../task/signal-wait.js';
import type { Task } from '../task/task.js';
import type { MessageQueue, MqWaiter } from './mqueue-queue.js';

const ETIMEDOUT = -110;
const ERESTARTSYS = -512;
/** Longest delay one host timer takes (setTimeout's 32-bit millisecond limit). */
const MAX_HOST_DELAY_MS = 0x7fffffff;

function realtimeNs(kernel: Kernel): number {
  const t = kernel.host.realtime();
  return t.sec * 1e9 + t.nsec;
}

/** task->prio of a normal task: 120 + nice (lower runs, and is served, first). */
export function waiterPrio(task: Task): number {
  return 120 + task.nice;
}

/**
 * Parks the task as w (already filled: a sender's message) among q's senders or receivers.
 * Resolves to 0 once w is ready, else -ERESTARTSYS or -ETIMEDOUT with w removed again.
 */
export async function mqSleep(
  kernel: Kernel,
  task: Task,
  q: MessageQueue,
  kind: 'send' | 'receive',
  w: MqWaiter,
  deadlineNs: number | undefined,
): Promise<number> {
  q.addWaiter(kind, w);
  const release = deadlineNs === undefined ? keepHostAlive() : undefined;
  try {
    for (;;) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const event = new Promise<'woken' | 'timeout'>((resolve) => {
        w.wake = () => resolve('woken');
        if (deadlineNs === undefined) return;
        const arm = (): void => {
          const ns = deadlineNs - realtimeNs(kernel);
          if (ns <= 0) {
            resolve('timeout');
            return;
          }
          timer = setTimeout(arm, Math.min(MAX_HOST_DELAY_MS, Math.ceil(ns / 1e6)));
        };
        arm();
      });
      const r = await waitInterruptible(task, event);
      if (timer !== undefined) clearTimeout(timer);
      w.wake = () => {};
      if (w.ready) return 0;
      if (r === INTERRUPTED) {
        q.removeWaiter(kind, w);
        return ERESTARTSYS;
      }
      if (r === 'timeout') {
        q.removeWaiter(kind, w);
        return ETIMEDOUT;
      }
    }
  } finally {
    release?.();
  }
}
