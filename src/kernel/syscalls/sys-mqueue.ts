/**
 * POSIX message queues (ipc/mqueue.c): mq_open, mq_unlink, mq_timedsend, mq_timedreceive, mq_notify,
 * mq_getsetattr. The queues live in src/kernel/ipc/mqueue-*.ts; this file shapes the arguments.
 *
 * Every handler follows the calling ABI, so the compat table shares them: struct mq_attr is eight
 * longs (64 bytes native, compat_mq_attr 32 bytes, signed 32-bit members), compat mq_open reads
 * the attributes only with O_CREAT (the native call always copies them); the timeout is
 * ctx.abi.timespec (old_timespec32 in the compat calls, __kernel_timespec in the native and compat
 * time64 ones, whose tv_nsec counts only its low half in compat mode) and is checked before
 * anything else, even when the call would not block; the sigevent is ctx.abi.sigevent (compat
 * mq_notify reads sival_int, signo, notify and the thread id as get_compat_sigevent does, and a
 * SIGEV_THREAD cookie pointer is compat_ptr(sival_int)).
 */
import { O_CREAT, O_EXCL, O_NOCTTY, O_NONBLOCK, O_TRUNC, S_IFMT, S_IFSOCK } from '../abi/fcntl.js';
import { MqFile } from '../ipc/mqueue-file.js';
import { checkMqName, mqNamespaceOf, openQueue, unlinkQueue } from '../ipc/mqueue-ns.js';
import { MQ_PRIO_MAX, type MqWaiter, SIGEV_NONE, SIGEV_SIGNAL, SIGEV_THREAD } from '../ipc/mqueue-queue.js';
import { mqSleep, waiterPrio } from '../ipc/mqueue-wait.js';
import type { TimerEvent } from '../task/posix-timers.js';
import { readSigevent } from './sigevent-read.js';
import type { SyscallContext, SyscallSpec } from './syscall-types.js';
import { copyIn, copyOut } from './uaccess.js';

const EBADF = -9;
const EAGAIN = -11;
const EFAULT = -14;
const EBUSY = -16;
const EINVAL = -22;
const EMFILE = -24;
const ENAMETOOLONG = -36;
const ENOTSOCK = -88;
const EMSGSIZE = -90;
const PATH_MAX = 4096;
const NS = 1e9;
/** KTIME_MAX as ns: timeouts beyond it never expire. */
const KTIME_MAX = 2 ** 63;
/** NOTIFY_COOKIE_LEN: the bytes a SIGEV_THREAD registration copies from sival_ptr. */
const NOTIFY_COOKIE_LEN = 32;
const NSIG = 64;

interface MqAttr {
  flags: bigint;
  maxmsg: number;
  msgsize: number;
  curmsgs: number;
}

/** get_user of struct mq_attr / compat_mq_attr: four signed longs (the reserved four are ignored). */
function readAttr(ctx: SyscallContext, addr: number): MqAttr | null {
  const w = ctx.compat ? 4 : 8;
  const b = copyIn(ctx.mem, addr, 8 * w);
  if (b === null) return null;
  const dv = new DataView(b.buffer);
  const long = (i: number): bigint => (w === 4 ? BigInt(dv.getInt32(i * 4, true)) : dv.getBigInt64(i * 8, true));
  return { flags: long(0), maxmsg: Number(long(1)), msgsize: Number(long(2)), curmsgs: Number(long(3)) };
}

/** put_user of the attributes, reserved members zeroed: 64 bytes native, 32 compat. */
function writeAttr(ctx: SyscallContext, addr: number, a: MqAttr): boolean {
  const w = ctx.compat ? 4 : 8;
  const b = new Uint8Array(8 * w);
  const dv = new DataView(b.buffer);
  const vals = [a.flags, BigInt(a.maxmsg), BigInt(a.msgsize), BigInt(a.curmsgs)];
  vals.forEach((v, i) => {
    if (w === 4) dv.setInt32(i * 4, Number(BigInt.asIntN(32, v)), true);
    else dv.setBigInt64(i * 8, v, true);
  });
  return copyOut(ctx.mem, addr, b);
}

/** getname: the name's bytes, -EFAULT, or -ENAMETOOLONG when no NUL comes within PATH_MAX. */
function readName(ctx: SyscallContext, addr: number): Uint8Array | number {
  const out: number[] = [];
  for (let i = 0; i < PATH_MAX; i++) {
    const c = copyIn(ctx.mem, addr + i, 1);
    if (c === null) return EFAULT;
    if (c[0] === 0) return Uint8Array.from(out);
    out.push(c[0]!);
  }
  return ENAMETOOLONG;
}

/** prepare_timeout: the absolute CLOCK_REALTIME deadline in ns, -EFAULT, or -EINVAL (timespec64_valid). */
function readTimeout(ctx: SyscallContext, addr: number): number {
  const size = ctx.abi.timespec.size;
  const b = copyIn(ctx.mem, addr, size);
  if (b === null) return EFAULT;
  const dv = new DataView(b.buffer);
  let sec: bigint;
  let nsec: bigint;
  if (size === 8) {
    sec = BigInt(dv.getInt32(0, true));
    nsec = BigInt(dv.getInt32(4, true));
  } else {
    sec = dv.getBigInt64(0, true);
    // A compat time64 call's tv_nsec counts only its low 32 bits (get_timespec64 in compat mode).
    nsec = ctx.compat ? BigInt(dv.getInt32(8, true)) : dv.getBigInt64(8, true);
  }
  if (sec < 0n || nsec < 0n || nsec >= 1_000_000_000n) return EINVAL;
  const ns = Number(sec) * NS + Number(nsec);
  return Math.min(ns, KTIME_MAX);
}

function mqFileOf(ctx: SyscallContext, fd: number): MqFile | undefined {
  const f = ctx.task.files.get(fd);
  return f instanceof MqFile ? f : undefined;
}

/** Whether get_unused_fd_flags would find a slot (mq_open takes its fd before the lookup). */
function fdAvailable(ctx: SyscallContext): boolean {
  const files = ctx.task.files;
  for (let fd = 0; fd < files.limit; fd++) if (files.get(fd) === undefined) return true;
  return false;
}

function sysMqOpen(ctx: SyscallContext, a: readonly number[]): number {
  const [nameAddr, oflag, mode, attrAddr] = a as [number, number, number, number];
  let attr: MqAttr | undefined;
  // The native call copies the attributes whatever the flags; compat_mq_open only with O_CREAT.
  if (attrAddr !== 0 && (!ctx.compat || oflag & O_CREAT)) {
    const r = readAttr(ctx, attrAddr);
    if (r === null) return EFAULT;
    attr = r;
  }
  const name = readName(ctx, nameAddr);
  if (typeof name === 'number') return name;
  if (name.length === 0) return -2; // getname: ENOENT for an empty name
  if (!fdAvailable(ctx)) return EMFILE;
  const bad = checkMqName(name);
  if (bad !== 0) return bad;
  const q = openQueue(ctx.kernel, ctx.task, name, oflag, mode, attr);
  if (typeof q === 'number') return q;
  const file = new MqFile(mqNamespaceOf(ctx.kernel), q, oflag & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC));
  const fd = ctx.task.files.install(file, true);
  if (fd < 0 && file.refs === 0) file.release();
  return fd;
}

function sysMqUnlink(ctx: SyscallContext, a: readonly number[]): number {
  const name = readName(ctx, a[0]!);
  if (typeof name === 'number') return name;
  if (name.length === 0) return -2;
  const bad = checkMqName(name);
  if (bad !== 0) return bad;
  return unlinkQueue(ctx.kernel, ctx.task, name);
}

function sysMqTimedsend(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  const [fd, ptr, len, prio, tsAddr] = a as [number, number, number, number, number];
  let deadline: number | undefined;
  if (tsAddr !== 0) {
    const t = readTimeout(ctx, tsAddr);
    if (t < 0) return t;
    deadline = t;
  }
  if (prio >>> 0 >= MQ_PRIO_MAX) return EINVAL;
  const f = mqFileOf(ctx, fd);
  if (f === undefined || !f.mayWrite) return EBADF;
  const q = f.queue;
  if (len > q.msgsize) return EMSGSIZE;
  const data = copyIn(ctx.mem, ptr, len);
  if (data === null) return EFAULT;
  const msg = { prio: prio >>> 0, data };
  const ns = mqNamespaceOf(ctx.kernel);
  if (q.trySend(msg, ctx.task.tgid, ctx.task.creds.uid, (n, p, u) => ns.fire(n, p, u))) return 0;
  if (f.flags & O_NONBLOCK) return EAGAIN;
  const w: MqWaiter = { prio: waiterPrio(ctx.task), msg, ready: false, wake: () => {} };
  return mqSleep(ctx.kernel, ctx.task, q, 'send', w, deadline);
}

function sysMqTimedreceive(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  const [fd, ptr, len, prioAddr, tsAddr] = a as [number, number, number, number, number];
  let deadline: number | undefined;
  if (tsAddr !== 0) {
    const t = readTimeout(ctx, tsAddr);
    if (t < 0) return t;
    deadline = t;
  }
  const f = mqFileOf(ctx, fd);
  if (f === undefined || !f.mayRead) return EBADF;
  const q = f.queue;
  if (len < q.msgsize) return EMSGSIZE;
  const deliver = (m: { prio: number; data: Uint8Array }): number => {
    let ok = true;
    if (prioAddr !== 0) {
      const p = new Uint8Array(4);
      new DataView(p.buffer).setUint32(0, m.prio, true);
      ok = copyOut(ctx.mem, prioAddr, p);
    }
    // The message is gone from the queue either way (free_msg), as in Linux.
    if (ok) ok = copyOut(ctx.mem, ptr, m.data);
    return ok ? m.data.length : EFAULT;
  };
  const m = q.tryReceive();
  if (m !== undefined) return deliver(m);
  if (f.flags & O_NONBLOCK) return EAGAIN;
  const w: MqWaiter = { prio: waiterPrio(ctx.task), msg: undefined, ready: false, wake: () => {} };
  return mqSleep(ctx.kernel, ctx.task, q, 'receive', w, deadline).then((r) => (r === 0 ? deliver(w.msg!) : r));
}

/**
 * SIGEV_THREAD's checks: the cookie must be readable, then sigev_signo must be a netlink socket.
 * compat64 has no AF_NETLINK, so a socket fd is never one (EINVAL, as netlink_getsockbyfilp).
 */
function threadNotifyCheck(ctx: SyscallContext, ev: TimerEvent): number {
  const cookie = (ev.valueLo >>> 0) + (ev.valueHi >>> 0) * 2 ** 32;
  if (copyIn(ctx.mem, cookie, NOTIFY_COOKIE_LEN) === null) return EFAULT;
  const f = ctx.task.files.get(ev.signo);
  if (f === undefined) return EBADF;
  const st = f.stat?.();
  if (st === undefined || typeof st === 'number' || (st.mode & S_IFMT) !== S_IFSOCK) return ENOTSOCK;
  return EINVAL;
}

function sysMqNotify(ctx: SyscallContext, a: readonly number[]): number {
  const [fd, evAddr] = a as [number, number];
  let ev: TimerEvent | undefined;
  if (evAddr !== 0) {
    const r = readSigevent(ctx, evAddr);
    if (r === null) return EFAULT;
    ev = r;
    if (ev.notify !== SIGEV_NONE && ev.notify !== SIGEV_SIGNAL && ev.notify !== SIGEV_THREAD) return EINVAL;
    if (ev.notify === SIGEV_SIGNAL && (ev.signo < 0 || ev.signo > NSIG)) return EINVAL;
    if (ev.notify === SIGEV_THREAD) return threadNotifyCheck(ctx, ev);
  }
  const f = mqFileOf(ctx, fd);
  if (f === undefined) return EBADF;
  const q = f.queue;
  const me = ctx.task.tgid;
  if (ev === undefined) {
    if (q.notification?.owner === me) {
      q.notification = undefined;
      q.touch('ac');
    }
    return 0;
  }
  if (q.notification !== undefined) return EBUSY;
  q.notification = {
    owner: me,
    notify: ev.notify,
    signo: ev.notify === SIGEV_SIGNAL ? ev.signo : 0,
    valueLo: ev.notify === SIGEV_SIGNAL ? ev.valueLo : 0,
    valueHi: ev.notify === SIGEV_SIGNAL ? ev.valueHi : 0,
  };
  q.touch('ac');
  return 0;
}

function sysMqGetsetattr(ctx: SyscallContext, a: readonly number[]): number {
  const [fd, newAddr, oldAddr] = a as [number, number, number];
  let next: MqAttr | undefined;
  if (newAddr !== 0) {
    const r = readAttr(ctx, newAddr);
    if (r === null) return EFAULT;
    if (r.flags & ~BigInt(O_NONBLOCK)) return EINVAL;
    next = r;
  }
  const f = mqFileOf(ctx, fd);
  if (f === undefined) return EBADF;
  const q = f.queue;
  const old: MqAttr = {
    flags: BigInt(f.flags & O_NONBLOCK),
    maxmsg: q.maxmsg,
    msgsize: q.msgsize,
    curmsgs: q.curmsgs,
  };
  if (next !== undefined) {
    f.flags = next.flags & BigInt(O_NONBLOCK) ? f.flags | O_NONBLOCK : f.flags & ~O_NONBLOCK;
    q.touch('ac');
  }
  if (oldAddr !== 0 && !writeAttr(ctx, oldAddr, old)) return EFAULT;
  return 0;
}

export const MQUEUE_SYSCALLS: readonly SyscallSpec[] = [
  { name: 'mq_open', args: ['str', 'openflags', 'mode', 'ptr'], handler: sysMqOpen, compatAware: true },
  { name: 'mq_unlink', args: ['str'], handler: sysMqUnlink, compatAware: true },
  {
    name: 'mq_timedsend',
    args: ['fd', 'buf_in', 'size', 'uint', 'ptr'],
    handler: sysMqTimedsend,
    compatAware: true,
  },
  {
    name: 'mq_timedreceive',
    args: ['fd', 'ptr', 'size', 'ptr', 'ptr'],
    handler: sysMqTimedreceive,
    compatAware: true,
  },
  {
    name: 'mq_notify',
    args: ['fd', 'ptr'],
    handler: sysMqNotify,
    compatAware: true,
    level: 'partial',
    note: 'SIGEV_THREAD needs a netlink socket, which compat64 lacks (EINVAL for a socket fd, as for a non-netlink one)',
  },
  { name: 'mq_getsetattr', args: ['fd', 'ptr', 'ptr'], handler: sysMqGetsetattr, compatAware: true },
];
