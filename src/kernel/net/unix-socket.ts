/**
 * AF_UNIX sockets (net/unix/af_unix.c): SOCK_STREAM, SOCK_SEQPACKET and SOCK_DGRAM inside the
 * emulator. This module keeps a socket's state and the connection operations (bind, listen, connect,
 * accept, socketpair, shutdown, close, poll); unix-io.ts moves the data.
 *
 * As in Linux, a connect to a listening socket makes the server's end at once (an "embryo", already
 * connected and writable by the client) and queues it for accept(2); a listener closed with embryos
 * queued resets their clients. Messages are queued at the receiver as skbs that remember their
 * sender, credentials and descriptions in flight; the sender is charged their size (sk_wmem_alloc)
 * until they are read, which is what blocks a sender whose peer does not read.
 */
import { ERRNO } from '../abi/errno.js';
import { O_NONBLOCK } from '../abi/fcntl.js';
import type { OpenFile } from '../fs/open-file.js';
import type { Kernel } from '../kernel.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import { dropRights, peerCredsOf, type Ucred } from './scm.js';
import { sleepOn, Timeo } from './sock-wait.js';
import { type Maybe, type RecvArgs, type RecvResult, type SendArgs, Socket } from './socket.js';
import {
  AF_UNIX,
  AF_UNSPEC,
  POLLERR,
  POLLHUP,
  POLLIN,
  POLLOUT,
  POLLRDHUP,
  POLLRDNORM,
  POLLWRBAND,
  POLLWRNORM,
  RCV_SHUTDOWN,
  SEND_SHUTDOWN,
  SHUTDOWN_MASK,
  SOCK_DGRAM,
  SOCK_SEQPACKET,
  SOCK_STREAM,
  SOMAXCONN,
  SYSCTL_MAX_DGRAM_QLEN,
} from './socket-abi.js';
import { dgramRecvmsg, dgramSendmsg, streamRecvmsg, streamSendmsg } from './unix-io.js';
import {
  autobind,
  bindAbstract,
  bindPath,
  findOther,
  type UnixAddress,
  unbind,
  validateUnixAddr,
} from './unix-names.js';

const EINVAL = -ERRNO.EINVAL;
const EOPNOTSUPP = -ERRNO.EOPNOTSUPP;
const ECONNREFUSED = -ERRNO.ECONNREFUSED;
const ECONNRESET = ERRNO.ECONNRESET;
const EISCONN = -ERRNO.EISCONN;
const ENOTCONN = -ERRNO.ENOTCONN;
const EPERM = -ERRNO.EPERM;
const EAGAIN = -ERRNO.EAGAIN;

/** One queued message (sk_buff with its UNIXCB). */
export interface Skb {
  readonly data: Uint8Array;
  /** Stream sockets: bytes already read. */
  consumed: number;
  /** The credentials recorded with it; undefined when none were (pid NULL, ids unset). */
  readonly creds: Ucred | undefined;
  /** Descriptions in flight (each with its own reference). */
  rights: OpenFile[] | undefined;
  readonly sender: UnixSocket;
  /** What the sender is charged while it is queued. */
  readonly truesize: number;
}

/** SKB_TRUESIZE of a buffer of len bytes: data rounded to a cache line, plus the sk_buff and skb_shared_info. */
export function truesize(len: number): number {
  return Math.ceil(len / 64) * 64 + 576;
}

export type UnixState = 'close' | 'listen' | 'established';

export class UnixSocket extends Socket {
  state: UnixState = 'close';
  addr: UnixAddress | undefined;
  peer: UnixSocket | undefined;
  /** sk_receive_queue: messages (or, listening, nothing: embryos wait in `embryos`). */
  readonly queue: Skb[] = [];
  readonly embryos: UnixSocket[] = [];
  /** sk_max_ack_backlog: listen's backlog, or net.unix.max_dgram_qlen for a datagram receiver. */
  backlog = SYSCTL_MAX_DGRAM_QLEN;
  /** sk_peer_pid/sk_peer_cred (SO_PEERCRED). */
  peerCreds: Ucred | undefined;
  /** SOCK_DEAD: released. */
  dead = false;
  /** sk_wmem_alloc: what this socket's queued messages cost. */
  wmem = 0;
  /** Has a struct socket (sk_socket): false for an embryo until accept(2) takes it. */
  grafted = true;
  readonly kernel: Kernel;

  constructor(ctx: SyscallContext, type: number, flags: number) {
    super(ctx, AF_UNIX, type, 0, flags);
    this.kernel = ctx.kernel;
  }

  get isConnectionBased(): boolean {
    return this.type === SOCK_STREAM || this.type === SOCK_SEQPACKET;
  }

  override get listening(): boolean {
    return this.state === 'listen';
  }

  override peerCred(): Ucred | undefined {
    return this.peerCreds;
  }

  /** A queued message was taken or dropped: its sender gets the space back (unix_write_space). */
  freeSkb(skb: Skb): void {
    skb.sender.wmem -= skb.truesize;
    skb.sender.wake();
  }

  bind(ctx: SyscallContext, raw: Uint8Array): number {
    if (raw.length === 2 && (raw[0]! | (raw[1]! << 8)) === AF_UNIX) return this.autobind(ctx);
    const v = validateUnixAddr(raw);
    if (v < 0) return v;
    if (raw[2] !== 0) {
      const a = bindPath(ctx, this, raw, this.addr !== undefined);
      if (typeof a === 'number') return a;
      this.addr = a;
      return 0;
    }
    if (this.addr !== undefined) return EINVAL;
    const a = bindAbstract(ctx.kernel, this, raw);
    if (typeof a === 'number') return a;
    this.addr = a;
    return 0;
  }

  /** unix_autobind: no-op when already named. */
  autobind(ctx: SyscallContext): number {
    if (this.addr !== undefined) return 0;
    const a = autobind(ctx.kernel, this);
    if (typeof a === 'number') return a;
    this.addr = a;
    return 0;
  }

  override listen(ctx: SyscallContext, backlog: number): number {
    if (!this.isConnectionBased) return EOPNOTSUPP;
    if (this.addr === undefined) return EINVAL;
    if (this.state !== 'close' && this.state !== 'listen') return EINVAL;
    const b = backlog >>> 0 > SOMAXCONN ? SOMAXCONN : backlog;
    if (b > this.backlog) this.wake();
    this.backlog = b;
    this.state = 'listen';
    this.peerCreds = peerCredsOf(ctx.task);
    return 0;
  }

  connect(ctx: SyscallContext, raw: Uint8Array): Maybe<number> {
    return this.isConnectionBased ? this.streamConnect(ctx, raw) : this.dgramConnect(ctx, raw);
  }

  /** unix_stream_connect */
  private async streamConnect(ctx: SyscallContext, raw: Uint8Array): Promise<number> {
    const v = validateUnixAddr(raw);
    if (v < 0) return v;
    if (this.opts.passcred && this.addr === undefined) {
      const e = this.autobind(ctx);
      if (e < 0) return e;
    }
    const timeo = Timeo.of(ctx.kernel.host, this.opts.sndtimeo, (this.flags & O_NONBLOCK) !== 0);
    for (;;) {
      const other = findOther<UnixSocket>(ctx, raw, this.type);
      if (typeof other === 'number') return other;
      if (other.state !== 'listen' || other.shutdownBits & RCV_SHUTDOWN) return ECONNREFUSED;
      if (other.embryos.length > other.backlog) {
        if (timeo.nonblocking) return EAGAIN;
        const r = await sleepOn(ctx.task, other.waitQueue, timeo);
        if (r < 0) return r;
        continue;
      }
      if (this.state !== 'close') return this.state === 'established' ? EISCONN : EINVAL;
      const embryo = new UnixSocket(ctx, this.type, 0);
      embryo.grafted = false;
      embryo.state = 'established';
      embryo.peer = this;
      embryo.peerCreds = peerCredsOf(ctx.task);
      embryo.addr = other.addr;
      this.peerCreds = other.peerCreds;
      this.state = 'established';
      this.peer = embryo;
      other.embryos.push(embryo);
      other.wake();
      this.wake();
      return 0;
    }
  }

  /** unix_dgram_connect: sets (or with AF_UNSPEC clears) the only peer this socket sends to and hears from. */
  private dgramConnect(ctx: SyscallContext, raw: Uint8Array): number {
    if (raw.length < 2) return EINVAL;
    let other: UnixSocket | undefined;
    if ((raw[0]! | (raw[1]! << 8)) !== AF_UNSPEC) {
      const v = validateUnixAddr(raw);
      if (v < 0) return v;
      if (this.opts.passcred && this.addr === undefined) {
        const e = this.autobind(ctx);
        if (e < 0) return e;
      }
      const found = findOther<UnixSocket>(ctx, raw, this.type);
      if (typeof found === 'number') return found;
      if (!mayUnixSend(this, found)) return EPERM;
      this.state = 'established';
      found.state = 'established';
      other = found;
    }
    const old = this.peer;
    this.peer = other;
    if (old !== undefined) {
      if (other === undefined) this.state = 'close';
      if (other !== old) {
        this.dgramDisconnected(old);
        if (old.peer === undefined) old.state = 'close';
      }
      this.wake();
    }
    return 0;
  }

  /** unix_dgram_disconnected: messages from the old peer are dropped; a peer connected back learns ECONNRESET. */
  dgramDisconnected(old: UnixSocket): void {
    if (this.queue.length === 0) return;
    this.purgeQueue();
    this.wake();
    if (!old.dead && old.peer === this) {
      old.err = ECONNRESET;
      old.wake();
    }
  }

  private purgeQueue(): void {
    for (const skb of this.queue.splice(0)) {
      dropRights(skb.rights);
      skb.rights = undefined;
      this.freeSkb(skb);
    }
  }

  /** socketpair: two sockets joined back to back, both with the caller's credentials as peer's. */
  static pair(ctx: SyscallContext, type: number, flags: number): [UnixSocket, UnixSocket] {
    const a = new UnixSocket(ctx, type, flags);
    const b = new UnixSocket(ctx, type, flags);
    a.peer = b;
    b.peer = a;
    a.peerCreds = peerCredsOf(ctx.task);
    b.peerCreds = peerCredsOf(ctx.task);
    a.state = 'established';
    b.state = 'established';
    return [a, b];
  }

  /** unix_accept: takes the oldest embryo, waiting (SO_RCVTIMEO) unless non-blocking. */
  override async accept(ctx: SyscallContext, flags: number): Promise<Socket | number> {
    if (!this.isConnectionBased) return EOPNOTSUPP;
    if (this.state !== 'listen') return EINVAL;
    const timeo = Timeo.of(ctx.kernel.host, this.opts.rcvtimeo, (this.flags & O_NONBLOCK) !== 0);
    for (;;) {
      const e = this.takeError();
      if (e < 0) return e;
      const tsk = this.embryos.shift();
      if (tsk !== undefined) {
        this.wake();
        tsk.flags = (tsk.flags & ~O_NONBLOCK) | (flags & O_NONBLOCK);
        tsk.grafted = true;
        if (this.opts.passcred) tsk.opts.passcred = true;
        if (this.opts.passsec) tsk.opts.passsec = true;
        return tsk;
      }
      if (this.shutdownBits & RCV_SHUTDOWN) return EINVAL;
      const r = await sleepOn(ctx.task, this.waitQueue, timeo);
      if (r < 0) return r;
    }
  }

  sendmsg(ctx: SyscallContext, m: SendArgs): Maybe<number> {
    return this.type === SOCK_STREAM ? streamSendmsg(ctx, this, m) : dgramSendmsg(ctx, this, m);
  }

  recvmsg(ctx: SyscallContext, m: RecvArgs): Maybe<RecvResult | number> {
    if (this.type === SOCK_STREAM) return streamRecvmsg(ctx, this, m);
    if (this.type === SOCK_SEQPACKET && this.state !== 'established') return ENOTCONN;
    return dgramRecvmsg(ctx, this, m);
  }

  /** unix_shutdown: a connection's peer gets the mirror image (our SHUT_WR is its end of input). */
  shutdown(_ctx: SyscallContext, how: number): number {
    if (how < 0 || how > 2) return EINVAL;
    const mode = how + 1;
    this.shutdownBits |= mode;
    const other = this.peer;
    this.wake();
    if (other !== undefined && this.isConnectionBased) {
      let peerMode = 0;
      if (mode & RCV_SHUTDOWN) peerMode |= SEND_SHUTDOWN;
      if (mode & SEND_SHUTDOWN) peerMode |= RCV_SHUTDOWN;
      other.shutdownBits |= peerMode;
      other.wake();
    }
    return 0;
  }

  getname(peer: boolean): Uint8Array | number {
    const s = peer ? this.peer : this;
    if (s === undefined) return ENOTCONN;
    if (s.addr === undefined) return Uint8Array.of(AF_UNIX, 0);
    return s.addr.bytes.slice();
  }

  /** unix_writable: not listening, and at most a quarter of the send buffer in use. */
  writable(): boolean {
    return this.state !== 'listen' && this.wmem * 4 <= this.opts.sndbuf;
  }

  /** unix_recvq_full: a datagram receiver with more than its backlog queued. */
  recvqFull(): boolean {
    return this.queue.length > this.backlog;
  }

  poll(): number {
    let mask = 0;
    const shut = this.shutdownBits;
    if (this.err !== 0) mask |= POLLERR;
    if (shut & RCV_SHUTDOWN) mask |= POLLRDHUP | POLLIN | POLLRDNORM;
    if (shut === SHUTDOWN_MASK) mask |= POLLHUP;
    if (this.queue.length > 0 || this.embryos.length > 0) mask |= POLLIN | POLLRDNORM;
    if (this.type === SOCK_STREAM) {
      if (this.state === 'close') mask |= POLLHUP;
      if (this.writable()) mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
      return mask;
    }
    if (this.type === SOCK_SEQPACKET && this.state === 'close') mask |= POLLHUP;
    let writable = this.writable();
    const other = this.peer;
    if (writable && other !== undefined && other.peer !== this && other.recvqFull() && !other.dead) writable = false;
    if (writable) mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
    return mask;
  }

  inq(): number {
    if (this.state === 'listen') return 0;
    if (this.type === SOCK_DGRAM) return this.queue[0]?.data.length ?? 0;
    let n = 0;
    for (const skb of this.queue) n += skb.data.length - skb.consumed;
    return n;
  }

  override outq(): number {
    return this.wmem;
  }

  /** unix_release_sock */
  protected destroy(): void {
    this.releaseSock(false);
  }

  private releaseSock(embryo: boolean): void {
    if (this.dead) return;
    unbind(this.kernel, this, this.addr);
    this.shutdownBits = SHUTDOWN_MASK;
    const wasListening = this.state === 'listen';
    this.state = 'close';
    const pair = this.peer;
    this.peer = undefined;
    this.dead = true;
    this.wake();
    if (pair !== undefined && this.isConnectionBased) {
      pair.shutdownBits = SHUTDOWN_MASK;
      if (this.queue.length > 0 || embryo) pair.err = ECONNRESET;
      pair.wake();
    }
    this.purgeQueue();
    if (wasListening) for (const e of this.embryos.splice(0)) e.releaseSock(true);
  }
}

/** unix_may_send: the receiver is unconnected or connected to us. */
export function mayUnixSend(sk: UnixSocket, other: UnixSocket): boolean {
  return other.peer === undefined || other.peer === sk;
}
