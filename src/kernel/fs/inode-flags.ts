/**
 * FS_IOC_GETFLAGS / FS_IOC_SETFLAGS (the "chattr" inode flags) for files of the host-backed tree.
 *
 * Node cannot read or change a host file's real inode flags, so compat64 answers as tmpfs does in
 * Linux 6.1 (mm/shmem.c's fileattr_get/fileattr_set, ioctl support since 6.0): a file starts with
 * no flags (lsattr shows nothing, where a fresh ext4 file would show FS_EXTENT_FL), and only
 * FS_IMMUTABLE_FL, FS_APPEND_FL, FS_NODUMP_FL and FS_NOATIME_FL may be set; anything else is
 * -EOPNOTSUPP. The flags are remembered per inode (device and inode number) for the life of the
 * emulator, as tmpfs keeps them in the inode.
 *
 * Limits (documented, not hidden): FS_IMMUTABLE_FL and FS_APPEND_FL would have to be enforced on
 * every write, truncate, unlink and rename of the file, which the host tree cannot do, so setting
 * either is refused with -EOPNOTSUPP even with CAP_LINUX_IMMUTABLE (without it, Linux's -EPERM comes
 * first, as here). tmpfs also gives a new file its directory's NODUMP/NOATIME flags; compat64 does
 * not. NOATIME is recorded but the host keeps updating atime.
 */
import type { SyscallContext } from '../syscalls/syscall-types.js';
import { readU32, writeU32 } from '../syscalls/uaccess.js';

/** _IOR('f', 1, long) and _IOW('f', 2, long): the native commands (compat FS_IOC32_* map to these). */
export const FS_IOC_GETFLAGS = 0x80086601;
export const FS_IOC_SETFLAGS = 0x40086602;

const FS_IMMUTABLE_FL = 0x10;
const FS_APPEND_FL = 0x20;
const FS_NODUMP_FL = 0x40;
const FS_NOATIME_FL = 0x80;
/** SHMEM_FL_USER_MODIFIABLE (Linux 6.1). */
const SHMEM_FL_USER_MODIFIABLE = FS_IMMUTABLE_FL | FS_APPEND_FL | FS_NODUMP_FL | FS_NOATIME_FL;
/** The flags compat64 can honour; the rest of SHMEM_FL_USER_MODIFIABLE is refused (see above). */
const SETTABLE = FS_NODUMP_FL | FS_NOATIME_FL;

const EPERM = -1;
const EFAULT = -14;
const EOPNOTSUPP = -95;

/** The identity and owner of the inode an ioctl is about. */
export interface FlagsInode {
  readonly dev: number;
  readonly ino: number;
  readonly uid: number;
}

/** Remembered flags per kernel-wide inode key; a WeakMap keyed by the owner (the Vfs) so kernels never share. */
const tables = new WeakMap<object, Map<string, number>>();

function tableOf(owner: object): Map<string, number> {
  let t = tables.get(owner);
  if (t === undefined) {
    t = new Map();
    tables.set(owner, t);
  }
  return t;
}

/**
 * ioctl_getflags / ioctl_setflags for a regular file or directory: the result, or undefined when cmd
 * is neither command (the caller goes on to its other ioctls or -ENOTTY).
 */
export function inodeFlagsIoctl(
  ctx: SyscallContext,
  owner: object,
  inode: FlagsInode,
  cmd: number,
  arg: number,
): number | undefined {
  const key = `${inode.dev}:${inode.ino}`;
  const table = tableOf(owner);
  const old = table.get(key) ?? 0;
  if (cmd >>> 0 === FS_IOC_GETFLAGS) return writeU32(ctx.mem, arg, old) ? 0 : EFAULT;
  if (cmd >>> 0 !== FS_IOC_SETFLAGS) return undefined;
  const flags = readU32(ctx.mem, arg);
  if (flags === null) return EFAULT;
  const creds = ctx.task.creds;
  // vfs_fileattr_set: inode_owner_or_capable (CAP_FOWNER: euid 0 has every capability in compat64).
  if (creds.fsuid !== inode.uid && creds.euid !== 0) return EPERM;
  // fileattr_set_prepare: changing IMMUTABLE or APPEND needs CAP_LINUX_IMMUTABLE.
  if ((flags ^ old) & (FS_IMMUTABLE_FL | FS_APPEND_FL) && creds.euid !== 0) return EPERM;
  // shmem_fileattr_set: only SHMEM_FL_USER_MODIFIABLE, of which compat64 keeps the two it can honour.
  if (flags & ~SHMEM_FL_USER_MODIFIABLE || flags & ~SETTABLE) return EOPNOTSUPP;
  table.set(key, (old & ~SHMEM_FL_USER_MODIFIABLE) | (flags & SHMEM_FL_USER_MODIFIABLE));
  return 0;
}
