/**
 * The compat *_time32 calls compat64 implements: gettimeofday (78, old_timeval32), clock_gettime
 * (263), clock_getres (264), nanosleep (162) and clock_nanosleep (265), all with the 8-byte
 * old_timespec32 (`ctx.abi.timespec` in a compat call). Their time64 twins (403, 406, 407) share
 * the arm64 handlers (compat-table.ts).
 */

import { AT_FDCWD } from '../abi/fcntl.js';
import { readField, writeStruct } from '../abi/marshal.js';
import { utimesAt } from './sys-fs-attr.js';
import { CLOCK_MONOTONIC, CLOCK_THREAD_CPUTIME_ID, clockNow, clockResNs } from './sys-time.js';
import type { SyscallArgs, SyscallContext } from './syscall-types.js';
import { copyIn, copyOut } from './uaccess.js';

const EFAULT = -14;
const EINVAL = -22;
const NS = 1e9;
const TIMER_ABSTIME = 1;

/** An old_timespec32 (or __kernel_timespec in a time64 view) at addr. */
function writeTimespec(ctx: SyscallContext, addr: number, sec: number, nsec: number): boolean {
  const layout = ctx.abi.timespec;
  const b = new Uint8Array(layout.size);
  writeStruct(layout, new DataView(b.buffer), 0, { tv_sec: sec, tv_nsec: nsec });
  return copyOut(ctx.mem, addr, b);
}

function readTimespec(ctx: SyscallContext, addr: number): { sec: number; nsec: number } | null {
  const layout = ctx.abi.timespec;
  const b = copyIn(ctx.mem, addr, layout.size);
  if (b === null) return null;
  const v = new DataView(b.buffer);
  return { sec: Number(readField(layout, v, 0, 'tv_sec')), nsec: Number(readField(layout, v, 0, 'tv_nsec')) };
}

/** gettimeofday (78): old_timeval32 and struct timezone (UTC, no DST). */
export function compatGettimeofday(ctx: SyscallContext, a: SyscallArgs): number {
  const [tv, tz] = a as [number, number];
  if (tv !== 0) {
    const t = ctx.kernel.host.realtime();
    const layout = ctx.abi.timeval;
    const b = new Uint8Array(layout.size);
    writeStruct(layout, new DataView(b.buffer), 0, { tv_sec: t.sec, tv_usec: Math.floor(t.nsec / 1000) });
    if (!copyOut(ctx.mem, tv, b)) return EFAULT;
  }
  if (tz !== 0 && !copyOut(ctx.mem, tz, new Uint8Array(ctx.abi.timezone.size))) return EFAULT;
  return 0;
}

/** clock_gettime (263): the clock's time as old_timespec32 (seconds truncated to 32 bits, as Linux does). */
export function compatClockGettime32(ctx: SyscallContext, a: SyscallArgs): number {
  const t = clockNow(ctx, a[0]!);
  if (t === undefined) return EINVAL;
  return writeTimespec(ctx, a[1]!, t.sec, t.nsec) ? 0 : EFAULT;
}

/** clock_getres (264) */
export function compatClockGetres32(ctx: SyscallContext, a: SyscallArgs): number {
  const res = clockResNs(ctx, a[0]!);
  if (res === undefined) return EINVAL;
  if (a[1] === 0) return 0;
  return writeTimespec(ctx, a[1]!, 0, res) ? 0 : EFAULT;
}

/** Sleeps for ns nanoseconds of host time. */
function sleepNs(ns: number): Promise<number> {
  return new Promise((resolve) => setTimeout(() => resolve(0), Math.max(0, ns / 1e6)));
}

function sleepFor(ctx: SyscallContext, clock: number, reqp: number, abs: boolean): number | Promise<number> {
  const req = readTimespec(ctx, reqp);
  if (req === null) return EFAULT;
  if (req.sec < 0 || req.nsec < 0 || req.nsec >= NS) return EINVAL;
  let ns = req.sec * NS + req.nsec;
  if (abs) {
    const now = clockNow(ctx, clock)!;
    ns -= now.sec * NS + now.nsec;
  }
  return ns > 0 ? sleepNs(ns) : 0;
}

/** nanosleep (162): old_timespec32 request. Like arm64's nanosleep, not interruptible by signals yet. */
export function compatNanosleep32(ctx: SyscallContext, a: SyscallArgs): number | Promise<number> {
  return sleepFor(ctx, CLOCK_MONOTONIC, a[0]!, false);
}

/** clock_nanosleep (265) */
export function compatClockNanosleep32(ctx: SyscallContext, a: SyscallArgs): number | Promise<number> {
  const [clock, flags, reqp] = a as [number, number, number];
  if (clock === CLOCK_THREAD_CPUTIME_ID || clockNow(ctx, clock) === undefined) return EINVAL;
  return sleepFor(ctx, clock, reqp, (flags & TIMER_ABSTIME) !== 0);
}

/**
 * utimes (269) and futimesat (326): do_compat_futimesat. Two old_timeval32 (s32 seconds, s32
 * microseconds); a microsecond count outside [0, 1e6) is EINVAL; NULL sets both to now.
 */
export function compatFutimesat(ctx: SyscallContext, a: SyscallArgs): number {
  const [dirfd, pathAddr, tvAddr] = a as [number, number, number];
  let times: [{ sec: number; nsec: number }, { sec: number; nsec: number }];
  if (tvAddr === 0) {
    const now = ctx.kernel.host.realtime();
    times = [now, now];
  } else {
    const b = copyIn(ctx.mem, tvAddr, 16);
    if (b === null) return EFAULT;
    const v = new DataView(b.buffer, b.byteOffset, 16);
    const usec = [v.getInt32(4, true), v.getInt32(12, true)];
    if (usec.some((u) => u < 0 || u >= 1_000_000)) return EINVAL;
    times = [
      { sec: v.getInt32(0, true), nsec: usec[0]! * 1000 },
      { sec: v.getInt32(8, true), nsec: usec[1]! * 1000 },
    ];
  }
  return utimesAt(ctx, dirfd, pathAddr, times, 0);
}

/** utimes (269): futimesat at the current directory. */
export function compatUtimes(ctx: SyscallContext, a: SyscallArgs): number {
  return compatFutimesat(ctx, [AT_FDCWD, a[0]!, a[1]!]);
}
