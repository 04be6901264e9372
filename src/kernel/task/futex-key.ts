/**
 * Futex keys (get_futex_key, kernel/futex/core.c): what makes two futex calls meet on one futex.
 *
 * - A private futex (FUTEX_PRIVATE_FLAG) is (memory map, address): the threads of one process meet
 *   there, nothing else does.
 * - A shared futex in a MAP_SHARED mapping of a file, a memfd, SysV shm or shared anonymous memory
 *   is (mapped object, byte offset in it): every process mapping that object meets there, at
 *   whatever address it mapped it. The object is the mapping's FileBacking, which mm keeps unique
 *   per inode (one HostBacking per host file, one ShmemObject per memfd/segment), as Linux uses the
 *   inode's sequence number.
 * - A shared futex in private memory is (memory map, address) again, but apart from the private
 *   key (Linux's FUT_OFF_MMSHARED bit): a FUTEX_WAKE without FUTEX_PRIVATE_FLAG does not wake a
 *   FUTEX_WAIT with it, on Linux too. After fork the child's copy is its own futex.
 */
import { Access, isGuestFault } from '../../memory/guest-fault.js';
import { PROT_READ, PROT_WRITE } from '../abi/mman.js';
import type { MemoryMap } from '../mm/memory-map.js';
import { isShared, PAGE } from '../mm/vma.js';

const EFAULT = -14;
const EINVAL = -22;

/** User addresses end at TASK_SIZE (48-bit VA); access_ok refuses a word that reaches past it. */
const TASK_SIZE = 2 ** 48;

/** Which kind of key: kept apart even when object and offset agree (Linux's FUT_OFF_* bits). */
const KIND_PRIVATE = 0;
const KIND_MMSHARED = 1;
const KIND_INODE = 2;

export interface FutexKey {
  /** The memory map (private and anonymous keys) or the mapped object (inode keys). */
  readonly object: object;
  /** Address or object offset × 4 + kind: exact below 2^51, as offsets stay below 2^49. */
  readonly index: number;
}

export function sameKey(a: FutexKey, b: FutexKey): boolean {
  return a.object === b.object && a.index === b.index;
}

/** FUTEX_READ / FUTEX_WRITE: whether the operation will store to the word (GUP's FOLL_WRITE). */
export type KeyAccess = 'read' | 'write';

/**
 * get_futex_key: the key of the u32 at uaddr, or -EINVAL (misaligned) / -EFAULT (outside user
 * space; for shared keys also unmapped, PROT_NONE, read-only for a write operation, or a page
 * that cannot be faulted in). A shared key faults the page in as get_user_pages does (for a write
 * operation on private memory that is the copy-on-write break).
 */
export function getFutexKey(mm: MemoryMap, uaddr: number, shared: boolean, rw: KeyAccess): FutexKey | number {
  if (uaddr % 4 !== 0) return EINVAL;
  if (!(uaddr >= 0 && uaddr + 4 <= TASK_SIZE)) return EFAULT;
  if (!shared) return { object: mm, index: uaddr * 4 + KIND_PRIVATE };
  const vma = mm.find(Math.floor(uaddr / PAGE));
  if (vma === undefined) return EFAULT;
  const writable = (vma.prot & PROT_WRITE) !== 0;
  const readable = (vma.prot & PROT_READ) !== 0;
  // get_user_pages_fast(FOLL_WRITE), then read-only for FUTEX_READ.
  const access = writable ? Access.Write : Access.Read;
  if (!writable && (rw === 'write' || !readable)) return EFAULT;
  if (!faultIn(mm, uaddr, access)) return EFAULT;
  const file = vma.file;
  // A page-cache page: a shared mapping, or a read-only private file mapping never copied.
  if (file !== undefined && (isShared(vma) || !writable)) {
    const offset = vma.offset + (uaddr - vma.start * PAGE);
    return { object: file, index: offset * 4 + KIND_INODE };
  }
  // An anonymous page; a read-only one is the zero page or never changes: Linux refuses it.
  if (!writable) return EFAULT;
  return { object: mm, index: uaddr * 4 + KIND_MMSHARED };
}

function faultIn(mm: MemoryMap, uaddr: number, access: Access): boolean {
  try {
    mm.as.translate(uaddr, access);
    return true;
  } catch (e) {
    if (isGuestFault(e)) return false;
    throw e;
  }
}
