/**
 * The futex wait queues (Linux's futex hash buckets of futex_q): per kernel, one FIFO of waiters
 * per futex key, and how a waiter sleeps until it is woken, its timeout passes or a signal comes.
 *
 * Every operation on the queues and on the futex words runs in one synchronous stretch of
 * JavaScript, which is what Linux's hash-bucket lock gives: a waiter's read-compare-enqueue cannot
 * interleave with a waker's store-and-wake. A woken waiter is taken off its queue by the waker
 * (futex_wake_mark), so "was I woken?" is "am I still queued?" (futex_unqueue).
 */
import type { Kernel } from '../kernel.js';
import { type FutexKey, sameKey } from './futex-key.js';
import { type Interrupted, keepHostAlive, waitInterruptible } from './signal-wait.js';
import type { Task } from './task.js';

/** A PI futex's kernel state (futex_pi_state): who owns it while tasks wait for it. */
export interface PiState {
  owner: Task | null;
  readonly queue: FutexQueue;
}

/** The waiters of one futex in FIFO order (all SCHED_OTHER: Linux's plist is FIFO for equal priorities). */
export interface FutexQueue {
  readonly key: FutexKey;
  readonly waiters: FutexWaiter[];
  /** Present while PI waiters are queued (lock_pi attached to it). */
  pi: PiState | undefined;
}

/** One futex_q: a task waiting on one futex (a futex_waitv call queues several). */
export class FutexWaiter {
  queued = false;
  /** A PI waiter was given the lock by the unlocker or by the owner's death. */
  acquired = false;
  readonly woken: Promise<void>;
  private resolve!: () => void;

  constructor(
    readonly task: Task,
    public key: FutexKey,
    /** The futex word's address in task's memory (PI hand-over writes the new owner there). */
    public uaddr: number,
    readonly bitset: number,
    /** A FUTEX_LOCK_PI waiter (futex_q with pi_state). */
    readonly pi: boolean,
  ) {
    this.woken = new Promise((r) => {
      this.resolve = r;
    });
  }

  wakeUp(): void {
    this.resolve();
  }
}

interface FutexState {
  readonly queues: WeakMap<object, Map<number, FutexQueue>>;
  /** The PI states each task owns (task->pi_state_list), for the exit hand-over. */
  readonly piOwned: WeakMap<Task, Set<PiState>>;
  /** Tasks whose futex exit cleanup is done (FUTEX_STATE_DEAD). */
  readonly dead: WeakSet<Task>;
}

const states = new WeakMap<Kernel, FutexState>();

export function futexStateOf(kernel: Kernel): FutexState {
  let s = states.get(kernel);
  if (s === undefined) {
    s = { queues: new WeakMap(), piOwned: new WeakMap(), dead: new WeakSet() };
    states.set(kernel, s);
  }
  return s;
}

/** The queue of key, created when asked to. */
export function queueOf(kernel: Kernel, key: FutexKey, create: true): FutexQueue;
export function queueOf(kernel: Kernel, key: FutexKey, create?: false): FutexQueue | undefined;
export function queueOf(kernel: Kernel, key: FutexKey, create = false): FutexQueue | undefined {
  const st = futexStateOf(kernel);
  let m = st.queues.get(key.object);
  if (m === undefined) {
    if (!create) return undefined;
    m = new Map();
    st.queues.set(key.object, m);
  }
  let q = m.get(key.index);
  if (q === undefined && create) {
    q = { key, waiters: [], pi: undefined };
    m.set(key.index, q);
  }
  return q;
}

function dropIfEmpty(kernel: Kernel, q: FutexQueue): void {
  if (q.waiters.length !== 0 || q.pi !== undefined) return;
  const m = futexStateOf(kernel).queues.get(q.key.object);
  if (m?.get(q.key.index) === q) m.delete(q.key.index);
}

/** The first waiter on key (futex_top_waiter). */
export function topWaiter(kernel: Kernel, key: FutexKey): FutexWaiter | undefined {
  return queueOf(kernel, key)?.waiters[0];
}

/** futex_queue: appends w to its key's queue. */
export function enqueue(kernel: Kernel, w: FutexWaiter): void {
  queueOf(kernel, w.key, true).waiters.push(w);
  w.queued = true;
}

/**
 * futex_unqueue: takes w off its queue if it is still there; false when a waker already did (the
 * waiter was woken). A PI state whose last waiter leaves is forgotten (put_pi_state).
 */
export function unqueue(kernel: Kernel, w: FutexWaiter): boolean {
  if (!w.queued) return false;
  const q = queueOf(kernel, w.key);
  if (q !== undefined) {
    const i = q.waiters.indexOf(w);
    if (i >= 0) q.waiters.splice(i, 1);
    if (q.pi !== undefined && !q.waiters.some((x) => x.pi)) dropPiState(kernel, q);
    dropIfEmpty(kernel, q);
  }
  w.queued = false;
  return true;
}

/** futex_wake_mark: dequeues w and wakes its task. */
export function wakeWaiter(kernel: Kernel, w: FutexWaiter): void {
  unqueue(kernel, w);
  w.wakeUp();
}

/**
 * requeue_futex: moves w to the end of key's queue. Requeueing onto its own futex leaves it where
 * it is (Linux keeps a waiter in place when both keys hash to one bucket), so
 * FUTEX_REQUEUE(f, 0, n, f) counts the waiters of f without reordering them.
 */
export function requeueWaiter(kernel: Kernel, w: FutexWaiter, key: FutexKey, uaddr: number): void {
  if (sameKey(w.key, key)) return;
  unqueue(kernel, w);
  w.key = key;
  w.uaddr = uaddr;
  enqueue(kernel, w);
}

/** Attaches a new PI state owned by owner to the queue of key (attach_to_pi_owner). */
export function newPiState(kernel: Kernel, key: FutexKey, owner: Task): PiState {
  const q = queueOf(kernel, key, true);
  const ps: PiState = { owner: null, queue: q };
  q.pi = ps;
  setPiOwner(kernel, ps, owner);
  return ps;
}

/** pi_state_update_owner: moves ps from its old owner's list to the new one's. */
export function setPiOwner(kernel: Kernel, ps: PiState, owner: Task | null): void {
  const st = futexStateOf(kernel);
  if (ps.owner !== null) st.piOwned.get(ps.owner)?.delete(ps);
  ps.owner = owner;
  if (owner === null) return;
  let set = st.piOwned.get(owner);
  if (set === undefined) {
    set = new Set();
    st.piOwned.set(owner, set);
  }
  set.add(ps);
}

function dropPiState(kernel: Kernel, q: FutexQueue): void {
  const ps = q.pi;
  if (ps === undefined) return;
  setPiOwner(kernel, ps, null);
  q.pi = undefined;
}

/** The PI states task owns (a copy: the caller may change ownership while walking it). */
export function piStatesOwnedBy(kernel: Kernel, task: Task): PiState[] {
  const set = futexStateOf(kernel).piOwned.get(task);
  return set === undefined ? [] : [...set];
}

// ---- sleeping ----

/** An absolute timeout on CLOCK_MONOTONIC or CLOCK_REALTIME (futex timers are always absolute). */
export interface FutexDeadline {
  readonly realtime: boolean;
  readonly ns: number;
}

/** Longest delay one host timer takes (setTimeout's 32-bit millisecond limit). */
const MAX_HOST_DELAY_MS = 0x7fffffff;

export function clockNs(kernel: Kernel, realtime: boolean): number {
  if (!realtime) return kernel.host.monotonicNs();
  const t = kernel.host.realtime();
  return t.sec * 1e9 + t.nsec;
}

/** Whether the hrtimer of the deadline has fired (`to && !to->task`). */
export function expired(kernel: Kernel, deadline: FutexDeadline | undefined): boolean {
  return deadline !== undefined && deadline.ns - clockNs(kernel, deadline.realtime) <= 0;
}

export type SleepResult = 'woken' | 'timeout' | Interrupted;

/**
 * Sleeps interruptibly until one of the (already queued) waiters is woken, the deadline passes or a
 * signal is pending. The caller then asks unqueue() what happened, as Linux does after schedule().
 * Without a deadline the host is kept alive meanwhile: a task blocked on a futex keeps the machine
 * running, as on Linux, even when only another process or a signal can wake it.
 */
export function futexSleep(
  kernel: Kernel,
  task: Task,
  waiters: readonly FutexWaiter[],
  deadline: FutexDeadline | undefined,
): Promise<SleepResult> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let release: (() => void) | undefined;
  const woken = waiters.length === 1 ? waiters[0]!.woken : Promise.race(waiters.map((w) => w.woken));
  const event = new Promise<'woken' | 'timeout'>((resolve) => {
    woken.then(() => resolve('woken'));
    if (deadline === undefined) {
      release = keepHostAlive();
      return;
    }
    const arm = (): void => {
      timer = undefined;
      const ns = deadline.ns - clockNs(kernel, deadline.realtime);
      if (ns <= 0) {
        resolve('timeout');
        return;
      }
      timer = setTimeout(arm, Math.min(MAX_HOST_DELAY_MS, Math.ceil(ns / 1e6)));
    };
    arm();
  });
  return waitInterruptible(task, event).then((r) => {
    if (timer !== undefined) clearTimeout(timer);
    release?.();
    return r;
  });
}

/**
 * futex_cleanup_end(FUTEX_STATE_DEAD): the exited task's robust lists and PI states are done with;
 * a PI locker that finds its TID in a futex word from now on gets -ESRCH. (Linux's EXITING state,
 * where a locker waits for the cleanup to finish, cannot be observed here: the cleanup runs in one
 * synchronous stretch.)
 */
export function markFutexDead(kernel: Kernel, task: Task): void {
  futexStateOf(kernel).dead.add(task);
}

/** FUTEX_STATE_DEAD: the task has exited and its futex cleanup ran. */
export function futexDead(kernel: Kernel, task: Task): boolean {
  return futexStateOf(kernel).dead.has(task);
}
