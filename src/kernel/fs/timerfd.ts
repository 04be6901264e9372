/**
 * timerfd (fs/timerfd.c): a timer read as a file. Each expiry adds a tick; read returns the ticks
 * since the last read as a u64 (blocking while there are none, -EAGAIN under O_NONBLOCK) and poll
 * says POLLIN while there are some. As in Linux the timer is not re-armed when it expires: a periodic
 * one counts its missed periods when it is next read (or its value is read back) and is re-armed then.
 *
 * Expiry is noticed by a host timer and, whenever the file is looked at (read, poll, timerfd_gettime),
 * by comparing with the clock, so a guest polling in a loop sees it on time without giving the host
 * a turn. CLOCK_REALTIME and CLOCK_BOOTTIME run on the host's monotonic clock (compat64's realtime
 * clock never jumps, so TFD_TIMER_CANCEL_ON_SET is accepted and never cancels); the alarm clocks need
 * CAP_WAKE_ALARM (effective uid 0) and then behave as their base clocks.
 */

import { KERNEL_ERRNO } from '../abi/errno.js';
import { O_NONBLOCK, O_RDWR } from '../abi/fcntl.js';
import type { Kernel } from '../kernel.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import { copyIn } from '../syscalls/uaccess.js';
import { forwardCount, realtimeToMonotonic, type TimerSetting, type TimerValue } from '../task/posix-timers.js';
import { INTERRUPTED, keepHostAlive, waitInterruptible } from '../task/signal-wait.js';
import { WaitQueue } from '../task/wait-queue.js';
import { anonInodePath, anonInodeStat } from './anon-inode.js';
import type { FileStat } from './host-fs.js';
import { OpenFileBase } from './open-file.js';

const EAGAIN = -11;
const EFAULT = -14;
const EINVAL = -22;
const ENOTTY = -25;
const ESPIPE = -29;
const ERESTARTSYS = -KERNEL_ERRNO.ERESTARTSYS;
const POLLIN = 0x1;
/** Longest delay one host timer takes (setTimeout's 32-bit millisecond limit). */
const MAX_HOST_DELAY_MS = 0x7fffffff;

export const CLOCK_REALTIME = 0;
export const CLOCK_MONOTONIC = 1;
export const CLOCK_BOOTTIME = 7;
export const CLOCK_REALTIME_ALARM = 8;
export const CLOCK_BOOTTIME_ALARM = 9;
export const TFD_TIMER_ABSTIME = 1;
export const TFD_TIMER_CANCEL_ON_SET = 2;
/** TFD_IOC_SET_TICKS = _IOW('T', 0, u64) (CONFIG_CHECKPOINT_RESTORE, set in Debian's kernel). */
export const TFD_IOC_SET_TICKS = 0x40085400;

/** The clocks timerfd_create accepts. */
export function timerfdClockValid(clockId: number): boolean {
  return (
    clockId === CLOCK_MONOTONIC ||
    clockId === CLOCK_REALTIME ||
    clockId === CLOCK_REALTIME_ALARM ||
    clockId === CLOCK_BOOTTIME ||
    clockId === CLOCK_BOOTTIME_ALARM
  );
}

export function isAlarmClock(clockId: number): boolean {
  return clockId === CLOCK_REALTIME_ALARM || clockId === CLOCK_BOOTTIME_ALARM;
}

export class TimerFd extends OpenFileBase {
  readonly waitQueue = new WaitQueue();
  /** The hrtimer is queued. */
  private armed = false;
  /** The hrtimer's expiry on the monotonic clock; -Infinity when never set or set to 0. */
  private expiry = Number.NEGATIVE_INFINITY;
  /** tintv, ns. */
  private interval = 0;
  /** Expiries not read yet. */
  ticks = 0;
  /** The timer expired and has not been re-armed (a periodic one is, at the next read or gettime). */
  private expired = false;
  /** TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET as last set (fdinfo's settime flags). */
  settimeFlags = 0;
  private host: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly kernel: Kernel,
    readonly clockId: number,
    flags: number,
  ) {
    super(O_RDWR | (flags & O_NONBLOCK), anonInodePath('[timerfd]'));
  }

  private now(): number {
    return this.kernel.host.monotonicNs();
  }

  /** timerfd_triggered: one more tick; the timer stays expired until someone re-arms it. */
  private trigger(): void {
    this.armed = false;
    this.expired = true;
    this.ticks++;
    this.cancelHost();
    this.waitQueue.wakeAll();
  }

  /** An expiry that has come but that no host timer has reported yet. */
  private catchUp(): void {
    if (this.armed && this.now() >= this.expiry) this.trigger();
  }

  /** hrtimer_forward_now + hrtimer_restart of an expired periodic timer: returns the periods it moved. */
  private rearm(): number {
    const k = forwardCount(this.expiry, this.now(), this.interval);
    this.expiry += k * this.interval;
    this.expired = false;
    this.armed = true;
    this.armHost();
    return k;
  }

  private remaining(): number {
    return Math.max(this.expiry - this.now(), 0);
  }

  /**
   * do_timerfd_settime: the old setting (a periodic timer that expired is first moved past now),
   * then the new one; ticks not read yet are dropped. abs: value is a time on the clock.
   */
  settime(flags: number, next: TimerSetting): TimerValue {
    this.catchUp();
    if (this.expired && this.interval > 0)
      this.expiry += forwardCount(this.expiry, this.now(), this.interval) * this.interval;
    const old = { value: this.remaining(), interval: this.interval };
    this.cancelHost();
    this.armed = false;
    this.expired = false;
    this.ticks = 0;
    this.interval = next.interval;
    if (next.value === 0) {
      this.expiry = Number.NEGATIVE_INFINITY;
    } else {
      const abs = (flags & TFD_TIMER_ABSTIME) !== 0;
      const realtime = this.clockId === CLOCK_REALTIME || this.clockId === CLOCK_REALTIME_ALARM;
      if (!abs) this.expiry = this.now() + next.value;
      else if (realtime) this.expiry = realtimeToMonotonic(this.kernel, next);
      else this.expiry = next.value;
      this.armed = true;
      // A time already passed expires at once.
      this.catchUp();
      if (this.armed) this.armHost();
    }
    this.settimeFlags = flags & (TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET);
    return old;
  }

  /** do_timerfd_gettime: a periodic timer that expired is re-armed, its missed periods added to the ticks. */
  gettime(): TimerValue {
    this.catchUp();
    if (this.expired && this.interval > 0) this.ticks += this.rearm() - 1;
    return { value: this.remaining(), interval: this.interval };
  }

  read(ctx: SyscallContext, dst: Uint8Array, pos: number | undefined): number | Promise<number> {
    if (pos !== undefined) return ESPIPE;
    if (dst.length < 8) return EINVAL;
    this.catchUp();
    if (this.ticks > 0) return this.take(dst);
    if (this.flags & O_NONBLOCK) return EAGAIN;
    return this.block(ctx, dst);
  }

  /** The ticks as a u64 (with a periodic timer's missed periods), and the timer re-armed. */
  private take(dst: Uint8Array): number {
    let ticks = this.ticks;
    if (this.expired && this.interval > 0) ticks += this.rearm() - 1;
    this.expired = false;
    this.ticks = 0;
    const dv = new DataView(dst.buffer, dst.byteOffset, 8);
    dv.setUint32(0, ticks >>> 0, true);
    dv.setUint32(4, Math.floor(ticks / 4294967296) >>> 0, true);
    return 8;
  }

  /** wait_event_interruptible on the file's queue: ticks first, then a signal (-ERESTARTSYS). */
  private async block(ctx: SyscallContext, dst: Uint8Array): Promise<number> {
    // A disarmed timer never wakes the reader: Linux sleeps until a signal, so must the host.
    const release = keepHostAlive();
    try {
      for (;;) {
        const r = await waitInterruptible(ctx.task, this.waitQueue.wait());
        this.catchUp();
        if (this.ticks > 0) return this.take(dst);
        if (r === INTERRUPTED || ctx.task.exitStatus !== undefined) return ERESTARTSYS;
      }
    } finally {
      release();
    }
  }

  poll(): number {
    this.catchUp();
    return this.ticks > 0 ? POLLIN : 0;
  }

  /** TFD_IOC_SET_TICKS: sets the tick count (checkpoint/restore); 0 is EINVAL. */
  ioctl(ctx: SyscallContext, cmd: number, arg: number): number {
    if (cmd >>> 0 !== TFD_IOC_SET_TICKS) return ENOTTY;
    const b = copyIn(ctx.mem, arg, 8);
    if (b === null) return EFAULT;
    const dv = new DataView(b.buffer);
    const ticks = dv.getUint32(4, true) * 4294967296 + dv.getUint32(0, true);
    if (ticks === 0) return EINVAL;
    this.ticks = ticks;
    this.waitQueue.wakeAll();
    return 0;
  }

  stat(): FileStat {
    return anonInodeStat(this.kernel);
  }

  /**
   * timerfd_show: the clock, the ticks not read yet, the settime flags in octal, the time to the next
   * expiry (0 when disarmed or expired and not re-armed) and the interval, as (sec, nsec) pairs.
   */
  fdinfo(): string {
    this.catchUp();
    const pair = (ns: number): string => `(${Math.floor(ns / 1e9)}, ${ns % 1e9})`;
    const value = this.armed && !this.expired ? Math.round(this.remaining()) : 0;
    return (
      `clockid: ${this.clockId}\nticks: ${this.ticks}\nsettime flags: 0${this.settimeFlags.toString(8)}\n` +
      `it_value: ${pair(value)}\nit_interval: ${pair(this.interval)}\n`
    );
  }

  release(): void {
    this.cancelHost();
    this.armed = false;
  }

  private cancelHost(): void {
    if (this.host !== undefined) clearTimeout(this.host);
    this.host = undefined;
  }

  private armHost(): void {
    this.cancelHost();
    if (!this.armed) return;
    const ms = Math.min(MAX_HOST_DELAY_MS, Math.max(0, Math.ceil((this.expiry - this.now()) / 1e6)));
    this.host = setTimeout(() => {
      this.host = undefined;
      if (!this.armed) return;
      if (this.now() < this.expiry) this.armHost();
      else this.trigger();
    }, ms);
  }
}
