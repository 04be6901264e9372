import { KERNEL_ERRNO } from '../abi/errno.js';
import { cpuClockCanSleep, cpuClockNow, cpuClockResNs, isCpuClockId } from '../task/cpu-clocks.js';
import { getItimer, ITIMER_PROF, ITIMER_REAL, type ItimerValue, setItimer } from '../task/itimer.js';
import { cancelRestart, setRestartFn } from '../task/restart-block.js';
import { sleepInterruptible } from '../task/signal-wait.js';
import { ADJTIMEX_SYSCALLS } from './sys-adjtimex.js';
import type { SyscallContext, SyscallSpec } from './syscall-types.js';
import { readTimespec as readKernelTimespec, type Timespec64 } from './timespec-read.js';
import { copyIn, copyOut } from './uaccess.js';

const EFAULT = -14;
const EINVAL = -22;
const EOPNOTSUPP = -95;
const ERESTARTNOHAND = -KERNEL_ERRNO.ERESTARTNOHAND;
const ERESTART_RESTARTBLOCK = -KERNEL_ERRNO.ERESTART_RESTARTBLOCK;

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
    default: {
      // The CPU-time clocks, also those named by a pid (task/cpu-clocks.ts); undefined: no such clock.
      const ns = cpuClockNow(ctx.kernel, ctx.task, id);
      return ns === undefined ? undefined : split(ns);
    }
  }
}

/** clock_getres: the clock's resolution in ns, or undefined (-EINVAL) for no such clock. */
export function clockResNs(ctx: SyscallContext, id: number): number | undefined {
  if (isCpuClockId(id)) return cpuClockResNs(ctx.kernel, ctx.task, id);
  if (clockNow(ctx, id) === undefined) return undefined;
  return id === CLOCK_REALTIME_COARSE || id === CLOCK_MONOTONIC_COARSE ? COARSE_RES_NS : 1;
}

/** struct __kernel_timespec (arm64): tv_sec i64, tv_nsec i64. */
function timespecBytes(sec: number, nsec: number): Uint8Array {
  const dv = new DataView(new ArrayBuffer(16));
  dv.setBigInt64(0, BigInt(sec), true);
  dv.setBigInt64(8, BigInt(nsec), true);
  return new Uint8Array(dv.buffer);
}

/**
 * get_timespec64: always a __kernel_timespec here (nanosleep, clock_nanosleep and the compat
 * clock_nanosleep_time64); in that compat call tv_nsec counts only its low 32 bits.
 */
function readTimespec(ctx: SyscallContext, addr: number): Timespec64 | null {
  return readKernelTimespec(ctx, addr, 'kernel');
}

function sysClockGettime(ctx: SyscallContext, a: readonly number[]): number {
  const t = clockNow(ctx, a[0]!);
  if (t === undefined) return EINVAL;
  return copyOut(ctx.mem, a[1]!, timespecBytes(t.sec, t.nsec)) ? 0 : EFAULT;
}

function sysClockGetres(ctx: SyscallContext, a: readonly number[]): number {
  const res = clockResNs(ctx, a[0]!);
  if (res === undefined) return EINVAL;
  if (a[1] === 0) return 0;
  return copyOut(ctx.mem, a[1]!, timespecBytes(0, res)) ? 0 : EFAULT;
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

/** The clock's time as one number of ns (about 256 ns granularity for CLOCK_REALTIME, enough for sleeps). */
function clockNs(ctx: SyscallContext, clock: number): number {
  const t = clockNow(ctx, clock)!;
  return t.sec * NS + t.nsec;
}

/** Writes a remaining time for an interrupted relative sleep (rmtp); false when the address faults. */
export type RemainingWriter = (ctx: SyscallContext, ns: number) => boolean;

/** put_timespec64 in the calling ABI's __kernel_timespec (the native nanosleep and clock_nanosleep). */
function writeKernelTimespec(addr: number): RemainingWriter {
  return (ctx, ns) => copyOut(ctx.mem, addr, timespecBytes(Math.floor(ns / NS), ns % NS));
}

/**
 * do_nanosleep: sleeps until `expires` on the clock; 0 when it passed, or -ERESTART_RESTARTBLOCK
 * when a signal interrupted it (after writing the time left to rmtp, if given and not already 0 —
 * then the sleep counts as done), or -EFAULT when rmtp faults.
 */
async function doNanosleep(
  ctx: SyscallContext,
  clock: number,
  expires: number,
  rmtp: RemainingWriter | undefined,
): Promise<number> {
  const r = await sleepInterruptible(ctx.task, () => expires - clockNs(ctx, clock));
  if (r === 'done') return 0;
  if (rmtp === undefined) return ERESTART_RESTARTBLOCK;
  const rem = expires - clockNs(ctx, clock);
  if (rem <= 0) return 0;
  return rmtp(ctx, Math.ceil(rem)) ? ERESTART_RESTARTBLOCK : EFAULT;
}

/**
 * hrtimer_nanosleep: an interrupted absolute sleep is simply re-issued (-ERESTARTNOHAND); a relative
 * one arms the restart block so restart_syscall sleeps to the same absolute expiry, writing the
 * remaining time through the same rmtp layout. Also for the compat nanosleep calls.
 */
export async function hrtimerNanosleep(
  ctx: SyscallContext,
  clock: number,
  expires: number,
  abs: boolean,
  rmtp: RemainingWriter | undefined,
): Promise<number> {
  const r = await doNanosleep(ctx, clock, expires, rmtp);
  if (r !== ERESTART_RESTARTBLOCK) return r;
  if (abs) return ERESTARTNOHAND;
  setRestartFn(ctx, (c) => doNanosleep(c, clock, expires, rmtp));
  return ERESTART_RESTARTBLOCK;
}

function sysNanosleep(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  const [reqp, rmtp] = a as [number, number];
  const req = readTimespec(ctx, reqp);
  if (req === null) return EFAULT;
  if (req.sec < 0 || req.nsec < 0 || req.nsec >= NS) return EINVAL;
  cancelRestart(ctx.task.signals.restartBlock);
  const expires = clockNs(ctx, CLOCK_MONOTONIC) + req.sec * NS + req.nsec;
  return hrtimerNanosleep(ctx, CLOCK_MONOTONIC, expires, false, rmtp !== 0 ? writeKernelTimespec(rmtp) : undefined);
}

/**
 * Whether clock_nanosleep can sleep on the clock: undefined = invalid clock (-EINVAL), false = a
 * clock without nsleep (-EOPNOTSUPP: the thread CPU clock, the raw and coarse clocks, and the alarm
 * clocks, which need an RTC compat64 does not have).
 */
export function clockCanSleep(ctx: SyscallContext, clock: number): boolean | undefined {
  // posix_cpu_nsleep: a pid-built CPU clock, but never the caller's own thread clock (-EINVAL);
  // a dynamic (fd) clock has no nsleep (-EOPNOTSUPP).
  if (clock < 0) {
    if (!isCpuClockId(clock)) return false;
    return cpuClockCanSleep(ctx.kernel, ctx.task, clock) ? true : undefined;
  }
  if (clockNow(ctx, clock) === undefined) return undefined;
  switch (clock) {
    case CLOCK_REALTIME:
    case CLOCK_MONOTONIC:
    case CLOCK_BOOTTIME:
    case CLOCK_TAI:
    case CLOCK_PROCESS_CPUTIME_ID:
      return true;
    default:
      return false;
  }
}

function sysClockNanosleep(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  const [clock, flags, reqp, rmtp] = a as [number, number, number, number];
  const can = clockCanSleep(ctx, clock);
  if (can === undefined) return EINVAL;
  if (!can) return EOPNOTSUPP;
  const req = readTimespec(ctx, reqp);
  if (req === null) return EFAULT;
  if (req.sec < 0 || req.nsec < 0 || req.nsec >= NS) return EINVAL;
  const abs = (flags & TIMER_ABSTIME) !== 0;
  cancelRestart(ctx.task.signals.restartBlock);
  const ns = req.sec * NS + req.nsec;
  const expires = abs ? ns : clockNs(ctx, clock) + ns;
  const writer = !abs && rmtp !== 0 ? writeKernelTimespec(rmtp) : undefined;
  return hrtimerNanosleep(ctx, clock, expires, abs, writer);
}

/** timeval_valid + conversion of one __kernel_old_timeval (or old_timeval32) member to ns; undefined when invalid. */
function timevalNs(d: DataView, at: number, longSize: number): number | undefined {
  const sec = longSize === 8 ? d.getInt32(at + 4, true) * 4294967296 + d.getUint32(at, true) : d.getInt32(at, true);
  const usecAt = at + longSize;
  const usec =
    longSize === 8 ? d.getInt32(usecAt + 4, true) * 4294967296 + d.getUint32(usecAt, true) : d.getInt32(usecAt, true);
  if (sec < 0 || usec < 0 || usec >= 1_000_000) return undefined;
  return sec * NS + usec * 1000;
}

function putTimeval(d: DataView, at: number, longSize: number, ns: number): void {
  const sec = Math.floor(ns / NS);
  const usec = Math.floor((ns % NS) / 1000);
  d.setUint32(at, sec >>> 0, true);
  if (longSize === 8) d.setUint32(at + 4, Math.floor(sec / 4294967296) >>> 0, true);
  d.setUint32(at + longSize, usec, true);
}

function itimervalBytes(ctx: SyscallContext, v: ItimerValue): Uint8Array {
  const L = ctx.abi.itimerval;
  const w = ctx.abi.model.longSize;
  const d = new DataView(new ArrayBuffer(L.size));
  putTimeval(d, L.fields.it_interval.offset, w, v.interval);
  putTimeval(d, L.fields.it_value.offset, w, v.value);
  return new Uint8Array(d.buffer);
}

function sysGetitimer(ctx: SyscallContext, a: readonly number[]): number {
  const [which, value] = a as [number, number];
  if (which < ITIMER_REAL || which > ITIMER_PROF) return EINVAL;
  const v = getItimer(ctx.kernel, ctx.task, which);
  return copyOut(ctx.mem, value, itimervalBytes(ctx, v)) ? 0 : EFAULT;
}

function sysSetitimer(ctx: SyscallContext, a: readonly number[]): number {
  const [which, value, ovalue] = a as [number, number, number];
  let next: ItimerValue = { value: 0, interval: 0 };
  if (value !== 0) {
    const L = ctx.abi.itimerval;
    const w = ctx.abi.model.longSize;
    const b = copyIn(ctx.mem, value, L.size);
    if (b === null) return EFAULT;
    const d = new DataView(b.buffer);
    const it = timevalNs(d, L.fields.it_value.offset, w);
    const iv = timevalNs(d, L.fields.it_interval.offset, w);
    if (it === undefined || iv === undefined) return EINVAL;
    next = { value: it, interval: iv };
  }
  if (which < ITIMER_REAL || which > ITIMER_PROF) return EINVAL;
  const old = setItimer(ctx.kernel, ctx.task, which, next.value, next.interval);
  if (ovalue !== 0 && !copyOut(ctx.mem, ovalue, itimervalBytes(ctx, old))) return EFAULT;
  return 0;
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
  { name: 'nanosleep', args: ['ptr', 'ptr'], handler: sysNanosleep },
  { name: 'clock_nanosleep', args: ['clockid', 'int', 'ptr', 'ptr'], handler: sysClockNanosleep },
  // The itimerval goes through ctx.abi: old_itimerval32 (16 bytes) in a compat call.
  { name: 'getitimer', args: ['int', 'ptr'], handler: sysGetitimer, compatAware: true },
  {
    name: 'setitimer',
    args: ['int', 'ptr', 'ptr'],
    handler: sysSetitimer,
    compatAware: true,
    level: 'partial',
    note: "ITIMER_VIRTUAL and ITIMER_PROF both count the emulator's CPU time",
  },
  { name: 'times', args: ['ptr'], handler: sysTimes },
  ...ADJTIMEX_SYSCALLS,
];
