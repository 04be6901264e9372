/**
 * epoll instances (fs/eventpoll.c), generic over OpenFile.poll() and OpenFile.waitQueue: any file
 * with a poll method can be watched (pipes, eventfd, sockets, timerfd, signalfd, terminals, other
 * epoll instances).
 *
 * An instance holds items keyed by (file, fd) as Linux's red-black tree does, so two fds of one
 * description are two items, and a ready list. Each item keeps a standing subscription on its
 * file's wait queue (ep_poll_callback): when the queue is woken and the file is ready for the
 * item's events, the item joins the ready list and the instance's own queue is woken (epoll_wait
 * callers, poll/select on the epoll fd, enclosing epoll instances). epoll_wait re-polls each ready
 * item (ep_send_events): level-triggered items go back to the tail of the list, edge-triggered ones
 * wait for the next wake-up, EPOLLONESHOT ones are disabled until EPOLL_CTL_MOD.
 *
 * Wake-ups carry no key here (Linux filters them with the poll bits of the wake-up), so an
 * edge-triggered item may report again after a wake-up that did not concern its events; the files
 * that matter most (pipes) keep one queue per direction so that does not happen for them.
 *
 * EPOLLEXCLUSIVE items of several instances on one file are woken one at a time: the walk over them
 * (in the order they were added) stops at the first whose instance had a waiter, so one epoll_wait
 * caller wakes instead of all of them; without a key, "the wake-up concerns the item" is "the file
 * is ready for its events".
 *
 * An item lives as long as its open file description: when the last fd referring to it is closed,
 * the item goes (eventpollRelease, or lazily the next time the instance looks at the item), even if
 * the item's own fd number was closed earlier while a dup kept the description open.
 */
import { O_CLOEXEC, O_RDWR } from '../abi/fcntl.js';
import type { Kernel } from '../kernel.js';
import { fatalSignalPending, signalPending } from '../task/signal-send.js';
import { INTERRUPTED } from '../task/signal-wait.js';
import type { Task } from '../task/task.js';
import { WaitQueue } from '../task/wait-queue.js';
import { anonInodeStat } from './anon-inode.js';
import type { FileStat } from './host-fs.js';
import { type OpenFile, OpenFileBase } from './open-file.js';
import {
  EPOLLET,
  EPOLLEXCLUSIVE,
  EPOLLONESHOT,
  EPOLLWAKEUP,
  POLLERR,
  POLLHUP,
  POLLIN,
  POLLOUT,
  POLLRDNORM,
  vfsPoll,
} from './poll-mask.js';
import { PollWaiter } from './poll-wait.js';

const EINTR = -4;
const EEXIST = -17;
const EINVAL = -22;
const ELOOP = -40;

export const EPOLL_CTL_ADD = 1;
export const EPOLL_CTL_DEL = 2;
export const EPOLL_CTL_MOD = 3;
export const EPOLL_CLOEXEC = O_CLOEXEC;

/** EP_PRIVATE_BITS: flags that are not events; an item with nothing else is disabled (a fired EPOLLONESHOT). */
const EP_PRIVATE_BITS = (EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE) >>> 0;
/** What may accompany EPOLLEXCLUSIVE. */
export const EPOLLEXCLUSIVE_OK_BITS =
  (POLLIN | POLLOUT | POLLERR | POLLHUP | EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE) >>> 0;
/** EP_MAX_NESTS: how deep epoll instances may be nested. */
const EP_MAX_NESTS = 4;

/** One watched (file, fd) pair (struct epitem). */
export interface EpItem {
  readonly ep: EpollFile;
  readonly file: OpenFile;
  readonly fd: number;
  /** The requested events and flags, unsigned 32-bit. */
  events: number;
  /** epoll_data, handed back untouched. */
  data: bigint;
  unsubscribe: (() => void) | undefined;
}

/** The items watching each description, for eventpollRelease and the upward nesting check (file->f_ep). */
const watchersOf = new WeakMap<OpenFile, Set<EpItem>>();

/** Where epoll_wait puts one event; false when the copy faults. */
export type PutEvent = (index: number, events: number, data: bigint) => boolean;

export class EpollFile extends OpenFileBase {
  /** ep->wq and ep->poll_wait in one: woken when an item becomes ready. */
  readonly waitQueue = new WaitQueue();
  private readonly items = new Map<OpenFile, Map<number, EpItem>>();
  /** rdllist, in order (a Set keeps insertion order; re-adding after delete moves to the tail). */
  private ready = new Set<EpItem>();

  constructor(
    private readonly kernel: Kernel,
    flags: number,
  ) {
    super(O_RDWR | (flags & O_CLOEXEC), 'anon_inode:[eventpoll]');
  }

  /** ep_find. */
  find(file: OpenFile, fd: number): EpItem | undefined {
    return this.items.get(file)?.get(fd);
  }

  /** Every item, in no particular order. */
  *allItems(): IterableIterator<EpItem> {
    for (const m of this.items.values()) yield* m.values();
  }

  /** ep_insert: the caller added EPOLLERR | EPOLLHUP to events and checked EEXIST-free. Returns 0 or -ELOOP. */
  insert(file: OpenFile, fd: number, events: number, data: bigint): number {
    if (this.find(file, fd) !== undefined) return EEXIST;
    if (file instanceof EpollFile && loopCheck(this, file)) return ELOOP;
    const item: EpItem = { ep: this, file, fd, events: events >>> 0, data, unsubscribe: undefined };
    let byFd = this.items.get(file);
    if (byFd === undefined) {
      byFd = new Map();
      this.items.set(file, byFd);
    }
    byFd.set(fd, item);
    let w = watchersOf.get(file);
    if (w === undefined) {
      w = new Set();
      watchersOf.set(file, w);
    }
    w.add(item);
    item.unsubscribe =
      item.events & EPOLLEXCLUSIVE ? joinExclusive(item) : file.waitQueue?.subscribe(() => this.callback(item));
    if (itemPoll(item, 1) !== 0) this.link(item);
    return 0;
  }

  /** ep_modify: new events and data; a ready item joins the ready list. */
  modify(item: EpItem, events: number, data: bigint): void {
    item.events = events >>> 0;
    item.data = data;
    if (itemPoll(item, 1) !== 0) this.link(item);
  }

  /** ep_remove. */
  remove(item: EpItem): void {
    item.unsubscribe?.();
    item.unsubscribe = undefined;
    const byFd = this.items.get(item.file);
    if (byFd?.get(item.fd) === item) {
      byFd.delete(item.fd);
      if (byFd.size === 0) this.items.delete(item.file);
    }
    watchersOf.get(item.file)?.delete(item);
    this.ready.delete(item);
  }

  /** Adds a ready item to the ready list (if not there yet) and wakes the instance's waiters. */
  private link(item: EpItem): void {
    this.ready.add(item);
    this.waitQueue.wakeAll();
  }

  /** ep_poll_callback: the watched file's queue was woken. */
  private callback(item: EpItem): void {
    if ((item.events & ~EP_PRIVATE_BITS) >>> 0 === 0) return;
    if (released(item.file)) {
      this.remove(item);
      return;
    }
    if (itemPoll(item, 1) !== 0) this.link(item);
  }

  /**
   * ep_poll_callback for an EPOLLEXCLUSIVE item: the same, and whether it woke a waiter of this
   * instance (ewake), which ends the wake-up walk over the file's exclusive entries.
   */
  exclusiveCallback(item: EpItem): boolean {
    if ((item.events & ~EP_PRIVATE_BITS) >>> 0 === 0) return false;
    if (released(item.file)) {
      this.remove(item);
      return false;
    }
    if (itemPoll(item, 1) === 0) return false;
    const active = this.waitQueue.waiters > 0;
    this.link(item);
    return active;
  }

  /** Whether the ready list holds anything (ep_events_available). */
  get eventsAvailable(): boolean {
    return this.ready.size > 0;
  }

  /**
   * ep_send_events: re-polls the ready items in order and hands at most max events to put. A fault
   * stops the scan (the item stays ready): the count so far, or -EFAULT when nothing was delivered.
   */
  sendEvents(task: Task, max: number, put: PutEvent): number {
    if (fatalSignalPending(task)) return EINTR;
    let res = 0;
    const batch = [...this.ready];
    for (const item of batch) {
      if (res >= max) break;
      this.ready.delete(item);
      if (released(item.file)) {
        this.remove(item);
        continue;
      }
      const revents = itemPoll(item, 1);
      if (revents === 0) continue;
      if (!put(res, revents, item.data)) {
        // Back to the head of the list for the next attempt.
        this.ready = new Set([item, ...this.ready]);
        return res > 0 ? res : -14; // EFAULT
      }
      res++;
      if (item.events & EPOLLONESHOT) item.events = (item.events & EP_PRIVATE_BITS) >>> 0;
      else if (!(item.events & EPOLLET)) this.ready.add(item);
    }
    return res;
  }

  /**
   * ep_poll: waits for events up to the monotonic deadline (undefined: no end; 0: do not wait).
   * The number of events put, 0 at the timeout, -EINTR when a signal is pending first; a promise
   * only when the task has to wait.
   */
  wait(task: Task, max: number, deadlineNs: number | undefined, put: PutEvent): number | Promise<number> {
    if (this.eventsAvailable) {
      const res = this.sendEvents(task, max, put);
      if (res !== 0) return res;
    }
    if (deadlineNs === 0) return 0;
    if (signalPending(task)) return EINTR;
    return this.waitBlocking(task, max, deadlineNs, put);
  }

  private async waitBlocking(task: Task, max: number, deadlineNs: number | undefined, put: PutEvent): Promise<number> {
    let timedOut = false;
    const waiter = new PollWaiter(task, this.kernel.host);
    waiter.watch(this.waitQueue);
    try {
      for (;;) {
        const r = await waiter.wait(deadlineNs);
        if (r === 'timeout') timedOut = true;
        else if (r === INTERRUPTED && !this.eventsAvailable) return EINTR;
        const res = this.sendEvents(task, max, put);
        if (res !== 0) return res;
        if (timedOut) return 0;
        if (signalPending(task)) return EINTR;
      }
    } finally {
      waiter.done();
    }
  }

  /**
   * ep_eventpoll_poll: readable when some ready item really has events (items found not ready are
   * dropped from the list on the way, as Linux does).
   */
  poll(): number {
    return this.pollAt(0);
  }

  /** __ep_eventpoll_poll at a nesting depth. */
  pollAt(depth: number): number {
    for (const item of [...this.ready]) {
      if (!released(item.file) && itemPoll(item, depth + 1) !== 0) return POLLIN | POLLRDNORM;
      this.ready.delete(item);
    }
    return 0;
  }

  stat(): FileStat {
    return anonInodeStat(this.kernel);
  }

  /**
   * ep_show_fdinfo: one line per item (in the instance's own order, where Linux walks its tree by
   * file address): the fd, the events (with the EPOLLERR | EPOLLHUP the kernel added, what is left
   * of a fired EPOLLONESHOT), the data, the watched file's position, inode (hex) and the kernel's
   * s_dev of its file system (hex, MKDEV's major << 20 | minor).
   */
  fdinfo(): string {
    let out = '';
    for (const item of this.allItems()) {
      const st = item.file.stat?.();
      const ino = st !== undefined && typeof st !== 'number' ? st.ino : 0;
      const dev = st !== undefined && typeof st !== 'number' ? st.dev : 0;
      const major = Math.floor(dev / 0x100) & 0xfff;
      const minor = (dev & 0xff) | (Math.floor(dev / 0x1000) & 0xfff00);
      const sdev = major * 0x100000 + minor;
      const data = BigInt.asUintN(64, item.data).toString(16).padStart(16, ' ');
      out +=
        `tfd: ${String(item.fd).padStart(8, ' ')} events: ${(item.events >>> 0).toString(16).padStart(8, ' ')} ` +
        `data: ${data}  pos:${item.file.pos} ino:${ino.toString(16)} sdev:${sdev.toString(16)}\n`;
    }
    return out;
  }

  /** ep_clear_and_put: the last fd is gone; every item goes. */
  release(): void {
    for (const item of [...this.allItems()]) this.remove(item);
    this.ready.clear();
  }
}

/**
 * The EPOLLEXCLUSIVE items watching one file, in the order they were added: add_wait_queue_exclusive
 * puts them at the tail of the file's queue, and __wake_up_common stops at the first whose callback
 * woke a waiter (nr_exclusive = 1). One subscription per file stands for them all.
 */
interface ExclusiveEntries {
  readonly items: EpItem[];
  unsubscribe: (() => void) | undefined;
}

const exclusiveOf = new WeakMap<OpenFile, ExclusiveEntries>();

/** Adds an EPOLLEXCLUSIVE item to its file's exclusive entries; returns how to take it out again. */
function joinExclusive(item: EpItem): () => void {
  const file = item.file;
  let x = exclusiveOf.get(file);
  if (x === undefined) {
    const entries: ExclusiveEntries = { items: [], unsubscribe: undefined };
    entries.unsubscribe = file.waitQueue?.subscribe(() => {
      for (const it of [...entries.items]) if (it.ep.exclusiveCallback(it)) break;
    });
    exclusiveOf.set(file, entries);
    x = entries;
  }
  x.items.push(item);
  const entries = x;
  return () => {
    const i = entries.items.indexOf(item);
    if (i >= 0) entries.items.splice(i, 1);
    if (entries.items.length === 0) {
      entries.unsubscribe?.();
      exclusiveOf.delete(file);
    }
  };
}

/** A description no fd table refers to any more (its items are stale). */
function released(f: OpenFile): boolean {
  return f.refs <= 0;
}

/** ep_item_poll: the item's file readiness masked by its events (nested instances poll at depth). */
function itemPoll(item: EpItem, depth: number): number {
  const f = item.file;
  const mask = f instanceof EpollFile ? (depth > EP_MAX_NESTS ? 0 : f.pollAt(depth)) : vfsPoll(f);
  return (mask & item.events) >>> 0;
}

/**
 * ep_loop_check: adding `to` into `ep` must not close a loop, and the deepest chain through the new
 * link (down from `to`, up from `ep`) must stay within EP_MAX_NESTS. True means -ELOOP.
 */
function loopCheck(ep: EpollFile, to: EpollFile): boolean {
  const downMemo = new Map<EpollFile, number>();
  const down = (e: EpollFile, depth: number): number => {
    const known = downMemo.get(e);
    if (known !== undefined) return known;
    downMemo.set(e, 0);
    let result = 0;
    for (const item of e.allItems()) {
      if (!(item.file instanceof EpollFile)) continue;
      const next = item.file;
      result = next === ep || depth > EP_MAX_NESTS ? EP_MAX_NESTS + 1 : Math.max(result, down(next, depth + 1) + 1);
      if (result > EP_MAX_NESTS) break;
    }
    downMemo.set(e, result);
    return result;
  };
  const depth = down(to, 0);
  if (depth > EP_MAX_NESTS) return true;
  const upMemo = new Map<EpollFile, number>();
  const up = (e: EpollFile): number => {
    const known = upMemo.get(e);
    if (known !== undefined) return known;
    upMemo.set(e, 0);
    let result = 0;
    for (const item of watchersOf.get(e) ?? []) result = Math.max(result, up(item.ep) + 1);
    upMemo.set(e, result);
    return result;
  };
  return depth + 1 + up(ep) > EP_MAX_NESTS;
}

/**
 * eventpoll_release: the last reference to a description is gone, so every epoll item watching it
 * goes. The fd table calls this before the description's own release (see the integration notes);
 * without it, items are dropped lazily when their instance next looks at them.
 */
export function eventpollRelease(f: OpenFile): void {
  const w = watchersOf.get(f);
  if (w === undefined) return;
  for (const item of [...w]) item.ep.remove(item);
  watchersOf.delete(f);
}

/** epoll_create1: flags other than EPOLL_CLOEXEC are -EINVAL. The caller installs it. */
export function makeEpoll(kernel: Kernel, flags: number): EpollFile | number {
  if (flags & ~EPOLL_CLOEXEC) return EINVAL;
  return new EpollFile(kernel, flags);
}
