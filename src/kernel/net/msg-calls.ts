/**
 * sendmsg, recvmsg, sendmmsg and recvmmsg (net/socket.c ____sys_sendmsg, ____sys_recvmsg,
 * __sys_sendmmsg, do_recvmmsg) in the calling ABI: msghdr, iovecs and control messages are read and
 * written through ctx.abi, so a compat call uses compat_msghdr, compat_iovec, compat_cmsghdr and
 * compat_mmsghdr.
 */
import { ERRNO } from '../abi/errno.js';
import { writeField } from '../abi/marshal.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import { readTimespec, timespecValid } from '../syscalls/timespec-read.js';
import { copyIn, copyOut, writeU32 } from '../syscalls/uaccess.js';
import {
  ControlWriter,
  readControl,
  readIovecs,
  readMsghdr,
  sinkOf,
  sourceOf,
  UIO_MAXIOV,
  type UserMsghdr,
} from './msghdr.js';
import { dropRights, scmSend, ucredBytes } from './scm.js';
import { EAGAIN } from './sock-wait.js';
import { addrToUser } from './sockaddr.js';
import type { RecvResult, Socket } from './socket.js';
import {
  AF_UNIX,
  MSG_CMSG_CLOEXEC,
  MSG_CTRUNC,
  MSG_DONTWAIT,
  MSG_OOB,
  MSG_WAITFORONE,
  SCM_CREDENTIALS,
  SOL_SOCKET,
} from './socket-abi.js';

const EFAULT = -ERRNO.EFAULT;
const EINVAL = -ERRNO.EINVAL;

/** ____sys_sendmsg for the msghdr at addr. */
export async function sendmsgAt(ctx: SyscallContext, sock: Socket, addr: number, flags: number): Promise<number> {
  const m = readMsghdr(ctx, addr);
  if (typeof m === 'number') return m;
  let name: Uint8Array | undefined;
  if (m.namelen > 0) {
    const b = copyIn(ctx.mem, m.name, m.namelen);
    if (b === null) return EFAULT;
    name = b;
  }
  const v = readIovecs(ctx, m.iov, m.iovlen);
  if (typeof v === 'number') return v;
  const cmsgs = readControl(ctx, m);
  if (typeof cmsgs === 'number') return cmsgs;
  const scm = scmSend(ctx, cmsgs, sock.family === AF_UNIX);
  if (typeof scm === 'number') return scm;
  return sock.sendmsg(ctx, { src: sourceOf(ctx.mem, v), name, scm, flags: sock.ioFlags(flags >>> 0) });
}

/** Stores what a receive found into the user's msghdr: name, control messages, msg_flags, msg_controllen. */
function finishRecv(ctx: SyscallContext, addr: number, m: UserMsghdr, r: RecvResult, flags: number): number {
  const w = new ControlWriter(ctx.abi, m.control === 0 ? 0 : m.controllen);
  if (m.control === 0) {
    if (r.creds !== undefined || r.rights !== undefined) w.flags |= MSG_CTRUNC;
    dropRights(r.rights);
  } else {
    if (r.creds !== undefined) w.put(SOL_SOCKET, SCM_CREDENTIALS, ucredBytes(r.creds));
    if (r.rights !== undefined) w.rights(ctx, r.rights, flags);
  }
  if (w.used > 0 && !copyOut(ctx.mem, m.control, w.bytes, 0, w.used)) return EFAULT;
  const L = ctx.abi.msghdr;
  if (m.name !== 0) {
    const e = addrToUser(ctx.mem, r.name ?? new Uint8Array(0), m.name, addr + L.fields.msg_namelen.offset);
    if (e < 0) return e;
  }
  const outFlags = (r.flags | w.flags | (flags & MSG_CMSG_CLOEXEC)) >>> 0;
  if (!writeU32(ctx.mem, addr + L.fields.msg_flags.offset, outFlags)) return EFAULT;
  const lenField = L.fields.msg_controllen;
  const cl = new Uint8Array(lenField.size);
  const dv = new DataView(cl.buffer);
  if (lenField.size === 8) dv.setBigUint64(0, BigInt(w.used), true);
  else dv.setUint32(0, w.used, true);
  if (!copyOut(ctx.mem, addr + lenField.offset, cl)) return EFAULT;
  return r.n;
}

/** ____sys_recvmsg for the msghdr at addr. */
export async function recvmsgAt(ctx: SyscallContext, sock: Socket, addr: number, flags: number): Promise<number> {
  const m = readMsghdr(ctx, addr);
  if (typeof m === 'number') return m;
  const v = readIovecs(ctx, m.iov, m.iovlen);
  if (typeof v === 'number') return v;
  const f = flags >>> 0;
  const r = await sock.recvmsg(ctx, { sink: sinkOf(ctx.mem, v), flags: sock.ioFlags(f) });
  if (typeof r === 'number') return r;
  return finishRecv(ctx, addr, m, r, f);
}

/** __sys_sendmmsg: as many messages as go; the count, or the first error when none went. */
export async function sendmmsg(ctx: SyscallContext, sock: Socket, vec: number, vlen: number, flags: number) {
  const L = ctx.abi.mmsghdr;
  const n = Math.min(vlen >>> 0, UIO_MAXIOV);
  let sent = 0;
  let err = 0;
  while (sent < n) {
    const at = vec + sent * L.size;
    const r = await sendmsgAt(ctx, sock, at, flags);
    if (r < 0) {
      err = r;
      break;
    }
    if (!writeU32(ctx.mem, at + L.fields.msg_len.offset, r)) {
      err = EFAULT;
      break;
    }
    sent++;
  }
  return sent > 0 ? sent : err;
}

/** The timeout of recvmmsg in nanoseconds, or -EFAULT / -EINVAL. */
function readTimeout(ctx: SyscallContext, addr: number): number {
  // get_timespec64 / get_old_timespec32 (compat recvmmsg_time64 ignores tv_nsec's upper half).
  const ts = readTimespec(ctx, addr);
  if (ts === null) return EFAULT;
  if (!timespecValid(ts)) return EINVAL;
  return ts.sec * 1e9 + ts.nsec;
}

function writeTimeout(ctx: SyscallContext, addr: number, ns: number): boolean {
  const L = ctx.abi.timespec;
  const b = new Uint8Array(L.size);
  const dv = new DataView(b.buffer);
  writeField(L, dv, 0, 'tv_sec', Math.floor(ns / 1e9));
  writeField(L, dv, 0, 'tv_nsec', ns % 1e9);
  return copyOut(ctx.mem, addr, b);
}

/**
 * do_recvmmsg: receives up to vlen messages. Each receive blocks as recvmsg would; the timeout is
 * only looked at between messages (Linux's long-standing behaviour), and the time left is written
 * back. An error after some messages is kept for the next call (sk_err) unless it was EAGAIN.
 */
export async function recvmmsg(
  ctx: SyscallContext,
  sock: Socket,
  vec: number,
  vlen: number,
  flags: number,
  timeoutAddr: number,
): Promise<number> {
  const host = ctx.kernel.host;
  let end: number | undefined;
  if (timeoutAddr !== 0) {
    const t = readTimeout(ctx, timeoutAddr);
    if (t < 0) return t;
    end = host.monotonicNs() + t;
  }
  const L = ctx.abi.mmsghdr;
  const n = Math.min(vlen >>> 0, UIO_MAXIOV);
  let f = flags >>> 0;
  let got = 0;
  let err = 0;
  let left = 0;
  while (got < n) {
    const at = vec + got * L.size;
    const r = await recvmsgAt(ctx, sock, at, f & ~MSG_WAITFORONE);
    if (r < 0) {
      err = r;
      break;
    }
    if (!writeU32(ctx.mem, at + L.fields.msg_len.offset, r)) {
      err = EFAULT;
      break;
    }
    got++;
    if (f & MSG_WAITFORONE) f |= MSG_DONTWAIT;
    if (end !== undefined) {
      left = end - host.monotonicNs();
      if (left <= 0) {
        left = 0;
        break;
      }
    }
    const flagsField = ctx.abi.msghdr.fields.msg_flags.offset;
    const mf = copyIn(ctx.mem, at + flagsField, 4);
    if (mf !== null && new DataView(mf.buffer).getUint32(0, true) & MSG_OOB) break;
  }
  if (got > 0 && end !== undefined && !writeTimeout(ctx, timeoutAddr, left)) return EFAULT;
  if (err === 0) return got;
  if (got === 0) return err;
  if (err !== EAGAIN) sock.err = -err;
  return got;
}
