/**
 * Compat-only descriptor calls: _llseek (140), dup2 (63), sendfile with a 32-bit offset (187),
 * fcntl/fcntl64 with ARM's lock structures (55/221) and compat ioctl's command mapping (54).
 * Each wraps the arm64 handler that does the work, as Linux's compat_sys_* wrap the shared code.
 */
import { F_GETLK, F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW, F_SETLK, F_SETLKW, O_PATH } from '../abi/fcntl.js';
import { defineStruct, ILP32_EABI, i16, i32, i64, type LayoutOf, layoutOf, long } from '../abi/layout.js';
import { readField, writeField } from '../abi/marshal.js';
import type { OpenFile } from '../fs/open-file.js';
import { TimerFd } from '../fs/timerfd.js';
import { callNative } from './compat-native.js';
import { canRead, canWrite, EBADF, EFAULT, EINVAL, fileOf } from './sys-fs-common.js';
import type { SyscallArgs, SyscallContext } from './syscall-types.js';
import { copyIn, copyOut, readU32, writeU32, writeU64 } from './uaccess.js';

const ENOTTY = -25;

/**
 * _llseek(fd, offset_high, offset_low, loff_t *result, whence): the native lseek with the joined
 * offset (the row's 'off64_hilo' kind joins it); the new position goes to *result, the call returns 0.
 */
export function compatLlseek(ctx: SyscallContext, a: SyscallArgs): number | Promise<number> {
  const [fd, offset, result, whence] = a as [number, number, number, number];
  const store = (pos: number): number => {
    if (pos < 0) return pos;
    return writeU64(ctx.mem, result, pos) ? 0 : EFAULT;
  };
  const r = callNative('lseek', ctx, [fd, offset, whence]);
  return typeof r === 'number' ? store(r) : r.then(store);
}

/** dup2 (ksys_dup2): like dup3 without flags, except that oldfd == newfd returns newfd if it is open. */
export function compatDup2(ctx: SyscallContext, a: SyscallArgs): number | Promise<number> {
  const [oldfd, newfd] = a as [number, number];
  if (oldfd === newfd) {
    const f = fileOf(ctx, oldfd);
    return typeof f === 'number' ? f : newfd;
  }
  return callNative('dup3', ctx, [oldfd, newfd, 0]);
}

/**
 * sendfile (187): compat_off_t *offset. With an offset the native sendfile reads from that
 * position and leaves the file position alone; compat64 runs it from the file position and puts
 * the position back, then stores the new offset as 32 bits. (One guest thread runs at a time, so
 * nothing observes the borrowed position.) Linux also caps the end at MAX_NON_LFS; not modelled.
 */
export function compatSendfile(ctx: SyscallContext, a: SyscallArgs): number | Promise<number> {
  const [outFd, inFd, offp, count] = a as [number, number, number, number];
  if (offp === 0) return callNative('sendfile', ctx, [outFd, inFd, 0, count]);
  const inF = ctx.task.files.get(inFd);
  const raw = readU32(ctx.mem, offp);
  if (raw === null) return EFAULT;
  if (inF === undefined) return EBADF;
  const saved = inF.pos;
  inF.pos = raw | 0;
  const done = (n: number): number => {
    const moved = inF.pos;
    inF.pos = saved;
    if (n < 0) return n;
    return writeU32(ctx.mem, offp, moved) ? n : EFAULT;
  };
  const r = callNative('sendfile', ctx, [outFd, inFd, 0, count]);
  return typeof r === 'number' ? done(r) : r.then(done);
}

/** ARM's F_GETLK64/F_SETLK64/F_SETLKW64 (asm-generic values for 32-bit ABIs). */
export const F_GETLK64 = 12;
export const F_SETLK64 = 13;
export const F_SETLKW64 = 14;

const F_RDLCK = 0;
const F_WRLCK = 1;
const F_UNLCK = 2;

/** `struct flock` under ILP32: arm64's compat_flock (l_start/l_len are compat_off_t). 16 bytes. */
const compat_flock = defineStruct('compat_flock', {
  l_type: i16,
  l_whence: i16,
  l_start: long,
  l_len: long,
  l_pid: i32,
});

/** `struct flock64` as ARM EABI lays it out (compat_flock64 on arm64): l_start at 8. 32 bytes. */
const compat_flock64 = defineStruct('compat_flock64', {
  l_type: i16,
  l_whence: i16,
  l_start: i64,
  l_len: i64,
  l_pid: i32,
});

/** Either lock layout, by the members both have (l_type, l_whence and l_pid are what the checks read). */
type LockLayout = LayoutOf<typeof compat_flock>;
const FLOCK32: LockLayout = layoutOf(compat_flock, ILP32_EABI);
const FLOCK64 = layoutOf(compat_flock64, ILP32_EABI) as unknown as LockLayout;

/**
 * Record locks in the compat layouts. compat64 runs one guest process, which never conflicts with
 * its own POSIX locks (the native fcntl's rule): setting a lock succeeds when the description's
 * access mode allows it, and F_GETLK reports F_UNLCK.
 */
function compatRecordLock(ctx: SyscallContext, f: OpenFile, cmd: number, arg: number, layout: LockLayout): number {
  const b = copyIn(ctx.mem, arg, layout.size);
  if (b === null) return EFAULT;
  const v = new DataView(b.buffer);
  const type = Number(readField(layout, v, 0, 'l_type'));
  const whence = Number(readField(layout, v, 0, 'l_whence'));
  const ofd = cmd === F_OFD_GETLK || cmd === F_OFD_SETLK || cmd === F_OFD_SETLKW;
  if (whence < 0 || whence > 2) return EINVAL;
  if (ofd && Number(readField(layout, v, 0, 'l_pid')) !== 0) return EINVAL;
  if (cmd === F_GETLK || cmd === F_GETLK64 || cmd === F_OFD_GETLK) {
    if (type !== F_RDLCK && type !== F_WRLCK) return EINVAL;
    writeField(layout, v, 0, 'l_type', F_UNLCK);
    return copyOut(ctx.mem, arg, b) ? 0 : EFAULT;
  }
  if (type === F_RDLCK) return canRead(f) ? 0 : EBADF;
  if (type === F_WRLCK) return canWrite(f) ? 0 : EBADF;
  return type === F_UNLCK ? 0 : EINVAL;
}

/** do_compat_fcntl64: lock commands read compat_flock (5–7) or compat_flock64 (12–14, OFD); the rest is fcntl. */
function compatFcntlCommon(ctx: SyscallContext, a: SyscallArgs): number | Promise<number> {
  const [fd, cmd, arg] = a as [number, number, number];
  let layout: LockLayout | undefined;
  if (cmd === F_GETLK || cmd === F_SETLK || cmd === F_SETLKW) layout = FLOCK32;
  else if (cmd === F_GETLK64 || cmd === F_SETLK64 || cmd === F_SETLKW64) layout = FLOCK64;
  else if (cmd === F_OFD_GETLK || cmd === F_OFD_SETLK || cmd === F_OFD_SETLKW) layout = FLOCK64;
  if (layout === undefined) return callNative('fcntl', ctx, [fd, cmd, arg]);
  const f = fileOf(ctx, fd);
  if (typeof f === 'number') return f;
  if (f.flags & O_PATH) return EBADF;
  return compatRecordLock(ctx, f, cmd, arg, layout);
}

/** fcntl (55): compat_sys_fcntl refuses the 64-bit lock commands, which only fcntl64 takes. */
export function compatFcntl(ctx: SyscallContext, a: SyscallArgs): number | Promise<number> {
  const cmd = a[1]!;
  if (cmd === F_GETLK64 || cmd === F_SETLK64 || cmd === F_SETLKW64) return EINVAL;
  if (cmd === F_OFD_GETLK || cmd === F_OFD_SETLK || cmd === F_OFD_SETLKW) return EINVAL;
  return compatFcntlCommon(ctx, a);
}

/** fcntl64 (221) */
export function compatFcntl64(ctx: SyscallContext, a: SyscallArgs): number | Promise<number> {
  return compatFcntlCommon(ctx, a);
}

/** FS_IOC32_GETFLAGS/SETFLAGS (_IOR/_IOW('f', 1/2, int)) and the native long-sized commands they stand for. */
export const FS_IOC32_GETFLAGS = 0x80046601;
export const FS_IOC32_SETFLAGS = 0x40046602;
const FS_IOC_GETFLAGS = 0x80086601;
const FS_IOC_SETFLAGS = 0x40086602;

/**
 * The commands do_vfs_ioctl serves for every file (fs/ioctl.c), before any compat view is asked:
 * FIOCLEX, FIONCLEX, FIONBIO, FIOASYNC, FIOQSIZE, FIFREEZE, FITHAW, FS_IOC_FIEMAP, FIGETBSZ, FICLONE,
 * FICLONERANGE, FIDEDUPERANGE, FIONREAD (handed to the file's native ioctl when it is not a regular
 * file: a pipe or socket answers it in both ABIs), FS_IOC_GETFLAGS/SETFLAGS, FS_IOC_FSGETXATTR/FSSETXATTR.
 */
const GENERIC_IOCTLS: ReadonlySet<number> = new Set([
  0x5451,
  0x5450,
  0x5421,
  0x5452,
  0x5460,
  0xc0045877,
  0xc0045878,
  0xc020660b,
  2,
  0x40049409,
  0x4020940d,
  0xc0189436,
  0x541b,
  FS_IOC_GETFLAGS,
  FS_IOC_SETFLAGS,
  0x801c581f,
  0x401c5820,
]);

/**
 * The file's compat_ioctl, its compat view: terminals (tty_compat_ioctl: termios and winsize have
 * the same layout in both ABIs) and sockets (compat_sock_ioctl) answer their native commands; a
 * timerfd has none (timerfd_fops has no .compat_ioctl), so its TFD_IOC_SET_TICKS is -ENOTTY in a
 * compat call. Files without any ioctl answer -ENOTTY in both ABIs.
 */
function hasCompatView(f: OpenFile): boolean {
  return !(f instanceof TimerFd);
}

/**
 * ioctl (54), compat_sys_ioctl: FS_IOC32_GETFLAGS/SETFLAGS become the native commands; the generic
 * commands run as natively; anything else goes to the file's compat view, and a file without one
 * answers -ENOTTY.
 */
export function compatIoctl(ctx: SyscallContext, a: SyscallArgs): number | Promise<number> {
  const [fd, cmd, arg] = a as [number, number, number];
  const mapped = cmd === FS_IOC32_GETFLAGS ? FS_IOC_GETFLAGS : cmd === FS_IOC32_SETFLAGS ? FS_IOC_SETFLAGS : cmd;
  const f = ctx.task.files.get(fd);
  // A bad or O_PATH descriptor is the native handler's -EBADF.
  if (f !== undefined && !(f.flags & O_PATH) && !GENERIC_IOCTLS.has(mapped >>> 0) && !hasCompatView(f)) return ENOTTY;
  return callNative('ioctl', ctx, [fd, mapped, arg]);
}
