/**
 * SOL_SOCKET options (net/core/sock.c's sk_setsockopt / sk_getsockopt). Values are read and written
 * as the calling ABI lays them out: SO_RCVTIMEO_OLD/SO_SNDTIMEO_OLD use __kernel_old_timeval (16
 * bytes) natively and old_timeval32 (8 bytes) in a compat call; the _NEW variants always the 16-byte
 * __kernel_sock_timeval.
 */
import { ERRNO } from '../abi/errno.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import { type Ucred, ucredBytes } from './scm.js';
import { FOREVER, HZ } from './sock-wait.js';
import type { Socket } from './socket.js';
import * as A from './socket-abi.js';

const EINVAL = -ERRNO.EINVAL;
const EDOM = -ERRNO.EDOM;
const EPERM = -ERRNO.EPERM;
const ENOTCONN = -ERRNO.ENOTCONN;
const ENOPROTOOPT = -ERRNO.ENOPROTOOPT;
const ENODEV = -ERRNO.ENODEV;
const INT_MAX = 0x7fffffff;
const USEC_PER_SEC = 1_000_000;

function intBytes(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, v | 0, true);
  return b;
}

function readInt(val: Uint8Array): number {
  return new DataView(val.buffer, val.byteOffset, 4).getInt32(0, true);
}

function capable(ctx: SyscallContext): boolean {
  return ctx.task.creds.euid === 0;
}

/** The width of a timeval in this call: old_timeval32 (8) for a compat _OLD option, else 16. */
function timevalSize(ctx: SyscallContext, old: boolean): number {
  return old ? ctx.abi.timeval.size : 16;
}

/** sock_set_timeout: the timeout in jiffies, or an errno. */
function setTimeout(ctx: SyscallContext, val: Uint8Array, old: boolean): number {
  const size = timevalSize(ctx, old);
  if (val.length < size) return EINVAL;
  const dv = new DataView(val.buffer, val.byteOffset, val.byteLength);
  const half = size / 2;
  const sec = half === 4 ? dv.getInt32(0, true) : Number(dv.getBigInt64(0, true));
  const usec = half === 4 ? dv.getInt32(4, true) : Number(dv.getBigInt64(8, true));
  if (usec < 0 || usec >= USEC_PER_SEC) return EDOM;
  if (sec < 0) return 0;
  if (sec === 0 && usec === 0) return FOREVER;
  if (sec >= 2 ** 62 / HZ) return FOREVER;
  return sec * HZ + Math.ceil(usec / (USEC_PER_SEC / HZ));
}

/** sock_get_timeout */
function getTimeout(ctx: SyscallContext, jiffies: number, old: boolean): Uint8Array {
  const size = timevalSize(ctx, old);
  const sec = jiffies === FOREVER ? 0 : Math.floor(jiffies / HZ);
  const usec = jiffies === FOREVER ? 0 : ((jiffies % HZ) * USEC_PER_SEC) / HZ;
  const b = new Uint8Array(size);
  const dv = new DataView(b.buffer);
  if (size === 8) {
    dv.setInt32(0, sec, true);
    dv.setInt32(4, usec, true);
  } else {
    dv.setBigInt64(0, BigInt(sec), true);
    dv.setBigInt64(8, BigInt(usec), true);
  }
  return b;
}

/** setsockopt(SOL_SOCKET, …) */
export function sockSetsockopt(ctx: SyscallContext, s: Socket, name: number, val: Uint8Array): number {
  const o = s.opts;
  switch (name) {
    case A.SO_RCVTIMEO_OLD:
    case A.SO_RCVTIMEO_NEW:
    case A.SO_SNDTIMEO_OLD:
    case A.SO_SNDTIMEO_NEW: {
      const old = name === A.SO_RCVTIMEO_OLD || name === A.SO_SNDTIMEO_OLD;
      const t = setTimeout(ctx, val, old);
      if (t < 0) return t;
      if (name === A.SO_RCVTIMEO_OLD || name === A.SO_RCVTIMEO_NEW) o.rcvtimeo = t;
      else o.sndtimeo = t;
      return 0;
    }
    case A.SO_LINGER: {
      if (val.length < 8) return EINVAL;
      const dv = new DataView(val.buffer, val.byteOffset, 8);
      o.linger = dv.getInt32(0, true) === 0 ? undefined : Math.max(0, dv.getInt32(4, true));
      s.optionChanged(name);
      return 0;
    }
    case A.SO_BINDTODEVICE: {
      if (!capable(ctx)) return EPERM;
      const nul = val.indexOf(0);
      const dev = new TextDecoder().decode(val.subarray(0, nul < 0 ? val.length : nul));
      // Only the loopback device is known here; "" unbinds.
      if (dev !== '' && dev !== 'lo') return ENODEV;
      o.bindToDevice = dev;
      return 0;
    }
  }
  if (val.length < 4) return EINVAL;
  const v = readInt(val);
  const on = v !== 0;
  switch (name) {
    case A.SO_DEBUG:
      if (on && !capable(ctx)) return EPERM;
      o.debug = on;
      return 0;
    case A.SO_REUSEADDR:
      o.reuseaddr = on;
      return 0;
    case A.SO_REUSEPORT:
      o.reuseport = on;
      return 0;
    case A.SO_DONTROUTE:
      o.dontroute = on;
      return 0;
    case A.SO_BROADCAST:
      o.broadcast = on;
      s.optionChanged(name);
      return 0;
    case A.SO_SNDBUF:
    case A.SO_SNDBUFFORCE: {
      let n: number;
      if (name === A.SO_SNDBUFFORCE) {
        if (!capable(ctx)) return EPERM;
        n = Math.max(0, v);
      } else {
        n = Math.min(v >>> 0, A.SYSCTL_WMEM_MAX);
      }
      o.sndbuf = Math.max(Math.min(n, INT_MAX / 2) * 2, A.SOCK_MIN_SNDBUF);
      s.optionChanged(name);
      s.wake();
      return 0;
    }
    case A.SO_RCVBUF:
    case A.SO_RCVBUFFORCE: {
      let n: number;
      if (name === A.SO_RCVBUFFORCE) {
        if (!capable(ctx)) return EPERM;
        n = Math.max(0, v);
      } else {
        n = Math.min(v >>> 0, A.SYSCTL_RMEM_MAX);
      }
      o.rcvbuf = Math.max(Math.min(n, INT_MAX / 2) * 2, A.SOCK_MIN_RCVBUF);
      s.optionChanged(name);
      s.wake();
      return 0;
    }
    case A.SO_KEEPALIVE:
      o.keepalive = on;
      s.optionChanged(name);
      return 0;
    case A.SO_OOBINLINE:
      o.oobinline = on;
      return 0;
    case A.SO_NO_CHECK:
      o.noCheck = on;
      return 0;
    case A.SO_PRIORITY:
      if ((v < 0 || v > 6) && !capable(ctx)) return EPERM;
      o.priority = v;
      return 0;
    case A.SO_RCVLOWAT:
      o.rcvlowat = v < 0 ? INT_MAX : v === 0 ? 1 : v;
      s.wake();
      return 0;
    case A.SO_PASSCRED:
      o.passcred = on;
      return 0;
    case A.SO_PASSSEC:
      o.passsec = on;
      return 0;
    case A.SO_TIMESTAMP_OLD:
      o.timestamp = on;
      return 0;
    case A.SO_RXQ_OVFL:
      o.rxqOvfl = on;
      return 0;
    case A.SO_MARK:
      if (!capable(ctx)) return EPERM;
      o.mark = v >>> 0;
      return 0;
    case A.SO_BSDCOMPAT:
      return 0;
    default:
      return ENOPROTOOPT;
  }
}

/** ucred as cred_to_ucred gives it for a socket without a peer: pid 0, ids -1. */
const NO_PEER: Ucred = { pid: 0, uid: 0xffffffff, gid: 0xffffffff };

/** getsockopt(SOL_SOCKET, …): the value's bytes (the caller copies at most its length of them). */
export function sockGetsockopt(ctx: SyscallContext, s: Socket, name: number, len: number): Uint8Array | number {
  const o = s.opts;
  switch (name) {
    case A.SO_DEBUG:
      return intBytes(+o.debug);
    case A.SO_DONTROUTE:
      return intBytes(+o.dontroute);
    case A.SO_BROADCAST:
      return intBytes(+o.broadcast);
    case A.SO_SNDBUF:
      return intBytes(o.sndbuf);
    case A.SO_RCVBUF:
      return intBytes(o.rcvbuf);
    case A.SO_REUSEADDR:
      return intBytes(+o.reuseaddr);
    case A.SO_REUSEPORT:
      return intBytes(+o.reuseport);
    case A.SO_KEEPALIVE:
      return intBytes(+o.keepalive);
    case A.SO_TYPE:
      return intBytes(s.type);
    case A.SO_PROTOCOL:
      return intBytes(s.protocol);
    case A.SO_DOMAIN:
      return intBytes(s.family);
    case A.SO_ERROR:
      return intBytes(-s.takeError());
    case A.SO_OOBINLINE:
      return intBytes(+o.oobinline);
    case A.SO_NO_CHECK:
      return intBytes(+o.noCheck);
    case A.SO_PRIORITY:
      return intBytes(o.priority);
    case A.SO_LINGER: {
      const b = new Uint8Array(8);
      const dv = new DataView(b.buffer);
      dv.setInt32(0, o.linger === undefined ? 0 : 1, true);
      dv.setInt32(4, o.linger ?? 0, true);
      return b;
    }
    case A.SO_BSDCOMPAT:
      return intBytes(0);
    case A.SO_TIMESTAMP_OLD:
      return intBytes(+o.timestamp);
    case A.SO_RCVTIMEO_OLD:
    case A.SO_RCVTIMEO_NEW:
      return getTimeout(ctx, o.rcvtimeo, name === A.SO_RCVTIMEO_OLD);
    case A.SO_SNDTIMEO_OLD:
    case A.SO_SNDTIMEO_NEW:
      return getTimeout(ctx, o.sndtimeo, name === A.SO_SNDTIMEO_OLD);
    case A.SO_RCVLOWAT:
      return intBytes(o.rcvlowat);
    case A.SO_SNDLOWAT:
      return intBytes(1);
    case A.SO_PASSCRED:
      return intBytes(+o.passcred);
    case A.SO_PASSSEC:
      return intBytes(+o.passsec);
    case A.SO_PEERCRED: {
      const c = s.peerCred() ?? NO_PEER;
      return ucredBytes({ pid: c.pid, uid: c.uid, gid: c.gid });
    }
    case A.SO_PEERNAME: {
      const a = s.getname(true);
      if (typeof a === 'number') return ENOTCONN;
      if (a.length < len) return EINVAL;
      return a;
    }
    case A.SO_ACCEPTCONN:
      return intBytes(+s.listening);
    case A.SO_MARK:
      return intBytes(o.mark);
    case A.SO_RXQ_OVFL:
      return intBytes(+o.rxqOvfl);
    case A.SO_INCOMING_CPU:
      return intBytes(-1);
    case A.SO_COOKIE: {
      const b = new Uint8Array(8);
      new DataView(b.buffer).setBigUint64(0, BigInt(s.cookie), true);
      return b;
    }
    case A.SO_BINDTODEVICE: {
      if (o.bindToDevice === '') return new Uint8Array(0);
      return new TextEncoder().encode(`${o.bindToDevice}\0`);
    }
    default:
      return ENOPROTOOPT;
  }
}
