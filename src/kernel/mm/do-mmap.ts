/**
 * mmap as Linux 6.12 does it (ksys_mmap_pgoff, do_mmap, __get_unmapped_area, mmap_region), checks in
 * Linux's order so every error is the one Linux gives: length and offset, vm.max_map_count, the
 * address (hint, MAP_FIXED, MAP_FIXED_NOREPLACE, mmap_min_addr), MAP_LOCKED and RLIMIT_MEMLOCK,
 * then the object (file access modes, MAP_SHARED_VALIDATE flags, seals, hugetlb alignment and
 * reservation), RLIMIT_AS/RLIMIT_DATA and the commit check, and finally MAP_POPULATE.
 */
import { ERRNO } from '../abi/errno.js';
import * as M from '../abi/mman.js';
import type { HugetlbPools } from './hugetlb.js';
import { DAC_MMAP_MIN_ADDR, MMAP_MIN_ADDR, type MemoryMap, type MmCaller } from './memory-map.js';
import { populate } from './populate.js';
import { HUGETLBFS_DEV, nextShmemIno, ShmemObject, sharedAnonObject } from './shmem.js';
import {
  type FileBacking,
  PAGE,
  VM_DONTEXPAND,
  VM_GROWSDOWN,
  VM_HUGETLB,
  VM_LOCKED,
  VM_MAYEXEC,
  VM_MAYREAD,
  VM_MAYSHARE,
  VM_MAYWRITE,
  VM_NOHUGEPAGE,
  VM_NORESERVE,
  VM_SHARED,
  VM_WRITE,
} from './vma.js';

const EINVAL = -ERRNO.EINVAL;
const ENOMEM = -ERRNO.ENOMEM;
const EACCES = -ERRNO.EACCES;
const EPERM = -ERRNO.EPERM;
const EAGAIN = -ERRNO.EAGAIN;
const EEXIST = -ERRNO.EEXIST;
const ENODEV = -ERRNO.ENODEV;
const EOVERFLOW = -ERRNO.EOVERFLOW;
const EOPNOTSUPP = -ERRNO.EOPNOTSUPP;

const TASK_SIZE_64 = 2 ** 48;
const THP_SIZE = 2 * 1024 * 1024;
/** 2^64 as a number (offsets and lengths arrive as unsigned 64-bit values). */
const TWO64 = 2 ** 64;
/** MAX_LFS_FILESIZE. */
const MAX_LFS_FILESIZE = 2 ** 63 - 1;
/** MAP_HUGE_SHIFT / MAP_HUGE_MASK: the huge page size as log2 in bits 26..31 of the flags. */
export const MAP_HUGE_SHIFT = 26;
export const MAP_HUGE_MASK = 0x3f;
/** personality READ_IMPLIES_EXEC. */
const READ_IMPLIES_EXEC = 0x0400000;
/** MAP_UNINITIALIZED: accepted only by kernels without an MMU; ignored here as on arm64 Linux. */
const MAP_UNINITIALIZED = 0x4000000;
const LEGACY_MAP_MASK =
  M.MAP_SHARED |
  M.MAP_PRIVATE |
  M.MAP_FIXED |
  M.MAP_ANONYMOUS |
  M.MAP_DENYWRITE |
  M.MAP_EXECUTABLE |
  MAP_UNINITIALIZED |
  M.MAP_GROWSDOWN |
  M.MAP_LOCKED |
  M.MAP_NORESERVE |
  M.MAP_POPULATE |
  M.MAP_NONBLOCK |
  M.MAP_STACK |
  M.MAP_HUGETLB;

/** The open file an mmap names: its backing and access mode. */
export interface MmapFile {
  /** The mappable object, or undefined when the file has no mmap (-ENODEV). */
  backing: FileBacking | undefined;
  readable: boolean;
  writable: boolean;
}

export interface MmapRequest {
  addr: number;
  len: number;
  prot: number;
  flags: number;
  /** The byte offset as the guest passed it (signed 64-bit). */
  off: number;
  /** The file for a non-anonymous mapping; undefined with MAP_ANONYMOUS. */
  file: MmapFile | undefined;
  caller: MmCaller;
  /** The call comes from the compat ABI (no transparent-huge-page alignment). */
  compat: boolean;
  personality: number;
  pools: HugetlbPools;
}

function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

/** The whole of mmap after the fd lookup: the address, or a negative errno. */
export function doMmap(mm: MemoryMap, r: MmapRequest): number {
  if (r.off % PAGE !== 0) return EINVAL;
  // pgoff is unsigned: a negative offset is a huge one.
  const pgoff = (r.off < 0 ? TWO64 + r.off : r.off) / PAGE;
  let { addr, len, prot, flags } = r;
  let backing: FileBacking | undefined;
  if (r.file !== undefined) {
    backing = r.file.backing;
    const huge = backing?.hugePageSize;
    if (huge !== undefined) len = alignUp(len, huge);
    else if (flags & M.MAP_HUGETLB) return EINVAL;
  } else if (flags & M.MAP_HUGETLB) {
    const pool = r.pools.bySizeLog((flags >>> MAP_HUGE_SHIFT) & MAP_HUGE_MASK);
    if (pool === undefined) return EINVAL;
    len = alignUp(len, pool.pageSize);
    backing = new ShmemObject(mm.as.phys, '/anon_hugepage (deleted)', HUGETLBFS_DEV, nextShmemIno(), len, {
      hugetlb: pool,
    });
  }
  // do_mmap
  if (len === 0) return EINVAL;
  if (prot & M.PROT_READ && r.personality & READ_IMPLIES_EXEC) prot |= M.PROT_EXEC;
  if (flags & M.MAP_FIXED_NOREPLACE) flags |= M.MAP_FIXED;
  if (!(flags & M.MAP_FIXED)) {
    addr = Math.floor(addr / PAGE) * PAGE;
    if (addr !== 0 && addr < MMAP_MIN_ADDR) addr = MMAP_MIN_ADDR;
  }
  if (len > TWO64 - PAGE) return ENOMEM;
  len = alignUp(len, PAGE);
  if (pgoff + len / PAGE >= TWO64 / PAGE) return EOVERFLOW;
  if (mm.count > mm.maxMapCount) return ENOMEM;
  const fileHuge = backing?.hugePageSize;
  const isFile = backing !== undefined && r.file !== undefined;
  const hostFile = isFile && !(backing instanceof ShmemObject);
  const where = chooseAddress(mm, r, addr, len, flags, pgoff, fileHuge, isFile, hostFile);
  if (where < 0) return where;
  addr = where;
  if (flags & M.MAP_FIXED_NOREPLACE && !mm.isFree(addr / PAGE, (addr + len) / PAGE)) return EEXIST;
  let vmFlags = (prot & 7) | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | mm.defFlags;
  if (flags & M.MAP_GROWSDOWN) vmFlags |= VM_GROWSDOWN;
  // Linux 6.7+: a MAP_STACK mapping gets no transparent huge pages.
  if (flags & M.MAP_STACK) vmFlags |= VM_NOHUGEPAGE;
  if (flags & M.MAP_LOCKED) {
    vmFlags |= VM_LOCKED;
    const memlock = mm.rlimit(r.caller, 8);
    if (memlock === 0 && !r.caller.privileged) return EPERM;
  }
  if (!mm.mlockFutureOk(r.caller, vmFlags, len)) return EAGAIN;
  let offset: number;
  const type = flags & M.MAP_TYPE;
  if (backing !== undefined) {
    const f: MmapFile = r.file ?? { backing, readable: true, writable: true };
    switch (type) {
      case M.MAP_SHARED:
      case M.MAP_SHARED_VALIDATE:
        if (type === M.MAP_SHARED) flags &= LEGACY_MAP_MASK;
        else if (flags & ~(LEGACY_MAP_MASK | M.MAP_FIXED_NOREPLACE)) return EOPNOTSUPP;
        if (prot & M.PROT_WRITE && !f.writable) return EACCES;
        vmFlags |= VM_SHARED | VM_MAYSHARE;
        if (!f.writable) vmFlags &= ~(VM_MAYWRITE | VM_SHARED);
        if (!f.readable) return EACCES;
        break;
      case M.MAP_PRIVATE:
        if (!f.readable) return EACCES;
        break;
      default:
        return EINVAL;
    }
    if (vmFlags & VM_GROWSDOWN) return EINVAL;
    offset = r.off < 0 ? TWO64 + r.off : r.off;
    if (fileHuge === undefined && r.file !== undefined) {
      // file_mmap_ok: the mapping must end below the largest file offset.
      if (pgoff > (MAX_LFS_FILESIZE - len) / PAGE) return EOVERFLOW;
    }
  } else {
    if (r.file !== undefined) return ENODEV;
    switch (type) {
      case M.MAP_SHARED:
        if (vmFlags & VM_GROWSDOWN) return EINVAL;
        vmFlags |= VM_SHARED | VM_MAYSHARE;
        offset = 0;
        break;
      case M.MAP_PRIVATE:
        offset = addr;
        break;
      default:
        return EINVAL;
    }
  }
  if (flags & M.MAP_NORESERVE) vmFlags |= VM_NORESERVE;
  if (backing === undefined && vmFlags & VM_SHARED) backing = sharedAnonObject(mm.as.phys, len);
  if (backing !== undefined) {
    const adjusted = backing.mmapFlags?.(vmFlags) ?? vmFlags;
    if (adjusted < 0) return adjusted;
    vmFlags = adjusted;
    if (fileHuge !== undefined) {
      const e = hugetlbMmap(backing, offset, len, vmFlags, fileHuge);
      if (e < 0) return e;
      vmFlags |= VM_HUGETLB | VM_DONTEXPAND;
    }
  }
  const res = mm.mmapRegion(addr, len, vmFlags, backing, offset, r.caller);
  if (res < 0) return res;
  if (vmFlags & VM_LOCKED || (flags & (M.MAP_POPULATE | M.MAP_NONBLOCK)) === M.MAP_POPULATE)
    populate(mm, addr / PAGE, (addr + len) / PAGE, false);
  return addr;
}

/**
 * __get_unmapped_area: MAP_FIXED addresses are checked (page aligned, below TASK_SIZE, not below
 * dac_mmap_min_addr without privilege), others searched with the calling ABI's limits — hugetlbfs
 * objects at huge page alignment, large native anonymous and file mappings at THP alignment.
 */
function chooseAddress(
  mm: MemoryMap,
  r: MmapRequest,
  addr: number,
  len: number,
  flags: number,
  pgoff: number,
  huge: number | undefined,
  isFile: boolean,
  hostFile: boolean,
): number {
  if (len > TASK_SIZE_64) return ENOMEM;
  const limits = r.caller.limits;
  let where: number;
  if (huge !== undefined) {
    if (len % huge !== 0) return EINVAL;
    if (flags & M.MAP_FIXED) {
      if (addr % huge !== 0) return EINVAL;
      where = addr;
    } else where = mm.getUnmappedArea(len, addr === 0 ? 0 : alignUp(addr, huge), limits, huge / PAGE);
  } else if (flags & M.MAP_FIXED) {
    if (len > TASK_SIZE_64 - MMAP_MIN_ADDR) return ENOMEM;
    where = addr;
  } else {
    // Host files (ext4's thp_get_unmapped_area) and large private anonymous mappings without a
    // hint get THP alignment in native calls; shmem objects do not (shmem huge pages are off).
    const anonThp = !isFile && !(flags & M.MAP_SHARED) && addr === 0 && len % THP_SIZE === 0;
    const thp =
      !r.compat && (hostFile || anonThp) ? mm.thpUnmappedArea(len, addr, limits, isFile ? pgoff * PAGE : 0) : undefined;
    where = thp ?? mm.getUnmappedArea(len, addr, limits);
  }
  if (where < 0) return where;
  if (where > TASK_SIZE_64 - len) return ENOMEM;
  if (where % PAGE !== 0) return EINVAL;
  // security_mmap_addr → cap_mmap_addr: CAP_SYS_RAWIO below dac_mmap_min_addr.
  if (where < DAC_MMAP_MIN_ADDR && !r.caller.privileged) return EPERM;
  return where;
}

/**
 * hugetlbfs_file_mmap: the offset must be huge page aligned; without VM_NORESERVE the huge pages
 * covered are reserved from the pool now (-ENOMEM when it cannot); a writable mapping beyond the
 * end of the file grows it.
 */
function hugetlbMmap(backing: FileBacking, offset: number, len: number, vmFlags: number, huge: number): number {
  if (offset % huge !== 0) return EINVAL;
  if (!(backing instanceof ShmemObject)) return 0;
  const q = backing.hugeQuota;
  if (q !== undefined && !(vmFlags & VM_NORESERVE) && !q.reserve(offset / huge, len / huge)) return ENOMEM;
  if (vmFlags & VM_WRITE && backing.size() < offset + len) backing.cache.resize(offset + len);
  return 0;
}
