/**
 * Extended attributes: setxattr, lsetxattr, fsetxattr, getxattr, lgetxattr, fgetxattr, listxattr,
 * llistxattr, flistxattr, removexattr, lremovexattr, fremovexattr (fs/xattr.c, Linux 6.1).
 *
 * compat64 reaches the host tree through Node, which has no xattr API, so none of its file systems
 * supports extended attributes: every inode is one without IOP_XATTR, like vfat's, procfs's or a
 * pipe's on Linux. The calls then answer as Linux does for such an inode, with every check that
 * comes first in Linux kept in its order:
 *
 * 1. the path lookup (ENOENT, ELOOP, ENOTDIR, EFAULT, ENAMETOOLONG …) or the fd (-EBADF, O_PATH too);
 * 2. for set: flags other than XATTR_CREATE/XATTR_REPLACE are -EINVAL;
 * 3. the name: -EFAULT, or -ERANGE when it is empty or longer than XATTR_NAME_MAX (255);
 * 4. for set: a value over XATTR_SIZE_MAX (65536) is -E2BIG, an unreadable one -EFAULT;
 * 5. xattr_permission: trusted.* without CAP_SYS_ADMIN is -ENODATA (get) / -EPERM (set, remove);
 *    user.* on anything but a regular file or directory likewise; user.* on a sticky directory
 *    not owned by the caller is -EPERM for writes; then the inode's permission bits (-EACCES),
 *    except for security.* and system.*;
 * 6. the capability module: writing security.* without CAP_SYS_ADMIN is -EPERM (security.capability:
 *    a malformed value is -EINVAL, and it needs CAP_SETFCAP);
 * 7. the inode has no xattr handlers: -EOPNOTSUPP (ENOTSUP to libc).
 *
 * listxattr finds no handler list and no security module names, so it returns 0 (an empty list) for
 * every file that resolves, whatever the buffer. compat64 gives every capability to euid 0 and none
 * otherwise, and has no security module (no SELinux label to list).
 */
import { AT_FDCWD, S_IFDIR, S_IFMT, S_IFREG } from '../abi/fcntl.js';
import { ERRNO } from '../abi/errno.js';
import type { FileStat } from '../fs/host-fs.js';
import { statOfNode } from '../fs/node-stat.js';
import { resolveAt } from '../fs/path-walk.js';
import { EACCES, EFAULT, EINVAL, ENOENT, EOPNOTSUPP, EPERM, ERANGE, ioFileOf, readPath } from './sys-fs-common.js';
import type { SyscallContext, SyscallSpec } from './syscall-types.js';
import { copyIn } from './uaccess.js';

const ENODATA = -ERRNO.ENODATA;
const E2BIG = -ERRNO.E2BIG;

/** XATTR_NAME_MAX: the name buffer is 256 bytes with its NUL. */
const XATTR_NAME_MAX = 255;
const XATTR_SIZE_MAX = 65536;
const XATTR_CREATE = 1;
const XATTR_REPLACE = 2;
const S_ISVTX = 0o1000;

const MAY_WRITE = 2;
const MAY_READ = 4;

/** An inode that has no stat (none of compat64's files lacks one, but an anon inode's mode is 0600). */
const ANON_MODE = 0o600;

interface Inode {
  mode: number;
  uid: number;
  gid: number;
}

function inodeOfStat(st: FileStat): Inode {
  return { mode: st.mode, uid: st.uid, gid: st.gid };
}

/** user_path_at: the inode a path names (follow: the last link too). */
function pathInode(ctx: SyscallContext, pathAddr: number, follow: boolean): Inode | number {
  const path = readPath(ctx, pathAddr);
  if (typeof path === 'number') return path;
  if (path === '') return ENOENT;
  const w = resolveAt(ctx, AT_FDCWD, path, { follow });
  if (typeof w === 'number') return w;
  if (w.loc === undefined) return ENOENT;
  const st = statOfNode(ctx, w.loc.node);
  return typeof st === 'number' ? st : inodeOfStat(st);
}

/** fdget: O_PATH descriptions are -EBADF here. */
function fdInode(ctx: SyscallContext, fd: number): Inode | number {
  const f = ioFileOf(ctx, fd);
  if (typeof f === 'number') return f;
  const st = f.stat?.();
  if (st === undefined) return { mode: ANON_MODE, uid: ctx.task.creds.euid, gid: ctx.task.creds.egid };
  return typeof st === 'number' ? st : inodeOfStat(st);
}

/** strncpy_from_user into the 256-byte name buffer: -EFAULT, or -ERANGE for "" and names over 255 bytes. */
function readName(ctx: SyscallContext, addr: number): string | number {
  let name = '';
  let at = addr;
  while (name.length <= XATTR_NAME_MAX) {
    const n = Math.min(4096 - (at % 4096), XATTR_NAME_MAX + 1 - name.length);
    const b = copyIn(ctx.mem, at, n);
    if (b === null) return EFAULT;
    const nul = b.indexOf(0);
    const end = nul < 0 ? b.length : nul;
    for (let i = 0; i < end; i++) name += String.fromCharCode(b[i]!);
    if (nul >= 0) return name === '' ? ERANGE : name;
    at += n;
  }
  return ERANGE;
}

function privileged(ctx: SyscallContext): boolean {
  return ctx.task.creds.euid === 0;
}

/** inode_permission's mode-bit part (generic_permission; root has CAP_DAC_OVERRIDE for reading and writing). */
function permitted(ctx: SyscallContext, ino: Inode, mask: number): boolean {
  const c = ctx.task.creds;
  if (c.euid === 0) return true;
  const inGroup = c.fsgid === ino.gid || c.groups.includes(ino.gid);
  const shift = c.fsuid === ino.uid ? 6 : inGroup ? 3 : 0;
  const have = (ino.mode >> shift) & 7;
  return (mask & ~have) === 0;
}

/** xattr_permission (fs/xattr.c). */
function xattrPermission(ctx: SyscallContext, ino: Inode, name: string, mask: number): number {
  if (name.startsWith('security.') || name.startsWith('system.')) return 0;
  const denied = mask & MAY_WRITE ? EPERM : ENODATA;
  if (name.startsWith('trusted.')) return privileged(ctx) ? 0 : denied;
  if (name.startsWith('user.')) {
    const type = ino.mode & S_IFMT;
    if (type !== S_IFREG && type !== S_IFDIR) return denied;
    const owner = ctx.task.creds.fsuid === ino.uid || privileged(ctx);
    if (type === S_IFDIR && ino.mode & S_ISVTX && mask & MAY_WRITE && !owner) return EPERM;
  }
  return permitted(ctx, ino, mask) ? 0 : EACCES;
}

/** security.capability (XATTR_NAME_CAPS) and its value revisions (VFS_CAP_REVISION_2/3 with their sizes). */
const XATTR_NAME_CAPS = 'security.capability';
const VFS_CAP_REVISION_MASK = 0xff000000;

/** cap_convert_nscap's first checks, run by vfs_setxattr before anything else for a non-empty value. */
function checkCapsValue(ctx: SyscallContext, value: Uint8Array): number {
  const rev =
    value.length >= 4
      ? (new DataView(value.buffer, value.byteOffset).getUint32(0, true) & VFS_CAP_REVISION_MASK) >>> 0
      : 0;
  const v2 = value.length === 20 && rev === 0x02000000;
  const v3 = value.length === 24 && rev === 0x03000000;
  if (!v2 && !v3) return EINVAL;
  return privileged(ctx) ? 0 : EPERM;
}

/** cap_inode_setxattr / cap_inode_removexattr: security.* needs CAP_SYS_ADMIN (the caps name is checked apart). */
function capabilityHook(ctx: SyscallContext, name: string): number {
  if (!name.startsWith('security.')) return 0;
  if (name === XATTR_NAME_CAPS) return 0;
  return privileged(ctx) ? 0 : EPERM;
}

/** getxattr(): name, permission, then no handler. The value buffer is never touched. */
function getxattr(ctx: SyscallContext, ino: Inode | number, nameAddr: number): number {
  if (typeof ino === 'number') return ino;
  const name = readName(ctx, nameAddr);
  if (typeof name === 'number') return name;
  const perm = xattrPermission(ctx, ino, name, MAY_READ);
  return perm !== 0 ? perm : EOPNOTSUPP;
}

/** setxattr(): flags, name, value, permission, capability hook, then no handler. */
function setxattr(
  ctx: SyscallContext,
  ino: Inode | number,
  nameAddr: number,
  valueAddr: number,
  size: number,
  flags: number,
): number {
  if (typeof ino === 'number') return ino;
  if (flags & ~(XATTR_CREATE | XATTR_REPLACE)) return EINVAL;
  const name = readName(ctx, nameAddr);
  if (typeof name === 'number') return name;
  let value: Uint8Array = new Uint8Array(0);
  if (size !== 0) {
    if (size > XATTR_SIZE_MAX) return E2BIG;
    const v = copyIn(ctx.mem, valueAddr, size);
    if (v === null) return EFAULT;
    value = v;
  }
  if (value.length !== 0 && name === XATTR_NAME_CAPS) {
    const r = checkCapsValue(ctx, value);
    if (r !== 0) return r;
  }
  const perm = xattrPermission(ctx, ino, name, MAY_WRITE);
  if (perm !== 0) return perm;
  const hook = capabilityHook(ctx, name);
  return hook !== 0 ? hook : EOPNOTSUPP;
}

/** removexattr(): name, permission, capability hook (security.capability needs CAP_SETFCAP), then no handler. */
function removexattr(ctx: SyscallContext, ino: Inode | number, nameAddr: number): number {
  if (typeof ino === 'number') return ino;
  const name = readName(ctx, nameAddr);
  if (typeof name === 'number') return name;
  const perm = xattrPermission(ctx, ino, name, MAY_WRITE);
  if (perm !== 0) return perm;
  if (name === XATTR_NAME_CAPS && !privileged(ctx)) return EPERM;
  const hook = capabilityHook(ctx, name);
  return hook !== 0 ? hook : EOPNOTSUPP;
}

/** listxattr(): no handler list and no security module names: an empty list. */
function listxattr(ino: Inode | number): number {
  return typeof ino === 'number' ? ino : 0;
}

const NOTE =
  "compat64's file systems have no xattr support (Node has no xattr API): get/set/remove end in " +
  "EOPNOTSUPP after Linux's lookup, name, size and permission checks; list returns an empty list";

function spec(name: string, args: SyscallSpec['args'], handler: SyscallSpec['handler']): SyscallSpec {
  return { name, args, handler, level: 'partial', note: NOTE };
}

export const XATTR_SYSCALLS: readonly SyscallSpec[] = [
  spec('setxattr', ['path', 'str', 'ptr', 'size', 'int'], (ctx, a) =>
    setxattr(ctx, pathInode(ctx, a[0]!, true), a[1]!, a[2]!, a[3]!, a[4]!),
  ),
  spec('lsetxattr', ['path', 'str', 'ptr', 'size', 'int'], (ctx, a) =>
    setxattr(ctx, pathInode(ctx, a[0]!, false), a[1]!, a[2]!, a[3]!, a[4]!),
  ),
  spec('fsetxattr', ['fd', 'str', 'ptr', 'size', 'int'], (ctx, a) =>
    setxattr(ctx, fdInode(ctx, a[0]!), a[1]!, a[2]!, a[3]!, a[4]!),
  ),
  spec('getxattr', ['path', 'str', 'ptr', 'size'], (ctx, a) => getxattr(ctx, pathInode(ctx, a[0]!, true), a[1]!)),
  spec('lgetxattr', ['path', 'str', 'ptr', 'size'], (ctx, a) => getxattr(ctx, pathInode(ctx, a[0]!, false), a[1]!)),
  spec('fgetxattr', ['fd', 'str', 'ptr', 'size'], (ctx, a) => getxattr(ctx, fdInode(ctx, a[0]!), a[1]!)),
  spec('listxattr', ['path', 'ptr', 'size'], (ctx, a) => listxattr(pathInode(ctx, a[0]!, true))),
  spec('llistxattr', ['path', 'ptr', 'size'], (ctx, a) => listxattr(pathInode(ctx, a[0]!, false))),
  spec('flistxattr', ['fd', 'ptr', 'size'], (ctx, a) => listxattr(fdInode(ctx, a[0]!))),
  spec('removexattr', ['path', 'str'], (ctx, a) => removexattr(ctx, pathInode(ctx, a[0]!, true), a[1]!)),
  spec('lremovexattr', ['path', 'str'], (ctx, a) => removexattr(ctx, pathInode(ctx, a[0]!, false), a[1]!)),
  spec('fremovexattr', ['fd', 'str'], (ctx, a) => removexattr(ctx, fdInode(ctx, a[0]!), a[1]!)),
];
