/**
 * Opcodes that are one syscall each (io_uring/fs.c, advise.c, sync.c, net.c, epoll.c of 6.1): the
 * SQE fields become the syscall's arguments and the syscall's own handler runs, so behaviour and
 * errors are the syscalls'. A table, one row per opcode: which fields prep wants zero, how a fixed
 * file is answered, how the arguments are formed. The handlers take fds, so IOSQE_FIXED_FILE is
 * -EBADF for these (the path-based ones refuse it in Linux too).
 */
import { FS_ATTR_SYSCALLS } from '../syscalls/sys-fs-attr.js';
import { FS_NAME_SYSCALLS } from '../syscalls/sys-fs-names.js';
import { EPOLL_SYSCALLS } from '../syscalls/sys-epoll.js';
import { MM_SYSCALLS } from '../syscalls/sys-mm.js';
import { SOCKET_SYSCALLS } from '../syscalls/sys-socket.js';
import type { SyscallHandler, SyscallSpec } from '../syscalls/syscall-types.js';
import { IOSQE_FIXED_FILE } from './layouts.js';
import type { OpEnv, OpResult } from './op-env.js';
import { IORING_OP } from './opcodes.js';
import type { Request, Sqe } from './request.js';

const EBADF = -9;
const EINVAL = -22;
const AT_REMOVEDIR = 0x200;
const SOCK_TYPE_MASK = 0xf;
const SOCK_NONBLOCK = 0o4000;
const SOCK_CLOEXEC = 0o2000000;

type Field = 'off' | 'addr' | 'len' | 'opFlags' | 'bufIndex' | 'fileIndex';

interface SyscallOp {
  readonly specs: readonly SyscallSpec[];
  readonly call: string;
  /** SQE fields io_*_prep requires to be zero (-EINVAL). */
  readonly zero: readonly Field[];
  /** Extra prep checks. */
  readonly check?: (s: Sqe) => number;
  readonly args: (s: Sqe) => number[];
}

const OPS: Readonly<Record<number, SyscallOp>> = {
  [IORING_OP.MKDIRAT]: {
    specs: FS_NAME_SYSCALLS,
    call: 'mkdirat',
    zero: ['off', 'opFlags', 'bufIndex', 'fileIndex'],
    args: (s) => [s.fd, s.addr, s.len],
  },
  [IORING_OP.UNLINKAT]: {
    specs: FS_NAME_SYSCALLS,
    call: 'unlinkat',
    zero: ['off', 'len', 'bufIndex', 'fileIndex'],
    check: (s) => (s.opFlags & ~AT_REMOVEDIR ? EINVAL : 0),
    args: (s) => [s.fd, s.addr, s.opFlags | 0],
  },
  [IORING_OP.RENAMEAT]: {
    specs: FS_NAME_SYSCALLS,
    call: 'renameat2',
    zero: ['bufIndex', 'fileIndex'],
    args: (s) => [s.fd, s.addr, s.len | 0, s.off, s.opFlags >>> 0],
  },
  [IORING_OP.SYMLINKAT]: {
    specs: FS_NAME_SYSCALLS,
    call: 'symlinkat',
    zero: ['len', 'opFlags', 'bufIndex', 'fileIndex'],
    args: (s) => [s.addr, s.fd, s.off],
  },
  [IORING_OP.LINKAT]: {
    specs: FS_NAME_SYSCALLS,
    call: 'linkat',
    zero: ['bufIndex', 'fileIndex'],
    args: (s) => [s.fd, s.addr, s.len | 0, s.off, s.opFlags | 0],
  },
  [IORING_OP.FADVISE]: {
    specs: FS_ATTR_SYSCALLS,
    call: 'fadvise64',
    zero: ['addr', 'bufIndex', 'fileIndex'],
    args: (s) => [s.fd, s.off, s.len, s.opFlags | 0],
  },
  [IORING_OP.MADVISE]: {
    specs: MM_SYSCALLS,
    call: 'madvise',
    zero: ['off', 'bufIndex', 'fileIndex'],
    args: (s) => [s.addr, s.len, s.opFlags | 0],
  },
  [IORING_OP.FALLOCATE]: {
    specs: FS_ATTR_SYSCALLS,
    call: 'fallocate',
    zero: ['opFlags', 'bufIndex', 'fileIndex'],
    // sqe->addr is the length, sqe->len the mode.
    args: (s) => [s.fd, s.len | 0, s.off, s.addr],
  },
  [IORING_OP.SYNC_FILE_RANGE]: {
    specs: FS_ATTR_SYSCALLS,
    call: 'sync_file_range',
    zero: ['addr', 'bufIndex', 'fileIndex'],
    args: (s) => [s.fd, s.off, s.len, s.opFlags >>> 0],
  },
  [IORING_OP.SHUTDOWN]: {
    specs: SOCKET_SYSCALLS,
    call: 'shutdown',
    zero: ['off', 'addr', 'opFlags', 'bufIndex', 'fileIndex'],
    args: (s) => [s.fd, s.len | 0],
  },
  [IORING_OP.SOCKET]: {
    specs: SOCKET_SYSCALLS,
    call: 'socket',
    zero: ['addr', 'opFlags', 'bufIndex'],
    // Direct descriptors (file_index) are not implemented.
    check: (s) => (s.fileIndex !== 0 || (s.off & ~SOCK_TYPE_MASK & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) !== 0 ? EINVAL : 0),
    args: (s) => [s.fd, s.off | 0, s.len | 0],
  },
  [IORING_OP.EPOLL_CTL]: {
    specs: EPOLL_SYSCALLS,
    call: 'epoll_ctl',
    zero: ['bufIndex', 'fileIndex'],
    args: (s) => [s.fd, s.len | 0, s.off | 0, s.addr],
  },
};

function handlerOf(op: SyscallOp): SyscallHandler {
  const h = op.specs.find((s) => s.name === op.call)?.handler;
  if (h === undefined) throw new Error(`io_uring: no ${op.call} handler`);
  return h;
}

/** Whether an opcode is served by this table. */
export function isSyscallOp(opcode: number): boolean {
  return OPS[opcode] !== undefined;
}

export function prepSyscallOp(_env: OpEnv, req: Request): number {
  const s = req.sqe;
  const op = OPS[s.opcode]!;
  for (const f of op.zero) if (s[f] !== 0) return EINVAL;
  if (s.flags & IOSQE_FIXED_FILE) return EBADF;
  return op.check?.(s) ?? 0;
}

export function issueSyscallOp(env: OpEnv, req: Request): OpResult {
  const s = req.sqe;
  const op = OPS[s.opcode]!;
  return handlerOf(op)({ ...env.ctx, name: op.call }, op.args(s));
}
