/**
 * The arguments poll, select and epoll share (fs/select.c, fs/eventpoll.c): timeouts in the calling
 * ABI's layouts, the temporary signal mask of ppoll/pselect6/epoll_pwait (set_user_sigmask), and
 * poll_select_finish, which writes the time left back to the caller.
 */
import { readField } from '../abi/marshal.js';
import { ERESTARTNOHAND } from '../fs/poll-scan.js';
import { deadlineAfter } from '../fs/poll-wait.js';
import { restoreSigmaskUnless, setUserSigmask } from '../task/signal-deliver.js';
import type { SyscallContext } from './syscall-types.js';
import { copyIn, copyOut } from './uaccess.js';

const EINTR = -4;
const EFAULT = -14;
const EINVAL = -22;
const NS = 1e9;
/** personality flag: select/poll do not write the time left back. */
const STICKY_TIMEOUTS = 0x4000000;
/** sizeof(sigset_t) and sizeof(compat_sigset_t): 64 signals. */
const SIGSET_SIZE = 8;

/** How the caller's timeout is laid out, for the write-back (enum poll_time_type). */
export type TimeKind = 'timespec' | 'timeval';

function num(v: number | bigint): number {
  return typeof v === 'bigint' ? Number(v) : v;
}

/** get_timespec64 / get_old_timespec32 (timespec-read.ts; 'kernel' = epoll_pwait2's __kernel_timespec). */
export { readTimespec } from './timespec-read.js';

function writeTimespec(ctx: SyscallContext, addr: number, ns: number): boolean {
  const L = ctx.abi.timespec;
  const b = new Uint8Array(L.size);
  const v = new DataView(b.buffer);
  const sec = Math.floor(ns / NS);
  putLong(v, L.fields.tv_sec.offset, L.fields.tv_sec.size, sec);
  putLong(v, L.fields.tv_nsec.offset, L.fields.tv_nsec.size, ns - sec * NS);
  return copyOut(ctx.mem, addr, b);
}

/** Stores a non-negative integer in a 4- or 8-byte little-endian slot. */
function putLong(v: DataView, at: number, size: number, x: number): void {
  v.setUint32(at, x >>> 0, true);
  if (size === 8) v.setUint32(at + 4, Math.floor(x / 4294967296) >>> 0, true);
}

/** The old timeval of select (__kernel_old_timeval natively, old_timeval32 in compat calls). */
export function readTimeval(ctx: SyscallContext, addr: number): { sec: number; usec: number } | null {
  const L = ctx.abi.timeval;
  const b = copyIn(ctx.mem, addr, L.size);
  if (b === null) return null;
  const v = new DataView(b.buffer);
  return { sec: num(readField(L, v, 0, 'tv_sec')), usec: num(readField(L, v, 0, 'tv_usec')) };
}

function writeTimeval(ctx: SyscallContext, addr: number, ns: number): boolean {
  const L = ctx.abi.timeval;
  const b = new Uint8Array(L.size);
  const v = new DataView(b.buffer);
  const sec = Math.floor(ns / NS);
  putLong(v, L.fields.tv_sec.offset, L.fields.tv_sec.size, sec);
  putLong(v, L.fields.tv_usec.offset, L.fields.tv_usec.size, Math.floor((ns - sec * NS) / 1000));
  return copyOut(ctx.mem, addr, b);
}

/** The deadline of a select timeval: tv_usec beyond a second carries into tv_sec (kern_select). */
export function timevalDeadline(ctx: SyscallContext, tv: { sec: number; usec: number }): number | undefined {
  const sec = tv.sec + Math.trunc(tv.usec / 1_000_000);
  const nsec = (tv.usec % 1_000_000) * 1000;
  return deadlineAfter(ctx.kernel.host, sec, nsec);
}

/**
 * set_user_sigmask: a non-null mask of exactly sizeof(sigset_t) bytes becomes the blocked set for the
 * call, the old one saved for restoreSigmaskUnless or the handler's frame. 0 or -EINVAL/-EFAULT.
 */
export function setUserSigmaskFrom(ctx: SyscallContext, addr: number, size: number): number {
  if (addr === 0) return 0;
  if (size !== SIGSET_SIZE) return EINVAL;
  const b = copyIn(ctx.mem, addr, SIGSET_SIZE);
  if (b === null) return EFAULT;
  const v = new DataView(b.buffer);
  setUserSigmask(ctx.task, v.getUint32(0, true), v.getUint32(4, true));
  return 0;
}

/**
 * poll_select_finish: restores the saved mask unless the call is being interrupted, then writes the
 * time left to the caller's timeout.
 */
export function pollSelectFinish(
  ctx: SyscallContext,
  deadlineNs: number | undefined,
  addr: number,
  kind: TimeKind,
  ret: number,
): number {
  restoreSigmaskUnless(ctx.task, ret === ERESTARTNOHAND);
  if (addr === 0 || deadlineNs === undefined) return ret;
  if (!(ctx.task.personality & STICKY_TIMEOUTS)) {
    if (deadlineNs === 0) return ret;
    const left = Math.max(0, deadlineNs - ctx.kernel.host.monotonicNs());
    if (kind === 'timespec' ? writeTimespec(ctx, addr, left) : writeTimeval(ctx, addr, left)) return ret;
  }
  return ret === ERESTARTNOHAND ? EINTR : ret;
}

/** Applies f to a result that may still be pending: a handler stays synchronous when nothing blocks. */
export function andThen(r: number | Promise<number>, f: (n: number) => number): number | Promise<number> {
  return typeof r === 'number' ? f(r) : r.then(f);
}
