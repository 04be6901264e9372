/**
 * AF_UNIX names (net/unix/af_unix.c: unix_bind_bsd, unix_bind_abstract, unix_autobind,
 * unix_find_other). Per kernel (Linux: per network namespace):
 *
 * - Path names live in the guest's file system. bind(2) creates a socket inode (S_IFSOCK, mode
 *   0777 & ~umask) at the path through the host (HostNet.makeSocketNode: a real socket inode in the
 *   host directory, so stat, ls, unlink and rename see what Linux shows); the kernel remembers which
 *   socket is bound to which inode (dev:ino), as Linux's bsd_socket_buckets. connect(2) resolves the
 *   path, needs a socket inode (ECONNREFUSED otherwise) and finds the socket by its inode. The inode
 *   outlives the socket (as on Linux, programs unlink it); a socket inode no guest socket is bound to
 *   (left by an earlier run, or made by a host program) refuses connections.
 * - Abstract names (sun_path[0] == 0) are bytes in a table, one per socket type as Linux hashes them.
 * - Autobind picks "\0" + five hex digits from a random start.
 */
import { ERRNO } from '../abi/errno.js';
import { AT_FDCWD, O_CREAT, O_EXCL, O_WRONLY, W_OK } from '../abi/fcntl.js';
import { resolveAt } from '../fs/path-walk.js';
import { vfsOf } from '../fs/vfs.js';
import type { Kernel } from '../kernel.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import { AF_UNIX, SUN_PATH_OFFSET, UNIX_PATH_MAX } from './socket-abi.js';

const EINVAL = -ERRNO.EINVAL;
const EADDRINUSE = -ERRNO.EADDRINUSE;
const ECONNREFUSED = -ERRNO.ECONNREFUSED;
const EPROTOTYPE = -ERRNO.EPROTOTYPE;
const EACCES = -ERRNO.EACCES;
const ENOENT = -ERRNO.ENOENT;
const ENOSPC = -ERRNO.ENOSPC;

const S_IFMT = 0o170000;
const S_IFSOCK = 0o140000;

/** A bound socket as the name tables see it. */
export interface UnixBindable {
  readonly type: number;
}

/** A name a socket holds: its sockaddr_un as getsockname returns it, and its table key. */
export interface UnixAddress {
  /** sun_family + sun_path, addr->len bytes. */
  readonly bytes: Uint8Array;
  /** Abstract-table key, or the path inode's dev:ino; undefined for none. */
  readonly key: string;
  readonly abstract: boolean;
}

class UnixNames<S extends UnixBindable> {
  readonly abstract = new Map<string, S>();
  readonly byInode = new Map<string, S>();
}

const tables = new WeakMap<Kernel, UnixNames<UnixBindable>>();

function namesOf<S extends UnixBindable>(kernel: Kernel): UnixNames<S> {
  let t = tables.get(kernel);
  if (t === undefined) {
    t = new UnixNames();
    tables.set(kernel, t);
  }
  return t as UnixNames<S>;
}

/** unix_validate_addr: more than the family, at most sizeof(sockaddr_un), family AF_UNIX. */
export function validateUnixAddr(b: Uint8Array): number {
  if (b.length <= SUN_PATH_OFFSET || b.length > SUN_PATH_OFFSET + UNIX_PATH_MAX) return EINVAL;
  return (b[0]! | (b[1]! << 8)) === AF_UNIX ? 0 : EINVAL;
}

function hex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

function abstractKey(type: number, bytes: Uint8Array): string {
  return `${type}:${hex(bytes)}`;
}

/** The path of a BSD name (unix_mkname_bsd): sun_path up to its first NUL, as a byte string. */
function bsdPath(b: Uint8Array): string {
  let end = SUN_PATH_OFFSET;
  while (end < b.length && b[end] !== 0) end++;
  let s = '';
  for (let i = SUN_PATH_OFFSET; i < end; i++) s += String.fromCharCode(b[i]!);
  return s;
}

function bsdBytes(path: string): Uint8Array {
  const b = new Uint8Array(SUN_PATH_OFFSET + path.length + 1);
  b[0] = AF_UNIX;
  for (let i = 0; i < path.length; i++) b[SUN_PATH_OFFSET + i] = path.charCodeAt(i);
  return b;
}

/** unix_bind_abstract: claims the name for s; EADDRINUSE when a socket of its type holds it. */
export function bindAbstract<S extends UnixBindable>(kernel: Kernel, s: S, bytes: Uint8Array): UnixAddress | number {
  const names = namesOf<S>(kernel);
  const key = abstractKey(s.type, bytes);
  if (names.abstract.has(key)) return EADDRINUSE;
  names.abstract.set(key, s);
  return { bytes: bytes.slice(), key, abstract: true };
}

/** unix_autobind: "\0" + five hex digits not yet taken, from a random start; ENOSPC when all are. */
export function autobind<S extends UnixBindable>(kernel: Kernel, s: S): UnixAddress | number {
  const names = namesOf<S>(kernel);
  let order = kernel.random.u32() & 0xfffff;
  const last = order;
  for (;;) {
    order = (order + 1) & 0xfffff;
    const text = order.toString(16).padStart(5, '0');
    const bytes = new Uint8Array(SUN_PATH_OFFSET + 6);
    bytes[0] = AF_UNIX;
    for (let i = 0; i < 5; i++) bytes[SUN_PATH_OFFSET + 1 + i] = text.charCodeAt(i);
    const key = abstractKey(s.type, bytes);
    if (!names.abstract.has(key)) {
      names.abstract.set(key, s);
      return { bytes, key, abstract: true };
    }
    if (order === last) return ENOSPC;
  }
}

/**
 * unix_bind_bsd: creates the socket inode at the path and binds s to it. The name must not exist
 * (EADDRINUSE, also for a dangling link); a socket that already has a name then gets EINVAL, with
 * the new inode removed again, as Linux orders the checks.
 */
export function bindPath<S extends UnixBindable>(
  ctx: SyscallContext,
  s: S,
  raw: Uint8Array,
  alreadyBound: boolean,
): UnixAddress | number {
  const path = bsdPath(raw);
  const w = resolveAt(ctx, AT_FDCWD, path, { follow: false });
  if (typeof w === 'number') return w;
  if (w.loc !== undefined || w.name === '') return EADDRINUSE;
  if (w.trailingSlash) return ENOENT;
  const parent = w.parent.node;
  if (parent.kind !== 'host') return EACCES;
  const vfs = vfsOf(ctx.kernel);
  const hostPath = parent.hostPath === '/' ? `/${w.name}` : `${parent.hostPath}/${w.name}`;
  const made = makeNode(ctx, hostPath);
  if (made < 0) return made === -ERRNO.EEXIST ? EADDRINUSE : made;
  if (alreadyBound) {
    vfs.host.unlink(hostPath);
    return EINVAL;
  }
  const mode = 0o777 & ~ctx.task.fs.umask;
  vfs.host.chmod(hostPath, mode);
  const st = vfs.host.lstat(hostPath);
  if (typeof st === 'number') return st;
  const key = `${st.dev}:${st.ino}`;
  namesOf<S>(ctx.kernel).byInode.set(key, s);
  return { bytes: bsdBytes(path), key, abstract: false };
}

/**
 * A socket inode through the host; a host without sockets gets an empty regular file instead (stat
 * then shows a regular file, but binding and connecting work the same).
 */
function makeNode(ctx: SyscallContext, hostPath: string): number {
  const net = ctx.kernel.host.net;
  if (net !== undefined) return net.makeSocketNode(hostPath);
  const host = vfsOf(ctx.kernel).host;
  const fd = host.open(hostPath, O_CREAT | O_EXCL | O_WRONLY, 0);
  if (fd < 0) return fd;
  host.close(fd);
  return 0;
}

/** Drops a socket's name when it is released (the path's inode stays, as on Linux). */
export function unbind<S extends UnixBindable>(kernel: Kernel, s: S, addr: UnixAddress | undefined): void {
  if (addr === undefined) return;
  const names = namesOf<S>(kernel);
  const table = addr.abstract ? names.abstract : names.byInode;
  if (table.get(addr.key) === s) table.delete(addr.key);
}

/**
 * unix_find_other: the socket a name refers to. A path must resolve (ENOENT…), be writable
 * (EACCES), be a socket inode and have a socket of the same type bound to it (ECONNREFUSED,
 * EPROTOTYPE); an abstract name must be bound by a socket of the type (ECONNREFUSED).
 */
export function findOther<S extends UnixBindable>(ctx: SyscallContext, raw: Uint8Array, type: number): S | number {
  const names = namesOf<S>(ctx.kernel);
  if (raw[SUN_PATH_OFFSET] === 0) return names.abstract.get(abstractKey(type, raw)) ?? ECONNREFUSED;
  const w = resolveAt(ctx, AT_FDCWD, bsdPath(raw), { follow: true });
  if (typeof w === 'number') return w;
  const loc = w.loc;
  if (loc === undefined) return ENOENT;
  if (loc.node.kind !== 'host') return ECONNREFUSED;
  const vfs = vfsOf(ctx.kernel);
  const access = vfs.host.access(loc.node.hostPath, W_OK);
  if (access < 0) return access;
  const st = vfs.host.lstat(loc.node.hostPath);
  if (typeof st === 'number') return st;
  if ((st.mode & S_IFMT) !== S_IFSOCK && ctx.kernel.host.net !== undefined) return ECONNREFUSED;
  const s = names.byInode.get(`${st.dev}:${st.ino}`);
  if (s === undefined) return ECONNREFUSED;
  return s.type === type ? s : EPROTOTYPE;
}
