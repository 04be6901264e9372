/**
 * Blocking in socket calls, as net/core/sock.c and the protocols do it: a timeout in jiffies
 * (SO_RCVTIMEO/SO_SNDTIMEO, MAX_SCHEDULE_TIMEOUT when unset, 0 for a non-blocking call) counts down
 * across every sleep of one call; a sleep ends when the socket's wait queue is woken, when the time
 * is up, or when a signal is pending. sock_intr_errno: an interrupted wait without a timeout returns
 * -ERESTARTSYS (restartable), with one -EINTR; an expired one -EAGAIN.
 *
 * A wait that only another guest task could end keeps the host's event loop alive, so the emulator
 * blocks as Linux would rather than exit with the task parked.
 */
import { ERRNO, KERNEL_ERRNO } from '../abi/errno.js';
import type { Host } from '../host.js';
import { INTERRUPTED, keepHostAlive, waitInterruptible } from '../task/signal-wait.js';
import type { Task } from '../task/task.js';
import type { WaitQueue } from '../task/wait-queue.js';

export const EAGAIN = -ERRNO.EAGAIN;
export const EINTR = -ERRNO.EINTR;
export const ERESTARTSYS = -KERNEL_ERRNO.ERESTARTSYS;

/** CONFIG_HZ of Debian's arm64 kernels: socket timeouts are kept in jiffies of 4 ms. */
export const HZ = 250;
/** MAX_SCHEDULE_TIMEOUT */
export const FOREVER = Number.POSITIVE_INFINITY;

/** The time one blocking call may still wait (sock_rcvtimeo / sock_sndtimeo then schedule_timeout). */
export class Timeo {
  private readonly deadlineNs: number;

  constructor(
    private readonly host: Host,
    /** jiffies; FOREVER for no limit, 0 for a non-blocking call. */
    readonly jiffies: number,
  ) {
    this.deadlineNs = jiffies === FOREVER ? FOREVER : host.monotonicNs() + (jiffies * 1e9) / HZ;
  }

  /** sock_rcvtimeo(sk, noblock) */
  static of(host: Host, jiffies: number, nonblock: boolean): Timeo {
    return new Timeo(host, nonblock ? 0 : jiffies);
  }

  get nonblocking(): boolean {
    return this.jiffies === 0;
  }

  remainingNs(): number {
    return this.deadlineNs === FOREVER ? FOREVER : Math.max(0, this.deadlineNs - this.host.monotonicNs());
  }

  /** sock_intr_errno */
  get intrErrno(): number {
    return this.jiffies === FOREVER ? ERESTARTSYS : EINTR;
  }
}

/**
 * One sleep on a wait queue: 0 when woken (re-check the condition), -EAGAIN when the time is up (or
 * the call is non-blocking), the interrupt errno when a signal is pending.
 */
export async function sleepOn(task: Task, queue: WaitQueue, timeo: Timeo): Promise<number> {
  const left = timeo.remainingNs();
  if (left <= 0) return EAGAIN;
  let unsubscribe: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const event = new Promise<'woken' | 'timeout'>((resolve) => {
    unsubscribe = queue.subscribe(() => resolve('woken'));
    if (left !== FOREVER) timer = setTimeout(() => resolve('timeout'), Math.max(1, Math.ceil(left / 1e6)));
  });
  const release = left === FOREVER ? keepHostAlive() : undefined;
  try {
    const r = await waitInterruptible(task, event);
    if (r === INTERRUPTED) return timeo.intrErrno;
    if (r === 'timeout' && timeo.remainingNs() <= 0) return EAGAIN;
    return 0;
  } finally {
    unsubscribe?.();
    if (timer !== undefined) clearTimeout(timer);
    release?.();
  }
}

/**
 * Lets host events that are already due reach the sockets before a non-blocking call answers
 * EAGAIN: on Linux, loopback data written just before is already queued; here it arrives through
 * the host's event loop, which needs a poll phase. Two turns guarantee one whatever phase the
 * caller runs in.
 */
export async function letHostEventsIn(host: Host): Promise<void> {
  await host.yieldToHost();
  await host.yieldToHost();
}
