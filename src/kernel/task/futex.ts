/**
 * Futex wait and wake (kernel/futex/waitwake.c, requeue.c): FUTEX_WAIT/WAIT_BITSET, WAKE/
 * WAKE_BITSET, REQUEUE/CMP_REQUEUE, WAKE_OP and futex_waitv's multiple wait. PI futexes are in
 * futex-pi.ts, the exit-time robust-list walk in robust-list.ts, syscall decoding in
 * syscalls/sys-futex.ts.
 *
 * Every function reads and writes futex words through the uaccess helpers (a bad address is
 * -EFAULT, never an exception) and does its compare-and-queue or store-and-wake in one synchronous
 * stretch, which is the atomicity Linux's hash-bucket lock provides.
 */
import { KERNEL_ERRNO } from '../abi/errno.js';
import type { Kernel } from '../kernel.js';
import type { MemoryMap } from '../mm/memory-map.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import { readU32, writeU32 } from '../syscalls/uaccess.js';
import {
  FUTEX_BITSET_MATCH_ANY,
  FUTEX_OP_ADD,
  FUTEX_OP_ANDN,
  FUTEX_OP_CMP_EQ,
  FUTEX_OP_CMP_GE,
  FUTEX_OP_CMP_GT,
  FUTEX_OP_CMP_LE,
  FUTEX_OP_CMP_LT,
  FUTEX_OP_CMP_NE,
  FUTEX_OP_OPARG_SHIFT,
  FUTEX_OP_OR,
  FUTEX_OP_SET,
  FUTEX_OP_XOR,
} from './futex-abi.js';
import { type FutexKey, getFutexKey } from './futex-key.js';
import {
  enqueue,
  type FutexDeadline,
  FutexWaiter,
  futexSleep,
  expired,
  queueOf,
  requeueWaiter,
  unqueue,
  wakeWaiter,
} from './futex-queue.js';
import { cancelRestart, setRestartFn } from './restart-block.js';
import { INTERRUPTED } from './signal-wait.js';

const EFAULT = -14;
const EINVAL = -22;
const EAGAIN = -11;
const ENOSYS = -38;
const ETIMEDOUT = -110;
const ERESTARTSYS = -KERNEL_ERRNO.ERESTARTSYS;
const ERESTART_RESTARTBLOCK = -KERNEL_ERRNO.ERESTART_RESTARTBLOCK;

/**
 * futex_wait: sleeps on the futex at uaddr if it still holds val, until a wake matching bitset, the
 * absolute deadline, or a signal. 0 when woken; -EAGAIN (EWOULDBLOCK) when the word differs;
 * -ETIMEDOUT; -ERESTARTSYS when a signal came and there was no timeout, else
 * -ERESTART_RESTARTBLOCK with a restart block that waits again to the same deadline (so a SIGSTOP/
 * SIGCONT or a handler-less signal does not stretch the timeout).
 */
export function futexWait(
  ctx: SyscallContext,
  uaddr: number,
  shared: boolean,
  val: number,
  deadline: FutexDeadline | undefined,
  bitset: number,
): number | Promise<number> {
  if (bitset >>> 0 === 0) return EINVAL;
  const w = waitSetup(ctx, uaddr, shared, val >>> 0, bitset >>> 0);
  if (typeof w === 'number') return w;
  return sleepQueued(ctx, w, uaddr, shared, val >>> 0, deadline).then((r) => {
    if (r !== ERESTARTSYS || deadline === undefined) return r;
    setRestartFn(ctx, (c) => {
      cancelRestart(c.task.signals.restartBlock);
      return futexWait(c, uaddr, shared, val, deadline, bitset);
    });
    return ERESTART_RESTARTBLOCK;
  });
}

/** futex_wait_setup + futex_queue: the key, the word read and compared, the waiter queued. */
function waitSetup(
  ctx: SyscallContext,
  uaddr: number,
  shared: boolean,
  val: number,
  bitset: number,
): FutexWaiter | number {
  const key = getFutexKey(ctx.mm, uaddr, shared, 'read');
  if (typeof key === 'number') return key;
  const uval = readU32(ctx.mem, uaddr);
  if (uval === null) return EFAULT;
  if (uval !== val) return EAGAIN;
  const w = new FutexWaiter(ctx.task, key, uaddr, bitset, false);
  enqueue(ctx.kernel, w);
  return w;
}

/** The sleep of __futex_wait, after which "still queued?" tells woken from timed out or interrupted. */
async function sleepQueued(
  ctx: SyscallContext,
  first: FutexWaiter,
  uaddr: number,
  shared: boolean,
  val: number,
  deadline: FutexDeadline | undefined,
): Promise<number> {
  const kernel = ctx.kernel;
  let w = first;
  for (;;) {
    const r = await futexSleep(kernel, ctx.task, [w], deadline);
    if (!unqueue(kernel, w)) return 0;
    if (r === 'timeout' || expired(kernel, deadline)) return ETIMEDOUT;
    if (r === INTERRUPTED) return ERESTARTSYS;
    // A spurious wake-up: Linux sets up again (the word may have changed meanwhile).
    const again = waitSetup(ctx, uaddr, shared, val, w.bitset);
    if (typeof again === 'number') return again;
    w = again;
  }
}

/**
 * futex_wake: wakes up to nr waiters of the futex at uaddr whose bitset shares a bit with bitset,
 * oldest first; the count woken. nr is an int, and Linux wakes one even for nr <= 0. -EINVAL when
 * a PI waiter is met (WAKE on a PI futex).
 */
export function futexWake(
  kernel: Kernel,
  mm: MemoryMap,
  uaddr: number,
  shared: boolean,
  nr: number,
  bitset: number,
): number {
  if (bitset >>> 0 === 0) return EINVAL;
  const key = getFutexKey(mm, uaddr, shared, 'read');
  if (typeof key === 'number') return key;
  return wakeKey(kernel, key, nr | 0, bitset >>> 0);
}

function wakeKey(kernel: Kernel, key: FutexKey, nr: number, bitset: number): number {
  const q = queueOf(kernel, key);
  if (q === undefined) return 0;
  let woken = 0;
  for (const w of [...q.waiters]) {
    if (w.pi) return EINVAL;
    if ((w.bitset & bitset) === 0) continue;
    wakeWaiter(kernel, w);
    if (++woken >= nr) break;
  }
  return woken;
}

/**
 * futex_requeue (REQUEUE, and CMP_REQUEUE when cmpval is given): wakes nrWake waiters of uaddr1 and
 * moves up to nrRequeue more to uaddr2, without waking them; the number woken plus requeued. CMP
 * first checks that uaddr1 still holds cmpval (-EAGAIN otherwise).
 */
export function futexRequeue(
  ctx: SyscallContext,
  uaddr1: number,
  shared: boolean,
  uaddr2: number,
  nrWake: number,
  nrRequeue: number,
  cmpval: number | undefined,
): number {
  nrWake |= 0;
  nrRequeue |= 0;
  if (nrWake < 0 || nrRequeue < 0) return EINVAL;
  const key1 = getFutexKey(ctx.mm, uaddr1, shared, 'read');
  if (typeof key1 === 'number') return key1;
  const key2 = getFutexKey(ctx.mm, uaddr2, shared, 'read');
  if (typeof key2 === 'number') return key2;
  if (cmpval !== undefined) {
    const cur = readU32(ctx.mem, uaddr1);
    if (cur === null) return EFAULT;
    if (cur !== cmpval >>> 0) return EAGAIN;
  }
  const q = queueOf(ctx.kernel, key1);
  if (q === undefined) return 0;
  let count = 0;
  for (const w of [...q.waiters]) {
    if (count - nrWake >= nrRequeue) break;
    // A PI waiter can only be requeued by CMP_REQUEUE_PI.
    if (w.pi) return EINVAL;
    if (++count <= nrWake) wakeWaiter(ctx.kernel, w);
    else requeueWaiter(ctx.kernel, w, key2, uaddr2);
  }
  return count;
}

/** sign_extend32(v, 11) of a 12-bit field. */
function signExtend12(v: number): number {
  return (v << 20) >> 20;
}

/**
 * futex_atomic_op_inuser: applies FUTEX_WAKE_OP's operation to the word at uaddr (one atomic
 * read-modify-write) and evaluates its comparison on the old value: 1 or 0, -EFAULT, or -ENOSYS for
 * an unknown operation (nothing written) or comparison (written all the same, as on Linux).
 */
export function futexAtomicOp(mem: SyscallContext['mem'], encoded: number, uaddr: number): number {
  const op = (encoded >>> 28) & 7;
  const cmp = (encoded >>> 24) & 15;
  let oparg = signExtend12((encoded >>> 12) & 0xfff);
  const cmparg = signExtend12(encoded & 0xfff);
  if (((encoded >>> 28) & FUTEX_OP_OPARG_SHIFT) !== 0) {
    // Linux logs "tries to shift op by N; fix this program" and masks the count.
    if (oparg < 0 || oparg > 31) oparg &= 31;
    oparg = 1 << oparg;
  }
  const old = readU32(mem, uaddr);
  if (old === null) return EFAULT;
  let v: number;
  switch (op) {
    case FUTEX_OP_SET:
      v = oparg;
      break;
    case FUTEX_OP_ADD:
      v = old + oparg;
      break;
    case FUTEX_OP_OR:
      v = old | oparg;
      break;
    case FUTEX_OP_ANDN:
      v = old & ~oparg;
      break;
    case FUTEX_OP_XOR:
      v = old ^ oparg;
      break;
    default:
      return ENOSYS;
  }
  if (!writeU32(mem, uaddr, v | 0)) return EFAULT;
  const o = old | 0;
  switch (cmp) {
    case FUTEX_OP_CMP_EQ:
      return o === cmparg ? 1 : 0;
    case FUTEX_OP_CMP_NE:
      return o !== cmparg ? 1 : 0;
    case FUTEX_OP_CMP_LT:
      return o < cmparg ? 1 : 0;
    case FUTEX_OP_CMP_GE:
      return o >= cmparg ? 1 : 0;
    case FUTEX_OP_CMP_LE:
      return o <= cmparg ? 1 : 0;
    case FUTEX_OP_CMP_GT:
      return o > cmparg ? 1 : 0;
    default:
      return ENOSYS;
  }
}

/**
 * futex_wake_op: atomically updates the word at uaddr2 by the encoded operation, wakes up to nrWake
 * waiters of uaddr1, and, when the comparison on uaddr2's old value holds, up to nrWake2 waiters
 * of uaddr2 (bitsets are not consulted); the total woken.
 */
export function futexWakeOp(
  ctx: SyscallContext,
  uaddr1: number,
  shared: boolean,
  uaddr2: number,
  nrWake: number,
  nrWake2: number,
  encoded: number,
): number {
  const kernel = ctx.kernel;
  const key1 = getFutexKey(ctx.mm, uaddr1, shared, 'read');
  if (typeof key1 === 'number') return key1;
  const key2 = getFutexKey(ctx.mm, uaddr2, shared, 'write');
  if (typeof key2 === 'number') return key2;
  const opRet = futexAtomicOp(ctx.mem, encoded >>> 0, uaddr2);
  if (opRet < 0) return opRet;
  let ret = wakeKey(kernel, key1, nrWake | 0, FUTEX_BITSET_MATCH_ANY);
  if (ret < 0 || opRet === 0) return ret;
  const ret2 = wakeKey(kernel, key2, nrWake2 | 0, FUTEX_BITSET_MATCH_ANY);
  if (ret2 < 0) return ret2;
  ret += ret2;
  return ret;
}

/** One parsed struct futex_waitv entry. */
export interface WaitvEntry {
  readonly uaddr: number;
  readonly val: number;
  readonly shared: boolean;
}

/**
 * futex_wait_multiple: sleeps on every futex of the list while each still holds its value, until
 * one of them is woken (its index is the result; if several were, the highest), the deadline
 * (-ETIMEDOUT) or a signal (-ERESTARTSYS, no restart block). -EAGAIN when a word differs at setup,
 * -EFAULT/-EINVAL from a bad address.
 */
export function futexWaitMultiple(
  ctx: SyscallContext,
  entries: readonly WaitvEntry[],
  deadline: FutexDeadline | undefined,
): number | Promise<number> {
  const setup = waitMultipleSetup(ctx, entries);
  if (typeof setup === 'number') return setup;
  return sleepMultiple(ctx, entries, setup, deadline);
}

function waitMultipleSetup(ctx: SyscallContext, entries: readonly WaitvEntry[]): FutexWaiter[] | number {
  const keys: FutexKey[] = [];
  for (const e of entries) {
    const key = getFutexKey(ctx.mm, e.uaddr, e.shared, 'read');
    if (typeof key === 'number') return key;
    keys.push(key);
  }
  const waiters: FutexWaiter[] = [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const uval = readU32(ctx.mem, e.uaddr);
    if (uval !== null && uval === e.val) {
      const w = new FutexWaiter(ctx.task, keys[i]!, e.uaddr, FUTEX_BITSET_MATCH_ANY, false);
      enqueue(ctx.kernel, w);
      waiters.push(w);
      continue;
    }
    const woken = unqueueMultiple(ctx.kernel, waiters);
    if (woken >= 0) return woken;
    return uval === null ? EFAULT : EAGAIN;
  }
  return waiters;
}

/** futex_unqueue_multiple: unqueues all; the highest index that had been woken, or -1. */
function unqueueMultiple(kernel: Kernel, waiters: readonly FutexWaiter[]): number {
  let ret = -1;
  for (let i = 0; i < waiters.length; i++) if (!unqueue(kernel, waiters[i]!)) ret = i;
  return ret;
}

async function sleepMultiple(
  ctx: SyscallContext,
  entries: readonly WaitvEntry[],
  first: FutexWaiter[],
  deadline: FutexDeadline | undefined,
): Promise<number> {
  let waiters = first;
  for (;;) {
    const r = await futexSleep(ctx.kernel, ctx.task, waiters, deadline);
    const woken = unqueueMultiple(ctx.kernel, waiters);
    if (woken >= 0) return woken;
    if (r === 'timeout' || expired(ctx.kernel, deadline)) return ETIMEDOUT;
    if (r === INTERRUPTED) return ERESTARTSYS;
    const again = waitMultipleSetup(ctx, entries);
    if (typeof again === 'number') return again;
    waiters = again;
  }
}
