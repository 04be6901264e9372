/**
 * UDP sockets (AF_INET/AF_INET6, SOCK_DGRAM) on host UDP sockets (net/ipv4/udp.c, ipv6/udp.c as
 * user space sees them). The host socket is made at bind(2), or bound to a free port by the first
 * connect/send (autobind). Datagrams that arrive are queued here with their source until read; the
 * queue holds at most SO_RCVBUF worth (more are dropped, as Linux does).
 */
import { ERRNO } from '../abi/errno.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import type { HostNet, HostUdpSocket } from './host-net.js';
import { isAnyAddr, isV4Mapped } from './inet-addr.js';
import { InetOptions, inetGetsockopt, inetSetsockopt, unicastTtl } from './inet-opts.js';
import { EAGAIN, letHostEventsIn, sleepOn, Timeo } from './sock-wait.js';
import { afOf, encodeInet, fromHost, type InetAddr, inetAny, readInetSockaddr, toHost } from './sockaddr.js';
import { type RecvArgs, type RecvResult, type SendArgs, Socket, type SocketEnv } from './socket.js';
import {
  AF_INET,
  AF_UNSPEC,
  IP_TTL,
  IPPROTO_UDP,
  IPV6_UNICAST_HOPS,
  MSG_DONTWAIT,
  MSG_ERRQUEUE,
  MSG_OOB,
  MSG_PEEK,
  MSG_TRUNC,
  POLLERR,
  POLLHUP,
  POLLIN,
  POLLOUT,
  POLLRDHUP,
  POLLRDNORM,
  POLLWRBAND,
  POLLWRNORM,
  RCV_SHUTDOWN,
  SHUTDOWN_MASK,
  SO_BROADCAST,
  SOCK_DGRAM,
  SOL_UDP,
} from './socket-abi.js';
import { truesize } from './unix-socket.js';

const EINVAL = -ERRNO.EINVAL;
const EAFNOSUPPORT = -ERRNO.EAFNOSUPPORT;
const EDESTADDRREQ = -ERRNO.EDESTADDRREQ;
const EMSGSIZE = -ERRNO.EMSGSIZE;
const ENOTCONN = -ERRNO.ENOTCONN;
const EOPNOTSUPP = -ERRNO.EOPNOTSUPP;
const ENOPROTOOPT = -ERRNO.ENOPROTOOPT;
const EFAULT = -ERRNO.EFAULT;
const ENETUNREACH = -ERRNO.ENETUNREACH;

/** UDP_CORK */
const UDP_CORK = 1;

function intBytes(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, v, true);
  return b;
}

/** The largest UDP payload: 65535 − IP header − UDP header (IPv6 has no header checksum to pay). */
const MAX_PAYLOAD_V4 = 65507;
const MAX_PAYLOAD_V6 = 65527;

interface Datagram {
  readonly data: Uint8Array;
  readonly from: InetAddr;
}

export class UdpSocket extends Socket {
  private host: HostUdpSocket | undefined;
  private binding: Promise<number> | undefined;
  private local: InetAddr | undefined;
  private peer: InetAddr | undefined;
  private readonly rx: Datagram[] = [];
  private rxMem = 0;
  readonly inet = new InetOptions();
  private cork = false;
  private readonly env: SocketEnv;

  constructor(
    env: SocketEnv,
    readonly v: 4 | 6,
    flags: number,
  ) {
    super(env, afOf(v), SOCK_DGRAM, IPPROTO_UDP, flags);
    this.env = env;
  }

  private get net(): HostNet {
    const n = this.env.kernel.host.net;
    if (n === undefined) throw new Error('UDP socket without a host network');
    return n;
  }

  /** Binds the host socket to addr (once; concurrent callers share the attempt). */
  private hostBind(addr: InetAddr): Promise<number> {
    this.binding ??= (async () => {
      const h = await this.net.udpBind(
        toHost(addr),
        { ipv6Only: this.inet.v6only, reuseAddr: this.opts.reuseaddr },
        {
          message: (data, from) => this.deliver(data, fromHost(from, this.v)),
          error: (errno) => {
            this.err = -errno;
            this.wake();
          },
        },
      );
      if (typeof h === 'number') {
        this.binding = undefined;
        return h;
      }
      this.host = h;
      this.local = fromHost(h.localAddress(), this.v);
      if (this.opts.broadcast) h.setBroadcast(true);
      if (this.inet.ttl !== -1 || this.inet.hops !== -1) h.setTtl(unicastTtl(this.inet, this.v));
      return 0;
    })();
    return this.binding;
  }

  /** A datagram arrived: queued unless the receive buffer is full or reading is shut down. */
  private deliver(data: Uint8Array, from: InetAddr): void {
    if (this.shutdownBits & RCV_SHUTDOWN) return;
    const cost = truesize(data.length);
    if (this.rxMem + cost > this.opts.rcvbuf) return;
    this.rx.push({ data, from });
    this.rxMem += cost;
    this.wake();
  }

  /** inet_autobind: a free port on the wildcard address. */
  private async autobind(): Promise<number> {
    return this.host !== undefined ? 0 : this.hostBind(inetAny(this.v));
  }

  async bind(_ctx: SyscallContext, raw: Uint8Array): Promise<number> {
    const a = readInetSockaddr(raw, this.v);
    if (a.addr === undefined) return EINVAL;
    if (this.v === 4) {
      if (a.family !== AF_INET && !(a.family === AF_UNSPEC && isAnyAddr(a.addr.addr))) return EAFNOSUPPORT;
    } else {
      if (a.family !== afOf(6)) return EAFNOSUPPORT;
      if (this.inet.v6only && isV4Mapped(a.addr.addr)) return EINVAL;
    }
    if (this.host !== undefined || this.binding !== undefined) return EINVAL;
    return this.hostBind(a.addr);
  }

  /** The checks of ip4_datagram_connect / ip6_datagram_connect (an IPv6 socket takes an AF_INET address). */
  private destination(raw: Uint8Array): InetAddr | number {
    const a = readInetSockaddr(raw, this.v);
    if (this.v === 6 && a.family === AF_INET) {
      if (this.inet.v6only) return EAFNOSUPPORT;
      return a.addr ?? EINVAL;
    }
    if (a.addr === undefined) return EINVAL;
    if (a.family !== afOf(this.v)) return EAFNOSUPPORT;
    return a.addr;
  }

  async connect(_ctx: SyscallContext, raw: Uint8Array): Promise<number> {
    if (raw.length < 2) return EINVAL;
    if ((raw[0]! | (raw[1]! << 8)) === AF_UNSPEC) {
      this.peer = undefined;
      this.host?.disconnect();
      this.wake();
      return 0;
    }
    const to = this.destination(raw);
    if (typeof to === 'number') return to;
    const b = await this.autobind();
    if (b < 0) return b;
    const h = this.host;
    if (h === undefined) return EINVAL;
    if (this.peer !== undefined) h.disconnect();
    const e = await h.connect(toHost(to));
    if (e < 0) return e;
    this.peer = to;
    this.local = fromHost(h.localAddress(), this.v);
    this.wake();
    return 0;
  }

  /** udp_sendmsg / udpv6_sendmsg */
  async sendmsg(_ctx: SyscallContext, m: SendArgs): Promise<number> {
    // inet_send_prepare binds an unbound socket before the protocol looks at anything.
    const b = await this.autobind();
    if (b < 0) return b;
    if (m.flags & MSG_OOB) return EOPNOTSUPP;
    const len = m.src.length;
    if (len > (this.v === 4 ? MAX_PAYLOAD_V4 : MAX_PAYLOAD_V6)) return EMSGSIZE;
    let to: InetAddr | undefined;
    if (m.name !== undefined && m.name.length > 0) {
      const a = readInetSockaddr(m.name, this.v);
      if (this.v === 6 && a.family === AF_INET && this.inet.v6only) return ENETUNREACH;
      if (a.addr === undefined) return EINVAL;
      if (a.family !== AF_UNSPEC && a.family !== AF_INET && a.family !== afOf(this.v)) {
        return this.v === 4 ? EAFNOSUPPORT : EINVAL;
      }
      if (!(this.v === 6 && a.family === AF_UNSPEC)) {
        if (a.addr.port === 0) return EINVAL;
        to = a.addr;
      }
    }
    if (to === undefined && this.peer === undefined) return EDESTADDRREQ;
    const h = this.host;
    if (h === undefined) return EINVAL;
    const data = m.src.copy(0, len);
    if (data === null) return EFAULT;
    const r = await h.send(data, to === undefined ? undefined : toHost(to));
    return r < 0 ? r : len;
  }

  /** udp_recvmsg */
  async recvmsg(ctx: SyscallContext, m: RecvArgs): Promise<RecvResult | number> {
    if (m.flags & MSG_ERRQUEUE) return EAGAIN;
    const timeo = Timeo.of(ctx.kernel.host, this.opts.rcvtimeo, (m.flags & MSG_DONTWAIT) !== 0);
    let polled = false;
    for (;;) {
      const e = this.takeError();
      if (e < 0) return e;
      const d = this.rx[0];
      if (d !== undefined) {
        const peek = (m.flags & MSG_PEEK) !== 0;
        if (!peek) {
          this.rx.shift();
          this.rxMem -= truesize(d.data.length);
        }
        const total = d.data.length;
        const size = Math.min(m.sink.length, total);
        if (size > 0 && !m.sink.put(0, d.data.subarray(0, size))) return EFAULT;
        return {
          n: m.flags & MSG_TRUNC ? total : size,
          flags: size < total ? MSG_TRUNC : 0,
          name: encodeInet(d.from),
        };
      }
      if (this.shutdownBits & RCV_SHUTDOWN) return { n: 0, flags: 0 };
      if (timeo.nonblocking) {
        if (polled || this.host === undefined) return EAGAIN;
        polled = true;
        await letHostEventsIn(ctx.kernel.host);
        continue;
      }
      const r = await sleepOn(ctx.task, this.waitQueue, timeo);
      if (r < 0) return r;
    }
  }

  /** inet_shutdown: an unconnected socket answers ENOTCONN but still shuts down (and wakes readers). */
  shutdown(_ctx: SyscallContext, how: number): number {
    if (how < 0 || how > 2) return EINVAL;
    this.shutdownBits |= how + 1;
    this.wake();
    return this.peer === undefined ? ENOTCONN : 0;
  }

  getname(peer: boolean): Uint8Array | number {
    if (peer) return this.peer === undefined ? ENOTCONN : encodeInet(this.peer);
    return encodeInet(this.local ?? inetAny(this.v));
  }

  /** datagram_poll: always writable. */
  poll(): number {
    let mask = 0;
    if (this.err !== 0) mask |= POLLERR;
    if (this.shutdownBits & RCV_SHUTDOWN) mask |= POLLRDHUP | POLLIN | POLLRDNORM;
    if (this.shutdownBits === SHUTDOWN_MASK) mask |= POLLHUP;
    if (this.rx.length > 0) mask |= POLLIN | POLLRDNORM;
    return mask | POLLOUT | POLLWRNORM | POLLWRBAND;
  }

  /** SIOCINQ: the size of the next datagram. */
  inq(): number {
    return this.rx[0]?.data.length ?? 0;
  }

  override protoGetsockopt(_ctx: SyscallContext, level: number, name: number, len: number): Uint8Array | number {
    if (level === SOL_UDP) return name === UDP_CORK ? intBytes(+this.cork) : ENOPROTOOPT;
    return inetGetsockopt(this.inet, this.info(), level, name, len);
  }

  override protoSetsockopt(_ctx: SyscallContext, level: number, name: number, val: Uint8Array): number {
    if (level === SOL_UDP) {
      if (name !== UDP_CORK) return ENOPROTOOPT;
      if (val.length < 4) return EINVAL;
      // Corking only batches what is sent; each send still goes out on its own here.
      this.cork = new DataView(val.buffer, val.byteOffset, 4).getInt32(0, true) !== 0;
      return 0;
    }
    const e = inetSetsockopt(this.inet, this.info(), level, name, val);
    if (e === 0 && (name === IP_TTL || name === IPV6_UNICAST_HOPS)) this.host?.setTtl(unicastTtl(this.inet, this.v));
    return e;
  }

  private info() {
    return { v: this.v, bound: this.host !== undefined, connected: this.peer !== undefined };
  }

  override optionChanged(name: number): void {
    if (name === SO_BROADCAST) this.host?.setBroadcast(this.opts.broadcast);
  }

  protected destroy(): void {
    this.host?.close();
    this.host = undefined;
    this.rx.length = 0;
    this.rxMem = 0;
    this.shutdownBits = SHUTDOWN_MASK;
  }
}
