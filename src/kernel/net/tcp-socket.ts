/**
 * TCP sockets (AF_INET/AF_INET6, SOCK_STREAM) on host TCP connections (kernel/net/host-net.ts).
 *
 * The socket keeps Linux's user-visible state machine (net/ipv4/af_inet.c, tcp.c): connect with
 * EINPROGRESS/EALREADY/EISCONN, accept, shutdown, half-close, SO_ERROR, EPIPE with SIGPIPE, RST on
 * close with unread data; the host does the protocol. Received bytes are queued here (the host is
 * paused while more than SO_RCVBUF is queued); sent bytes go straight to the host, and a send waits
 * while the host holds SO_SNDBUF bytes not yet handed to its kernel.
 *
 * bind(2) already creates the host's listening socket (Node binds and listens in one step), so the
 * port is taken and getsockname answers at once; connections that arrive before listen(2) are reset.
 * A socket bound and then connected gives its listening socket up and connects from the same address.
 */
import { ERRNO } from '../abi/errno.js';
import { O_NONBLOCK } from '../abi/fcntl.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import type { HostNet, HostTcpEvents, HostTcpListener, HostTcpStream } from './host-net.js';
import { isAnyAddr, isV4Mapped } from './inet-addr.js';
import { InetOptions, inetGetsockopt, inetSetsockopt } from './inet-opts.js';
import { EAGAIN, letHostEventsIn, sleepOn, Timeo } from './sock-wait.js';
import { afOf, encodeInet, fromHost, type InetAddr, inetAny, readInetSockaddr, toHost } from './sockaddr.js';
import { type RecvArgs, type RecvResult, type SendArgs, Socket, type SocketEnv, sendSigpipe } from './socket.js';
import {
  AF_UNSPEC,
  IPPROTO_TCP,
  MSG_DONTWAIT,
  MSG_NOSIGNAL,
  MSG_OOB,
  MSG_PEEK,
  MSG_TRUNC,
  MSG_WAITALL,
  POLLERR,
  POLLHUP,
  POLLIN,
  POLLOUT,
  POLLRDHUP,
  POLLRDNORM,
  POLLWRNORM,
  RCV_SHUTDOWN,
  SEND_SHUTDOWN,
  SHUTDOWN_MASK,
  SO_KEEPALIVE,
  SO_RCVBUF,
  SOCK_STREAM,
  SOL_TCP,
  TCP_RMEM_DEFAULT,
  TCP_WMEM_DEFAULT,
} from './socket-abi.js';
import { TcpOptions, tcpGetsockopt, tcpSetsockopt } from './tcp-opts.js';

const EINVAL = -ERRNO.EINVAL;
const EAFNOSUPPORT = -ERRNO.EAFNOSUPPORT;
const EISCONN = -ERRNO.EISCONN;
const EALREADY = -ERRNO.EALREADY;
const EINPROGRESS = -ERRNO.EINPROGRESS;
const ECONNABORTED = -ERRNO.ECONNABORTED;
const ENOTCONN = -ERRNO.ENOTCONN;
const ENETUNREACH = -ERRNO.ENETUNREACH;
const EPIPE = -ERRNO.EPIPE;
const EFAULT = -ERRNO.EFAULT;

/** The TCP states user space can tell apart. 'bound' is TCP_CLOSE with a port (and a host listener). */
type TcpState = 'close' | 'bound' | 'listen' | 'syn_sent' | 'established';
/** struct socket's state (SS_*), which connect(2)'s answers follow. */
type SockState = 'unconnected' | 'connecting' | 'connected';

export class TcpSocket extends Socket {
  state: TcpState = 'close';
  private sockState: SockState = 'unconnected';
  private local: InetAddr | undefined;
  private listener: HostTcpListener | undefined;
  private stream: HostTcpStream | undefined;
  private readonly acceptQueue: TcpSocket[] = [];
  private readonly rx: Uint8Array[] = [];
  private rxBytes = 0;
  private paused = false;
  /** The connection existed once (a closed one reads EOF, a never-connected one ENOTCONN). */
  private wasConnected = false;
  readonly inet = new InetOptions();
  readonly tcp = new TcpOptions();
  private readonly env: SocketEnv;

  constructor(
    env: SocketEnv,
    readonly v: 4 | 6,
    flags: number,
  ) {
    super(env, afOf(v), SOCK_STREAM, IPPROTO_TCP, flags);
    this.env = env;
    this.opts.sndbuf = TCP_WMEM_DEFAULT;
    this.opts.rcvbuf = TCP_RMEM_DEFAULT;
  }

  private get net(): HostNet {
    const n = this.env.kernel.host.net;
    if (n === undefined) throw new Error('TCP socket without a host network');
    return n;
  }

  override get listening(): boolean {
    return this.state === 'listen';
  }

  private get bound(): boolean {
    return this.local !== undefined;
  }

  /** Host events of a connection, for this socket. */
  private events(): HostTcpEvents {
    return {
      connected: () => {
        this.state = 'established';
        this.wasConnected = true;
        const l = this.stream?.localAddress();
        if (l !== undefined) this.local = fromHost(l, this.v);
        this.wake();
      },
      data: (bytes) => {
        this.rx.push(bytes);
        this.rxBytes += bytes.length;
        if (this.rxBytes > this.opts.rcvbuf && !this.paused) {
          this.paused = true;
          this.stream?.pause();
        }
        this.wake();
      },
      end: () => {
        this.shutdownBits |= RCV_SHUTDOWN;
        this.wake();
      },
      error: (errno) => {
        this.err = -errno;
        this.shutdownBits = SHUTDOWN_MASK;
        this.state = 'close';
        this.wake();
      },
      drain: () => this.wake(),
      closed: () => {
        if (this.state === 'established') this.shutdownBits |= RCV_SHUTDOWN;
        this.wake();
      },
    };
  }

  /** The checks of __inet_bind / __inet6_bind; the endpoint, or an errno. */
  private bindAddr(raw: Uint8Array): InetAddr | number {
    if (this.v === 4) {
      const a = readInetSockaddr(raw, 4);
      if (a.addr === undefined) return EINVAL;
      if (a.family !== afOf(4) && !(a.family === AF_UNSPEC && isAnyAddr(a.addr.addr))) return EAFNOSUPPORT;
      return a.addr;
    }
    const a = readInetSockaddr(raw, 6);
    if (a.addr === undefined) return EINVAL;
    if (a.family !== afOf(6)) return EAFNOSUPPORT;
    if (this.inet.v6only && isV4Mapped(a.addr.addr)) return EINVAL;
    return a.addr;
  }

  async bind(_ctx: SyscallContext, raw: Uint8Array): Promise<number> {
    const addr = this.bindAddr(raw);
    if (typeof addr === 'number') return addr;
    if (this.state !== 'close' || this.bound) return EINVAL;
    return this.hostBind(addr);
  }

  /** Takes the port: a host listener on addr (not yet handing connections over). */
  private async hostBind(addr: InetAddr): Promise<number> {
    const l = await this.net.tcpListen(toHost(addr), { ipv6Only: this.inet.v6only });
    if (typeof l === 'number') return l;
    if (this.state !== 'close' || this.bound) {
      l.close();
      return EINVAL;
    }
    this.listener = l;
    this.local = fromHost(l.localAddress(), this.v);
    this.state = 'bound';
    return 0;
  }

  override async listen(_ctx: SyscallContext, _backlog: number): Promise<number> {
    if (this.sockState !== 'unconnected') return EINVAL;
    // The host listens with its own backlog; the guest's only matters to Linux's SYN queue.
    if (this.state === 'listen') return 0;
    if (this.state !== 'close' && this.state !== 'bound') return EINVAL;
    if (this.listener === undefined) {
      const e = await this.hostBind(inetAny(this.v));
      if (e < 0) return e;
    }
    const l = this.listener;
    if (l === undefined) return EINVAL;
    this.state = 'listen';
    l.onConnection((open) => {
      const child = new TcpSocket(this.env, this.v, 0);
      child.state = 'established';
      child.sockState = 'connected';
      child.wasConnected = true;
      child.opts.rcvbuf = this.opts.rcvbuf;
      child.opts.sndbuf = this.opts.sndbuf;
      child.opts.keepalive = this.opts.keepalive;
      child.tcp.nodelay = this.tcp.nodelay;
      child.stream = open(child.events());
      const la = child.stream.localAddress();
      child.local = la === undefined ? this.local : fromHost(la, this.v);
      if (child.tcp.nodelay) child.stream.setNoDelay(true);
      this.acceptQueue.push(child);
      this.wake();
    });
    return 0;
  }

  override async accept(ctx: SyscallContext, flags: number): Promise<Socket | number> {
    if (this.state !== 'listen') return EINVAL;
    const timeo = Timeo.of(ctx.kernel.host, this.opts.rcvtimeo, (this.flags & O_NONBLOCK) !== 0);
    let polled = false;
    for (;;) {
      const e = this.takeError();
      if (e < 0) return e;
      const child = this.acceptQueue.shift();
      if (child !== undefined) {
        child.flags = (child.flags & ~O_NONBLOCK) | (flags & O_NONBLOCK);
        return child;
      }
      if (timeo.nonblocking) {
        // Let host events that are already due arrive before answering EAGAIN.
        if (polled) return EAGAIN;
        polled = true;
        await letHostEventsIn(ctx.kernel.host);
        continue;
      }
      const r = await sleepOn(ctx.task, this.waitQueue, timeo);
      if (r < 0) return r;
    }
  }

  /** The checks of tcp_v4_connect / tcp_v6_connect. */
  private connectAddr(raw: Uint8Array): InetAddr | number {
    const a = readInetSockaddr(raw, this.v);
    if (a.addr === undefined) return EINVAL;
    if (a.family !== afOf(this.v)) return EAFNOSUPPORT;
    if (this.v === 6 && this.inet.v6only && isV4Mapped(a.addr.addr)) return ENETUNREACH;
    return a.addr;
  }

  /** __inet_stream_connect */
  async connect(ctx: SyscallContext, raw: Uint8Array): Promise<number> {
    if (raw.length < 2) return EINVAL;
    if ((raw[0]! | (raw[1]! << 8)) === AF_UNSPEC) return this.disconnect();
    let err: number;
    switch (this.sockState) {
      case 'connected':
        return EISCONN;
      case 'connecting':
        err = EALREADY;
        break;
      case 'unconnected': {
        if (this.state !== 'close' && this.state !== 'bound') return EISCONN;
        const to = this.connectAddr(raw);
        if (typeof to === 'number') return to;
        const e = this.startConnect(to);
        if (e < 0) return e;
        this.sockState = 'connecting';
        err = EINPROGRESS;
        break;
      }
    }
    const timeo = Timeo.of(ctx.kernel.host, this.opts.sndtimeo, (this.flags & O_NONBLOCK) !== 0);
    while (this.state === 'syn_sent') {
      if (timeo.nonblocking) return err;
      const r = await sleepOn(ctx.task, this.waitQueue, timeo);
      if (r === EAGAIN) return err;
      if (r < 0) return r;
    }
    if (this.state === 'close') {
      const e = this.takeError();
      this.sockState = 'unconnected';
      this.disconnect();
      return e < 0 ? e : ECONNABORTED;
    }
    this.sockState = 'connected';
    return 0;
  }

  private startConnect(to: InetAddr): number {
    let from: InetAddr | undefined;
    if (this.listener !== undefined) {
      from = this.local;
      this.listener.close();
      this.listener = undefined;
    }
    const s = this.net.tcpConnect(
      toHost(to),
      from === undefined ? undefined : toHost(from),
      { ipv6Only: this.inet.v6only },
      this.events(),
    );
    if (typeof s === 'number') return s;
    this.stream = s;
    this.state = 'syn_sent';
    this.shutdownBits = 0;
    if (this.tcp.nodelay) s.setNoDelay(true);
    if (this.opts.keepalive) s.setKeepAlive(true, this.tcp.keepIdle);
    return 0;
  }

  /** tcp_disconnect: back to an unbound, unconnected socket (connect with AF_UNSPEC). */
  private disconnect(): number {
    this.stream?.close(true);
    this.stream = undefined;
    this.listener?.close();
    this.listener = undefined;
    for (const c of this.acceptQueue.splice(0)) c.destroy();
    this.rx.length = 0;
    this.rxBytes = 0;
    this.state = 'close';
    this.sockState = 'unconnected';
    this.local = undefined;
    this.shutdownBits = 0;
    this.wake();
    return 0;
  }

  /** sk_stream_error: EPIPE (from a pending error first) and SIGPIPE for it unless MSG_NOSIGNAL. */
  private streamError(ctx: SyscallContext, flags: number, err: number): number {
    let e = err;
    if (e === EPIPE) {
      const pending = this.takeError();
      if (pending < 0) e = pending;
    }
    if (e === EPIPE && !(flags & MSG_NOSIGNAL)) sendSigpipe(ctx);
    return e;
  }

  /** tcp_sendmsg_locked */
  async sendmsg(ctx: SyscallContext, m: SendArgs): Promise<number> {
    const timeo = Timeo.of(ctx.kernel.host, this.opts.sndtimeo, (m.flags & MSG_DONTWAIT) !== 0);
    // sk_stream_wait_connect
    while (this.state !== 'established') {
      if (this.err !== 0) return this.takeError();
      if (this.state !== 'syn_sent') return this.streamError(ctx, m.flags, EPIPE);
      if (timeo.nonblocking) return EAGAIN;
      const r = await sleepOn(ctx.task, this.waitQueue, timeo);
      if (r < 0) return r;
    }
    const len = m.src.length;
    let sent = 0;
    while (sent < len || len === 0) {
      const s = this.stream;
      if (this.err !== 0 || this.shutdownBits & SEND_SHUTDOWN || s === undefined) {
        return sent > 0 ? sent : this.streamError(ctx, m.flags, EPIPE);
      }
      if (len === 0) return 0;
      const room = this.opts.sndbuf - s.queued;
      if (room <= 0) {
        if (timeo.nonblocking) return sent > 0 ? sent : EAGAIN;
        const r = await sleepOn(ctx.task, this.waitQueue, timeo);
        if (r < 0) return sent > 0 ? sent : r;
        continue;
      }
      const n = Math.min(room, len - sent);
      const data = m.src.copy(sent, n);
      if (data === null) return sent > 0 ? sent : EFAULT;
      s.write(data);
      sent += n;
    }
    return sent;
  }

  /** tcp_recvmsg */
  async recvmsg(ctx: SyscallContext, m: RecvArgs): Promise<RecvResult | number> {
    if (m.flags & MSG_OOB) return EINVAL;
    if (this.state === 'listen') return ENOTCONN;
    const size = m.sink.length;
    const target = m.flags & MSG_WAITALL ? size : Math.min(this.opts.rcvlowat, size) || 1;
    const timeo = Timeo.of(ctx.kernel.host, this.opts.rcvtimeo, (m.flags & MSG_DONTWAIT) !== 0);
    const peek = (m.flags & MSG_PEEK) !== 0;
    let copied = 0;
    let polled = false;
    while (copied < size || size === 0) {
      if (this.rxBytes > (peek ? copied : 0)) {
        const n = this.take(m, copied, size - copied, peek);
        if (n < 0) return copied > 0 ? { n: copied, flags: 0 } : n;
        copied += n;
        if (copied >= target || size === 0) break;
        continue;
      }
      if (copied >= target && copied > 0) break;
      if (copied > 0 && (this.err !== 0 || this.shutdownBits & RCV_SHUTDOWN || this.state === 'close')) break;
      if (this.err !== 0) return this.takeError();
      if (this.shutdownBits & RCV_SHUTDOWN) break;
      if (this.state !== 'established' && this.state !== 'syn_sent') {
        if (!this.wasConnected) return copied > 0 ? { n: copied, flags: 0 } : ENOTCONN;
        break;
      }
      if (timeo.nonblocking) {
        if (!polled) {
          polled = true;
          await letHostEventsIn(ctx.kernel.host);
          continue;
        }
        if (copied > 0) break;
        return EAGAIN;
      }
      const r = await sleepOn(ctx.task, this.waitQueue, timeo);
      if (r < 0) {
        if (copied > 0) break;
        return r;
      }
    }
    return { n: copied, flags: 0 };
  }

  /** Copies (or with MSG_TRUNC skips) up to n queued bytes to logical offset `at` of the sink. */
  private take(m: RecvArgs, at: number, n: number, peek: boolean): number {
    let done = 0;
    let i = 0;
    let skip = peek ? at : 0;
    while (done < n && i < this.rx.length) {
      const c = this.rx[i]!;
      if (skip >= c.length) {
        skip -= c.length;
        i++;
        continue;
      }
      const k = Math.min(c.length - skip, n - done);
      if (!(m.flags & MSG_TRUNC) && !m.sink.put(at + done, c.subarray(skip, skip + k))) return done > 0 ? done : EFAULT;
      done += k;
      if (peek) {
        skip = 0;
        i++;
      } else if (skip + k === c.length) {
        this.rx.shift();
      } else {
        this.rx[0] = c.subarray(k);
      }
    }
    if (!peek) {
      this.rxBytes -= done;
      if (this.paused && this.rxBytes <= this.opts.rcvbuf / 2) {
        this.paused = false;
        this.stream?.resume();
      }
    }
    return done;
  }

  /** inet_shutdown */
  shutdown(_ctx: SyscallContext, how: number): number {
    const mode = how + 1;
    if (how < 0 || how > 2) return EINVAL;
    switch (this.state) {
      case 'close':
      case 'bound':
        this.shutdownBits |= mode;
        this.wake();
        return ENOTCONN;
      case 'listen':
        if (mode & RCV_SHUTDOWN) this.disconnect();
        return 0;
      case 'syn_sent':
        this.disconnect();
        this.sockState = 'unconnected';
        return 0;
      case 'established':
        this.shutdownBits |= mode;
        if (mode & SEND_SHUTDOWN) this.stream?.shutdownWrite();
        this.wake();
        return 0;
    }
  }

  getname(peer: boolean): Uint8Array | number {
    if (peer) {
      const r = this.state === 'established' ? this.stream?.remoteAddress() : undefined;
      return r === undefined ? ENOTCONN : encodeInet(fromHost(r, this.v));
    }
    return encodeInet(this.local ?? inetAny(this.v));
  }

  /** tcp_poll */
  poll(): number {
    if (this.state === 'listen') return this.acceptQueue.length > 0 ? POLLIN | POLLRDNORM : 0;
    let mask = 0;
    const closed = this.state === 'close' || this.state === 'bound';
    if (this.shutdownBits === SHUTDOWN_MASK || closed) mask |= POLLHUP;
    if (this.shutdownBits & RCV_SHUTDOWN) mask |= POLLIN | POLLRDNORM | POLLRDHUP;
    if (this.state !== 'syn_sent') {
      if (this.rxBytes > 0) mask |= POLLIN | POLLRDNORM;
      const s = this.stream;
      if (this.shutdownBits & SEND_SHUTDOWN || s === undefined || s.queued < this.opts.sndbuf) {
        mask |= POLLOUT | POLLWRNORM;
      }
    }
    if (this.err !== 0) mask |= POLLERR;
    return mask;
  }

  inq(): number {
    return this.state === 'listen' ? 0 : this.rxBytes;
  }

  override outq(): number {
    return this.stream?.queued ?? 0;
  }

  override protoGetsockopt(_ctx: SyscallContext, level: number, name: number, len: number): Uint8Array | number {
    if (level === SOL_TCP) return tcpGetsockopt(this.tcp, this.tcpInfo(), name, len);
    return inetGetsockopt(this.inet, this.info(), level, name, len);
  }

  override protoSetsockopt(_ctx: SyscallContext, level: number, name: number, val: Uint8Array): number {
    if (level === SOL_TCP) {
      const e = tcpSetsockopt(this.tcp, name, val);
      if (e === 0) {
        this.stream?.setNoDelay(this.tcp.nodelay);
        if (this.opts.keepalive) this.stream?.setKeepAlive(true, this.tcp.keepIdle);
      }
      return e;
    }
    return inetSetsockopt(this.inet, this.info(), level, name, val);
  }

  private info() {
    return { v: this.v, bound: this.bound, connected: this.state === 'established' };
  }

  private tcpInfo() {
    return { state: this.state, connected: this.state === 'established' };
  }

  override optionChanged(name: number): void {
    if (name === SO_KEEPALIVE) this.stream?.setKeepAlive(this.opts.keepalive, this.tcp.keepIdle);
    if (name === SO_RCVBUF && this.paused && this.rxBytes <= this.opts.rcvbuf / 2) {
      this.paused = false;
      this.stream?.resume();
    }
  }

  /** Close: a reset when unread data is dropped or SO_LINGER is on with time 0 (tcp_close), else a FIN after the queued data. */
  protected destroy(): void {
    this.listener?.close();
    this.listener = undefined;
    for (const c of this.acceptQueue.splice(0)) c.destroy();
    const reset = this.rxBytes > 0 || this.opts.linger === 0;
    this.stream?.close(reset);
    this.stream = undefined;
    this.rx.length = 0;
    this.rxBytes = 0;
    this.state = 'close';
    this.shutdownBits = SHUTDOWN_MASK;
  }
}
