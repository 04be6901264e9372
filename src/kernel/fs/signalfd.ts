/**
 * signalfd (fs/signalfd.c): a file that reads the pending signals of a mask as 128-byte
 * signalfd_siginfo records instead of having them delivered. A read dequeues from the *reading*
 * task's pending sets (its own first, then its process's), exactly as dequeue_signal does for
 * delivery (so a periodic ITIMER_REAL re-arms); it blocks until a signal of the mask is pending
 * (woken by signalfd-notify.ts, which the signal layer calls when it queues a signal) unless the file
 * is O_NONBLOCK (-EAGAIN). The signals are usually blocked, or they would be delivered first.
 *
 * Deviation: readiness for poll/select/epoll is computed for the task that created the file (Linux
 * uses the polling task); it differs only for signals sent to one thread of a multi-threaded process.
 */

import { KERNEL_ERRNO } from '../abi/errno.js';
import { O_NONBLOCK, O_RDWR } from '../abi/fcntl.js';
import { defineStruct, i32, LP64, layoutOf, offsetOf, pad, u16, u32, u64 } from '../abi/layout.js';
import * as S from '../abi/signal.js';
import { siginfo } from '../abi/structs-signal.js';
import type { Kernel } from '../kernel.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import { type SigInfo, siCode, siginfoLayout, siSigno } from '../task/siginfo.js';
import { dequeueSignal } from '../task/signal-dequeue.js';
import { threadsOf } from '../task/signal-send.js';
import { KERNEL_ONLY_LO, nextSignal, SigSet } from '../task/signal-set.js';
import { INTERRUPTED, keepHostAlive, waitInterruptible } from '../task/signal-wait.js';
import type { Task } from '../task/task.js';
import type { WaitQueue } from '../task/wait-queue.js';
import { anonInodePath, anonInodeStat } from './anon-inode.js';
import type { FileStat } from './host-fs.js';
import { OpenFileBase } from './open-file.js';
import { signalfdWaitQueue } from './signalfd-notify.js';

const EAGAIN = -11;
const EINVAL = -22;
const ESPIPE = -29;
const ERESTARTSYS = -KERNEL_ERRNO.ERESTARTSYS;
const POLLIN = 0x1;
const BUS_MCEERR_AR = 4;
const BUS_MCEERR_AO = 5;

/** `struct signalfd_siginfo` (linux/signalfd.h): 128 bytes, the same for native and compat readers. */
export const signalfd_siginfo = defineStruct('signalfd_siginfo', {
  ssi_signo: u32,
  ssi_errno: i32,
  ssi_code: i32,
  ssi_pid: u32,
  ssi_uid: u32,
  ssi_fd: i32,
  ssi_tid: u32,
  ssi_band: u32,
  ssi_overrun: u32,
  ssi_trapno: u32,
  ssi_status: i32,
  ssi_int: i32,
  ssi_ptr: u64,
  ssi_utime: u64,
  ssi_stime: u64,
  ssi_addr: u64,
  ssi_addr_lsb: u16,
  __pad2: pad(2),
  ssi_syscall: i32,
  ssi_call_addr: u64,
  ssi_arch: u32,
  __pad: pad(28),
});

const OUT = layoutOf(signalfd_siginfo, LP64);
export const SIGNALFD_SIGINFO_SIZE = OUT.size;
const IN = layoutOf(siginfo, LP64);
const at = (path: string): number => offsetOf(IN, path).offset;
const ERRNO = at('si_errno');
const KILL_PID = at('_sifields._kill._pid');
const KILL_UID = at('_sifields._kill._uid');
const TIMER_TID = at('_sifields._timer._tid');
const TIMER_OVERRUN = at('_sifields._timer._overrun');
const TIMER_VALUE = at('_sifields._timer._sigval');
const RT_VALUE = at('_sifields._rt._sigval');
const POLL_BAND = at('_sifields._sigpoll._band');
const POLL_FD = at('_sifields._sigpoll._fd');
const FAULT_ADDR = at('_sifields._sigfault._addr');
const FAULT_ADDR_LSB = at('_sifields._sigfault._addr_lsb');
const CHLD_STATUS = at('_sifields._sigchld._status');
const CHLD_UTIME = at('_sifields._sigchld._utime');
const CHLD_STIME = at('_sifields._sigchld._stime');
const SYS_CALL_ADDR = at('_sifields._sigsys._call_addr');
const SYS_SYSCALL = at('_sifields._sigsys._syscall');
const SYS_ARCH = at('_sifields._sigsys._arch');
const o = (name: keyof typeof OUT.fields): number => OUT.fields[name].offset;

/** signalfd_copyinfo: the record for one dequeued signal, members chosen by the siginfo's layout. */
export function signalfdSiginfo(info: SigInfo): Uint8Array {
  const out = new Uint8Array(SIGNALFD_SIGINFO_SIZE);
  const w = new DataView(out.buffer);
  const r = new DataView(info.buffer, info.byteOffset, info.byteLength);
  const sig = siSigno(info);
  const code = siCode(info);
  const i32At = (from: number, to: number): void => w.setInt32(to, r.getInt32(from, true), true);
  const u64At = (from: number, to: number): void => {
    w.setUint32(to, r.getUint32(from, true), true);
    w.setUint32(to + 4, r.getUint32(from + 4, true), true);
  };
  w.setUint32(o('ssi_signo'), sig >>> 0, true);
  i32At(ERRNO, o('ssi_errno'));
  w.setInt32(o('ssi_code'), code, true);
  switch (siginfoLayout(sig, code)) {
    case 'kill':
      i32At(KILL_PID, o('ssi_pid'));
      i32At(KILL_UID, o('ssi_uid'));
      break;
    case 'timer':
      i32At(TIMER_TID, o('ssi_tid'));
      i32At(TIMER_OVERRUN, o('ssi_overrun'));
      u64At(TIMER_VALUE, o('ssi_ptr'));
      i32At(TIMER_VALUE, o('ssi_int'));
      break;
    case 'poll':
      // ssi_band is __u32: the low half of si_band (a long).
      i32At(POLL_BAND, o('ssi_band'));
      i32At(POLL_FD, o('ssi_fd'));
      break;
    case 'fault':
      u64At(FAULT_ADDR, o('ssi_addr'));
      if (sig === S.SIGBUS && (code === BUS_MCEERR_AR || code === BUS_MCEERR_AO)) {
        w.setUint16(o('ssi_addr_lsb'), r.getUint16(FAULT_ADDR_LSB, true), true);
      }
      break;
    case 'chld':
      i32At(KILL_PID, o('ssi_pid'));
      i32At(KILL_UID, o('ssi_uid'));
      i32At(CHLD_STATUS, o('ssi_status'));
      u64At(CHLD_UTIME, o('ssi_utime'));
      u64At(CHLD_STIME, o('ssi_stime'));
      break;
    case 'rt':
      i32At(KILL_PID, o('ssi_pid'));
      i32At(KILL_UID, o('ssi_uid'));
      u64At(RT_VALUE, o('ssi_ptr'));
      i32At(RT_VALUE, o('ssi_int'));
      break;
    case 'sys':
      u64At(SYS_CALL_ADDR, o('ssi_call_addr'));
      i32At(SYS_SYSCALL, o('ssi_syscall'));
      i32At(SYS_ARCH, o('ssi_arch'));
      break;
  }
  return out;
}

export class SignalFd extends OpenFileBase {
  /** ctx->sigmask: the signals NOT to read (the complement of the mask; SIGKILL and SIGSTOP always). */
  readonly ignored = new SigSet();
  /** The creating process's queue (poll/select/epoll wait here). */
  readonly waitQueue: WaitQueue;

  constructor(
    private readonly kernel: Kernel,
    /** The creating task: whose pending signals poll() looks at. */
    private readonly owner: Task,
    maskLo: number,
    maskHi: number,
    flags: number,
  ) {
    super(O_RDWR | (flags & O_NONBLOCK), anonInodePath('[signalfd]'));
    this.waitQueue = signalfdWaitQueue(owner.signals.group);
    this.setMask(maskLo, maskHi);
  }

  /** signalfd4 on an existing signalfd replaces its mask (sigdelsetmask SIGKILL|SIGSTOP, then signotset). */
  setMask(lo: number, hi: number): void {
    this.ignored.set(~(lo & ~KERNEL_ONLY_LO), ~hi);
  }

  /** The mask as given to signalfd4 (what /proc's fdinfo calls sigmask). */
  get mask(): SigSet {
    return new SigSet(~this.ignored.lo, ~this.ignored.hi);
  }

  /** signalfd_show_fdinfo: the mask as render_sigset_t prints it (16 hex digits, highest signal first). */
  fdinfo(): string {
    const m = this.mask;
    const hex = (w: number): string => (w >>> 0).toString(16).padStart(8, '0');
    return `sigmask:\t${hex(m.hi)}${hex(m.lo)}\n`;
  }

  read(ctx: SyscallContext, dst: Uint8Array, pos: number | undefined): number | Promise<number> {
    if (pos !== undefined) return ESPIPE;
    const count = Math.floor(dst.length / SIGNALFD_SIGINFO_SIZE);
    if (count === 0) return EINVAL;
    const n = this.take(ctx.task, dst, count);
    if (n > 0) return n;
    if (this.flags & O_NONBLOCK) return EAGAIN;
    return this.block(ctx.task, dst, count);
  }

  /** signalfd_read's loop without waiting: as many records as are pending, up to count. */
  private take(task: Task, dst: Uint8Array, count: number): number {
    let done = 0;
    while (done < count) {
      const d = dequeueSignal(this.kernel, task, this.ignored);
      if (d === undefined) break;
      dst.set(signalfdSiginfo(d.info), done * SIGNALFD_SIGINFO_SIZE);
      done++;
    }
    return done * SIGNALFD_SIGINFO_SIZE;
  }

  /** signalfd_dequeue's sleep on the reader's process queue; a signal to handle ends it (-ERESTARTSYS). */
  private async block(task: Task, dst: Uint8Array, count: number): Promise<number> {
    const queue = signalfdWaitQueue(task.signals.group);
    // Linux sleeps until killed when no signal ever comes; keep the host from ending meanwhile.
    const release = keepHostAlive();
    try {
      for (;;) {
        const r = await waitInterruptible(task, queue.wait());
        // The mask's signals are checked before a pending signal to handle, as Linux's loop does.
        const n = this.take(task, dst, count);
        if (n > 0) return n;
        if (r === INTERRUPTED || task.exitStatus !== undefined) return ERESTARTSYS;
      }
    } finally {
      release();
    }
  }

  /** signalfd_poll: readable while a signal of the mask is pending. */
  poll(): number {
    const t = this.reader();
    const st = t.signals;
    const ready = nextSignal(st.pending.set, this.ignored) !== 0 || nextSignal(st.group.shared.set, this.ignored) !== 0;
    return ready ? POLLIN : 0;
  }

  private reader(): Task {
    if (this.owner.exitStatus === undefined) return this.owner;
    return threadsOf(this.kernel, this.owner).find((t) => t.exitStatus === undefined) ?? this.owner;
  }

  stat(): FileStat {
    return anonInodeStat(this.kernel);
  }
}
