/**
 * SENDMSG, RECVMSG, SEND, RECV, ACCEPT and CONNECT (io_uring/net.c) through the socket layer's own
 * calls (net/msg-calls.ts and the Socket methods). SENDMSG/RECVMSG parse the msghdr in the ring's
 * latched ABI: the 28-byte compat_msghdr (compat iovecs, 12-byte cmsg headers) on a compat ring.
 * As in 6.1, every send and receive carries MSG_NOSIGNAL; the inline attempt adds MSG_DONTWAIT and
 * one that would block waits for the socket's readiness, unless the SQE itself said MSG_DONTWAIT.
 */
import { POLLIN, POLLOUT } from '../fs/poll-mask.js';
import { recvmsgAt, sendmsgAt } from '../net/msg-calls.js';
import { GuestSink, GuestSource } from '../net/msg-io.js';
import { dropRights } from '../net/scm.js';
import { addrFromUser, addrToUser } from '../net/sockaddr.js';
import { isSocket, type Socket } from '../net/socket.js';
import { MSG_DONTWAIT, MSG_NOSIGNAL, MSG_WAITALL, SOCK_CLOEXEC, SOCK_NONBLOCK } from '../net/socket-abi.js';
import { MAX_RW_COUNT } from '../syscalls/sys-fs-common.js';
import { selectBuffer } from './ops-buffers.js';
import { nonblocking, type OpEnv, type OpResult, retryWhenReady } from './op-env.js';
import { IORING_OP } from './opcodes.js';
import type { Request } from './request.js';

const EINTR = -4;
const EINVAL = -22;
const ENOTSOCK = -88;
const ENOBUFS = -105;
const ECONNABORTED = -103;
/** IORING_RECVSEND_POLL_FIRST: wait for readiness before the first attempt (same outcome here). */
const IORING_RECVSEND_POLL_FIRST = 1;
const IOSQE_BUFFER_SELECT = 1 << 5;

function socketOf(req: Request): Socket | number {
  const f = req.file!;
  return isSocket(f) ? f : ENOTSOCK;
}

function netResult(r: number): number {
  return r >= -516 && r <= -512 ? EINTR : r;
}

/** io_sendmsg_prep / io_recvmsg_prep: sqe->ioprio holds the IORING_RECVSEND_* flags. */
export function prepSendRecv(_env: OpEnv, req: Request): number {
  const s = req.sqe;
  // Multishot receives and zero-copy sends are not implemented.
  if (s.ioprio & ~IORING_RECVSEND_POLL_FIRST) return EINVAL;
  if (s.opcode === IORING_OP.SENDMSG || s.opcode === IORING_OP.RECVMSG) {
    if (s.off !== 0 || s.fileIndex !== 0) return EINVAL;
  }
  return 0;
}

/** SENDMSG, RECVMSG, SEND, RECV. */
export function issueSendRecv(env: OpEnv, req: Request): OpResult {
  const s = req.sqe;
  const op = s.opcode;
  const send = op === IORING_OP.SENDMSG || op === IORING_OP.SEND;
  const sock = socketOf(req);
  if (typeof sock === 'number') return sock;
  const userFlags = (s.opFlags | MSG_NOSIGNAL) >>> 0;
  const ctx = env.ctx;
  let len = Math.min(s.len, MAX_RW_COUNT);
  let buf = s.addr;
  if (s.flags & IOSQE_BUFFER_SELECT) {
    // RECV takes the group's next buffer; RECVMSG's buffer selection is not implemented.
    if (op !== IORING_OP.RECV) return ENOBUFS;
    const b = selectBuffer(env, req, s.len);
    if (typeof b === 'number') return b;
    buf = b.addr;
    len = b.len;
  }
  if (userFlags & MSG_WAITALL) req.expect = op === IORING_OP.SEND || op === IORING_OP.RECV ? len : undefined;
  let name: Uint8Array | undefined;
  if (op === IORING_OP.SEND && s.off !== 0) {
    // SEND with sqe->addr2: a destination, sqe->addr_len its length (sendto).
    const b = addrFromUser(ctx.mem, s.off, s.fileIndex & 0xffff);
    if (typeof b === 'number') return b;
    name = b;
  }
  const once = (flags: number): number | Promise<number> => {
    switch (op) {
      case IORING_OP.SENDMSG:
        return sendmsgAt(ctx, sock, s.addr, flags);
      case IORING_OP.RECVMSG:
        return recvmsgAt(ctx, sock, s.addr, flags);
      case IORING_OP.SEND: {
        const r = sock.sendmsg(ctx, {
          src: new GuestSource(ctx.mem, [{ addr: s.addr, len }], len),
          name,
          scm: { rights: undefined, creds: undefined },
          flags: sock.ioFlags(flags),
        });
        return r;
      }
      default: {
        const r = sock.recvmsg(ctx, {
          sink: new GuestSink(ctx.mem, [{ addr: buf, len }], len),
          flags: sock.ioFlags(flags),
        });
        const done = (v: Awaited<typeof r>): number => {
          if (typeof v === 'number') return v;
          dropRights(v.rights);
          return v.n;
        };
        return r instanceof Promise ? r.then(done) : done(r);
      }
    }
  };
  const attempt = (): number | Promise<number> => {
    const r = once(userFlags | MSG_DONTWAIT);
    return typeof r === 'number' ? netResult(r) : r.then(netResult);
  };
  if (userFlags & MSG_DONTWAIT) return attempt();
  return retryWhenReady(env, req, sock, send ? POLLOUT : POLLIN, attempt);
}

/** io_accept_prep. */
export function prepAccept(_env: OpEnv, req: Request): number {
  const s = req.sqe;
  if (s.len !== 0 || s.bufIndex !== 0) return EINVAL;
  // Multishot accepts (IORING_ACCEPT_MULTISHOT in ioprio) are not implemented.
  if (s.ioprio !== 0) return EINVAL;
  if (s.opFlags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) return EINVAL;
  // Direct descriptors (sqe->file_index) need a fixed-file table slot allocator compat64 lacks.
  if (s.fileIndex !== 0) return EINVAL;
  return 0;
}

/** io_accept: the new socket installed at the lowest free fd (SOCK_CLOEXEC, SOCK_NONBLOCK honoured). */
export function issueAccept(env: OpEnv, req: Request): OpResult {
  const s = req.sqe;
  const flags = s.opFlags;
  const sock = socketOf(req);
  if (typeof sock === 'number') return sock;
  const ctx = env.ctx;
  const installed = (n: Socket | number): number => {
    if (typeof n === 'number') return n;
    if (s.addr !== 0) {
      const name = n.getname(true);
      if (typeof name === 'number') {
        n.release?.();
        return ECONNABORTED;
      }
      const e = addrToUser(ctx.mem, name, s.addr, s.off);
      if (e < 0) {
        n.release?.();
        return e;
      }
    }
    const fd = ctx.task.files.install(n, (flags & SOCK_CLOEXEC) !== 0);
    if (fd < 0) n.release?.();
    return fd;
  };
  const attempt = (): number | Promise<number> => {
    const r = nonblocking(sock, () => sock.accept(ctx, flags & SOCK_NONBLOCK));
    return r instanceof Promise ? r.then(installed) : installed(r);
  };
  return retryWhenReady(env, req, sock, POLLIN, attempt);
}

/** io_connect_prep: the checks, and the address copied in now (move_addr_to_kernel). */
export function prepConnect(env: OpEnv, req: Request): number {
  const s = req.sqe;
  if (s.len !== 0 || s.bufIndex !== 0 || s.opFlags !== 0 || s.fileIndex !== 0) return EINVAL;
  const a = addrFromUser(env.ctx.mem, s.addr, s.off | 0);
  if (typeof a === 'number') return a;
  req.address = a;
  return 0;
}

/** io_connect: to the address read at submission. */
export function issueConnect(env: OpEnv, req: Request): OpResult {
  const sock = socketOf(req);
  if (typeof sock === 'number') return sock;
  const r = sock.connect(env.ctx, req.address!);
  return typeof r === 'number' ? netResult(r) : r.then(netResult);
}
