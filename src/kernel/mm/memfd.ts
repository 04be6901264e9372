/**
 * memfd_create files (mm/memfd.c, Linux 6.12): an open description (ShmemFile) of an unlinked shmem
 * object ("/memfd:name (deleted)") — or a hugetlbfs one with MFD_HUGETLB — and file seals
 * (fcntl's F_ADD_SEALS / F_GET_SEALS call memfdAddSeals and memfdGetSeals).
 */
import type { PhysicalMemory } from '../../memory/physical-memory.js';
import { ERRNO } from '../abi/errno.js';
import { O_ACCMODE, O_LARGEFILE, O_RDWR, O_WRONLY } from '../abi/fcntl.js';
import type { Timespec } from '../fs/host-fs.js';
import type { OpenFile } from '../fs/open-file.js';
import type { HugetlbPools } from './hugetlb.js';
import { F_ALL_SEALS, F_SEAL_EXEC, F_SEAL_SEAL, HUGETLBFS_DEV, nextShmemIno, SHMEM_DEV, ShmemObject } from './shmem.js';
import { ShmemFile, shmemOf } from './shmem-file.js';

const EINVAL = -ERRNO.EINVAL;
const EPERM = -ERRNO.EPERM;
const ENODEV = -ERRNO.ENODEV;

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

/**
 * F_GET_SEALS (memfd_get_seals): the seals of a memfd or another sealable shmem file (hugetlbfs
 * files start with F_SEAL_SEAL), else -EINVAL.
 */
export function memfdGetSeals(f: OpenFile): number {
  return shmemOf(f)?.seals ?? EINVAL;
}

/**
 * F_ADD_SEALS (memfd_add_seals): the description must be open for writing (-EPERM, checked first,
 * whatever the file), the seals known (-EINVAL), the file sealable (-EINVAL); then ShmemObject.addSeals.
 */
export function memfdAddSeals(f: OpenFile, seals: number): number {
  const acc = f.flags & O_ACCMODE;
  if (acc !== O_WRONLY && acc !== O_RDWR) return EPERM;
  seals >>>= 0;
  if (seals & ~F_ALL_SEALS) return EINVAL;
  const obj = shmemOf(f);
  if (obj === undefined) return EINVAL;
  return obj.addSeals(seals);
}

/**
 * memfd_create after the name was read (name: without the "memfd:" prefix): checks the flags,
 * makes the object and returns its open description (O_RDWR | O_LARGEFILE), or a negative errno.
 * memfd files are never linked (nlink 0); their times are the creation time.
 */
export function createMemfd(
  phys: PhysicalMemory,
  pools: HugetlbPools,
  name: string,
  flags: number,
  uid: number,
  gid: number,
  now: Timespec,
): ShmemFile | number {
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
  return new ShmemFile(obj, { uid, gid, nlink: 0, atime: now, mtime: now, ctime: now }, O_RDWR | O_LARGEFILE);
}
