/**
 * An open description of a memory-only file (Linux's shmem and hugetlbfs file operations): memfd
 * files, and files created on the hugetlbfs mount at /dev/hugepages. read, write (with the seal
 * checks of shmem_write_begin; hugetlbfs has no write: -EINVAL), lseek, fstat, ftruncate, fchmod
 * and mmap through the object's page cache.
 */
import { ERRNO } from '../abi/errno.js';
import { O_APPEND } from '../abi/fcntl.js';
import { seekPosition } from '../fs/host-file.js';
import type { FileStat, HostStatfs, Timespec } from '../fs/host-fs.js';
import { type OpenFile, OpenFileBase, type SetAttr } from '../fs/open-file.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import { F_SEAL_EXEC, F_SEAL_FUTURE_WRITE, F_SEAL_GROW, F_SEAL_WRITE, type ShmemObject } from './shmem.js';
import type { FileBacking } from './vma.js';

const PAGE = 4096;
const EINVAL = -ERRNO.EINVAL;
const EPERM = -ERRNO.EPERM;
const S_IFREG = 0o100000;
const TMPFS_MAGIC = 0x01021994;
const HUGETLBFS_MAGIC = 0x958458f6;
const ST_NOSUID = 0x2;
const ST_NODEV = 0x4;
/** Every statfs answer carries ST_VALID (calculate_f_flags). */
const ST_VALID = 0x20;
const ST_RELATIME = 0x1000;

/** What fstat shows besides the object: the owner, the link count and the times. */
export interface ShmemAttrs {
  uid: number;
  gid: number;
  /** 0 for memfd files (never linked) and unlinked hugetlbfs files. */
  nlink: number;
  atime: Timespec;
  mtime: Timespec;
  ctime: Timespec;
}

export class ShmemFile extends OpenFileBase implements OpenFile {
  private released = false;

  constructor(
    readonly obj: ShmemObject,
    readonly attrs: ShmemAttrs,
    flags: number,
    path: string = obj.path,
  ) {
    super(flags, path);
    obj.get();
  }

  read(_ctx: SyscallContext, dst: Uint8Array, pos: number | undefined): number {
    const at = pos ?? this.pos;
    const n = this.obj.cache.read(at, dst, 0, dst.length);
    if (pos === undefined) this.pos += n;
    return n;
  }

  /**
   * shmem_file_write_iter; hugetlbfs has no write (-EINVAL). generic_perform_write goes a page at a
   * time and shmem_write_begin checks the seals for each piece: F_SEAL_WRITE refuses everything,
   * F_SEAL_GROW the first piece that would end past the end of the file — what came before it is
   * written and counted, as with any short write.
   */
  write(_ctx: SyscallContext, src: Uint8Array, pos: number | undefined): number {
    if (this.obj.hugePageSize !== undefined) return EINVAL;
    const seals = this.obj.seals ?? 0;
    let at = pos ?? this.pos;
    if (this.flags & O_APPEND) at = this.obj.size();
    if (src.length === 0) return 0;
    if (seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) return EPERM;
    let len = src.length;
    const size = this.obj.size();
    if (seals & F_SEAL_GROW && at + len > size) {
      let end = at;
      while (end < at + len) {
        const pieceEnd = Math.min((Math.floor(end / PAGE) + 1) * PAGE, at + len);
        if (pieceEnd > size) break;
        end = pieceEnd;
      }
      if (end === at) return EPERM;
      len = end - at;
    }
    const n = this.obj.cache.write(at, src, 0, len);
    if (n > 0 && pos === undefined) this.pos = at + n;
    return n;
  }

  lseek(offset: number, whence: number): number {
    const next = seekPosition(this.pos, this.obj.size(), offset, whence);
    if (next >= 0) this.pos = next;
    return next;
  }

  stat(): FileStat {
    const a = this.attrs;
    const huge = this.obj.hugePageSize;
    return {
      dev: this.obj.dev,
      ino: this.obj.ino,
      mode: S_IFREG | this.obj.mode,
      nlink: a.nlink,
      uid: a.uid,
      gid: a.gid,
      rdev: 0,
      size: this.obj.size(),
      blksize: huge ?? 4096,
      blocks: this.obj.residentPages * 8,
      atime: a.atime,
      mtime: a.mtime,
      ctime: a.ctime,
    };
  }

  /** fstatfs: the file's file system (statfsOfShmem). */
  statfs(): HostStatfs {
    return statfsOfShmem(this.obj.hugePageSize, this.onMount);
  }

  /** Created on the /dev/hugepages mount (not an internal one): its statfs shows the mount's flags. */
  onMount = false;

  truncate(len: number): number {
    return this.obj.truncate(len);
  }

  fsync(): number {
    return 0;
  }

  /** fchmod and fchown: F_SEAL_EXEC freezes the execute bits. */
  setattr(a: SetAttr): number {
    if (a.mode !== undefined) {
      if ((this.obj.seals ?? 0) & F_SEAL_EXEC && (this.obj.mode ^ a.mode) & 0o111) return EPERM;
      this.obj.mode = a.mode & 0o7777;
    }
    if (a.uid !== undefined && a.uid !== -1) this.attrs.uid = a.uid;
    if (a.gid !== undefined && a.gid !== -1) this.attrs.gid = a.gid;
    if (a.atime !== undefined) this.attrs.atime = a.atime;
    if (a.mtime !== undefined) this.attrs.mtime = a.mtime;
    return 0;
  }

  mapping(): FileBacking {
    return this.obj;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.obj.put();
  }
}

/**
 * statfs of a shmem file system: the kernel's internal tmpfs (memfd; no limits, so zero counts) or a
 * hugetlbfs mount without size= and nr_inodes= options (block counts 0, inode counts -1, the block
 * size the huge page size). The /dev/hugepages mount has systemd's options: nosuid, nodev, relatime.
 */
export function statfsOfShmem(hugePageSize: number | undefined, mounted: boolean): HostStatfs {
  const flags = ST_VALID | (mounted ? ST_NOSUID | ST_NODEV | ST_RELATIME : 0);
  const bsize = hugePageSize ?? 4096;
  const inodes = hugePageSize === undefined ? 0 : -1;
  return {
    type: hugePageSize === undefined ? TMPFS_MAGIC : HUGETLBFS_MAGIC,
    bsize,
    blocks: 0,
    bfree: 0,
    bavail: 0,
    files: inodes,
    ffree: inodes,
    namelen: 255,
    frsize: bsize,
    flags,
  };
}

/** The shmem object behind an open file, when it is one (F_ADD_SEALS/F_GET_SEALS take any such file). */
export function shmemOf(f: OpenFile): ShmemObject | undefined {
  return f instanceof ShmemFile ? f.obj : undefined;
}
