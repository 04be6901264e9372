/**
 * fcntl, ioctl and flock.
 *
 * Record locks (F_GETLK/F_SETLK/F_SETLKW and the OFD forms) and flock: compat64 runs one guest
 * process, and a process never conflicts with its own POSIX locks, so setting a lock always
 * succeeds and F_GETLK always reports F_UNLCK — what Linux answers for a lone process. Locks held by
 * other host processes are not seen (the host is not asked), and once guests fork, locks between
 * guest processes will need real bookkeeping here.
 */

import {
  F_ADD_SEALS,
  F_DUPFD,
  F_DUPFD_CLOEXEC,
  F_GET_SEALS,
  F_GETFD,
  F_GETFL,
  F_GETLK,
  F_GETOWN,
  F_GETPIPE_SZ,
  F_GETSIG,
  F_OFD_GETLK,
  F_OFD_SETLK,
  F_OFD_SETLKW,
  F_SETFD,
  F_SETFL,
  F_SETLK,
  F_SETLKW,
  F_SETOWN,
  F_SETPIPE_SZ,
  F_SETSIG,
  FASYNC,
  FD_CLOEXEC,
  O_APPEND,
  O_DIRECT,
  O_NOATIME,
  O_NONBLOCK,
  O_PATH,
} from '../abi/fcntl.js';
import { readField, writeField } from '../abi/marshal.js';
import type { OpenFile } from '../fs/open-file.js';
import { PipeEnd } from '../fs/pipe.js';
import { memfdAddSeals, memfdGetSeals } from '../mm/memfd.js';
import { canRead, canWrite, EBADF, EFAULT, EINVAL, ENOTTY, fileOf } from './sys-fs-common.js';
import { FLOCK_NATIVE } from './sys-fs-layouts.js';
import type { SyscallContext, SyscallSpec } from './syscall-types.js';
import { copyIn, copyOut, readU32, writeU32 } from './uaccess.js';

const F_RDLCK = 0;
const F_WRLCK = 1;
const F_UNLCK = 2;
const F_SETLEASE = 1024;
const F_GETLEASE = 1025;
/** What F_SETFL may change (Linux's SETFL_MASK). */
const SETFL_MASK = O_APPEND | O_NONBLOCK | FASYNC | O_DIRECT | O_NOATIME;

const FIONREAD = 0x541b;
const FIONBIO = 0x5421;
const FIONCLEX = 0x5450;
const FIOCLEX = 0x5451;
const FIOASYNC = 0x5452;

const LOCK_SH = 1;
const LOCK_EX = 2;
const LOCK_NB = 4;
const LOCK_UN = 8;

/** F_GETLK/F_SETLK and the OFD forms on a struct flock. */
function recordLock(ctx: SyscallContext, f: OpenFile, cmd: number, arg: number): number {
  // Compat tasks' fcntl64 takes struct flock64; native calls take struct flock (the only kind yet).
  const layout = FLOCK_NATIVE;
  const b = copyIn(ctx.mem, arg, layout.size);
  if (b === null) return EFAULT;
  const v = new DataView(b.buffer);
  const type = Number(readField(layout, v, 0, 'l_type'));
  const whence = Number(readField(layout, v, 0, 'l_whence'));
  const ofd = cmd === F_OFD_GETLK || cmd === F_OFD_SETLK || cmd === F_OFD_SETLKW;
  if (whence < 0 || whence > 2) return EINVAL;
  if (ofd && Number(readField(layout, v, 0, 'l_pid')) !== 0) return EINVAL;
  if (cmd === F_GETLK || cmd === F_OFD_GETLK) {
    if (type !== F_RDLCK && type !== F_WRLCK) return EINVAL;
    writeField(layout, v, 0, 'l_type', F_UNLCK);
    return copyOut(ctx.mem, arg, b) ? 0 : EFAULT;
  }
  if (type === F_RDLCK) return canRead(f) ? 0 : EBADF;
  if (type === F_WRLCK) return canWrite(f) ? 0 : EBADF;
  return type === F_UNLCK ? 0 : EINVAL;
}

function sysFcntl(ctx: SyscallContext, a: readonly number[]): number {
  const [fd, cmd, arg] = a as [number, number, number];
  const f = fileOf(ctx, fd);
  if (typeof f === 'number') return f;
  const files = ctx.task.files;
  // O_PATH descriptions answer only the descriptor-table commands.
  if (f.flags & O_PATH && ![F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL].includes(cmd)) return EBADF;
  switch (cmd) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC: {
      const min = arg | 0;
      if (min < 0 || min >= files.limit) return EINVAL;
      return files.install(f, cmd === F_DUPFD_CLOEXEC, min);
    }
    case F_GETFD:
      return files.cloexec(fd) ? FD_CLOEXEC : 0;
    case F_SETFD:
      files.setCloexec(fd, (arg & FD_CLOEXEC) !== 0);
      return 0;
    case F_GETFL:
      return f.flags;
    case F_SETFL:
      f.flags = (f.flags & ~SETFL_MASK) | (arg & SETFL_MASK);
      return 0;
    case F_GETLK:
    case F_SETLK:
    case F_SETLKW:
    case F_OFD_GETLK:
    case F_OFD_SETLK:
    case F_OFD_SETLKW:
      return recordLock(ctx, f, cmd, arg);
    case F_GETOWN:
    case F_GETSIG:
      return 0;
    case F_SETOWN:
    case F_SETSIG:
      // SIGIO delivery is not modelled; recording an owner has no effect to observe.
      return 0;
    case F_GETLEASE:
      return F_UNLCK;
    case F_SETLEASE:
      return EINVAL;
    case F_GETPIPE_SZ:
      return f instanceof PipeEnd ? f.pipe.capacity : EBADF;
    case F_SETPIPE_SZ:
      return f instanceof PipeEnd ? f.setCapacity(arg) : EBADF;
    // memfd_fcntl: memfd and hugetlbfs files are sealable; anything else is -EINVAL.
    case F_ADD_SEALS:
      return memfdAddSeals(f, arg);
    case F_GET_SEALS:
      return memfdGetSeals(f);
    default:
      return EINVAL;
  }
}

function sysIoctl(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  const [fd, cmd, arg] = a as [number, number, number];
  const f = fileOf(ctx, fd);
  if (typeof f === 'number') return f;
  if (f.flags & O_PATH) return EBADF;
  switch (cmd) {
    case FIOCLEX:
    case FIONCLEX:
      ctx.task.files.setCloexec(fd, cmd === FIOCLEX);
      return 0;
    case FIONBIO: {
      const on = readU32(ctx.mem, arg);
      if (on === null) return EFAULT;
      f.flags = on !== 0 ? f.flags | O_NONBLOCK : f.flags & ~O_NONBLOCK;
      return 0;
    }
    case FIOASYNC:
      return readU32(ctx.mem, arg) === null ? EFAULT : 0;
    case FIONREAD:
      if (f.readable !== undefined) return writeU32(ctx.mem, arg, f.readable()) ? 0 : EFAULT;
      break;
  }
  return f.ioctl?.(ctx, cmd, arg) ?? ENOTTY;
}

function sysFlock(ctx: SyscallContext, a: readonly number[]): number {
  const [fd, op] = a as [number, number];
  const f = fileOf(ctx, fd);
  if (typeof f === 'number') return f;
  if (f.flags & O_PATH) return EBADF;
  const kind = op & ~LOCK_NB;
  return kind === LOCK_SH || kind === LOCK_EX || kind === LOCK_UN ? 0 : EINVAL;
}

export const FS_FCNTL_SYSCALLS: readonly SyscallSpec[] = [
  {
    name: 'fcntl',
    args: ['fd', 'fcntl', 'ulong'],
    handler: sysFcntl,
    level: 'partial',
    note: 'record locks: one process never conflicts with itself; F_SETOWN/F_SETSIG recorded nowhere; leases EINVAL',
  },
  {
    name: 'ioctl',
    args: ['fd', 'ioctl', 'ulong'],
    handler: sysIoctl,
    level: 'partial',
    note: 'FIO* on every file; terminal ioctls on terminals; FS_IOC_GETFLAGS/SETFLAGS on host files and directories (tmpfs model); others ENOTTY',
  },
  { name: 'flock', args: ['fd', 'int'], handler: sysFlock, level: 'partial', note: 'one process: always granted' },
];
