/**
 * Reading a timespec or itimerspec from guest memory as Linux does (kernel/time/time.c):
 * get_timespec64 / get_old_timespec32 and get_itimerspec64 / get_old_itimerspec32.
 *
 * The layout comes from the calling ABI (ctx.abi.timespec: __kernel_timespec natively and for the
 * compat *_time64 calls, old_timespec32 for the compat *_time32 ones). One rule differs by ABI:
 * inside a compat call the 64-bit layout's tv_nsec keeps only its low 32 bits (get_timespec64
 * "zeroes out the padding in compat mode"), so a 32-bit program's garbage in the upper half is
 * ignored; a native call keeps all 64 bits, so the same garbage fails timespec64_valid (-EINVAL).
 */
import { ILP32_EABI, layoutOf, type StructLayout } from '../abi/layout.js';
import { old_timespec32 } from '../abi/structs-time.js';
import type { SyscallContext } from './syscall-types.js';
import { copyIn } from './uaccess.js';

const NS = 1e9;
const TWO32 = 4294967296;

/** struct timespec64 as the kernel holds it after the copy. */
export interface Timespec64 {
  sec: number;
  nsec: number;
}

/** Which layout to read: the calling ABI's timespec, or always __kernel_timespec ('kernel'). */
export type TimespecLayoutKind = 'abi' | 'kernel';

type TimespecFields = StructLayout<{ tv_sec: unknown; tv_nsec: unknown }>;

/** A signed 4- or 8-byte little-endian integer (8 bytes as a double: exact up to 2^53). */
function signedAt(v: DataView, at: number, size: number): number {
  return size === 8 ? v.getInt32(at + 4, true) * TWO32 + v.getUint32(at, true) : v.getInt32(at, true);
}

/**
 * The timespec laid out as L at byte `at` of v, with get_timespec64's compat rule: a 64-bit
 * tv_nsec counts only its low 32 bits (zero-extended) in a compat call. A 4-byte tv_nsec
 * (old_timespec32) is sign-extended, as get_old_timespec32 does.
 */
export function timespecAt(ctx: SyscallContext, L: TimespecFields, v: DataView, at: number): Timespec64 {
  const s = L.fields.tv_sec;
  const n = L.fields.tv_nsec;
  const sec = signedAt(v, at + s.offset, s.size);
  const nsec = n.size === 8 && ctx.compat ? v.getUint32(at + n.offset, true) : signedAt(v, at + n.offset, n.size);
  return { sec, nsec };
}

/** get_timespec64 / get_old_timespec32 in the calling ABI; null on a fault. */
export function readTimespec(ctx: SyscallContext, addr: number, layout: TimespecLayoutKind = 'abi'): Timespec64 | null {
  const L: TimespecFields = layout === 'abi' ? ctx.abi.timespec : ctx.abi.__kernel_timespec;
  const b = copyIn(ctx.mem, addr, L.size);
  if (b === null) return null;
  return timespecAt(ctx, L, new DataView(b.buffer), 0);
}

/** `count` consecutive timespecs (utimensat's pair) in the calling ABI; null on a fault. */
export function readTimespecs(ctx: SyscallContext, addr: number, count: number): Timespec64[] | null {
  const L: TimespecFields = ctx.abi.timespec;
  const b = copyIn(ctx.mem, addr, count * L.size);
  if (b === null) return null;
  const v = new DataView(b.buffer);
  const out: Timespec64[] = [];
  for (let i = 0; i < count; i++) out.push(timespecAt(ctx, L, v, i * L.size));
  return out;
}

/** timespec64_valid: tv_sec ≥ 0 and tv_nsec in [0, 1e9). */
export function timespecValid(ts: Timespec64): boolean {
  return ts.sec >= 0 && ts.nsec >= 0 && ts.nsec < NS;
}

/** struct itimerspec64. */
export interface Itimerspec64 {
  interval: Timespec64;
  value: Timespec64;
}

/**
 * get_itimerspec64 / get_old_itimerspec32 through ctx.abi.itimerspec (each member read as
 * get_timespec64 reads it, so the compat rule applies to both tv_nsec); null on a fault.
 */
export function readItimerspec(ctx: SyscallContext, addr: number): Itimerspec64 | null {
  const L = ctx.abi.itimerspec;
  const b = copyIn(ctx.mem, addr, L.size);
  if (b === null) return null;
  const v = new DataView(b.buffer);
  // The members are __kernel_timespec in a 32-byte itimerspec, old_timespec32 in a 16-byte one.
  const ts: TimespecFields = L.size === 32 ? ctx.abi.__kernel_timespec : layoutOf(old_timespec32, ILP32_EABI);
  return {
    interval: timespecAt(ctx, ts, v, L.fields.it_interval.offset),
    value: timespecAt(ctx, ts, v, L.fields.it_value.offset),
  };
}
