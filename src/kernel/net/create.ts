/**
 * socket(2) and socketpair(2)'s families and types (net/socket.c __sock_create, af_unix.c
 * unix_create, af_inet.c inet_create, af_inet6.c inet6_create): which (family, type, protocol)
 * triples exist and the errno for each one that does not.
 */
import { ERRNO } from '../abi/errno.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import type { Socket } from './socket.js';
import {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  IPPROTO_ICMP,
  IPPROTO_ICMPV6,
  IPPROTO_IP,
  IPPROTO_TCP,
  IPPROTO_UDP,
  SOCK_DGRAM,
  SOCK_MAX,
  SOCK_RAW,
  SOCK_SEQPACKET,
  SOCK_STREAM,
} from './socket-abi.js';
import { TcpSocket } from './tcp-socket.js';
import { UdpSocket } from './udp-socket.js';
import { UnixSocket } from './unix-socket.js';

const EAFNOSUPPORT = -ERRNO.EAFNOSUPPORT;
const EINVAL = -ERRNO.EINVAL;
const EPROTONOSUPPORT = -ERRNO.EPROTONOSUPPORT;
const ESOCKTNOSUPPORT = -ERRNO.ESOCKTNOSUPPORT;
const EOPNOTSUPP = -ERRNO.EOPNOTSUPP;
const EPERM = -ERRNO.EPERM;
const EACCES = -ERRNO.EACCES;
/** NPROTO / AF_MAX */
const AF_MAX = 46;

/** A new socket of the given kind with description flags (O_NONBLOCK), or the errno Linux gives. */
export function createSocket(
  ctx: SyscallContext,
  family: number,
  type: number,
  protocol: number,
  flags: number,
): Socket | number {
  if (family < 0 || family >= AF_MAX) return EAFNOSUPPORT;
  if (type < 0 || type >= SOCK_MAX) return EINVAL;
  switch (family) {
    case AF_UNIX:
      if (protocol !== 0 && protocol !== AF_UNIX) return EPROTONOSUPPORT;
      if (type === SOCK_STREAM || type === SOCK_DGRAM || type === SOCK_SEQPACKET) {
        return new UnixSocket(ctx, type, flags);
      }
      // BSD has AF_UNIX SOCK_RAW and so does Linux: a datagram socket.
      if (type === SOCK_RAW) return new UnixSocket(ctx, SOCK_DGRAM, flags);
      return ESOCKTNOSUPPORT;
    case AF_INET:
    case AF_INET6:
      return createInet(ctx, family === AF_INET ? 4 : 6, type, protocol, flags);
    default:
      return EAFNOSUPPORT;
  }
}

/** inet_create's table walk over the protocols compat64 has (TCP, UDP) and those it knows to refuse. */
function createInet(ctx: SyscallContext, v: 4 | 6, type: number, protocol: number, flags: number): Socket | number {
  if (ctx.kernel.host.net === undefined) return EAFNOSUPPORT;
  const icmp = v === 4 ? IPPROTO_ICMP : IPPROTO_ICMPV6;
  switch (type) {
    case SOCK_STREAM:
      if (protocol === IPPROTO_IP || protocol === IPPROTO_TCP) return new TcpSocket(ctx, v, flags);
      return EPROTONOSUPPORT;
    case SOCK_DGRAM:
      if (protocol === IPPROTO_IP || protocol === IPPROTO_UDP) return new UdpSocket(ctx, v, flags);
      // Ping sockets: net.ipv4.ping_group_range is "1 0" (nobody) by default.
      if (protocol === icmp) return EACCES;
      return EPROTONOSUPPORT;
    case SOCK_RAW:
      return EPERM;
    default:
      return ESOCKTNOSUPPORT;
  }
}

/** socketpair(2): only AF_UNIX has one (others: EOPNOTSUPP, after the family and type checks). */
export function createPair(
  ctx: SyscallContext,
  family: number,
  type: number,
  protocol: number,
  flags: number,
): [Socket, Socket] | number {
  if (family !== AF_UNIX) {
    const s = createSocket(ctx, family, type, protocol, flags);
    if (typeof s === 'number') return s;
    s.release?.();
    return EOPNOTSUPP;
  }
  if (protocol !== 0 && protocol !== AF_UNIX) return EPROTONOSUPPORT;
  if (type < 0 || type >= SOCK_MAX) return EINVAL;
  const t = type === SOCK_RAW ? SOCK_DGRAM : type;
  if (t !== SOCK_STREAM && t !== SOCK_DGRAM && t !== SOCK_SEQPACKET) return ESOCKTNOSUPPORT;
  return UnixSocket.pair(ctx, t, flags);
}
