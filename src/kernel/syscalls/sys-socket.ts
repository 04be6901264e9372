/**
 * The socket calls (net/socket.c): socket, socketpair, bind, listen, accept, accept4, connect,
 * getsockname, getpeername, sendto, recvfrom, setsockopt, getsockopt, shutdown, sendmsg, recvmsg,
 * sendmmsg, recvmmsg. The families live in kernel/net/ (AF_UNIX in the emulator, AF_INET/AF_INET6 on
 * host sockets). Every structure goes through ctx.abi, so the compat table shares these handlers
 * (compat-rows.ts: socketcall is not in the EABI table, the individual calls are).
 */
import { ERRNO } from '../abi/errno.js';
import { createPair, createSocket } from '../net/create.js';
import { recvmmsg, recvmsgAt, sendmmsg, sendmsgAt } from '../net/msg-calls.js';
import { GuestSink, GuestSource } from '../net/msg-io.js';
import { MAX_RW_COUNT } from '../net/msghdr.js';
import { dropRights } from '../net/scm.js';
import { sockGetsockopt, sockSetsockopt } from '../net/sock-opts.js';
import { addrFromUser, addrToUser } from '../net/sockaddr.js';
import { isSocket, type Socket } from '../net/socket.js';
import { SOCK_CLOEXEC, SOCK_NONBLOCK, SOCK_TYPE_MASK, SOL_SOCKET } from '../net/socket-abi.js';
import type { SyscallContext, SyscallSpec } from './syscall-types.js';
import { copyIn, copyOut, readU32, writeU32 } from './uaccess.js';

const EBADF = -ERRNO.EBADF;
const ENOTSOCK = -ERRNO.ENOTSOCK;
const EINVAL = -ERRNO.EINVAL;
const EFAULT = -ERRNO.EFAULT;
const ECONNABORTED = -ERRNO.ECONNABORTED;

/** Longest option value copied in (setsockopt's optlen beyond it is not read). */
const OPTVAL_MAX = 65536;

type Result = number | Promise<number>;

/** sockfd_lookup: -EBADF for no description, -ENOTSOCK for one that is not a socket. */
function sockOf(ctx: SyscallContext, fd: number): Socket | number {
  const f = ctx.task.files.get(fd);
  if (f === undefined) return EBADF;
  return isSocket(f) ? f : ENOTSOCK;
}

function then<T>(r: T | Promise<T>, f: (x: T) => number): Result {
  return r instanceof Promise ? r.then(f) : f(r);
}

/** socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol) */
function sysSocket(ctx: SyscallContext, a: readonly number[]): number {
  const [family, rawType, protocol] = a as [number, number, number];
  const flags = rawType & ~SOCK_TYPE_MASK;
  if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) return EINVAL;
  const s = createSocket(ctx, family, rawType & SOCK_TYPE_MASK, protocol, flags & SOCK_NONBLOCK);
  if (typeof s === 'number') return s;
  const fd = ctx.task.files.install(s, (flags & SOCK_CLOEXEC) !== 0);
  if (fd < 0) s.release?.();
  return fd;
}

function sysSocketpair(ctx: SyscallContext, a: readonly number[]): number {
  const [family, rawType, protocol, usv] = a as [number, number, number, number];
  const flags = rawType & ~SOCK_TYPE_MASK;
  if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) return EINVAL;
  const pair = createPair(ctx, family, rawType & SOCK_TYPE_MASK, protocol, flags & SOCK_NONBLOCK);
  if (typeof pair === 'number') return pair;
  const cloexec = (flags & SOCK_CLOEXEC) !== 0;
  const files = ctx.task.files;
  const fd1 = files.install(pair[0], cloexec);
  if (fd1 < 0) {
    pair[0].release?.();
    pair[1].release?.();
    return fd1;
  }
  const fd2 = files.install(pair[1], cloexec);
  if (fd2 < 0) {
    files.close(fd1);
    pair[1].release?.();
    return fd2;
  }
  const out = new Uint8Array(8);
  const dv = new DataView(out.buffer);
  dv.setInt32(0, fd1, true);
  dv.setInt32(4, fd2, true);
  if (!copyOut(ctx.mem, usv, out)) {
    files.close(fd1);
    files.close(fd2);
    return EFAULT;
  }
  return 0;
}

function sysBind(ctx: SyscallContext, a: readonly number[]): Result {
  const s = sockOf(ctx, a[0]!);
  if (typeof s === 'number') return s;
  const addr = addrFromUser(ctx.mem, a[1]!, a[2]!);
  if (typeof addr === 'number') return addr;
  return s.bind(ctx, addr);
}

function sysConnect(ctx: SyscallContext, a: readonly number[]): Result {
  const s = sockOf(ctx, a[0]!);
  if (typeof s === 'number') return s;
  const addr = addrFromUser(ctx.mem, a[1]!, a[2]!);
  if (typeof addr === 'number') return addr;
  return s.connect(ctx, addr);
}

function sysListen(ctx: SyscallContext, a: readonly number[]): Result {
  const s = sockOf(ctx, a[0]!);
  if (typeof s === 'number') return s;
  return s.listen(ctx, a[1]!);
}

/** accept4: the new socket's fd; its peer's address when asked (ECONNABORTED when it has none left). */
function accept4(ctx: SyscallContext, fd: number, upeer: number, ulen: number, flags: number): Result {
  if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) return EINVAL;
  const s = sockOf(ctx, fd);
  if (typeof s === 'number') return s;
  return then(s.accept(ctx, flags & SOCK_NONBLOCK), (n) => {
    if (typeof n === 'number') return n;
    if (upeer !== 0) {
      const name = n.getname(true);
      if (typeof name === 'number') {
        n.release?.();
        return ECONNABORTED;
      }
      const e = addrToUser(ctx.mem, name, upeer, ulen);
      if (e < 0) {
        n.release?.();
        return e;
      }
    }
    const newfd = ctx.task.files.install(n, (flags & SOCK_CLOEXEC) !== 0);
    if (newfd < 0) n.release?.();
    return newfd;
  });
}

function getname(ctx: SyscallContext, a: readonly number[], peer: boolean): number {
  const s = sockOf(ctx, a[0]!);
  if (typeof s === 'number') return s;
  const name = s.getname(peer);
  if (typeof name === 'number') return name;
  return addrToUser(ctx.mem, name, a[1]!, a[2]!);
}

/** sendto: buf/len as one segment (capped at MAX_RW_COUNT), an address when addr is given. */
function sysSendto(ctx: SyscallContext, a: readonly number[]): Result {
  const [fd, buf, len, flags, addr, addrlen] = a as [number, number, number, number, number, number];
  const s = sockOf(ctx, fd);
  if (typeof s === 'number') return s;
  const n = Math.min(len, MAX_RW_COUNT);
  let name: Uint8Array | undefined;
  if (addr !== 0) {
    const b = addrFromUser(ctx.mem, addr, addrlen | 0);
    if (typeof b === 'number') return b;
    name = b;
  }
  return s.sendmsg(ctx, {
    src: new GuestSource(ctx.mem, [{ addr: buf, len: n }], n),
    name,
    scm: { rights: undefined, creds: undefined },
    flags: s.ioFlags(flags >>> 0),
  });
}

/** recvfrom: no control data (descriptions that arrive are closed); the source address when addr is given. */
function sysRecvfrom(ctx: SyscallContext, a: readonly number[]): Result {
  const [fd, buf, len, flags, addr, addrlenp] = a as [number, number, number, number, number, number];
  const s = sockOf(ctx, fd);
  if (typeof s === 'number') return s;
  const n = Math.min(len, MAX_RW_COUNT);
  return then(
    s.recvmsg(ctx, { sink: new GuestSink(ctx.mem, [{ addr: buf, len: n }], n), flags: s.ioFlags(flags >>> 0) }),
    (r) => {
      if (typeof r === 'number') return r;
      dropRights(r.rights);
      if (addr !== 0) {
        const e = addrToUser(ctx.mem, r.name ?? new Uint8Array(0), addr, addrlenp);
        if (e < 0) return e;
      }
      return r.n;
    },
  );
}

function sysSetsockopt(ctx: SyscallContext, a: readonly number[]): Result {
  const [fd, level, name, optval, optlen] = a as [number, number, number, number, number];
  const s = sockOf(ctx, fd);
  if (typeof s === 'number') return s;
  if (optlen < 0) return EINVAL;
  const val = copyIn(ctx.mem, optval, Math.min(optlen, OPTVAL_MAX));
  if (val === null) return EFAULT;
  if (level === SOL_SOCKET) return sockSetsockopt(ctx, s, name, val);
  return s.protoSetsockopt(ctx, level, name, val);
}

/** getsockopt: at most *optlen bytes of the value; *optlen becomes what was copied. */
function sysGetsockopt(ctx: SyscallContext, a: readonly number[]): number {
  const [fd, level, name, optval, optlenp] = a as [number, number, number, number, number];
  const s = sockOf(ctx, fd);
  if (typeof s === 'number') return s;
  const raw = readU32(ctx.mem, optlenp);
  if (raw === null) return EFAULT;
  const len = raw | 0;
  if (len < 0) return EINVAL;
  const v = level === SOL_SOCKET ? sockGetsockopt(ctx, s, name, len) : s.protoGetsockopt(ctx, level, name, len);
  if (typeof v === 'number') return v;
  const n = Math.min(len, v.length);
  if (n > 0 && !copyOut(ctx.mem, optval, v, 0, n)) return EFAULT;
  return writeU32(ctx.mem, optlenp, n) ? 0 : EFAULT;
}

function sysShutdown(ctx: SyscallContext, a: readonly number[]): number {
  const s = sockOf(ctx, a[0]!);
  if (typeof s === 'number') return s;
  return s.shutdown(ctx, a[1]!);
}

function withSock(fn: (ctx: SyscallContext, s: Socket, a: readonly number[]) => Result) {
  return (ctx: SyscallContext, a: readonly number[]): Result => {
    const s = sockOf(ctx, a[0]!);
    return typeof s === 'number' ? s : fn(ctx, s, a);
  };
}

export const SOCKET_SYSCALLS: readonly SyscallSpec[] = [
  {
    name: 'socket',
    args: ['int', 'int', 'int'],
    handler: sysSocket,
    level: 'partial',
    note: 'AF_UNIX (stream, dgram, seqpacket) and AF_INET/AF_INET6 TCP and UDP; others EAFNOSUPPORT, raw sockets EPERM',
  },
  { name: 'socketpair', args: ['int', 'int', 'int', 'ptr'], handler: sysSocketpair },
  { name: 'bind', args: ['fd', 'ptr', 'int'], handler: sysBind },
  { name: 'listen', args: ['fd', 'int'], handler: sysListen },
  {
    name: 'accept',
    args: ['fd', 'ptr', 'ptr'],
    handler: (ctx, a) => accept4(ctx, a[0]!, a[1]!, a[2]!, 0),
  },
  {
    name: 'accept4',
    args: ['fd', 'ptr', 'ptr', 'hex'],
    handler: (ctx, a) => accept4(ctx, a[0]!, a[1]!, a[2]!, a[3]! >>> 0),
  },
  { name: 'connect', args: ['fd', 'ptr', 'int'], handler: sysConnect },
  { name: 'getsockname', args: ['fd', 'ptr', 'ptr'], handler: (ctx, a) => getname(ctx, a, false) },
  { name: 'getpeername', args: ['fd', 'ptr', 'ptr'], handler: (ctx, a) => getname(ctx, a, true) },
  { name: 'sendto', args: ['fd', 'buf_in', 'size', 'hex', 'ptr', 'int'], handler: sysSendto },
  { name: 'recvfrom', args: ['fd', 'buf_out', 'size', 'hex', 'ptr', 'ptr'], handler: sysRecvfrom },
  {
    name: 'setsockopt',
    args: ['fd', 'int', 'int', 'ptr', 'int'],
    handler: sysSetsockopt,
    compatAware: true,
    level: 'partial',
    note: 'SOL_SOCKET, IP, IPv6 and TCP options kept with their checks; filters (SO_ATTACH_FILTER) ENOPROTOOPT',
  },
  {
    name: 'getsockopt',
    args: ['fd', 'int', 'int', 'ptr', 'ptr'],
    handler: sysGetsockopt,
    compatAware: true,
  },
  { name: 'shutdown', args: ['fd', 'int'], handler: sysShutdown },
  {
    name: 'sendmsg',
    args: ['fd', 'ptr', 'hex'],
    handler: withSock((ctx, s, a) => sendmsgAt(ctx, s, a[1]!, a[2]!)),
    compatAware: true,
  },
  {
    name: 'recvmsg',
    args: ['fd', 'ptr', 'hex'],
    handler: withSock((ctx, s, a) => recvmsgAt(ctx, s, a[1]!, a[2]!)),
    compatAware: true,
  },
  {
    name: 'sendmmsg',
    args: ['fd', 'ptr', 'uint', 'hex'],
    handler: withSock((ctx, s, a) => sendmmsg(ctx, s, a[1]!, a[2]!, a[3]!)),
    compatAware: true,
  },
  {
    name: 'recvmmsg',
    args: ['fd', 'ptr', 'uint', 'hex', 'ptr'],
    handler: withSock((ctx, s, a) => recvmmsg(ctx, s, a[1]!, a[2]!, a[3]!, a[4]!)),
    compatAware: true,
  },
];
