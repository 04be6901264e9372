/**
 * A virtual memory area (Linux's vm_area_struct): a run of pages with one protection, one backing
 * object and one set of VM_* flags, and what backs file and shared mappings.
 */
import type { PageCache } from './page-cache.js';

export const PAGE = 4096;

/** What backs a file mapping: the open file's data, read and written at byte positions. */
export interface FileBacking {
  /** Reads up to len bytes at pos into dst[at…]; returns the count (short at end of file). */
  readAt(pos: number, dst: Uint8Array, at: number, len: number): number;
  writeAt(pos: number, src: Uint8Array, at: number, len: number): number;
  size(): number;
  /** The path shown in /proc/self/maps. */
  readonly path: string;
  readonly dev: number;
  readonly ino: number;
  /**
   * The page cache every mapping of this file and read(2)/write(2) share (one per inode). When
   * absent, mm makes one per backing object (pageCacheOf): mappings of that object then share
   * pages, but read/write of the file do not see them until msync/munmap/exit.
   */
  readonly cache?: PageCache;
  /** Huge page size of a hugetlbfs file (mappings align to it and fault in whole huge pages). */
  readonly hugePageSize?: number;
  /**
   * Linux's vm_ops->open/close: called once for every VMA that starts or stops referring to the
   * object (mmap, split, fork, mremap, munmap, exit). SysV shm counts shm_nattch with them, memfd
   * counts shared writable mappings (F_SEAL_WRITE fails with EBUSY while there are some).
   */
  vmOpen?(v: Vma): void;
  vmClose?(v: Vma): void;
  /**
   * Adjusts a new mapping's VM_* flags (memfd seals drop VM_MAYWRITE from shared read-only
   * mappings) or refuses it with a negative errno (-EPERM for a shared writable one).
   */
  mmapFlags?(vmFlags: number): number;
  /** True for SysV shm segments: their VMAs never merge (Linux: vm_ops->close) and shmdt finds them. */
  readonly sysvShm?: boolean;
}

/** VM_* flags (include/linux/mm.h), the bits Linux keeps in vm_flags, with Linux's values. */
export const VM_READ = 0x1;
export const VM_WRITE = 0x2;
export const VM_EXEC = 0x4;
export const VM_SHARED = 0x8;
export const VM_MAYREAD = 0x10;
export const VM_MAYWRITE = 0x20;
export const VM_MAYEXEC = 0x40;
export const VM_MAYSHARE = 0x80;
export const VM_GROWSDOWN = 0x100;
export const VM_PFNMAP = 0x400;
export const VM_LOCKED = 0x2000;
export const VM_IO = 0x4000;
export const VM_SEQ_READ = 0x8000;
export const VM_RAND_READ = 0x10000;
export const VM_DONTCOPY = 0x20000;
export const VM_DONTEXPAND = 0x40000;
export const VM_LOCKONFAULT = 0x80000;
export const VM_ACCOUNT = 0x100000;
export const VM_NORESERVE = 0x200000;
export const VM_HUGETLB = 0x400000;
export const VM_WIPEONFORK = 0x2000000;
export const VM_DONTDUMP = 0x4000000;
export const VM_HUGEPAGE = 0x20000000;
export const VM_NOHUGEPAGE = 0x40000000;
/**
 * VM_MERGEABLE is bit 31 in Linux; compat64 keeps it in the unused bit 0x800 so that every flag
 * fits JavaScript's signed 32-bit bitwise operators.
 */
export const VM_MERGEABLE = 0x800;
export const VM_MIXEDMAP = 0x10000000;
export const VM_SPECIAL = VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP;

export const VM_ACCESS_FLAGS = VM_READ | VM_WRITE | VM_EXEC;
export const VM_LOCKED_MASK = VM_LOCKED | VM_LOCKONFAULT;

export interface Vma {
  /** First page (vpn) and one past the last page. */
  start: number;
  end: number;
  /** PROT_* bits (the VM_READ/VM_WRITE/VM_EXEC part of vm_flags). */
  prot: number;
  /** MAP_SHARED (for VM_MAYSHARE) or MAP_PRIVATE, plus MAP_GROWSDOWN: what /proc shows as s/p. */
  flags: number;
  /** The other VM_* bits (VM_MAY*, VM_SHARED, VM_LOCKED, VM_DONTCOPY, …); VM_ACCESS_FLAGS mirror prot. */
  vmFlags: number;
  /** The mapped object: a file, a shmem object (/dev/zero, SysV shm, memfd) or undefined (private anonymous). */
  file: FileBacking | undefined;
  /** Byte offset in the object of page `start` (vm_pgoff × PAGE; for private anonymous memory, Linux's pgoff = address). */
  offset: number;
  /** A special mapping's name: [stack] (the initial stack), [vdso], [vvar]. */
  name: string | undefined;
  /** The name given by prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME): shown as [anon:…]. */
  anonName: string | undefined;
  /** Identity of the anon_vma (0 = none yet): set on the first private fault; merges need compatible ones. */
  anon: number;
}

/** A copy of v restricted to [start, end), the offset moved along. */
export function cloneVma(v: Vma, start: number, end: number): Vma {
  return { ...v, start, end, offset: v.offset + (start - v.start) * PAGE };
}

/** VM_MAYSHARE: the mapping shares its pages with the object (MAP_SHARED), writable or not. */
export function isShared(v: Vma): boolean {
  return (v.vmFlags & VM_MAYSHARE) !== 0;
}

/** Linux's is_exec_mapping / is_stack_mapping / is_data_mapping, for total_vm and its parts. */
export function isExecMapping(v: Vma): boolean {
  return (v.vmFlags & (VM_EXEC | VM_WRITE | VM_GROWSDOWN)) === VM_EXEC;
}
export function isStackMapping(v: Vma): boolean {
  return (v.vmFlags & VM_GROWSDOWN) !== 0;
}
export function isDataMapping(vmFlags: number): boolean {
  return (vmFlags & (VM_WRITE | VM_SHARED | VM_GROWSDOWN)) === VM_WRITE;
}
