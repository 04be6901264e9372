/**
 * Shared-memory objects (Linux's shmem/tmpfs and hugetlbfs inodes that live only in memory): what
 * backs MAP_SHARED|MAP_ANONYMOUS ("/dev/zero (deleted)"), SysV shm segments ("/SYSV%08x (deleted)"),
 * memfd files ("/memfd:name (deleted)") and anonymous MAP_HUGETLB ("/anon_hugepage (deleted)").
 *
 * The object's pages are its page cache (no host store). It lives while something refers to it —
 * a VMA, an open file description, a SysV id — and frees its pages when the last one lets go.
 * It also carries the memfd seals and counts its shared writable mappings (i_mmap_writable).
 */
import type { PhysicalMemory } from '../../memory/physical-memory.js';
import { ERRNO } from '../abi/errno.js';
import type { HugeQuota, HugetlbPool } from './hugetlb.js';
import { PageCache } from './page-cache.js';
import { type FileBacking, VM_MAYWRITE, VM_SHARED, VM_WRITE, type Vma } from './vma.js';

export const F_SEAL_SEAL = 0x1;
export const F_SEAL_SHRINK = 0x2;
export const F_SEAL_GROW = 0x4;
export const F_SEAL_WRITE = 0x8;
export const F_SEAL_FUTURE_WRITE = 0x10;
export const F_SEAL_EXEC = 0x20;
export const F_ALL_SEALS = 0x3f;

/** makedev(0, 1): the internal tmpfs mount (shm_mnt) the kernel's shmem files live on. */
export const SHMEM_DEV = 1;
/** An anonymous device number for the internal hugetlbfs mount. */
export const HUGETLBFS_DEV = 0x0f;

let nextIno = 1024;
/** get_next_ino(): inode numbers of internal shmem files. */
export function nextShmemIno(): number {
  return nextIno++;
}

export class ShmemObject implements FileBacking {
  readonly cache: PageCache;
  readonly hugePageSize: number | undefined;
  /** The object's huge page accounting (hugetlbfs objects only). */
  readonly hugeQuota: HugeQuota | undefined;
  /** VMAs, open files and SysV ids referring to the object. */
  private refs = 0;
  /** Shared mappings that may write (VM_SHARED): F_SEAL_WRITE needs none. */
  writableMappings = 0;
  /** memfd seals (F_SEAL_*); undefined for objects that cannot be sealed. */
  seals: number | undefined;
  /** Called once when the last reference goes (SysV shm forgets a destroyed segment). */
  onDestroy: (() => void) | undefined;
  readonly sysvShm: boolean;
  /** Linux's i_mode permission bits (memfd: 0777, or 0666 with MFD_NOEXEC_SEAL). */
  mode = 0o777;

  constructor(
    phys: PhysicalMemory,
    /** What maps and /proc/self/fd show; a hugetlbfs file's gains " (deleted)" when unlinked. */
    public path: string,
    readonly dev: number,
    readonly ino: number,
    size: number,
    opts: { hugetlb?: HugetlbPool; sysvShm?: boolean; seals?: number } = {},
  ) {
    this.cache = new PageCache(phys, undefined, size);
    this.sysvShm = opts.sysvShm ?? false;
    this.seals = opts.seals;
    const pool = opts.hugetlb;
    if (pool !== undefined) {
      this.hugePageSize = pool.pageSize;
      this.hugeQuota = pool.quotaFor();
      this.cache.quota = this.hugeQuota;
    } else {
      this.hugePageSize = undefined;
      this.hugeQuota = undefined;
    }
  }

  readAt(pos: number, dst: Uint8Array, at: number, len: number): number {
    return this.cache.read(pos, dst, at, len);
  }

  writeAt(pos: number, src: Uint8Array, at: number, len: number): number {
    return this.cache.write(pos, src, at, len);
  }

  size(): number {
    return this.cache.size();
  }

  get(): void {
    this.refs++;
  }

  put(): void {
    if (--this.refs > 0) return;
    this.cache.release();
    const d = this.onDestroy;
    this.onDestroy = undefined;
    d?.();
  }

  get references(): number {
    return this.refs;
  }

  vmOpen(v: Vma): void {
    this.get();
    if (v.vmFlags & VM_SHARED && v.vmFlags & VM_MAYWRITE) this.writableMappings++;
  }

  vmClose(v: Vma): void {
    if (v.vmFlags & VM_SHARED && v.vmFlags & VM_MAYWRITE) this.writableMappings--;
    this.put();
  }

  /**
   * seal_check_write: with F_SEAL_WRITE or F_SEAL_FUTURE_WRITE, a new shared writable mapping is
   * refused (-EPERM) and a shared read-only one loses VM_MAYWRITE so mprotect cannot add write.
   */
  mmapFlags(vmFlags: number): number {
    const s = this.seals ?? 0;
    if (!(s & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE))) return vmFlags;
    if (vmFlags & VM_SHARED && vmFlags & VM_WRITE) return -ERRNO.EPERM;
    return vmFlags & VM_SHARED ? vmFlags & ~VM_MAYWRITE : vmFlags;
  }

  /**
   * ftruncate: the seals allow it (-EPERM), hugetlbfs sizes are whole huge pages (-EINVAL); pages
   * beyond the new size leave every mapping.
   */
  truncate(len: number): number {
    if (len < 0) return -ERRNO.EINVAL;
    // hugetlbfs_setattr checks the alignment before the seals.
    if (this.hugePageSize !== undefined && len % this.hugePageSize !== 0) return -ERRNO.EINVAL;
    const s = this.seals ?? 0;
    const old = this.size();
    if (len < old && s & F_SEAL_SHRINK) return -ERRNO.EPERM;
    if (len > old && s & F_SEAL_GROW) return -ERRNO.EPERM;
    this.cache.resize(len);
    return 0;
  }

  /** F_ADD_SEALS (memfd_add_seals); the file's write access is the caller's check (-EPERM). */
  addSeals(seals: number): number {
    if (this.seals === undefined) return -ERRNO.EINVAL;
    if (seals & ~F_ALL_SEALS) return -ERRNO.EINVAL;
    if (this.seals & F_SEAL_SEAL) return -ERRNO.EPERM;
    if (seals & F_SEAL_WRITE && !(this.seals & F_SEAL_WRITE) && this.writableMappings > 0) return -ERRNO.EBUSY;
    // F_SEAL_EXEC on an executable file implies the write seals (W^X from the start).
    if (seals & F_SEAL_EXEC && this.mode & 0o111)
      seals |= F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE;
    this.seals |= seals;
    return 0;
  }

  /** Pages the object holds in memory (smaps Rss of shmem, SHM_INFO shm_rss). */
  get residentPages(): number {
    return this.cache.residentPages;
  }
}

/** A MAP_SHARED|MAP_ANONYMOUS mapping's object (shmem_zero_setup): "/dev/zero (deleted)" of the mapping's size. */
export function sharedAnonObject(phys: PhysicalMemory, len: number): ShmemObject {
  return new ShmemObject(phys, '/dev/zero (deleted)', SHMEM_DEV, nextShmemIno(), len);
}
