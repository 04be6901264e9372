/**
 * Open descriptions of host files: regular files (and the other non-directory files a host tree may
 * hold: FIFOs, devices) over a host fd, directories with getdents64, and O_PATH descriptions.
 *
 * The file position belongs to the description and every read and write of a seekable file is
 * positional on the host (pread/pwrite), so dup'ed and forked fds share it the Linux way. O_APPEND is
 * done here (write at the current size) rather than by the host, because F_SETFL may turn it on or
 * off later and the host fd's flags cannot be changed from Node. Once a file is mapped, its reads
 * and writes go through the mapping's page cache, so write(2) and MAP_SHARED pages agree at once.
 */

import { O_ACCMODE, O_APPEND, O_RDWR, SEEK_CUR, SEEK_DATA, SEEK_END, SEEK_HOLE, SEEK_SET } from '../abi/fcntl.js';
import type { PageCache } from '../mm/page-cache.js';
import type { FileBacking } from '../mm/vma.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import { sendSigpipe } from '../task/signal-send.js';
import { DirCursor } from './dirents.js';
import { inodeFlagsIoctl } from './inode-flags.js';
import { backingFor, type HostFd } from './host-backing.js';
import type { FileStat, HostFs, HostStatfs } from './host-fs.js';
import { dtypeOfMode, statOfNode } from './node-stat.js';
import { OpenFileBase, type SetAttr } from './open-file.js';
import type { Vfs } from './vfs.js';
import { type DirEntry, type FsEnv, guestPathOf, type Loc } from './vnode.js';

const ENXIO = -6;
const ENOTTY = -25;
const EBADF = -9;
const EISDIR = -21;
const EPIPE = -32;
const EINVAL = -22;
const ESPIPE = -29;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFBLK = 0o060000;
const S_IFDIR = 0o040000;

/** New position for lseek on a file of the given size, or -EINVAL (negative result) / -ENXIO. */
export function seekPosition(pos: number, size: number, offset: number, whence: number): number {
  let next: number;
  switch (whence) {
    case SEEK_SET:
      next = offset;
      break;
    case SEEK_CUR:
      next = pos + offset;
      break;
    case SEEK_END:
      next = size + offset;
      break;
    case SEEK_DATA:
      // The whole file is data: no hole information from the host.
      if (offset < 0 || offset >= size) return ENXIO;
      next = offset;
      break;
    case SEEK_HOLE:
      if (offset < 0 || offset >= size) return ENXIO;
      next = size;
      break;
    default:
      return EINVAL;
  }
  return next < 0 ? EINVAL : next;
}

/** Attribute changes on a host fd. */
export function setattrHostFd(host: HostFs, fd: number, a: SetAttr): number {
  if (a.mode !== undefined) {
    const r = host.fchmod(fd, a.mode);
    if (r < 0) return r;
  }
  if ((a.uid !== undefined && a.uid !== -1) || (a.gid !== undefined && a.gid !== -1)) {
    const r = host.fchown(fd, a.uid ?? -1, a.gid ?? -1);
    if (r < 0) return r;
  }
  if (a.atime !== undefined || a.mtime !== undefined) {
    const st = host.fstat(fd);
    if (typeof st === 'number') return st;
    return host.futimens(fd, a.atime ?? st.atime, a.mtime ?? st.mtime);
  }
  return 0;
}

export class HostFile extends OpenFileBase {
  private readonly seekable: boolean;
  private readonly dev: number;
  private readonly ino: number;

  constructor(
    private readonly vfs: Vfs,
    private readonly hfd: HostFd,
    flags: number,
    readonly loc: Loc | undefined,
    path: string,
    /** fstat of the new host fd. */
    st: FileStat,
    private readonly hostPath: string | undefined,
  ) {
    super(flags, path);
    const type = st.mode & S_IFMT;
    this.seekable = type === S_IFREG || type === S_IFBLK;
    this.dev = st.dev;
    this.ino = st.ino;
  }

  get hostFd(): number {
    return this.hfd.fd;
  }

  /** The file's page cache when it is mapped somewhere (see Vfs.cacheOf). */
  private cache(): PageCache | undefined {
    return this.seekable ? this.vfs.cacheOf(this.dev, this.ino) : undefined;
  }

  read(_ctx: SyscallContext, dst: Uint8Array, pos: number | undefined): number {
    if (!this.seekable) {
      if (pos !== undefined) return ESPIPE;
      return this.vfs.host.read(this.hfd.fd, dst, 0, dst.length, undefined);
    }
    const at = pos ?? this.pos;
    const cache = this.cache();
    const n = cache ? cache.read(at, dst, 0, dst.length) : this.vfs.host.read(this.hfd.fd, dst, 0, dst.length, at);
    if (n > 0 && pos === undefined) this.pos += n;
    return n;
  }

  write(ctx: SyscallContext, src: Uint8Array, pos: number | undefined): number {
    const host = this.vfs.host;
    if (!this.seekable) {
      if (pos !== undefined) return ESPIPE;
      const n = host.write(this.hfd.fd, src, 0, src.length, undefined);
      // A host FIFO without a reader: SIGPIPE, as pipe_write sends it.
      if (n === EPIPE) sendSigpipe(ctx.kernel, ctx.task);
      return n;
    }
    let at = pos ?? this.pos;
    if (this.flags & O_APPEND) {
      // Linux appends even for pwrite on an O_APPEND file.
      const st = host.fstat(this.hfd.fd);
      if (typeof st === 'number') return st;
      at = st.size;
    }
    let n: number;
    const cache = this.cache();
    if (cache !== undefined && (this.flags & O_ACCMODE) === O_RDWR) {
      // Mapped: write through the cache so mappings see the bytes. Its store is the file's backing,
      // which must hold a read-write fd: backingFor upgrades it to this one if it does not. (A
      // write-only description cannot be the store, so its writes reach mappings only when their
      // pages are next read in.)
      backingFor(this.vfs, this.hfd, this.path, this.dev, this.ino, true);
      n = cache.write(at, src, 0, src.length);
    } else {
      n = host.write(this.hfd.fd, src, 0, src.length, at);
    }
    if (n > 0 && pos === undefined) this.pos = at + n;
    return n;
  }

  lseek(offset: number, whence: number): number {
    if (!this.seekable) return ESPIPE;
    let size = 0;
    if (whence === SEEK_END || whence === SEEK_DATA || whence === SEEK_HOLE) {
      const st = this.vfs.host.fstat(this.hfd.fd);
      if (typeof st === 'number') return st;
      size = st.size;
    }
    const next = seekPosition(this.pos, size, offset, whence);
    if (next >= 0) this.pos = next;
    return next;
  }

  /**
   * FS_IOC_GETFLAGS/SETFLAGS on a regular file, as tmpfs answers them (inode-flags.ts); other
   * commands, and every command on a FIFO or device of the host tree, are -ENOTTY.
   */
  ioctl(ctx: SyscallContext, cmd: number, arg: number): number {
    const st = this.vfs.host.fstat(this.hfd.fd);
    if (typeof st === 'number' || (st.mode & S_IFMT) !== S_IFREG) return ENOTTY;
    return inodeFlagsIoctl(ctx, this.vfs, st, cmd, arg) ?? ENOTTY;
  }

  stat(): FileStat | number {
    return this.vfs.host.fstat(this.hfd.fd);
  }

  truncate(len: number): number {
    const r = this.vfs.host.ftruncate(this.hfd.fd, len);
    if (r === 0) this.cache()?.resize(len);
    return r;
  }

  fsync(dataOnly: boolean): number {
    this.cache()?.sync();
    return this.vfs.host.fsync(this.hfd.fd, dataOnly);
  }

  setattr(a: SetAttr): number {
    return setattrHostFd(this.vfs.host, this.hfd.fd, a);
  }

  statfs(): HostStatfs | number {
    return this.hostPath === undefined ? EBADF : this.vfs.host.statfs(this.hostPath);
  }

  readable(): number {
    if (!this.seekable) return 0;
    const st = this.vfs.host.fstat(this.hfd.fd);
    return typeof st === 'number' ? 0 : Math.max(0, st.size - this.pos);
  }

  mapping(): FileBacking | undefined {
    if (!this.seekable) return undefined;
    // Only a read-write fd can serve as the store of writable shared mappings (pages are read too).
    const readWrite = (this.flags & O_ACCMODE) === O_RDWR;
    return backingFor(this.vfs, this.hfd, this.path, this.dev, this.ino, readWrite);
  }

  release(): void {
    this.hfd.unref();
  }
}

/** A host directory: getdents64 over a snapshot of its entries, attributes through its host fd. */
export class HostDir extends OpenFileBase {
  private readonly cursor: DirCursor;

  constructor(
    private readonly vfs: Vfs,
    env: FsEnv,
    private readonly hfd: HostFd,
    flags: number,
    readonly loc: Loc,
    private readonly hostPath: string,
  ) {
    super(flags, guestPathOf(loc));
    this.cursor = new DirCursor(() => this.list(env));
  }

  private list(env: FsEnv): DirEntry[] | number {
    const self = this.vfs.host.fstat(this.hfd.fd);
    if (typeof self === 'number') return self;
    const parentNode = this.loc.parent?.node;
    const up = parentNode ? statOfNode(env, parentNode) : self;
    const entries: DirEntry[] = [
      { name: '.', ino: self.ino, type: dtypeOfMode(S_IFDIR) },
      { name: '..', ino: typeof up === 'number' ? self.ino : up.ino, type: dtypeOfMode(S_IFDIR) },
    ];
    const host = this.vfs.host.readdir(this.hostPath);
    if (typeof host === 'number') return host;
    for (const e of host) {
      // At the guest root, the mounted file systems hide what the host has under their names.
      if (this.loc.parent === undefined && this.vfs.mountAt(e.name) !== undefined) continue;
      entries.push({ name: e.name, ino: e.ino, type: e.type });
    }
    if (this.loc.parent === undefined) {
      for (const name of ['dev', 'proc']) {
        const m = this.vfs.mountAt(name);
        if (m !== undefined) entries.push({ name, ino: m.ino, type: dtypeOfMode(S_IFDIR) });
      }
    }
    return entries;
  }

  read(): number {
    return EISDIR;
  }

  write(): number {
    return EISDIR;
  }

  getdents(ctx: SyscallContext, count: number): Uint8Array | number {
    const r = this.cursor.read(ctx, this.pos, count);
    if (typeof r === 'number') return r;
    this.pos = r.next;
    return r.bytes;
  }

  /** ext4_dir_llseek over hash cookies (dirents.ts); ctx, when the caller passes it, says the ABI. */
  lseek(offset: number, whence: number, ctx?: SyscallContext): number {
    const next = this.cursor.seek(this.pos, offset, whence, ctx);
    if (next < 0) return next;
    this.pos = next;
    return next;
  }

  /** FS_IOC_GETFLAGS/SETFLAGS as on a tmpfs directory (inode-flags.ts); other commands -ENOTTY. */
  ioctl(ctx: SyscallContext, cmd: number, arg: number): number {
    const st = this.vfs.host.fstat(this.hfd.fd);
    if (typeof st === 'number') return st;
    return inodeFlagsIoctl(ctx, this.vfs, st, cmd, arg) ?? ENOTTY;
  }

  stat(): FileStat | number {
    return this.vfs.host.fstat(this.hfd.fd);
  }

  fsync(dataOnly: boolean): number {
    return this.vfs.host.fsync(this.hfd.fd, dataOnly);
  }

  setattr(a: SetAttr): number {
    return setattrHostFd(this.vfs.host, this.hfd.fd, a);
  }

  statfs(): HostStatfs | number {
    return this.vfs.host.statfs(this.hostPath);
  }

  release(): void {
    this.hfd.unref();
  }
}

/**
 * An O_PATH description: names a location for *at() calls, fchdir and fstat, and nothing else
 * (read, write, ioctl… are EBADF, which the syscall layer checks by the O_PATH flag).
 */
export class PathFile extends OpenFileBase {
  constructor(
    private readonly env: FsEnv,
    flags: number,
    readonly loc: Loc,
  ) {
    super(flags, guestPathOf(loc));
  }

  stat(): FileStat | number {
    return statOfNode(this.env, this.loc.node);
  }
}
