/**
 * IPPROTO_IP and IPPROTO_IPV6 options of TCP and UDP sockets (net/ipv4/ip_sockglue.c,
 * net/ipv6/ipv6_sockglue.c). compat64 keeps their values with Linux's defaults and checks; the host
 * socket gets the few that change what it does (the TTL of UDP). An IPv6 socket takes SOL_IP options
 * too. Other levels: an IPv4 socket's getsockopt says EOPNOTSUPP and its setsockopt ENOPROTOOPT
 * (ip_getsockopt / ip_setsockopt), an IPv6 socket's both ENOPROTOOPT.
 */
import { ERRNO } from '../abi/errno.js';
import {
  IP_FREEBIND,
  IP_MTU,
  IP_MTU_DISCOVER,
  IP_MULTICAST_LOOP,
  IP_MULTICAST_TTL,
  IP_OPTIONS,
  IP_PKTINFO,
  IP_RECVERR,
  IP_RECVOPTS,
  IP_RECVTOS,
  IP_RECVTTL,
  IP_TOS,
  IP_TTL,
  IPV6_MULTICAST_HOPS,
  IPV6_MULTICAST_LOOP,
  IPV6_RECVPKTINFO,
  IPV6_TCLASS,
  IPV6_UNICAST_HOPS,
  IPV6_V6ONLY,
  SOL_IP,
  SOL_IPV6,
} from './socket-abi.js';

const EINVAL = -ERRNO.EINVAL;
const ENOPROTOOPT = -ERRNO.ENOPROTOOPT;
const ENOTCONN = -ERRNO.ENOTCONN;
const EOPNOTSUPP = -ERRNO.EOPNOTSUPP;

/** net.ipv4.ip_default_ttl and the IPv6 hop_limit. */
const DEFAULT_TTL = 64;
/** IP_PMTUDISC_WANT (net.ipv4.ip_no_pmtu_disc = 0) */
const PMTUDISC_WANT = 1;

export class InetOptions {
  tos = 0;
  /** -1: the system default. */
  ttl = -1;
  recverr = false;
  pktinfo = false;
  recvttl = false;
  recvtos = false;
  recvopts = false;
  freebind = false;
  mtuDiscover = PMTUDISC_WANT;
  mcastTtl = 1;
  mcastLoop = true;
  v6only = false;
  hops = -1;
  mcastHops = 1;
  mcastLoop6 = true;
  recvpktinfo6 = false;
  tclass = 0;
}

/** What an option call needs to know about its socket. */
export interface InetSockInfo {
  readonly v: 4 | 6;
  /** The socket has a local port (inet_num): IPV6_V6ONLY can no longer change. */
  readonly bound: boolean;
  /** The socket is connected (IP_MTU needs a route). */
  readonly connected: boolean;
}

function readInt(val: Uint8Array): number | undefined {
  if (val.length >= 4) return new DataView(val.buffer, val.byteOffset, 4).getInt32(0, true);
  // ip_setsockopt takes a single byte for the byte-sized options.
  if (val.length >= 1) return val[0];
  return undefined;
}

function intBytes(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, v | 0, true);
  return b;
}

/** setsockopt at SOL_IP / SOL_IPV6: 0 or an errno. */
export function inetSetsockopt(o: InetOptions, s: InetSockInfo, level: number, name: number, val: Uint8Array): number {
  if (level !== SOL_IP && (level !== SOL_IPV6 || s.v === 4)) return ENOPROTOOPT;
  if (level === SOL_IP && name === IP_OPTIONS) return val.length <= 40 ? 0 : EINVAL;
  const v = readInt(val);
  if (v === undefined) return EINVAL;
  if (level === SOL_IPV6 && val.length < 4) return EINVAL;
  const on = v !== 0;
  if (level === SOL_IP) {
    switch (name) {
      case IP_TOS:
        o.tos = v & 0xff;
        return 0;
      case IP_TTL:
        if (v !== -1 && (v < 1 || v > 255)) return EINVAL;
        o.ttl = v;
        return 0;
      case IP_RECVERR:
        o.recverr = on;
        return 0;
      case IP_PKTINFO:
        o.pktinfo = on;
        return 0;
      case IP_RECVTTL:
        o.recvttl = on;
        return 0;
      case IP_RECVTOS:
        o.recvtos = on;
        return 0;
      case IP_RECVOPTS:
        o.recvopts = on;
        return 0;
      case IP_FREEBIND:
        o.freebind = on;
        return 0;
      case IP_MTU_DISCOVER:
        if (v < 0 || v > 5) return EINVAL;
        o.mtuDiscover = v;
        return 0;
      case IP_MULTICAST_TTL:
        if (v === -1) o.mcastTtl = 1;
        else if (v < 0 || v > 255) return EINVAL;
        else o.mcastTtl = v;
        return 0;
      case IP_MULTICAST_LOOP:
        o.mcastLoop = on;
        return 0;
      default:
        return ENOPROTOOPT;
    }
  }
  switch (name) {
    case IPV6_V6ONLY:
      if (s.bound) return EINVAL;
      o.v6only = on;
      return 0;
    case IPV6_UNICAST_HOPS:
      if (v > 255 || v < -1) return EINVAL;
      o.hops = v;
      return 0;
    case IPV6_MULTICAST_HOPS:
      if (v > 255 || v < -1) return EINVAL;
      o.mcastHops = v === -1 ? 1 : v;
      return 0;
    case IPV6_MULTICAST_LOOP:
      if (v !== 0 && v !== 1) return EINVAL;
      o.mcastLoop6 = on;
      return 0;
    case IPV6_RECVPKTINFO:
      o.recvpktinfo6 = on;
      return 0;
    case IPV6_TCLASS:
      if (v < -1 || v > 0xff) return EINVAL;
      o.tclass = v === -1 ? 0 : v;
      return 0;
    default:
      return ENOPROTOOPT;
  }
}

/**
 * getsockopt at SOL_IP / SOL_IPV6. do_ip_getsockopt answers a caller whose buffer is shorter than an
 * int with one byte when the value fits in one.
 */
export function inetGetsockopt(
  o: InetOptions,
  s: InetSockInfo,
  level: number,
  name: number,
  len: number,
): Uint8Array | number {
  if (level !== SOL_IP && (level !== SOL_IPV6 || s.v === 4)) return s.v === 4 ? EOPNOTSUPP : ENOPROTOOPT;
  let v: number;
  if (level === SOL_IP) {
    switch (name) {
      case IP_OPTIONS:
        return new Uint8Array(0);
      case IP_TOS:
        v = o.tos;
        break;
      case IP_TTL:
        v = o.ttl === -1 ? DEFAULT_TTL : o.ttl;
        break;
      case IP_RECVERR:
        v = +o.recverr;
        break;
      case IP_PKTINFO:
        v = +o.pktinfo;
        break;
      case IP_RECVTTL:
        v = +o.recvttl;
        break;
      case IP_RECVTOS:
        v = +o.recvtos;
        break;
      case IP_RECVOPTS:
        v = +o.recvopts;
        break;
      case IP_FREEBIND:
        v = +o.freebind;
        break;
      case IP_MTU_DISCOVER:
        v = o.mtuDiscover;
        break;
      case IP_MTU:
        // Only loopback is certain: its MTU.
        if (!s.connected) return ENOTCONN;
        v = 65536;
        break;
      case IP_MULTICAST_TTL:
        v = o.mcastTtl;
        break;
      case IP_MULTICAST_LOOP:
        v = +o.mcastLoop;
        break;
      default:
        return ENOPROTOOPT;
    }
    if (len < 4 && len > 0 && v >= 0 && v <= 255) return Uint8Array.of(v);
    return intBytes(v);
  }
  switch (name) {
    case IPV6_V6ONLY:
      return intBytes(+o.v6only);
    case IPV6_UNICAST_HOPS:
      return intBytes(o.hops < 0 ? DEFAULT_TTL : o.hops);
    case IPV6_MULTICAST_HOPS:
      return intBytes(o.mcastHops);
    case IPV6_MULTICAST_LOOP:
      return intBytes(+o.mcastLoop6);
    case IPV6_RECVPKTINFO:
      return intBytes(+o.recvpktinfo6);
    case IPV6_TCLASS:
      return intBytes(o.tclass);
    default:
      return ENOPROTOOPT;
  }
}

/** The unicast TTL a host socket should use (IP_TTL, or IPV6_UNICAST_HOPS for IPv6). */
export function unicastTtl(o: InetOptions, v: 4 | 6): number {
  const t = v === 4 ? o.ttl : o.hops;
  return t < 0 ? DEFAULT_TTL : t;
}
