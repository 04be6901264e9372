/**
 * The scheduler: one JS thread runs every guest task (architecture.md, invariant 4). Each task has
 * its own async run loop; the CPU is a token that one loop holds while it executes guest code. A
 * loop gives the token up when its task blocks (it is parked on a promise: pipe, futex, wait4…) and
 * at the end of a time slice when another task is waiting for it, which makes scheduling preemptive
 * at slice granularity; tasks take turns in FIFO order (round robin).
 *
 * Kernel code that continues after an await runs without the token: every synchronous stretch of JS
 * is atomic, so the kernel behaves as if under one big lock, and only guest execution is serialised.
 *
 * Host events (timers that end sleeps, host I/O) run only when the JS event loop gets a turn, and a
 * hand-over between tasks goes through microtasks; so at least every HOST_TURN_MS of guest execution
 * the holder lets the event loop run (a macrotask), even when it is the only runnable task.
 */
export const HOST_TURN_MS = 10;
/** A time slice: how long a task runs (guest code and syscalls that do not block) while others wait. */
export const SLICE_MS = 5;

export class Scheduler {
  private holder: object | undefined;
  private readonly queue: { who: object; go: () => void }[] = [];
  private lastHostTurn: number;
  private sliceStart = 0;

  constructor(
    private readonly now: () => number,
    /** Resolves after the host's event loop has had a turn (setImmediate on Node). */
    private readonly hostTurn: () => Promise<void>,
  ) {
    this.lastHostTurn = now();
  }

  /** Takes the CPU for `who`: at once (undefined) when it is free, else a promise resolved on its turn. */
  acquire(who: object): Promise<void> | undefined {
    if (this.holder === undefined) {
      this.holder = who;
      this.sliceStart = this.now();
      return undefined;
    }
    return new Promise((go) => this.queue.push({ who, go }));
  }

  /** Gives the CPU up; the longest waiter (if any) gets it. */
  release(who: object): void {
    if (this.holder !== who) return;
    const next = this.queue.shift();
    this.holder = next?.who;
    this.sliceStart = this.now();
    next?.go();
  }

  /**
   * Whether the holder should give the CPU up now: its slice is used up and another task waits, or
   * the host's turn is due. Asked after every time quantum and every syscall that did not block, so
   * a task making syscalls in a loop is preempted like one computing.
   */
  shouldYield(): boolean {
    const now = this.now();
    return (this.queue.length > 0 && now - this.sliceStart >= SLICE_MS) || now - this.lastHostTurn >= HOST_TURN_MS;
  }

  /**
   * The end of a time slice: the CPU goes to the next runnable task and `who` queues behind it; the
   * host's event loop gets a turn first when it is due. Resolves when `who` runs again.
   */
  async yieldSlice(who: object): Promise<void> {
    if (this.now() - this.lastHostTurn >= HOST_TURN_MS) {
      this.release(who);
      await this.hostTurn();
      this.lastHostTurn = this.now();
      const w = this.acquire(who);
      if (w !== undefined) await w;
      return;
    }
    if (this.queue.length === 0) return;
    this.release(who);
    const w = this.acquire(who);
    if (w !== undefined) await w;
  }

  /** Tasks waiting for the CPU (for /proc/loadavg's running count). */
  get runnable(): number {
    return this.queue.length + (this.holder !== undefined ? 1 : 0);
  }
}
