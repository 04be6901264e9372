/**
 * epoll_create1, epoll_ctl, epoll_pwait, epoll_pwait2 (fs/eventpoll.c) and eventfd2 (fs/eventfd.c).
 * The compat epoll_create, epoll_wait and eventfd rows reach these through the compat table.
 *
 * struct epoll_event is 16 bytes in both ABIs on arm64 (EPOLL_PACKED is x86-64 only), so compat
 * calls share every handler; epoll_pwait2's timeout is a 64-bit __kernel_timespec in both.
 * epoll_wait returns -EINTR when a signal interrupts it (never restarted), and epoll_pwait leaves
 * its temporary mask to the handler's frame in that case.
 */
import { O_CLOEXEC, O_PATH } from '../abi/fcntl.js';
import {
  EPOLL_CTL_ADD,
  EPOLL_CTL_DEL,
  EPOLL_CTL_MOD,
  EPOLLEXCLUSIVE_OK_BITS,
  EpollFile,
  makeEpoll,
} from '../fs/epoll.js';
import { makeEventFd } from '../fs/eventfd.js';
import type { OpenFile } from '../fs/open-file.js';
import { EPOLLEXCLUSIVE, EPOLLWAKEUP, fileCanPoll, POLLERR, POLLHUP } from '../fs/poll-mask.js';
import { deadlineAfter } from '../fs/poll-wait.js';
import { restoreSigmaskUnless } from '../task/signal-deliver.js';
import { andThen, readTimespec, setUserSigmaskFrom } from './poll-args.js';
import type { SyscallContext, SyscallSpec } from './syscall-types.js';
import { copyIn, copyOut } from './uaccess.js';

const EINTR = -4;
const EBADF = -9;
const EFAULT = -14;
const EEXIST = -17;
const ENOENT = -2;
const EINVAL = -22;
const EPERM = -1;

/** EP_MAX_EVENTS: INT_MAX / sizeof(struct epoll_event). */
const EP_MAX_EVENTS = Math.floor(0x7fffffff / 16);
/** TASK_SIZE_MAX for access_ok: user addresses end at 2^48. */
const USER_TOP = 2 ** 48;

/** fdget: the description behind fd (O_PATH descriptions are -EBADF here). */
function fdget(ctx: SyscallContext, fd: number): OpenFile | undefined {
  const f = ctx.task.files.get(fd);
  return f === undefined || f.flags & O_PATH ? undefined : f;
}

/** Installs a new description at the lowest free fd. */
function install(ctx: SyscallContext, f: OpenFile, cloexec: boolean): number {
  const fd = ctx.task.files.install(f, cloexec);
  if (fd < 0) f.release?.();
  return fd;
}

function sysEpollCreate1(ctx: SyscallContext, a: readonly number[]): number {
  const flags = a[0]!;
  const ep = makeEpoll(ctx.kernel, flags);
  if (typeof ep === 'number') return ep;
  return install(ctx, ep, (flags & O_CLOEXEC) !== 0);
}

/** epoll_ctl(epfd, op, fd, event): the event is read for every op but EPOLL_CTL_DEL, before the fds are looked at. */
function sysEpollCtl(ctx: SyscallContext, a: readonly number[]): number {
  const [epfd, op, fd, evp] = a as [number, number, number, number];
  let events = 0;
  let data = 0n;
  const hasEvent = op !== EPOLL_CTL_DEL;
  if (hasEvent) {
    const L = ctx.abi.epoll_event;
    const b = copyIn(ctx.mem, evp, L.size);
    if (b === null) return EFAULT;
    const v = new DataView(b.buffer);
    events = v.getUint32(L.fields.events.offset, true);
    data = v.getBigUint64(L.fields.data.offset, true);
  }
  const f = fdget(ctx, epfd);
  if (f === undefined) return EBADF;
  const tf = fdget(ctx, fd);
  if (tf === undefined) return EBADF;
  if (!fileCanPoll(tf)) return EPERM;
  // EPOLLWAKEUP needs CAP_BLOCK_SUSPEND; without it the flag is silently dropped.
  if (hasEvent && ctx.task.creds.euid !== 0) events = (events & ~EPOLLWAKEUP) >>> 0;
  if (f === tf || !(f instanceof EpollFile)) return EINVAL;
  if (hasEvent && events & EPOLLEXCLUSIVE) {
    if (op === EPOLL_CTL_MOD) return EINVAL;
    if (op === EPOLL_CTL_ADD && (tf instanceof EpollFile || (events & ~EPOLLEXCLUSIVE_OK_BITS) >>> 0)) return EINVAL;
  }
  const item = f.find(tf, fd);
  switch (op) {
    case EPOLL_CTL_ADD:
      if (item !== undefined) return EEXIST;
      return f.insert(tf, fd, (events | POLLERR | POLLHUP) >>> 0, data);
    case EPOLL_CTL_DEL:
      if (item === undefined) return ENOENT;
      f.remove(item);
      return 0;
    case EPOLL_CTL_MOD:
      if (item === undefined) return ENOENT;
      if (item.events & EPOLLEXCLUSIVE) return EINVAL;
      f.modify(item, (events | POLLERR | POLLHUP) >>> 0, data);
      return 0;
    default:
      return EINVAL;
  }
}

/** do_epoll_wait: checks the arguments, then waits (ep_poll) and copies events out as they are taken. */
function doEpollWait(
  ctx: SyscallContext,
  epfd: number,
  events: number,
  maxevents: number,
  deadlineNs: number | undefined,
): number | Promise<number> {
  if (maxevents <= 0 || maxevents > EP_MAX_EVENTS) return EINVAL;
  const L = ctx.abi.epoll_event;
  if (events + maxevents * L.size > USER_TOP) return EFAULT;
  const f = fdget(ctx, epfd);
  if (f === undefined) return EBADF;
  if (!(f instanceof EpollFile)) return EINVAL;
  const evAt = L.fields.events.offset;
  const dataAt = L.fields.data.offset;
  const rec = new Uint8Array(8);
  const rv = new DataView(rec.buffer);
  const put = (i: number, revents: number, data: bigint): boolean => {
    const at = events + i * L.size;
    rv.setUint32(0, revents, true);
    if (!copyOut(ctx.mem, at + evAt, rec, 0, 4)) return false;
    rv.setBigUint64(0, data, true);
    return copyOut(ctx.mem, at + dataAt, rec, 0, 8);
  };
  return f.wait(ctx.task, maxevents, deadlineNs, put);
}

/** do_epoll_pwait: the temporary mask stays for the handler when the wait was interrupted. */
function doEpollPwait(
  ctx: SyscallContext,
  a: readonly number[],
  deadlineNs: number | undefined,
): number | Promise<number> {
  const [epfd, events, maxevents, , sigmask, sigsetsize] = a as [number, number, number, number, number, number];
  const err = setUserSigmaskFrom(ctx, sigmask, sigsetsize);
  if (err !== 0) return err;
  return andThen(doEpollWait(ctx, epfd, events, maxevents, deadlineNs), (r) => {
    restoreSigmaskUnless(ctx.task, r === EINTR);
    return r;
  });
}

/** epoll_pwait(epfd, events, maxevents, timeout_ms, sigmask, sigsetsize): a negative timeout waits without end. */
function sysEpollPwait(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  const ms = a[3]!;
  const deadline = ms < 0 ? undefined : ms === 0 ? 0 : ctx.kernel.host.monotonicNs() + ms * 1e6;
  return doEpollPwait(ctx, a, deadline);
}

/** epoll_pwait2: the timeout is a __kernel_timespec pointer (null waits without end). */
function sysEpollPwait2(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  const tsp = a[3]!;
  let deadline: number | undefined;
  if (tsp !== 0) {
    const ts = readTimespec(ctx, tsp, 'kernel');
    if (ts === null) return EFAULT;
    deadline = deadlineAfter(ctx.kernel.host, ts.sec, ts.nsec);
    if (deadline === undefined) return EINVAL;
  }
  return doEpollPwait(ctx, a, deadline);
}

/** eventfd2(initval, flags): EFD_SEMAPHORE, EFD_NONBLOCK, EFD_CLOEXEC. */
function sysEventfd2(ctx: SyscallContext, a: readonly number[]): number {
  const [initval, flags] = a as [number, number];
  const f = makeEventFd(ctx.kernel, initval, flags);
  if (typeof f === 'number') return f;
  return install(ctx, f, (flags & O_CLOEXEC) !== 0);
}

export const EPOLL_SYSCALLS: readonly SyscallSpec[] = [
  { name: 'eventfd2', args: ['uint', 'hex'], handler: sysEventfd2 },
  { name: 'epoll_create1', args: ['hex'], handler: sysEpollCreate1 },
  { name: 'epoll_ctl', args: ['fd', 'int', 'fd', 'ptr'], handler: sysEpollCtl },
  { name: 'epoll_pwait', args: ['fd', 'ptr', 'int', 'int', 'ptr', 'size'], handler: sysEpollPwait },
  { name: 'epoll_pwait2', args: ['fd', 'ptr', 'int', 'ptr', 'ptr', 'size'], handler: sysEpollPwait2 },
];
