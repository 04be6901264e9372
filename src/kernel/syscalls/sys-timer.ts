/**
 * POSIX timers, timerfd and signalfd: timer_create, timer_settime, timer_gettime, timer_getoverrun,
 * timer_delete (task/posix-timers.ts), timerfd_create, timerfd_settime, timerfd_gettime
 * (fs/timerfd.ts) and signalfd4 (fs/signalfd.ts).
 *
 * Every handler follows the calling ABI: itimerspec through ctx.abi.itimerspec (old_itimerspec32
 * for the compat *_time32 calls 258/259/353/354, __kernel_itimerspec for the time64 ones 408–411,
 * whose tv_nsec counts only its low 32 bits), the sigevent through ctx.abi.sigevent (compat
 * timer_create reads sival_int, sigev_signo, sigev_notify and the thread id as get_compat_sigevent
 * does), and the signalfd mask as an 8-byte sigset in both. The compat table shares them by name.
 */
import { O_CLOEXEC, O_NONBLOCK } from '../abi/fcntl.js';
import { writeStruct } from '../abi/marshal.js';
import { SignalFd } from '../fs/signalfd.js';
import { signalfdWaitQueue } from '../fs/signalfd-notify.js';
import { isAlarmClock, TimerFd, timerfdClockValid } from '../fs/timerfd.js';
import {
  lookupTimer,
  type TimerEvent,
  type TimerSetting,
  type TimerValue,
  timerCreate,
  timerDelete,
  timerGetoverrun,
  timerGettime,
  timerSettime,
  timespecNs,
} from '../task/posix-timers.js';
import { readSigevent } from './sigevent-read.js';
import type { SyscallContext, SyscallSpec } from './syscall-types.js';
import { readItimerspec as readItimerspec64, type Timespec64, timespecValid } from './timespec-read.js';
import { copyIn, copyOut } from './uaccess.js';

const EPERM = -1;
const EBADF = -9;
const EFAULT = -14;
const EINVAL = -22;
const NS = 1e9;
const SIGSET_SIZE = 8;
const TFD_SETTIME_FLAGS = 3;

interface Parsed {
  ns: number;
  sec: number;
  nsec: number;
}

/** A timespec member as ns (and its parts), or undefined when timespec64_valid rejects it. */
function parseTimespec(ts: Timespec64): Parsed | undefined {
  if (!timespecValid(ts)) return undefined;
  return { ns: timespecNs(ts.sec, ts.nsec), sec: ts.sec, nsec: ts.nsec };
}

/**
 * get_itimerspec64 in the calling ABI (timespec-read.ts: a compat time64 call's tv_nsec counts only
 * its low 32 bits): the setting, 'fault', or 'invalid' for a bad timespec.
 */
function readItimerspec(ctx: SyscallContext, addr: number): TimerSetting | 'fault' | 'invalid' {
  const v = readItimerspec64(ctx, addr);
  if (v === null) return 'fault';
  const interval = parseTimespec(v.interval);
  const value = parseTimespec(v.value);
  if (interval === undefined || value === undefined) return 'invalid';
  return { value: value.ns, interval: interval.ns, sec: value.sec, nsec: value.nsec };
}

function timespecOf(ns: number): { tv_sec: number; tv_nsec: number } {
  const sec = Math.floor(ns / NS);
  return { tv_sec: sec, tv_nsec: Math.max(0, Math.min(NS - 1, Math.round(ns - sec * NS))) };
}

/** put_itimerspec64 in the calling ABI (old_itimerspec32 truncates tv_sec to 32 bits, as Linux does). */
function writeItimerspec(ctx: SyscallContext, addr: number, v: TimerValue): boolean {
  const layout = ctx.abi.itimerspec;
  const b = new Uint8Array(layout.size);
  writeStruct(layout, new DataView(b.buffer), 0, {
    it_interval: timespecOf(v.interval),
    it_value: timespecOf(v.value),
  });
  return copyOut(ctx.mem, addr, b);
}

function i32Bytes(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, v, true);
  return b;
}

function sysTimerCreate(ctx: SyscallContext, a: readonly number[]): number {
  const [clock, evp, idp] = a as [number, number, number];
  let ev: TimerEvent | undefined;
  if (evp !== 0) {
    const r = readSigevent(ctx, evp);
    if (r === null) return EFAULT;
    ev = r;
  }
  return timerCreate(ctx.kernel, ctx.task, clock, ev, (id) => copyOut(ctx.mem, idp, i32Bytes(id)));
}

function sysTimerSettime(ctx: SyscallContext, a: readonly number[]): number {
  const [id, flags, newp, oldp] = a as [number, number, number, number];
  if (newp === 0) return EINVAL;
  const next = readItimerspec(ctx, newp);
  if (next === 'fault') return EFAULT;
  if (next === 'invalid') return EINVAL;
  const t = lookupTimer(ctx.task, id);
  if (t === undefined) return EINVAL;
  const old = timerSettime(ctx.kernel, ctx.task, t, flags, next);
  if (oldp !== 0 && !writeItimerspec(ctx, oldp, old)) return EFAULT;
  return 0;
}

function sysTimerGettime(ctx: SyscallContext, a: readonly number[]): number {
  const [id, addr] = a as [number, number];
  const t = lookupTimer(ctx.task, id);
  if (t === undefined) return EINVAL;
  return writeItimerspec(ctx, addr, timerGettime(ctx.kernel, ctx.task, t)) ? 0 : EFAULT;
}

function sysTimerGetoverrun(ctx: SyscallContext, a: readonly number[]): number {
  const t = lookupTimer(ctx.task, a[0]!);
  return t === undefined ? EINVAL : timerGetoverrun(t);
}

function sysTimerDelete(ctx: SyscallContext, a: readonly number[]): number {
  const t = lookupTimer(ctx.task, a[0]!);
  if (t === undefined) return EINVAL;
  timerDelete(ctx.kernel, ctx.task, t);
  return 0;
}

/** Installs a new anonymous file; a description no fd holds (EMFILE) is released at once. */
function installNew(ctx: SyscallContext, f: TimerFd | SignalFd, flags: number): number {
  const fd = ctx.task.files.install(f, (flags & O_CLOEXEC) !== 0);
  if (fd < 0 && f.refs === 0 && f instanceof TimerFd) f.release();
  return fd;
}

/** CAP_WAKE_ALARM: effective uid 0 in compat64. */
function canWakeAlarm(ctx: SyscallContext): boolean {
  return ctx.task.creds.euid === 0;
}

function sysTimerfdCreate(ctx: SyscallContext, a: readonly number[]): number {
  const clock = a[0]!;
  const flags = a[1]! | 0;
  if (flags & ~(O_CLOEXEC | O_NONBLOCK) || !timerfdClockValid(clock)) return EINVAL;
  if (isAlarmClock(clock) && !canWakeAlarm(ctx)) return EPERM;
  return installNew(ctx, new TimerFd(ctx.kernel, clock, flags), flags);
}

/** timerfd_fget: -EBADF for no file, -EINVAL for a file that is not a timerfd. */
function timerfdOf(ctx: SyscallContext, fd: number): TimerFd | number {
  const f = ctx.task.files.get(fd);
  if (f === undefined) return EBADF;
  return f instanceof TimerFd ? f : EINVAL;
}

function sysTimerfdSettime(ctx: SyscallContext, a: readonly number[]): number {
  const [fd, flags, newp, oldp] = a as [number, number, number, number];
  const next = readItimerspec(ctx, newp);
  if (next === 'fault') return EFAULT;
  if (flags & ~TFD_SETTIME_FLAGS || next === 'invalid') return EINVAL;
  const f = timerfdOf(ctx, fd);
  if (typeof f === 'number') return f;
  if (isAlarmClock(f.clockId) && !canWakeAlarm(ctx)) return EPERM;
  const old = f.settime(flags, next);
  if (oldp !== 0 && !writeItimerspec(ctx, oldp, old)) return EFAULT;
  return 0;
}

function sysTimerfdGettime(ctx: SyscallContext, a: readonly number[]): number {
  const [fd, addr] = a as [number, number];
  const f = timerfdOf(ctx, fd);
  if (typeof f === 'number') return f;
  return writeItimerspec(ctx, addr, f.gettime()) ? 0 : EFAULT;
}

/** signalfd4 (and compat signalfd, with flags 0): a new signalfd, or a new mask for an existing one. */
function sysSignalfd4(ctx: SyscallContext, a: readonly number[]): number {
  const [fd, maskp, size, flagsArg] = a as [number, number, number, number];
  const flags = flagsArg | 0;
  if (size !== SIGSET_SIZE) return EINVAL;
  const m = copyIn(ctx.mem, maskp, SIGSET_SIZE);
  if (m === null) return EFAULT;
  const dv = new DataView(m.buffer);
  const lo = dv.getInt32(0, true);
  const hi = dv.getInt32(4, true);
  if (flags & ~(O_CLOEXEC | O_NONBLOCK)) return EINVAL;
  if (fd === -1) return installNew(ctx, new SignalFd(ctx.kernel, ctx.task, lo, hi, flags), flags);
  const f = ctx.task.files.get(fd);
  if (f === undefined) return EBADF;
  if (!(f instanceof SignalFd)) return EINVAL;
  f.setMask(lo, hi);
  signalfdWaitQueue(ctx.task.signals.group).wakeAll();
  f.waitQueue.wakeAll();
  return fd;
}

export const TIMER_SYSCALLS: readonly SyscallSpec[] = [
  {
    name: 'timer_create',
    args: ['clockid', 'ptr', 'ptr'],
    handler: sysTimerCreate,
    compatAware: true,
    level: 'partial',
    note: 'the alarm clocks are EOPNOTSUPP (no RTC)',
  },
  { name: 'timer_settime', args: ['int', 'int', 'ptr', 'ptr'], handler: sysTimerSettime, compatAware: true },
  { name: 'timer_gettime', args: ['int', 'ptr'], handler: sysTimerGettime, compatAware: true },
  { name: 'timer_getoverrun', args: ['int'], handler: sysTimerGetoverrun, compatAware: true },
  { name: 'timer_delete', args: ['int'], handler: sysTimerDelete, compatAware: true },
  { name: 'timerfd_create', args: ['clockid', 'hex'], handler: sysTimerfdCreate, compatAware: true },
  {
    name: 'timerfd_settime',
    args: ['fd', 'int', 'ptr', 'ptr'],
    handler: sysTimerfdSettime,
    compatAware: true,
    level: 'partial',
    note: 'TFD_TIMER_CANCEL_ON_SET is accepted but never cancels (the realtime clock is never set)',
  },
  { name: 'timerfd_gettime', args: ['fd', 'ptr'], handler: sysTimerfdGettime, compatAware: true },
  {
    name: 'signalfd4',
    args: ['fd', 'ptr', 'size', 'hex'],
    handler: sysSignalfd4,
    compatAware: true,
    level: 'partial',
    note: "poll readiness is the creating task's (Linux: the polling task's)",
  },
];
