/**
 * memfd_create files (mm/memfd.c, Linux 6.12): an open description of an unlinked shmem object
 * ("/memfd:name (deleted)") — or a hugetlbfs one with MFD_HUGETLB — with read, write, lseek,
 * fstat, ftruncate, mmap and file seals (F_ADD_SEALS / F_GET_SEALS through memfdAddSeals and
 * memfdGetSeals, which the VFS's fcntl calls).
 */
import { ERRNO } from '../abi/errno.js';
import { O_ACCMODE, O_APPEND, O_LARGEFILE, O_RDWR, O_WRONLY } from '../abi/fcntl.js';
import type { FileStat, Timespec } from '../fs/host-fs.js';
import { seekPosition } from '../fs/host-file.js';
import { type OpenFile, OpenFileBase, type SetAttr } from '../fs/open-file.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import type { HugetlbPools } from './hugetlb.js';
import {
  F_SEAL_EXEC,
  F_SEAL_FUTURE_WRITE,
  F_SEAL_GROW,
  F_SEAL_SEAL,
  F_SEAL_WRITE,
  HUGETLBFS_DEV,
  nextShmemIno,
  SHMEM_DEV,
  ShmemObject,
} from './shmem.js';
import type { FileBacking } from './vma.js';
import type { PhysicalMemory } from '../../memory/physical-memory.js';

const EINVAL = -ERRNO.EINVAL;
const EPERM = -ERRNO.EPERM;
const ENODEV = -ERRNO.ENODEV;
const S_IFREG = 0o100000;

export const MFD_CLOEXEC = 0x1;
export const MFD_ALLOW_SEALING = 0x2;
export const MFD_HUGETLB = 0x4;
export const MFD_NOEXEC_SEAL = 0x8;
export const MFD_EXEC = 0x10;
const MFD_ALL_FLAGS = 0x1f;
const MFD_HUGE_SHIFT = 26;
const MFD_HUGE_MASK = 0x3f;
/** NAME_MAX - strlen("memfd:"). */
export const MFD_NAME_MAX_LEN = 249;

export class MemfdFile extends OpenFileBase implements OpenFile {
  private released = false;

  constructor(
    readonly obj: ShmemObject,
    flags: number,
    private readonly uid: number,
    private readonly gid: number,
    private readonly created: Timespec,
  ) {
    super(flags, obj.path);
    obj.get();
  }

  read(_ctx: SyscallContext, dst: Uint8Array, pos: number | undefined): number {
    const at = pos ?? this.pos;
    const n = this.obj.cache.read(at, dst, 0, dst.length);
    if (pos === undefined) this.pos += n;
    return n;
  }

  /** shmem_file_write_iter with the seal checks of shmem_write_begin; hugetlbfs has no write (-EINVAL). */
  write(_ctx: SyscallContext, src: Uint8Array, pos: number | undefined): number {
    if (this.obj.hugePageSize !== undefined) return EINVAL;
    const seals = this.obj.seals ?? 0;
    let at = pos ?? this.pos;
    if (this.flags & O_APPEND) at = this.obj.size();
    if (src.length === 0) return 0;
    if (seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) return EPERM;
    if (seals & F_SEAL_GROW && at + src.length > this.obj.size()) return EPERM;
    const n = this.obj.cache.write(at, src, 0, src.length);
    if (n > 0 && pos === undefined) this.pos = at + n;
    return n;
  }

  lseek(offset: number, whence: number): number {
    const next = seekPosition(this.pos, this.obj.size(), offset, whence);
    if (next >= 0) this.pos = next;
    return next;
  }

  stat(): FileStat {
    const size = this.obj.size();
    const huge = this.obj.hugePageSize;
    return {
      dev: huge === undefined ? SHMEM_DEV : HUGETLBFS_DEV,
      ino: this.obj.ino,
      mode: S_IFREG | this.obj.mode,
      nlink: 0,
      uid: this.uid,
      gid: this.gid,
      rdev: 0,
      size,
      blksize: huge ?? 4096,
      blocks: this.obj.residentPages * 8,
      atime: this.created,
      mtime: this.created,
      ctime: this.created,
    };
  }

  truncate(len: number): number {
    return this.obj.truncate(len);
  }

  fsync(): number {
    return 0;
  }

  /** fchmod: F_SEAL_EXEC freezes the execute bits. */
  setattr(a: SetAttr): number {
    if (a.mode !== undefined) {
      if ((this.obj.seals ?? 0) & F_SEAL_EXEC && (this.obj.mode ^ a.mode) & 0o111) return EPERM;
      this.obj.mode = a.mode & 0o7777;
    }
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

/** F_GET_SEALS: the seals of a memfd (or other sealable shmem file), else -EINVAL. */
export function memfdGetSeals(f: OpenFile): number {
  const obj = f instanceof MemfdFile ? f.obj : undefined;
  return obj?.seals ?? EINVAL;
}

/** F_ADD_SEALS: needs a file open for writing (-EPERM), then memfd_add_seals. */
export function memfdAddSeals(f: OpenFile, seals: number): number {
  if (!(f instanceof MemfdFile)) return EINVAL;
  const acc = f.flags & O_ACCMODE;
  if (acc !== O_WRONLY && acc !== O_RDWR) return EPERM;
  return f.obj.addSeals(seals >>> 0);
}

/**
 * memfd_create after the name was read (name: without the "memfd:" prefix): checks the flags,
 * makes the object and returns its open description (O_RDWR | O_LARGEFILE), or a negative errno.
 */
export function createMemfd(
  phys: PhysicalMemory,
  pools: HugetlbPools,
  name: string,
  flags: number,
  uid: number,
  gid: number,
  now: Timespec,
): MemfdFile | number {
  flags >>>= 0;
  if (!(flags & MFD_HUGETLB)) {
    if (flags & ~MFD_ALL_FLAGS) return EINVAL;
  } else if (flags & (~(MFD_ALL_FLAGS | (MFD_HUGE_MASK << MFD_HUGE_SHIFT)) >>> 0)) return EINVAL;
  if (flags & MFD_EXEC && flags & MFD_NOEXEC_SEAL) return EINVAL;
  // vm.memfd_noexec = 0: neither flag means MFD_EXEC.
  if (!(flags & (MFD_EXEC | MFD_NOEXEC_SEAL))) flags |= MFD_EXEC;
  let obj: ShmemObject;
  const path = `/memfd:${name} (deleted)`;
  if (flags & MFD_HUGETLB) {
    const pool = pools.bySizeLog((flags >>> MFD_HUGE_SHIFT) & MFD_HUGE_MASK);
    if (pool === undefined) return ENODEV;
    obj = new ShmemObject(phys, path, HUGETLBFS_DEV, nextShmemIno(), 0, { hugetlb: pool, seals: F_SEAL_SEAL });
  } else {
    obj = new ShmemObject(phys, path, SHMEM_DEV, nextShmemIno(), 0, { seals: F_SEAL_SEAL });
  }
  if (flags & MFD_NOEXEC_SEAL) {
    obj.mode &= ~0o111;
    obj.seals = ((obj.seals ?? 0) & ~F_SEAL_SEAL) | F_SEAL_EXEC;
  } else if (flags & MFD_ALLOW_SEALING) {
    obj.seals = (obj.seals ?? 0) & ~F_SEAL_SEAL;
  }
  return new MemfdFile(obj, O_RDWR | O_LARGEFILE, uid, gid, now);
}
