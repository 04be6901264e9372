/**
 * The scan-and-sleep loops of poll and select (fs/select.c do_poll and do_select), on kernel-side
 * copies of the caller's arrays: the syscall layer (syscalls/sys-poll.ts) reads them from the guest,
 * handles timeouts, signal masks and write-back.
 *
 * Each round asks every file for its readiness (vfs_poll). The first round subscribes to every
 * watched file's wait queue; later rounds run only after one of them was woken, the deadline passed
 * or a signal arrived. A call with nothing ready returns -ERESTARTNOHAND when a signal is pending.
 */
import { KERNEL_ERRNO } from '../abi/errno.js';
import { O_PATH } from '../abi/fcntl.js';
import type { Kernel } from '../kernel.js';
import { signalPending } from '../task/signal-send.js';
import { INTERRUPTED } from '../task/signal-wait.js';
import type { Task } from '../task/task.js';
import type { OpenFile } from './open-file.js';
import { POLLERR, POLLEX_SET, POLLHUP, POLLIN_SET, POLLNVAL, POLLOUT_SET, vfsPoll } from './poll-mask.js';
import { PollWaiter } from './poll-wait.js';

const EBADF = -9;
export const ERESTARTNOHAND = -KERNEL_ERRNO.ERESTARTNOHAND;

/** fdget: the description behind fd for polling (O_PATH descriptions do not count). */
function pollFile(task: Task, fd: number): OpenFile | undefined {
  const f = task.files.get(fd);
  return f === undefined || f.flags & O_PATH ? undefined : f;
}

/** One pass of do_poll over the entries; watches each file's queue when a waiter is given. */
function pollPass(
  task: Task,
  fds: Int32Array,
  events: Uint16Array,
  revents: Uint16Array,
  waiter: PollWaiter | undefined,
): number {
  let count = 0;
  for (let i = 0; i < fds.length; i++) {
    const fd = fds[i]!;
    let mask = 0;
    if (fd >= 0) {
      const f = pollFile(task, fd);
      if (f === undefined) mask = POLLNVAL;
      else {
        if (waiter !== undefined && f.waitQueue !== undefined) waiter.watch(f.waitQueue);
        mask = vfsPoll(f) & (events[i]! | POLLERR | POLLHUP);
      }
    }
    revents[i] = mask;
    if (mask !== 0) count++;
  }
  return count;
}

/**
 * do_poll over pollfd entries: fds and events in, revents out (one per entry). The number of
 * entries with revents, or -ERESTARTNOHAND; a promise only when the task has to wait.
 * deadlineNs: undefined waits without end, 0 does not wait.
 */
export function doPoll(
  kernel: Kernel,
  task: Task,
  fds: Int32Array,
  events: Uint16Array,
  revents: Uint16Array,
  deadlineNs: number | undefined,
): number | Promise<number> {
  const count = pollPass(task, fds, events, revents, undefined);
  if (count !== 0 || deadlineNs === 0) return count;
  if (signalPending(task)) return ERESTARTNOHAND;
  return pollBlocking(kernel, task, fds, events, revents, deadlineNs);
}

async function pollBlocking(
  kernel: Kernel,
  task: Task,
  fds: Int32Array,
  events: Uint16Array,
  revents: Uint16Array,
  deadlineNs: number | undefined,
): Promise<number> {
  const waiter = new PollWaiter(task, kernel.host);
  let timedOut = false;
  let interrupted = false;
  let first = true;
  try {
    for (;;) {
      let count = pollPass(task, fds, events, revents, first ? waiter : undefined);
      first = false;
      if (count === 0 && (interrupted || signalPending(task))) count = ERESTARTNOHAND;
      if (count !== 0 || timedOut) return count;
      const r = await waiter.wait(deadlineNs);
      if (r === 'timeout') timedOut = true;
      else if (r === INTERRUPTED) interrupted = true;
    }
  } finally {
    waiter.done();
  }
}

/** select's three sets as bitmaps of n bits (bit i of byte i >> 3), plus the result sets. */
export interface SelectSets {
  readonly inp: Uint8Array;
  readonly outp: Uint8Array;
  readonly exp: Uint8Array;
  readonly resIn: Uint8Array;
  readonly resOut: Uint8Array;
  readonly resEx: Uint8Array;
}

function bit(set: Uint8Array, i: number): boolean {
  return ((set[i >> 3]! >> (i & 7)) & 1) !== 0;
}

/**
 * max_select_fd: one past the highest fd named in any set below n, or -EBADF if one of them is not
 * open (an O_PATH fd is open: it is never ready, but it is no error).
 */
function maxSelectFd(task: Task, n: number, s: SelectSets): number {
  let max = 0;
  for (let i = 0; i < n; i++) {
    if ((s.inp[i >> 3]! | s.outp[i >> 3]! | s.exp[i >> 3]!) === 0) {
      i |= 7;
      continue;
    }
    if (!(bit(s.inp, i) || bit(s.outp, i) || bit(s.exp, i))) continue;
    if (task.files.get(i) === undefined) return EBADF;
    max = i + 1;
  }
  return max;
}

/** One pass of do_select: fills the result sets, returns the number of bits set in them. */
function selectPass(task: Task, n: number, s: SelectSets, waiter: PollWaiter | undefined): number {
  let retval = 0;
  s.resIn.fill(0);
  s.resOut.fill(0);
  s.resEx.fill(0);
  for (let i = 0; i < n; i++) {
    const wantIn = bit(s.inp, i);
    const wantOut = bit(s.outp, i);
    const wantEx = bit(s.exp, i);
    if (!(wantIn || wantOut || wantEx)) continue;
    const f = pollFile(task, i);
    let mask = POLLNVAL;
    if (f !== undefined) {
      if (waiter !== undefined && f.waitQueue !== undefined) waiter.watch(f.waitQueue);
      mask = vfsPoll(f);
    }
    const b = 1 << (i & 7);
    if (mask & POLLIN_SET && wantIn) {
      s.resIn[i >> 3]! |= b;
      retval++;
    }
    if (mask & POLLOUT_SET && wantOut) {
      s.resOut[i >> 3]! |= b;
      retval++;
    }
    if (mask & POLLEX_SET && wantEx) {
      s.resEx[i >> 3]! |= b;
      retval++;
    }
  }
  return retval;
}

/**
 * do_select over n bits of the sets: fills the result sets; the number of bits set in them (an fd
 * can count three times), 0 when the deadline passed or a signal is pending, or -EBADF. A promise
 * only when the task has to wait.
 */
export function doSelect(
  kernel: Kernel,
  task: Task,
  nIn: number,
  s: SelectSets,
  deadlineNs: number | undefined,
): number | Promise<number> {
  const n = maxSelectFd(task, nIn, s);
  if (n < 0) return n;
  const retval = selectPass(task, n, s, undefined);
  if (retval !== 0 || deadlineNs === 0 || signalPending(task)) return retval;
  return selectBlocking(kernel, task, n, s, deadlineNs);
}

async function selectBlocking(
  kernel: Kernel,
  task: Task,
  n: number,
  s: SelectSets,
  deadlineNs: number | undefined,
): Promise<number> {
  const waiter = new PollWaiter(task, kernel.host);
  let timedOut = false;
  let interrupted = false;
  let first = true;
  try {
    for (;;) {
      const retval = selectPass(task, n, s, first ? waiter : undefined);
      first = false;
      if (retval !== 0 || timedOut || interrupted || signalPending(task)) return retval;
      const r = await waiter.wait(deadlineNs);
      if (r === 'timeout') timedOut = true;
      else if (r === INTERRUPTED) interrupted = true;
    }
  } finally {
    waiter.done();
  }
}
