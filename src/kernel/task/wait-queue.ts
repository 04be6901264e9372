/**
 * A wait queue (Linux's wait_queue_head_t): the one way kernel objects tell waiters that their
 * state may have changed. A blocking call parks on `wait()` (a one-shot promise, usually through
 * waitInterruptible); poll, select and epoll keep a standing `subscribe()` callback on every file
 * they watch. Wakers call `wakeAll()` after each change that could matter (data queued, space freed,
 * an end closed); waiters re-check their condition, so a spurious wake-up is harmless.
 */
export class WaitQueue {
  private readonly entries = new Set<() => void>();

  /** Resolves at the next wakeAll(). */
  wait(): Promise<void> {
    return new Promise((resolve) => {
      const once = (): void => {
        this.entries.delete(once);
        resolve();
      };
      this.entries.add(once);
    });
  }

  /** Calls fn at every wakeAll() until the returned function is called (add_wait_queue with a wake function). */
  subscribe(fn: () => void): () => void {
    const entry = (): void => fn();
    this.entries.add(entry);
    return () => {
      this.entries.delete(entry);
    };
  }

  wakeAll(): void {
    if (this.entries.size === 0) return;
    for (const f of [...this.entries]) f();
  }

  get waiters(): number {
    return this.entries.size;
  }
}
