import type { SyscallContext, SyscallSpec } from './syscall-types.js';
import { copyIn, copyOut } from './uaccess.js';

const EFAULT = -14;
const EINVAL = -22;

export const CLOCK_REALTIME = 0;
export const CLOCK_MONOTONIC = 1;
export const CLOCK_PROCESS_CPUTIME_ID = 2;
export const CLOCK_THREAD_CPUTIME_ID = 3;
export const CLOCK_MONOTONIC_RAW = 4;
export const CLOCK_REALTIME_COARSE = 5;
export const CLOCK_MONOTONIC_COARSE = 6;
export const CLOCK_BOOTTIME = 7;
export const CLOCK_REALTIME_ALARM = 8;
export const CLOCK_BOOTTIME_ALARM = 9;
export const CLOCK_TAI = 11;
const TIMER_ABSTIME = 1;
const NS = 1e9;
/** CONFIG_HZ=250 on Debian arm64: coarse clocks tick every 4 ms. */
const COARSE_RES_NS = 4_000_000;

/** The clock's time in {sec, nsec}, or undefined for an invalid clock id. */
export function clockNow(ctx: SyscallContext, id: number): { sec: number; nsec: number } | undefined {
  const h = ctx.kernel.host;
  const split = (ns: number) => ({ sec: Math.floor(ns / NS), nsec: Math.floor(ns % NS) });
  switch (id) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
    case CLOCK_REALTIME_ALARM:
    case CLOCK_TAI:
      return h.realtime();
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
    case CLOCK_BOOTTIME_ALARM:
      return split(h.monotonicNs());
    case CLOCK_PROCESS_CPUTIME_ID:
    case CLOCK_THREAD_CPUTIME_ID:
      return split(h.cpuTimeNs());
    default:
      return undefined;
  }
}

/** struct __kernel_timespec (arm64): tv_sec i64, tv_nsec i64. */
function timespecBytes(sec: number, nsec: number): Uint8Array {
  const dv = new DataView(new ArrayBuffer(16));
  dv.setBigInt64(0, BigInt(sec), true);
  dv.setBigInt64(8, BigInt(nsec), true);
  return new Uint8Array(dv.buffer);
}

function readTimespec(ctx: SyscallContext, addr: number): { sec: number; nsec: number } | null {
  const b = copyIn(ctx.mem, addr, 16);
  if (b === null) return null;
  const dv = new DataView(b.buffer);
  return { sec: Number(dv.getBigInt64(0, true)), nsec: Number(dv.getBigInt64(8, true)) };
}

function sysClockGettime(ctx: SyscallContext, a: readonly number[]): number {
  const t = clockNow(ctx, a[0]!);
  if (t === undefined) return EINVAL;
  return copyOut(ctx.mem, a[1]!, timespecBytes(t.sec, t.nsec)) ? 0 : EFAULT;
}

function sysClockGetres(ctx: SyscallContext, a: readonly number[]): number {
  const id = a[0]!;
  if (clockNow(ctx, id) === undefined) return EINVAL;
  if (a[1] === 0) return 0;
  const coarse = id === CLOCK_REALTIME_COARSE || id === CLOCK_MONOTONIC_COARSE;
  return copyOut(ctx.mem, a[1]!, timespecBytes(0, coarse ? COARSE_RES_NS : 1)) ? 0 : EFAULT;
}

function sysGettimeofday(ctx: SyscallContext, a: readonly number[]): number {
  const [tv, tz] = a as [number, number];
  if (tv !== 0) {
    const t = ctx.kernel.host.realtime();
    const dv = new DataView(new ArrayBuffer(16));
    dv.setBigInt64(0, BigInt(t.sec), true);
    dv.setBigInt64(8, BigInt(Math.floor(t.nsec / 1000)), true);
    if (!copyOut(ctx.mem, tv, new Uint8Array(dv.buffer))) return EFAULT;
  }
  if (tz !== 0 && !copyOut(ctx.mem, tz, new Uint8Array(8))) return EFAULT;
  return 0;
}

/** Sleeps the task for ns nanoseconds of host time (the whole emulator sleeps while it is the only task). */
function sleepNs(ns: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ns / 1e6)));
}

async function sleepUntil(
  ctx: SyscallContext,
  clock: number,
  sec: number,
  nsec: number,
  abs: boolean,
): Promise<number> {
  let ns = sec * NS + nsec;
  if (abs) {
    const now = clockNow(ctx, clock)!;
    ns -= now.sec * NS + now.nsec;
  }
  if (ns > 0) await sleepNs(ns);
  return 0;
}

function sysNanosleep(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  const req = readTimespec(ctx, a[0]!);
  if (req === null) return EFAULT;
  if (req.sec < 0 || req.nsec < 0 || req.nsec >= NS) return EINVAL;
  return sleepUntil(ctx, CLOCK_MONOTONIC, req.sec, req.nsec, false);
}

function sysClockNanosleep(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  const [clock, flags, reqp] = a as [number, number, number];
  if (clock === CLOCK_THREAD_CPUTIME_ID) return EINVAL;
  if (clockNow(ctx, clock) === undefined) return EINVAL;
  const req = readTimespec(ctx, reqp);
  if (req === null) return EFAULT;
  if (req.sec < 0 || req.nsec < 0 || req.nsec >= NS) return EINVAL;
  return sleepUntil(ctx, clock, req.sec, req.nsec, (flags & TIMER_ABSTIME) !== 0);
}

function sysTimes(ctx: SyscallContext, a: readonly number[]): number {
  const ticks = (ns: number) => Math.floor(ns / 1e7); // USER_HZ = 100
  if (a[0] !== 0) {
    const dv = new DataView(new ArrayBuffer(32));
    dv.setBigInt64(0, BigInt(ticks(ctx.kernel.host.cpuTimeNs())), true);
    if (!copyOut(ctx.mem, a[0]!, new Uint8Array(dv.buffer))) return EFAULT;
  }
  return ticks(ctx.kernel.host.monotonicNs() - ctx.kernel.bootNs) + 100 * 3600;
}

export const TIME_SYSCALLS: readonly SyscallSpec[] = [
  { name: 'clock_gettime', args: ['clockid', 'ptr'], handler: sysClockGettime },
  { name: 'clock_getres', args: ['clockid', 'ptr'], handler: sysClockGetres },
  { name: 'gettimeofday', args: ['ptr', 'ptr'], handler: sysGettimeofday },
  {
    name: 'nanosleep',
    args: ['ptr', 'ptr'],
    handler: sysNanosleep,
    level: 'partial',
    note: 'not interruptible by signals yet',
  },
  {
    name: 'clock_nanosleep',
    args: ['clockid', 'int', 'ptr', 'ptr'],
    handler: sysClockNanosleep,
    level: 'partial',
    note: 'not interruptible by signals yet',
  },
  { name: 'times', args: ['ptr'], handler: sysTimes },
];
