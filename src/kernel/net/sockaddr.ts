/**
 * Socket addresses across the user boundary (net/socket.c's move_addr_to_kernel/move_addr_to_user)
 * and the IP address records the inet sockets keep. AF_UNIX addresses stay raw bytes: Linux stores
 * and returns them exactly as given (unix-names.ts interprets them).
 */
import type { AddressSpace } from '../../memory/address-space.js';
import { ERRNO } from '../abi/errno.js';
import { copyIn, copyOut, readU32, writeU32 } from '../syscalls/uaccess.js';
import type { HostInetAddr } from './host-net.js';
import { formatIPv4, formatIPv6, isV4Mapped, parseIPv4, parseIPv6, v4Mapped } from './inet-addr.js';
import { AF_INET, AF_INET6, SOCKADDR_STORAGE_SIZE } from './socket-abi.js';

const EINVAL = -ERRNO.EINVAL;
const EFAULT = -ERRNO.EFAULT;

/** move_addr_to_kernel: len must be 0…sizeof(sockaddr_storage); the bytes, or -EINVAL / -EFAULT. */
export function addrFromUser(mem: AddressSpace, addr: number, len: number): Uint8Array | number {
  if (len < 0 || len > SOCKADDR_STORAGE_SIZE) return EINVAL;
  if (len === 0) return new Uint8Array(0);
  return copyIn(mem, addr, len) ?? EFAULT;
}

/**
 * move_addr_to_user: copies at most *ulen bytes of the address and stores its full length in *ulen
 * (so a caller sees when its buffer was too small). A negative *ulen is -EINVAL.
 */
export function addrToUser(mem: AddressSpace, kaddr: Uint8Array, uaddr: number, ulenPtr: number): number {
  const raw = readU32(mem, ulenPtr);
  if (raw === null) return EFAULT;
  let len = raw | 0;
  if (len > kaddr.length) len = kaddr.length;
  if (len < 0) return EINVAL;
  if (len > 0 && !copyOut(mem, uaddr, kaddr, 0, len)) return EFAULT;
  return writeU32(mem, ulenPtr, kaddr.length) ? 0 : EFAULT;
}

/** sa_family of raw address bytes (0 when too short to hold one). */
export function familyOf(b: Uint8Array): number {
  return b.length >= 2 ? b[0]! | (b[1]! << 8) : 0;
}

/** An IP endpoint as an inet socket keeps it: the address bytes in network order. */
export interface InetAddr {
  readonly family: 4 | 6;
  /** 4 or 16 bytes. */
  readonly addr: Uint8Array;
  readonly port: number;
  readonly flowinfo: number;
  readonly scopeId: number;
}

export const SOCKADDR_IN_SIZE = 16;
export const SOCKADDR_IN6_SIZE = 28;
/** SIN6_LEN_RFC2133: a sockaddr_in6 without sin6_scope_id, still accepted. */
export const SIN6_LEN_RFC2133 = 24;

export function inetAny(family: 4 | 6, port = 0): InetAddr {
  return { family, addr: new Uint8Array(family === 4 ? 4 : 16), port, flowinfo: 0, scopeId: 0 };
}

function be16(b: Uint8Array, at: number): number {
  return (b[at]! << 8) | b[at + 1]!;
}

function be32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

/** The endpoint in a sockaddr_in (len ≥ 16, family not checked). */
export function decodeIn(b: Uint8Array): InetAddr {
  return { family: 4, addr: b.slice(4, 8), port: be16(b, 2), flowinfo: 0, scopeId: 0 };
}

/** The endpoint in a sockaddr_in6 (len ≥ 24, family not checked). */
export function decodeIn6(b: Uint8Array): InetAddr {
  const scopeId = b.length >= SOCKADDR_IN6_SIZE ? (b[24]! | (b[25]! << 8) | (b[26]! << 16) | (b[27]! << 24)) >>> 0 : 0;
  return { family: 6, addr: b.slice(8, 24), port: be16(b, 2), flowinfo: be32(b, 4), scopeId };
}

/** sockaddr_in / sockaddr_in6 bytes of an endpoint. */
export function encodeInet(a: InetAddr): Uint8Array {
  if (a.family === 4) {
    const b = new Uint8Array(SOCKADDR_IN_SIZE);
    b[0] = AF_INET;
    b[2] = a.port >> 8;
    b[3] = a.port & 0xff;
    b.set(a.addr.subarray(0, 4), 4);
    return b;
  }
  const b = new Uint8Array(SOCKADDR_IN6_SIZE);
  b[0] = AF_INET6;
  b[2] = a.port >> 8;
  b[3] = a.port & 0xff;
  const dv = new DataView(b.buffer);
  dv.setUint32(4, a.flowinfo >>> 0, false);
  b.set(a.addr.subarray(0, 16), 8);
  dv.setUint32(24, a.scopeId >>> 0, true);
  return b;
}

/** The host's view of an endpoint. An IPv6 socket talking to IPv4 uses the v4-mapped form. */
export function toHost(a: InetAddr): HostInetAddr {
  return a.family === 4
    ? { family: 4, address: formatIPv4(a.addr), port: a.port }
    : { family: 6, address: formatIPv6(a.addr), port: a.port };
}

/**
 * An endpoint the host reported, as a socket of `family` shows it: an IPv6 socket sees IPv4 peers
 * v4-mapped, an IPv4 socket sees v4-mapped text as plain IPv4.
 */
export function fromHost(h: HostInetAddr, family: 4 | 6): InetAddr {
  let addr: Uint8Array;
  if (h.family === 4 || h.address.includes('.')) {
    const text = h.address.startsWith('::ffff:') ? h.address.slice(7) : h.address;
    const v4 = parseIPv4(text) ?? new Uint8Array(4);
    addr = family === 4 ? v4 : v4Mapped(v4);
  } else {
    const v6 = parseIPv6(h.address) ?? new Uint8Array(16);
    addr = family === 6 ? v6 : isV4Mapped(v6) ? v6.slice(12, 16) : new Uint8Array(4);
  }
  return { family, addr, port: h.port, flowinfo: 0, scopeId: 0 };
}

/** The two ways an inet call reads an address: its family, and the endpoint when the length allows. */
export interface InetSockaddr {
  readonly family: number;
  readonly addr: InetAddr | undefined;
}

/**
 * Reads raw address bytes for an inet socket of version v: sockaddr_in needs 16 bytes, sockaddr_in6
 * 24 (SIN6_LEN_RFC2133). An AF_INET address given to an IPv6 socket becomes its v4-mapped form
 * (the callers that accept one say so).
 */
export function readInetSockaddr(raw: Uint8Array, v: 4 | 6): InetSockaddr {
  const family = familyOf(raw);
  if (family === AF_INET && raw.length >= SOCKADDR_IN_SIZE) {
    const a = decodeIn(raw);
    return { family, addr: v === 4 ? a : { ...a, family: 6, addr: v4Mapped(a.addr) } };
  }
  if (family === AF_INET6 && raw.length >= SIN6_LEN_RFC2133 && v === 6) return { family, addr: decodeIn6(raw) };
  // AF_UNSPEC and the rest: read as the socket's own family when long enough.
  if (v === 4 && raw.length >= SOCKADDR_IN_SIZE) return { family, addr: decodeIn(raw) };
  if (v === 6 && raw.length >= SIN6_LEN_RFC2133) return { family, addr: decodeIn6(raw) };
  return { family, addr: undefined };
}

/** The family number of an inet socket version. */
export function afOf(v: 4 | 6): number {
  return v === 4 ? AF_INET : AF_INET6;
}
