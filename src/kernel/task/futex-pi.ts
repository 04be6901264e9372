/**
 * Priority-inheritance futexes (kernel/futex/pi.c): FUTEX_LOCK_PI/LOCK_PI2, TRYLOCK_PI, UNLOCK_PI
 * and the hand-over of PI futexes whose owner dies.
 *
 * The futex word holds the owner's TID, FUTEX_WAITERS while the kernel has waiters queued (so the
 * owner's user-space unlock fails its cmpxchg and comes to FUTEX_UNLOCK_PI) and FUTEX_OWNER_DIED
 * (set by the robust-list walk). The kernel's PI state records the owner while tasks wait; unlock
 * gives the lock directly to the oldest waiter and writes its TID into the word.
 *
 * What compat64 leaves out: priority boosting. All guest tasks run SCHED_OTHER with equal weight on
 * compat64's scheduler, so there is no priority to lend; waiters are served in FIFO order, which is
 * what Linux's rt_mutex does among equal priorities. Deadlock detection across chains of PI futexes
 * (-EDEADLK other than re-locking one's own futex) is not modelled either.
 */
import { KERNEL_ERRNO } from '../abi/errno.js';
import type { Kernel } from '../kernel.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import { readU32, writeU32 } from '../syscalls/uaccess.js';
import { FUTEX_BITSET_MATCH_ANY, FUTEX_OWNER_DIED, FUTEX_TID_MASK, FUTEX_WAITERS } from './futex-abi.js';
import { type FutexKey, getFutexKey } from './futex-key.js';
import {
  enqueue,
  expired,
  type FutexDeadline,
  FutexWaiter,
  futexDead,
  futexSleep,
  newPiState,
  type PiState,
  piStatesOwnedBy,
  queueOf,
  setPiOwner,
  unqueue,
  wakeWaiter,
} from './futex-queue.js';
import { INTERRUPTED } from './signal-wait.js';
import type { Task } from './task.js';

const EPERM = -1;
const ESRCH = -3;
const EAGAIN = -11;
const EFAULT = -14;
const EINVAL = -22;
const EDEADLK = -35;
const ETIMEDOUT = -110;
const ERESTARTNOINTR = -KERNEL_ERRNO.ERESTARTNOINTR;

/** The locker must queue behind the PI state's owner (existing, or about to be attached). */
interface MustWait {
  readonly state: PiState | undefined;
  readonly owner: Task | null;
}

/**
 * futex_lock_pi (LOCK_PI, LOCK_PI2 and, with trylock, TRYLOCK_PI): takes the PI futex at uaddr for
 * the calling task. 0 once owned (the word then holds the caller's TID); -EDEADLK when the caller
 * already owns it; -ESRCH when the word names no live task; -EINVAL when the kernel state does not
 * match the word (or the futex has non-PI waiters); -EAGAIN (EWOULDBLOCK) for a contended trylock;
 * -ETIMEDOUT at the absolute deadline; -ERESTARTNOINTR when a signal interrupts the wait (always
 * restarted, as on Linux).
 */
export function futexLockPi(
  ctx: SyscallContext,
  uaddr: number,
  shared: boolean,
  deadline: FutexDeadline | undefined,
  trylock: boolean,
): number | Promise<number> {
  const key = getFutexKey(ctx.mm, uaddr, shared, 'write');
  if (typeof key === 'number') return key;
  const r = lockPiAtomic(ctx, key, uaddr);
  if (typeof r === 'number') return r;
  // An ownerless PI state (its owner died and the hand-over could not be written): take it over.
  if (r.state !== undefined && r.state.owner === null) return takeOwnerless(ctx, r.state, uaddr);
  if (trylock) return EAGAIN;
  const w = new FutexWaiter(ctx.task, key, uaddr, FUTEX_BITSET_MATCH_ANY, true);
  enqueue(ctx.kernel, w);
  if (r.state === undefined) newPiState(ctx.kernel, key, r.owner!);
  return sleepForLock(ctx, w, deadline);
}

/**
 * futex_lock_pi_atomic: 0 when the futex was free and is now the caller's, an errno, or what the
 * caller must queue behind. The first waiter sets FUTEX_WAITERS in the word before looking up the
 * owner, so the bit stays even when the lookup fails (as on Linux).
 */
function lockPiAtomic(ctx: SyscallContext, key: FutexKey, uaddr: number): number | MustWait {
  const kernel = ctx.kernel;
  const tid = ctx.task.tid;
  const uval = readU32(ctx.mem, uaddr);
  if (uval === null) return EFAULT;
  if ((uval & FUTEX_TID_MASK) === tid) return EDEADLK;
  const q = queueOf(kernel, key);
  const top = q?.waiters[0];
  if (q !== undefined && top !== undefined) return attachToPiState(uval, top.pi ? q.pi : undefined);
  if ((uval & FUTEX_TID_MASK) === 0) {
    // Free (the waiters or owner-died bit brought the caller here): take it, keeping OWNER_DIED.
    return writeU32(ctx.mem, uaddr, (uval & FUTEX_OWNER_DIED) | tid) ? 0 : EFAULT;
  }
  const newval = (uval | FUTEX_WAITERS) >>> 0;
  if (!writeU32(ctx.mem, uaddr, newval)) return EFAULT;
  return attachToPiOwner(kernel, newval);
}

/** attach_to_pi_state: the word must agree with the PI state the waiters already share. */
function attachToPiState(uval: number, ps: PiState | undefined): number | MustWait {
  // A non-PI waiter on the word: user space mixed PI and non-PI operations.
  if (ps === undefined) return EINVAL;
  const pid = uval & FUTEX_TID_MASK;
  if ((uval & FUTEX_OWNER_DIED) !== 0) {
    if (ps.owner === null) return pid !== 0 ? EINVAL : { state: ps, owner: null };
    // The owner died and a waiter got the lock but has not written its TID yet.
    if (pid === 0) return { state: ps, owner: ps.owner };
  } else if (ps.owner === null) {
    return EINVAL;
  }
  if (pid !== ps.owner.tid) return EINVAL;
  return { state: ps, owner: ps.owner };
}

/**
 * attach_to_pi_owner: the first waiter looks up the task the word names (any process: a shared PI
 * futex works across processes). A task that has not run its futex exit cleanup yet is still a
 * valid owner (the cleanup will hand the lock over); one that has, or none, gives -ESRCH
 * (handle_exit_race: the word cannot have changed meanwhile, this being one synchronous stretch).
 */
function attachToPiOwner(kernel: Kernel, uval: number): number | MustWait {
  const pid = uval & FUTEX_TID_MASK;
  const owner = kernel.tasks.get(pid);
  if (owner === undefined || owner.tid !== pid || futexDead(kernel, owner)) return ESRCH;
  return { state: undefined, owner };
}

/** The caller takes an ownerless PI state (rt_mutex free): fixup_pi_state_owner writes its TID. */
function takeOwnerless(ctx: SyscallContext, ps: PiState, uaddr: number): number {
  const uval = readU32(ctx.mem, uaddr);
  if (uval === null) return EFAULT;
  if (!writeU32(ctx.mem, uaddr, (uval & FUTEX_OWNER_DIED) | FUTEX_WAITERS | ctx.task.tid)) return EFAULT;
  setPiOwner(ctx.kernel, ps, ctx.task);
  return 0;
}

async function sleepForLock(ctx: SyscallContext, w: FutexWaiter, deadline: FutexDeadline | undefined): Promise<number> {
  const kernel = ctx.kernel;
  for (;;) {
    const r = await futexSleep(kernel, ctx.task, [w], deadline);
    // Given the lock meanwhile: success even if the timeout or a signal came too.
    if (w.acquired) return 0;
    if (r === 'woken') continue;
    unqueue(kernel, w);
    if (r === 'timeout' || expired(kernel, deadline)) return ETIMEDOUT;
    if (r === INTERRUPTED) return ERESTARTNOINTR;
  }
}

/**
 * futex_unlock_pi: the owner releases the PI futex at uaddr. With waiters queued the oldest gets
 * the lock and the word becomes FUTEX_WAITERS | its TID (the bit stays while a PI state may exist);
 * otherwise the word becomes 0. -EPERM when the word does not name the caller; -EINVAL when the
 * kernel state disagrees with it.
 */
export function futexUnlockPi(ctx: SyscallContext, uaddr: number, shared: boolean): number {
  const uval = readU32(ctx.mem, uaddr);
  if (uval === null) return EFAULT;
  if ((uval & FUTEX_TID_MASK) !== ctx.task.tid) return EPERM;
  const key = getFutexKey(ctx.mm, uaddr, shared, 'write');
  if (typeof key === 'number') return key;
  const q = queueOf(ctx.kernel, key);
  const top = q?.waiters[0];
  if (q !== undefined && top !== undefined) {
    const ps = q.pi;
    if (!top.pi || ps === undefined || ps.owner !== ctx.task) return EINVAL;
    if (!writeU32(ctx.mem, uaddr, FUTEX_WAITERS | top.task.tid)) return EFAULT;
    giveLock(ctx.kernel, ps, top);
    return 0;
  }
  return writeU32(ctx.mem, uaddr, 0) ? 0 : EFAULT;
}

/** pi_state_update_owner + the rt_mutex unlock that wakes the new owner. */
function giveLock(kernel: Kernel, ps: PiState, w: FutexWaiter): void {
  setPiOwner(kernel, ps, w.task);
  w.acquired = true;
  wakeWaiter(kernel, w);
}

/**
 * exit_pi_state_list: every PI futex the task still owns goes to its oldest waiter, which writes
 * its TID into the word keeping FUTEX_OWNER_DIED (set by the robust-list walk just before, for a
 * robust futex): fixup_pi_state_owner, done here on the waiter's behalf.
 */
export function exitPiStateList(kernel: Kernel, task: Task): void {
  for (const ps of piStatesOwnedBy(kernel, task)) {
    setPiOwner(kernel, ps, null);
    const w = ps.queue.waiters.find((x) => x.pi);
    if (w === undefined) continue;
    const mem = w.task.mm.as;
    const uval = readU32(mem, w.uaddr);
    // A word that cannot be rewritten leaves the state ownerless: the next locker takes it over.
    if (uval === null || !writeU32(mem, w.uaddr, (uval & FUTEX_OWNER_DIED) | FUTEX_WAITERS | w.task.tid)) continue;
    giveLock(kernel, ps, w);
  }
}
