/**
 * What futexes need when a thread dies or execs (kernel/futex/core.c futex_cleanup, and the
 * CLONE_CHILD_CLEARTID part of kernel/fork.c mm_release):
 *
 * - `exitRobustList`: walks the thread's robust list (set_robust_list, 24-byte robust_list_head),
 *   then its compat robust list (compat set_robust_list, 12-byte compat_robust_list_head — a
 *   64-bit task of compat64 may have both, compat-abi.md §7), marking each futex the thread owns
 *   `(old & FUTEX_WAITERS) | FUTEX_OWNER_DIED` and waking one waiter; then hands the PI futexes it
 *   owns to their waiters. Both heads are forgotten afterwards.
 * - `futexWakeClearTid`: writes 0 to the clear_child_tid word and wakes one waiter there
 *   (pthread_join's wait).
 *
 * The lists live in user memory and may be corrupt: any fault ends a walk silently, at most
 * ROBUST_LIST_LIMIT entries are visited, and a circular list is therefore harmless.
 */
import type { AddressSpace } from '../../memory/address-space.js';
import type { Kernel } from '../kernel.js';
import { readU32, readU64, writeU32 } from '../syscalls/uaccess.js';
import {
  FUTEX_BITSET_MATCH_ANY,
  FUTEX_OWNER_DIED,
  FUTEX_TID_MASK,
  FUTEX_WAITERS,
  ROBUST_LIST_LIMIT,
} from './futex-abi.js';
import { futexWake } from './futex.js';
import { markFutexDead } from './futex-queue.js';
import { exitPiStateList } from './futex-pi.js';
import type { Task } from './task.js';

const TWO64 = 2 ** 64;

/** How one list's pointers and futex_offset are read: native (LP64) or compat (ILP32). */
interface ListModel {
  readonly ptrSize: 4 | 8;
  /** Reads a pointer-sized word; null on a fault. */
  read(mem: AddressSpace, addr: number): number | null;
  /** Reads futex_offset (a signed long; exact, as glibc's is a small negative number). */
  readOffset(mem: AddressSpace, addr: number): number | null;
  /** entry + futex_offset in the model's pointer arithmetic. */
  add(entry: number, offset: number): number;
}

const NATIVE: ListModel = {
  ptrSize: 8,
  read: readU64,
  readOffset: (mem, addr) => {
    const lo = readU32(mem, addr);
    const hi = readU32(mem, addr + 4);
    return lo === null || hi === null ? null : (hi | 0) * 4294967296 + lo;
  },
  add: (entry, offset) => {
    const a = entry + offset;
    return a < 0 ? a + TWO64 : a >= TWO64 ? a - TWO64 : a;
  },
};

/** compat_robust_list_head: u32 pointers, s32 futex_offset, the sum taken modulo 2^32 (futex_uaddr). */
const COMPAT: ListModel = {
  ptrSize: 4,
  read: readU32,
  readOffset: (mem, addr) => {
    const v = readU32(mem, addr);
    return v === null ? null : v | 0;
  },
  add: (entry, offset) => (entry + offset) >>> 0,
};

/**
 * futex_cleanup, at thread exit (also when killed by a signal) and at exec: the native robust
 * list, then the compat one, then the PI states the task still owns. Call it before the task lets
 * go of its memory (exit_mm_release / exec_mm_release), with task.mm still the memory the lists
 * are in. After an exit (task.exitStatus set) the task counts as dead for PI lockers.
 */
export function exitRobustList(kernel: Kernel, task: Task): void {
  if (task.robustListHead !== 0) {
    walkRobustList(kernel, task, task.robustListHead, NATIVE);
    task.robustListHead = 0;
  }
  if (task.compatRobustListHead !== 0) {
    walkRobustList(kernel, task, task.compatRobustListHead, COMPAT);
    task.compatRobustListHead = 0;
  }
  exitPiStateList(kernel, task);
  if (task.exitStatus !== undefined) markFutexDead(kernel, task);
}

/** exit_robust_list / compat_exit_robust_list. Bit 0 of a list pointer marks a PI futex. */
function walkRobustList(kernel: Kernel, task: Task, head: number, m: ListModel): void {
  const mem = task.mm.as;
  const first = m.read(mem, head);
  if (first === null) return;
  const offset = m.readOffset(mem, head + m.ptrSize);
  if (offset === null) return;
  const rawPending = m.read(mem, head + 2 * m.ptrSize);
  if (rawPending === null) return;
  const pending = rawPending - (rawPending % 2);
  const pendingPi = rawPending % 2 === 1;
  let entry = first - (first % 2);
  let pi = first % 2 === 1;
  let limit = ROBUST_LIST_LIMIT;
  while (entry !== head) {
    // The next pointer is fetched before the entry is handled (its lock may be freed by a waiter).
    const next = m.read(mem, entry);
    // A pending entry may already be on the list: it is handled once, below.
    if (entry !== pending && !handleFutexDeath(kernel, task, m.add(entry, offset), pi, false)) return;
    if (next === null) return;
    entry = next - (next % 2);
    pi = next % 2 === 1;
    if (--limit === 0) break;
  }
  if (pending !== 0) handleFutexDeath(kernel, task, m.add(pending, offset), pendingPi, true);
}

/**
 * handle_futex_death: false ends the walk (a misaligned or faulting word). A pending non-PI futex
 * whose word is 0 was being released or taken when the thread died: its waiter is woken so it is
 * not left sleeping. Otherwise only a futex whose word names this thread is touched.
 */
function handleFutexDeath(kernel: Kernel, task: Task, uaddr: number, pi: boolean, pending: boolean): boolean {
  if (uaddr % 4 !== 0) return false;
  const mem = task.mm.as;
  const uval = readU32(mem, uaddr);
  if (uval === null) return false;
  if (pending && !pi && uval === 0) {
    futexWake(kernel, task.mm, uaddr, true, 1, FUTEX_BITSET_MATCH_ANY);
    return true;
  }
  if ((uval & FUTEX_TID_MASK) !== task.tid) return true;
  if (!writeU32(mem, uaddr, (uval & FUTEX_WAITERS) | FUTEX_OWNER_DIED)) return false;
  // PI waiters are handed the lock by exitPiStateList.
  if (!pi && (uval & FUTEX_WAITERS) !== 0) futexWake(kernel, task.mm, uaddr, true, 1, FUTEX_BITSET_MATCH_ANY);
  return true;
}

/**
 * CLONE_CHILD_CLEARTID at thread exit or exec (mm_release): 0 is written to task.clearChildTid and
 * one waiter there woken with a shared FUTEX_WAKE, the write's fault ignored. Linux does this only
 * while other tasks still use the memory (mm_users > 1) and then forgets the address
 * (clear_child_tid = NULL); both are the caller's part.
 */
export function futexWakeClearTid(kernel: Kernel, task: Task): void {
  const addr = task.clearChildTid;
  if (addr === 0) return;
  writeU32(task.mm.as, addr, 0);
  futexWake(kernel, task.mm, addr, true, 1, FUTEX_BITSET_MATCH_ANY);
}
