/**
 * The waiting half of poll, select and epoll (Linux's poll_wqueues and poll_schedule_timeout): a
 * waiter subscribes once to the wait queue of every file it watches, and each round of the caller's
 * scan-then-sleep loop parks the task until one of those queues is woken, the deadline passes, or a
 * signal is pending for the task.
 *
 * Deadlines are absolute CLOCK_MONOTONIC nanoseconds (the host's monotonic clock), kept by one host
 * timer that is re-armed when it fires early. An endless wait holds the host's event loop open,
 * since only another task or a signal can end it and Linux would keep waiting.
 */
import type { Host } from '../host.js';
import type { Kernel } from '../kernel.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import { INTERRUPTED, type Interrupted, keepHostAlive, waitInterruptible } from '../task/signal-wait.js';
import type { Task } from '../task/task.js';
import type { WaitQueue } from '../task/wait-queue.js';
import { vfsOf } from './vfs.js';

/** Longest delay one host timer takes (setTimeout's 32-bit millisecond limit). */
const MAX_HOST_DELAY_MS = 0x7fffffff;

export type WaitOutcome = 'woken' | 'timeout' | Interrupted;

export class PollWaiter {
  private readonly unsubscribe: (() => void)[] = [];
  private readonly watched = new Set<WaitQueue>();
  /** A watched queue was woken since the last wait (pwq->triggered): the next wait returns at once. */
  private triggered = false;
  private kick: (() => void) | undefined;

  constructor(
    private readonly task: Task,
    private readonly host: Host,
  ) {}

  /** Adds a queue to the watched set (poll_wait); a queue already watched is not added twice. */
  watch(q: WaitQueue): void {
    if (this.watched.has(q)) return;
    this.watched.add(q);
    this.unsubscribe.push(
      q.subscribe(() => {
        this.triggered = true;
        const k = this.kick;
        this.kick = undefined;
        k?.();
      }),
    );
  }

  /**
   * Parks until a watched queue is woken ('woken'), the monotonic deadline passes ('timeout'), or a
   * signal is pending (INTERRUPTED). deadlineNs undefined waits without end.
   */
  async wait(deadlineNs: number | undefined): Promise<WaitOutcome> {
    if (this.triggered) {
      this.triggered = false;
      return 'woken';
    }
    if (deadlineNs !== undefined && deadlineNs - this.host.monotonicNs() <= 0) return 'timeout';
    let timer: ReturnType<typeof setTimeout> | undefined;
    const release = deadlineNs === undefined ? keepHostAlive() : undefined;
    const event = new Promise<'woken' | 'timeout'>((resolve) => {
      this.kick = () => resolve('woken');
      if (deadlineNs === undefined) return;
      const arm = (): void => {
        const ns = deadlineNs - this.host.monotonicNs();
        if (ns <= 0) {
          resolve('timeout');
          return;
        }
        timer = setTimeout(arm, Math.min(MAX_HOST_DELAY_MS, Math.ceil(ns / 1e6)));
      };
      arm();
    });
    try {
      const r = await waitInterruptible(this.task, event);
      if (r === INTERRUPTED) return r;
      this.triggered = false;
      return r;
    } finally {
      this.kick = undefined;
      if (timer !== undefined) clearTimeout(timer);
      release?.();
    }
  }

  /** Drops every subscription (poll_freewait). */
  done(): void {
    for (const u of this.unsubscribe) u();
    this.unsubscribe.length = 0;
    this.watched.clear();
  }
}

/** poll_select_set_timeout: the absolute monotonic deadline sec/nsec from now; undefined for an invalid timespec. 0 means "do not wait". */
export function deadlineAfter(host: Host, sec: number, nsec: number): number | undefined {
  if (sec < 0 || nsec < 0 || nsec >= 1e9) return undefined;
  if (sec === 0 && nsec === 0) return 0;
  return host.monotonicNs() + sec * 1e9 + nsec;
}

/** Whether any task besides this one is alive (one that could act on a file this task waits for). */
function othersExist(kernel: Kernel, self: Task): boolean {
  for (const t of kernel.tasks.values()) if (t !== self && t.exitStatus === undefined) return true;
  return false;
}

/**
 * A blocking read or write parks on its file's queue (wait_event_interruptible): true when woken
 * (the caller re-checks its condition), false when a signal is pending (the caller returns
 * -ERESTARTSYS or the count moved so far).
 *
 * When no other task exists, only a signal can end the wait (a handler writing to the pipe, an
 * interval timer). Linux waits all the same, and so does compat64 — after a one-time diagnostic on
 * the emulator's stderr when no interval timer is armed either, so a silent hang has an
 * explanation — holding the host's event loop open meanwhile, which would otherwise end the
 * emulator.
 */
export async function waitOnFile(
  ctx: SyscallContext,
  queue: WaitQueue,
  what: string,
  action: string,
): Promise<boolean> {
  if (!othersExist(ctx.kernel, ctx.task) && !ctx.task.signals.group.itimers.timers.some((t) => t.armed)) {
    vfsOf(ctx.kernel).warnOnce(
      `lone-wait:${what}`,
      `${ctx.name} blocks on ${what} that no other task can ${action} (this is the only task); ` +
        'only a signal can end the wait, as on Linux',
    );
  }
  const release = keepHostAlive();
  try {
    return (await waitInterruptible(ctx.task, queue.wait())) !== INTERRUPTED;
  } finally {
    release();
  }
}
