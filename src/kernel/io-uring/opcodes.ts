/**
 * The io_uring opcodes (enum io_uring_op, Linux 6.1) and what io_init_req needs to know of each
 * before it runs (io_op_defs): whether it takes a file from sqe->fd, whether sqe->ioprio may be
 * set, whether an IOPOLL ring accepts it, whether it can select a provided buffer. `implemented`
 * says whether compat64 runs it; IORING_REGISTER_PROBE reports exactly those.
 */

export const IORING_OP = {
  NOP: 0,
  READV: 1,
  WRITEV: 2,
  FSYNC: 3,
  READ_FIXED: 4,
  WRITE_FIXED: 5,
  POLL_ADD: 6,
  POLL_REMOVE: 7,
  SYNC_FILE_RANGE: 8,
  SENDMSG: 9,
  RECVMSG: 10,
  TIMEOUT: 11,
  TIMEOUT_REMOVE: 12,
  ACCEPT: 13,
  ASYNC_CANCEL: 14,
  LINK_TIMEOUT: 15,
  CONNECT: 16,
  FALLOCATE: 17,
  OPENAT: 18,
  CLOSE: 19,
  FILES_UPDATE: 20,
  STATX: 21,
  READ: 22,
  WRITE: 23,
  FADVISE: 24,
  MADVISE: 25,
  SEND: 26,
  RECV: 27,
  OPENAT2: 28,
  EPOLL_CTL: 29,
  SPLICE: 30,
  PROVIDE_BUFFERS: 31,
  REMOVE_BUFFERS: 32,
  TEE: 33,
  SHUTDOWN: 34,
  RENAMEAT: 35,
  UNLINKAT: 36,
  MKDIRAT: 37,
  SYMLINKAT: 38,
  LINKAT: 39,
  MSG_RING: 40,
  FSETXATTR: 41,
  SETXATTR: 42,
  FGETXATTR: 43,
  GETXATTR: 44,
  SOCKET: 45,
  URING_CMD: 46,
  SEND_ZC: 47,
  SENDMSG_ZC: 48,
} as const;

/** IORING_OP_LAST in 6.1: opcodes from here on are -EINVAL. */
export const IORING_OP_LAST = 49;

export interface OpDef {
  readonly name: string;
  readonly needsFile: boolean;
  readonly ioprio: boolean;
  readonly iopoll: boolean;
  readonly bufferSelect: boolean;
  readonly implemented: boolean;
}

type Attr = 'file' | 'ioprio' | 'iopoll' | 'bsel' | 'impl';

function op(name: string, ...attrs: Attr[]): OpDef {
  return {
    name,
    needsFile: attrs.includes('file'),
    ioprio: attrs.includes('ioprio'),
    iopoll: attrs.includes('iopoll'),
    bufferSelect: attrs.includes('bsel'),
    implemented: attrs.includes('impl'),
  };
}

/** io_op_defs by opcode. */
export const OP_DEFS: readonly OpDef[] = [
  op('NOP', 'iopoll', 'impl'),
  op('READV', 'file', 'ioprio', 'iopoll', 'bsel', 'impl'),
  op('WRITEV', 'file', 'ioprio', 'iopoll', 'impl'),
  op('FSYNC', 'file', 'impl'),
  op('READ_FIXED', 'file', 'ioprio', 'iopoll', 'impl'),
  op('WRITE_FIXED', 'file', 'ioprio', 'iopoll', 'impl'),
  op('POLL_ADD', 'file', 'impl'),
  op('POLL_REMOVE', 'impl'),
  op('SYNC_FILE_RANGE', 'file', 'impl'),
  op('SENDMSG', 'file', 'ioprio', 'impl'),
  op('RECVMSG', 'file', 'ioprio', 'bsel', 'impl'),
  op('TIMEOUT', 'impl'),
  op('TIMEOUT_REMOVE', 'impl'),
  op('ACCEPT', 'file', 'ioprio', 'impl'),
  op('ASYNC_CANCEL', 'impl'),
  op('LINK_TIMEOUT', 'impl'),
  op('CONNECT', 'file', 'impl'),
  op('FALLOCATE', 'file', 'impl'),
  op('OPENAT', 'impl'),
  op('CLOSE', 'impl'),
  op('FILES_UPDATE', 'iopoll', 'impl'),
  op('STATX', 'impl'),
  op('READ', 'file', 'ioprio', 'iopoll', 'bsel', 'impl'),
  op('WRITE', 'file', 'ioprio', 'iopoll', 'impl'),
  op('FADVISE', 'file', 'impl'),
  op('MADVISE', 'impl'),
  op('SEND', 'file', 'ioprio', 'impl'),
  op('RECV', 'file', 'ioprio', 'bsel', 'impl'),
  op('OPENAT2'),
  op('EPOLL_CTL', 'file', 'impl'),
  op('SPLICE', 'file'),
  op('PROVIDE_BUFFERS', 'impl'),
  op('REMOVE_BUFFERS', 'impl'),
  op('TEE', 'file'),
  op('SHUTDOWN', 'file', 'impl'),
  op('RENAMEAT', 'impl'),
  op('UNLINKAT', 'impl'),
  op('MKDIRAT', 'impl'),
  op('SYMLINKAT', 'impl'),
  op('LINKAT', 'impl'),
  op('MSG_RING', 'file'),
  op('FSETXATTR', 'file'),
  op('SETXATTR'),
  op('FGETXATTR', 'file'),
  op('GETXATTR'),
  op('SOCKET', 'impl'),
  op('URING_CMD', 'file', 'iopoll'),
  op('SEND_ZC', 'file', 'ioprio'),
  op('SENDMSG_ZC', 'file', 'ioprio'),
];
