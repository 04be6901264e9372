/**
 * Moving data through AF_UNIX sockets (af_unix.c's unix_stream_sendmsg, unix_stream_read_generic,
 * unix_dgram_sendmsg, __unix_dgram_recvmsg). A send allocates while the sender has less than
 * SO_SNDBUF charged (sock_alloc_send_pskb) and waits otherwise; streams split what they send into
 * buffers of at most SO_SNDBUF/2 − 64 bytes, descriptions riding on the first. A stream read joins
 * buffers but never across a buffer that carried descriptions, nor (with SO_PASSCRED) across buffers
 * from different senders.
 */
import { ERRNO } from '../abi/errno.js';
import type { OpenFile } from '../fs/open-file.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import { currentCreds, dropRights, fget, NO_CREDS, type Ucred } from './scm.js';
import { EAGAIN, sleepOn, Timeo } from './sock-wait.js';
import { type RecvArgs, type RecvResult, type SendArgs, sendSigpipe } from './socket.js';
import {
  MSG_DONTWAIT,
  MSG_NOSIGNAL,
  MSG_OOB,
  MSG_PEEK,
  MSG_TRUNC,
  MSG_WAITALL,
  RCV_SHUTDOWN,
  SEND_SHUTDOWN,
  SOCK_SEQPACKET,
} from './socket-abi.js';
import { findOther, validateUnixAddr } from './unix-names.js';
import { mayUnixSend, type Skb, truesize, type UnixSocket } from './unix-socket.js';

const EOPNOTSUPP = -ERRNO.EOPNOTSUPP;
const EISCONN = -ERRNO.EISCONN;
const ENOTCONN = -ERRNO.ENOTCONN;
const EPIPE = -ERRNO.EPIPE;
const EFAULT = -ERRNO.EFAULT;
const EMSGSIZE = -ERRNO.EMSGSIZE;
const ECONNRESET = -ERRNO.ECONNRESET;
const ECONNREFUSED = -ERRNO.ECONNREFUSED;
const EPERM = -ERRNO.EPERM;
const EINVAL = -ERRNO.EINVAL;

const ZERO_CREDS: Ucred = Object.freeze({ pid: 0, uid: 0, gid: 0 });

/** The largest stream buffer: SKB_MAX_HEAD(0) plus UNIX_SKB_FRAGS_SZ. */
const STREAM_SKB_MAX = 3776 + 32768;

/**
 * maybe_add_creds: a message carries the sender's credentials when either end asked for them, or
 * when the receiver is an embryo nobody accepted yet (its options are not known).
 */
function credsFor(ctx: SyscallContext, sk: UnixSocket, other: UnixSocket, given: Ucred | undefined): Ucred | undefined {
  if (given !== undefined) return given;
  return sk.opts.passcred || other.opts.passcred || !other.grafted ? currentCreds(ctx.task) : undefined;
}

/** sock_alloc_send_pskb's wait: until the sender has less than SO_SNDBUF charged. 0, or an errno. */
async function waitForWmem(ctx: SyscallContext, sk: UnixSocket, timeo: Timeo): Promise<number> {
  for (;;) {
    const e = sk.takeError();
    if (e < 0) return e;
    if (sk.shutdownBits & SEND_SHUTDOWN) return EPIPE;
    if (sk.wmem < sk.opts.sndbuf) return 0;
    if (timeo.nonblocking) return EAGAIN;
    const r = await sleepOn(ctx.task, sk.waitQueue, timeo);
    if (r < 0) return r;
  }
}

function queueSkb(other: UnixSocket, skb: Skb): void {
  skb.sender.wmem += skb.truesize;
  other.queue.push(skb);
  other.wake();
}

/** unix_stream_sendmsg */
export async function streamSendmsg(ctx: SyscallContext, sk: UnixSocket, m: SendArgs): Promise<number> {
  let rights = m.scm.rights;
  const out = (sent: number, err: number): number => {
    dropRights(rights);
    return sent > 0 ? sent : err;
  };
  if (m.flags & MSG_OOB) return out(0, EOPNOTSUPP);
  if (m.name !== undefined && m.name.length > 0) return out(0, sk.state === 'established' ? EISCONN : EOPNOTSUPP);
  const other = sk.peer;
  if (other === undefined) return out(0, ENOTCONN);
  const pipe = (sent: number): number => {
    if (sent === 0 && !(m.flags & MSG_NOSIGNAL)) sendSigpipe(ctx);
    return out(sent, EPIPE);
  };
  if (sk.shutdownBits & SEND_SHUTDOWN) return pipe(0);
  const timeo = Timeo.of(ctx.kernel.host, sk.opts.sndtimeo, (m.flags & MSG_DONTWAIT) !== 0);
  const len = m.src.length;
  let sent = 0;
  while (sent < len) {
    const size = Math.min(len - sent, (sk.opts.sndbuf >> 1) - 64, STREAM_SKB_MAX);
    // A failed allocation (sock_alloc_send_pskb) returns its error without SIGPIPE.
    const w = await waitForWmem(ctx, sk, timeo);
    if (w < 0) return out(sent, w);
    const data = m.src.copy(sent, size);
    if (data === null) return out(sent, EFAULT);
    if (other.dead || other.shutdownBits & RCV_SHUTDOWN) return pipe(sent);
    queueSkb(other, {
      data,
      consumed: 0,
      creds: credsFor(ctx, sk, other, m.scm.creds),
      rights,
      sender: sk,
      truesize: truesize(size),
    });
    rights = undefined;
    sent += size;
  }
  return out(sent, 0);
}

function sameCreds(a: Ucred | undefined, b: Ucred | undefined): boolean {
  const x = a ?? NO_CREDS;
  const y = b ?? NO_CREDS;
  return x.pid === y.pid && x.uid === y.uid && x.gid === y.gid;
}

/** sock_rcvlowat: how much a read waits for. */
function rcvTarget(sk: UnixSocket, flags: number, size: number): number {
  const v = flags & MSG_WAITALL ? size : Math.min(sk.opts.rcvlowat, size);
  return v || 1;
}

/** unix_stream_read_generic */
export async function streamRecvmsg(ctx: SyscallContext, sk: UnixSocket, m: RecvArgs): Promise<RecvResult | number> {
  if (sk.state !== 'established') return EINVAL;
  if (m.flags & MSG_OOB) return EOPNOTSUPP;
  const flags = m.flags;
  const size = m.sink.length;
  const target = rcvTarget(sk, flags, size);
  const timeo = Timeo.of(ctx.kernel.host, sk.opts.rcvtimeo, (flags & MSG_DONTWAIT) !== 0);
  let copied = 0;
  let err = 0;
  let creds: Ucred | undefined;
  let checkCreds = false;
  let name: Uint8Array | undefined;
  let rights: OpenFile[] | undefined;
  outer: for (;;) {
    if (copied >= size && size > 0) break;
    let idx = 0;
    let skb = sk.queue[0];
    if (skb === undefined) {
      if (copied >= target) break;
      const e = sk.takeError();
      if (e < 0) {
        err = e;
        break;
      }
      if (sk.shutdownBits & RCV_SHUTDOWN) break;
      if (timeo.nonblocking) {
        err = EAGAIN;
        break;
      }
      const r = await sleepOn(ctx.task, sk.waitQueue, timeo);
      if (r < 0) {
        err = r;
        break;
      }
      continue;
    }
    for (;;) {
      if (checkCreds) {
        if (!sameCreds(skb.creds, creds)) break outer;
      } else if (sk.opts.passcred) {
        creds = skb.creds ?? NO_CREDS;
        checkCreds = true;
      }
      if (skb.sender.addr !== undefined) name = skb.sender.addr.bytes;
      const avail = skb.data.length - skb.consumed;
      const chunk = Math.min(avail, size - copied);
      if (chunk > 0 && !m.sink.put(copied, skb.data.subarray(skb.consumed, skb.consumed + chunk))) {
        if (copied === 0) err = EFAULT;
        break outer;
      }
      copied += chunk;
      if (!(flags & MSG_PEEK)) {
        skb.consumed += chunk;
        if (skb.rights !== undefined) {
          rights = skb.rights;
          skb.rights = undefined;
        }
        if (skb.consumed < skb.data.length) break outer;
        sk.queue.shift();
        sk.freeSkb(skb);
        if (rights !== undefined) break outer;
        break;
      }
      if (skb.rights !== undefined) {
        rights = skb.rights.map(fget);
        break outer;
      }
      idx++;
      const next = sk.queue[idx];
      if (next === undefined || copied >= size) break outer;
      skb = next;
    }
  }
  if (copied === 0 && err < 0) {
    dropRights(rights);
    return err;
  }
  return {
    n: copied,
    flags: 0,
    name,
    // Nothing read: the cookie was zeroed (pid 0, uid 0, gid 0).
    creds: sk.opts.passcred ? (creds ?? ZERO_CREDS) : undefined,
    rights,
  };
}

/** unix_dgram_sendmsg (and, through it, SOCK_SEQPACKET's sends). */
export async function dgramSendmsg(ctx: SyscallContext, sk: UnixSocket, m: SendArgs): Promise<number> {
  const rights = m.scm.rights;
  const fail = (e: number): number => {
    dropRights(rights);
    return e;
  };
  let name = m.name !== undefined && m.name.length > 0 ? m.name : undefined;
  if (sk.type === SOCK_SEQPACKET) {
    const e = sk.takeError();
    if (e < 0) return fail(e);
    if (sk.state !== 'established') return fail(ENOTCONN);
    name = undefined;
  }
  if (m.flags & MSG_OOB) return fail(EOPNOTSUPP);
  let other: UnixSocket | undefined;
  if (name !== undefined) {
    const v = validateUnixAddr(name);
    if (v < 0) return fail(v);
  } else {
    other = sk.peer;
    if (other === undefined) return fail(ENOTCONN);
  }
  if (sk.opts.passcred && sk.addr === undefined) {
    const e = sk.autobind(ctx);
    if (e < 0) return fail(e);
  }
  const len = m.src.length;
  if (len > sk.opts.sndbuf - 32) return fail(EMSGSIZE);
  const timeo = Timeo.of(ctx.kernel.host, sk.opts.sndtimeo, (m.flags & MSG_DONTWAIT) !== 0);
  for (;;) {
    if (sk.wmem < sk.opts.sndbuf) break;
    if (timeo.nonblocking) return fail(EAGAIN);
    const r = await sleepOn(ctx.task, sk.waitQueue, timeo);
    if (r < 0) return fail(r);
  }
  const data = m.src.copy(0, len);
  if (data === null) return fail(EFAULT);
  for (;;) {
    if (other === undefined) {
      if (name === undefined) return fail(ECONNRESET);
      const found = findOther<UnixSocket>(ctx, name, sk.type);
      if (typeof found === 'number') return fail(found);
      other = found;
    }
    if (!mayUnixSend(sk, other)) return fail(EPERM);
    if (other.dead) {
      if (sk.type === SOCK_SEQPACKET) return fail(EPIPE);
      if (sk.peer === other) {
        sk.peer = undefined;
        sk.state = 'close';
        sk.dgramDisconnected(other);
        return fail(ECONNREFUSED);
      }
      other = undefined;
      continue;
    }
    if (other.shutdownBits & RCV_SHUTDOWN) return fail(EPIPE);
    if (other !== sk && other.peer !== sk && other.recvqFull()) {
      if (timeo.nonblocking) return fail(EAGAIN);
      const r = await sleepOn(ctx.task, other.waitQueue, timeo);
      if (r < 0) return fail(r);
      continue;
    }
    queueSkb(other, {
      data,
      consumed: 0,
      creds: credsFor(ctx, sk, other, m.scm.creds),
      rights,
      sender: sk,
      truesize: truesize(len),
    });
    return len;
  }
}

/** __unix_dgram_recvmsg */
export async function dgramRecvmsg(ctx: SyscallContext, sk: UnixSocket, m: RecvArgs): Promise<RecvResult | number> {
  if (m.flags & MSG_OOB) return EOPNOTSUPP;
  const timeo = Timeo.of(ctx.kernel.host, sk.opts.rcvtimeo, (m.flags & MSG_DONTWAIT) !== 0);
  let skb: Skb | undefined;
  for (;;) {
    const e = sk.takeError();
    if (e < 0) return e;
    skb = sk.queue[0];
    if (skb !== undefined) break;
    if (timeo.nonblocking) {
      // A non-blocking SOCK_SEQPACKET read of a closed connection is end of file.
      return sk.type === SOCK_SEQPACKET && sk.shutdownBits & RCV_SHUTDOWN ? eof() : EAGAIN;
    }
    if (sk.shutdownBits & RCV_SHUTDOWN) return eof();
    if (sk.type === SOCK_SEQPACKET && sk.state !== 'established') return ENOTCONN;
    const r = await sleepOn(ctx.task, sk.waitQueue, timeo);
    if (r < 0) return r;
  }
  const peek = (m.flags & MSG_PEEK) !== 0;
  if (!peek) {
    sk.queue.shift();
    sk.freeSkb(skb);
  }
  sk.wake();
  const total = skb.data.length;
  const size = Math.min(m.sink.length, total);
  if (size > 0 && !m.sink.put(0, skb.data.subarray(0, size))) {
    if (!peek) dropRights(skb.rights);
    return EFAULT;
  }
  let rights: OpenFile[] | undefined;
  if (skb.rights !== undefined) {
    if (peek) rights = skb.rights.map(fget);
    else {
      rights = skb.rights;
      skb.rights = undefined;
    }
  }
  return {
    n: m.flags & MSG_TRUNC ? total : size,
    flags: size < total ? MSG_TRUNC : 0,
    name: skb.sender.addr?.bytes,
    creds: sk.opts.passcred ? (skb.creds ?? NO_CREDS) : undefined,
    rights,
  };
}

function eof(): RecvResult {
  return { n: 0, flags: 0 };
}
