/**
 * futex(2) and futex_waitv(2) (kernel/futex/syscalls.c): argument decoding, timeouts and the
 * operation switch of do_futex; the operations are in task/futex.ts and task/futex-pi.ts.
 *
 * Both handlers follow the calling ABI: futex reads its timeout through ctx.abi.timespec
 * (__kernel_timespec natively and for compat futex_time64, old_timespec32 for compat futex 240),
 * futex_waitv always takes a __kernel_timespec. In a compat call the upper half of a 64-bit tv_nsec
 * is ignored (get_timespec64).
 */
import type { StructLayout } from '../abi/layout.js';
import {
  FUTEX_BITSET_MATCH_ANY,
  FUTEX_CLOCK_REALTIME,
  FUTEX_CMD_MASK,
  FUTEX_CMP_REQUEUE,
  FUTEX_LOCK_PI,
  FUTEX_LOCK_PI2,
  FUTEX_PRIVATE_FLAG,
  FUTEX_REQUEUE,
  FUTEX_TRYLOCK_PI,
  FUTEX_UNLOCK_PI,
  FUTEX_WAIT,
  FUTEX_WAIT_BITSET,
  FUTEX_WAIT_REQUEUE_PI,
  FUTEX_WAITV_MAX,
  FUTEX_WAKE,
  FUTEX_WAKE_BITSET,
  FUTEX_WAKE_OP,
  FUTEX2_PRIVATE,
  FUTEX2_SIZE_MASK,
  FUTEX2_SIZE_U32,
} from '../task/futex-abi.js';
import { futexRequeue, futexWait, futexWaitMultiple, futexWake, futexWakeOp, type WaitvEntry } from '../task/futex.js';
import { futexLockPi, futexUnlockPi } from '../task/futex-pi.js';
import { clockNs, type FutexDeadline } from '../task/futex-queue.js';
import type { SyscallContext, SyscallSpec } from './syscall-types.js';
import { timespecAt, timespecValid } from './timespec-read.js';
import { copyIn } from './uaccess.js';

const EFAULT = -14;
const EINVAL = -22;
const ENOSYS = -38;
const NS = 1e9;
const TWO32 = 4294967296;
/** KTIME_MAX: timeouts saturate there (ktime_add_safe, timespec64_to_ktime). */
const KTIME_MAX = 2 ** 63 - 1;
const CLOCK_REALTIME = 0;
const CLOCK_MONOTONIC = 1;

/** struct futex_waitv: u64 val @0, u64 uaddr @8, u32 flags @16, u32 __reserved @20. */
const FUTEX_WAITV_SIZE = 24;

type TimespecLayout = SyscallContext['abi']['timespec'] | SyscallContext['abi']['__kernel_timespec'];

/**
 * get_timespec64 / get_old_timespec32 and timespec64_valid: the time in ns, null on a fault,
 * undefined when invalid (negative seconds, tv_nsec outside [0, 1e9)).
 */
function readTimeout(ctx: SyscallContext, addr: number, layout: TimespecLayout): number | null | undefined {
  const L = layout as StructLayout<{ tv_sec: unknown; tv_nsec: unknown }>;
  const b = copyIn(ctx.mem, addr, L.size);
  if (b === null) return null;
  const ts = timespecAt(ctx, L, new DataView(b.buffer), 0);
  if (!timespecValid(ts)) return undefined;
  return Math.min(KTIME_MAX, ts.sec * NS + ts.nsec);
}

/** futex_cmd_has_timeout: the operations whose fourth argument is a timeout (else it is val2). */
function cmdHasTimeout(cmd: number): boolean {
  return (
    cmd === FUTEX_WAIT ||
    cmd === FUTEX_LOCK_PI ||
    cmd === FUTEX_LOCK_PI2 ||
    cmd === FUTEX_WAIT_BITSET ||
    cmd === FUTEX_WAIT_REQUEUE_PI
  );
}

/**
 * futex_init_timeout + futex_setup_timer: FUTEX_WAIT's timeout is relative (made absolute on
 * CLOCK_MONOTONIC); the others are absolute, on CLOCK_REALTIME for LOCK_PI and with
 * FUTEX_CLOCK_REALTIME, else on CLOCK_MONOTONIC.
 */
function futexDeadline(ctx: SyscallContext, cmd: number, op: number, ns: number): FutexDeadline {
  const realtime = cmd === FUTEX_LOCK_PI || (op & FUTEX_CLOCK_REALTIME) !== 0;
  if (cmd === FUTEX_WAIT) return { realtime, ns: Math.min(KTIME_MAX, clockNs(ctx.kernel, false) + ns) };
  return { realtime, ns };
}

/** futex(uaddr, op, val, timeout or val2, uaddr2, val3): sys_futex, sys_futex_time32 and compat futex_time64. */
function sysFutex(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  const uaddr = a[0]!;
  const op = a[1]! | 0;
  const val = a[2]! >>> 0;
  // The fourth argument is a `long` row kind so that val2 = (u32)(unsigned long)utime is exact for
  // any register (a negative count too); as a pointer it is the zero-extended 32-bit value in a
  // compat call.
  const utime = ctx.compat ? a[3]! >>> 0 : a[3]!;
  const uaddr2 = a[4]!;
  const val3 = a[5]! >>> 0;
  const cmd = op & FUTEX_CMD_MASK;
  let deadline: FutexDeadline | undefined;
  if (utime !== 0 && cmdHasTimeout(cmd)) {
    const ns = readTimeout(ctx, utime, ctx.abi.timespec);
    if (ns === null) return EFAULT;
    if (ns === undefined) return EINVAL;
    deadline = futexDeadline(ctx, cmd, op, ns);
  }
  // The timeout argument is val2 for the requeue and wake-op operations: (u32)(unsigned long)utime.
  const val2 = (((utime % TWO32) + TWO32) % TWO32) | 0;
  return doFutex(ctx, uaddr, op, val, deadline, uaddr2, val2, val3);
}

/** do_futex: the operation switch. */
function doFutex(
  ctx: SyscallContext,
  uaddr: number,
  op: number,
  val: number,
  deadline: FutexDeadline | undefined,
  uaddr2: number,
  val2: number,
  val3: number,
): number | Promise<number> {
  const cmd = op & FUTEX_CMD_MASK;
  const shared = (op & FUTEX_PRIVATE_FLAG) === 0;
  if (
    (op & FUTEX_CLOCK_REALTIME) !== 0 &&
    cmd !== FUTEX_WAIT_BITSET &&
    cmd !== FUTEX_WAIT_REQUEUE_PI &&
    cmd !== FUTEX_LOCK_PI2
  ) {
    return ENOSYS;
  }
  switch (cmd) {
    case FUTEX_WAIT:
      return futexWait(ctx, uaddr, shared, val, deadline, FUTEX_BITSET_MATCH_ANY);
    case FUTEX_WAIT_BITSET:
      return futexWait(ctx, uaddr, shared, val, deadline, val3);
    case FUTEX_WAKE:
      return futexWake(ctx.kernel, ctx.mm, uaddr, shared, val | 0, FUTEX_BITSET_MATCH_ANY);
    case FUTEX_WAKE_BITSET:
      return futexWake(ctx.kernel, ctx.mm, uaddr, shared, val | 0, val3);
    case FUTEX_REQUEUE:
      return futexRequeue(ctx, uaddr, shared, uaddr2, val | 0, val2, undefined);
    case FUTEX_CMP_REQUEUE:
      return futexRequeue(ctx, uaddr, shared, uaddr2, val | 0, val2, val3);
    case FUTEX_WAKE_OP:
      return futexWakeOp(ctx, uaddr, shared, uaddr2, val | 0, val2, val3);
    case FUTEX_LOCK_PI:
    case FUTEX_LOCK_PI2:
      return futexLockPi(ctx, uaddr, shared, deadline, false);
    case FUTEX_UNLOCK_PI:
      return futexUnlockPi(ctx, uaddr, shared);
    case FUTEX_TRYLOCK_PI:
      return futexLockPi(ctx, uaddr, shared, undefined, true);
    default:
      // FUTEX_WAIT_REQUEUE_PI and FUTEX_CMP_REQUEUE_PI are not implemented (no user: glibc's
      // condition variables stopped using them in 2.25); FUTEX_FD was removed in Linux 2.6.26.
      return ENOSYS;
  }
}

/** futex_waitv(waiters, nr_futexes, flags, timeout, clockid): wait on up to 128 futexes at once. */
function sysFutexWaitv(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  const [waiters, nr, flags, timeout, clockid] = a as [number, number, number, number, number];
  if (flags !== 0) return EINVAL;
  if (nr === 0 || nr > FUTEX_WAITV_MAX || waiters === 0) return EINVAL;
  let deadline: FutexDeadline | undefined;
  if (timeout !== 0) {
    if (clockid !== CLOCK_REALTIME && clockid !== CLOCK_MONOTONIC) return EINVAL;
    const ns = readTimeout(ctx, timeout, ctx.abi.__kernel_timespec);
    if (ns === null) return EFAULT;
    if (ns === undefined) return EINVAL;
    deadline = { realtime: clockid === CLOCK_REALTIME, ns };
  }
  const entries = parseWaitv(ctx, waiters, nr);
  if (typeof entries === 'number') return entries;
  return futexWaitMultiple(ctx, entries, deadline);
}

/**
 * futex_parse_waitv: each entry must be a 32-bit futex (FUTEX2_SIZE_U32, optionally
 * FUTEX2_PRIVATE, nothing else), with __reserved 0 and a value that fits 32 bits (Linux 6.7+).
 */
function parseWaitv(ctx: SyscallContext, addr: number, nr: number): WaitvEntry[] | number {
  const out: WaitvEntry[] = [];
  for (let i = 0; i < nr; i++) {
    const b = copyIn(ctx.mem, addr + i * FUTEX_WAITV_SIZE, FUTEX_WAITV_SIZE);
    if (b === null) return EFAULT;
    const d = new DataView(b.buffer);
    const flags = d.getUint32(16, true);
    if ((flags & ~(FUTEX2_SIZE_MASK | FUTEX2_PRIVATE)) !== 0 || d.getUint32(20, true) !== 0) return EINVAL;
    if ((flags & FUTEX2_SIZE_MASK) !== FUTEX2_SIZE_U32) return EINVAL;
    if (d.getUint32(4, true) !== 0) return EINVAL;
    const uaddr = d.getUint32(12, true) * TWO32 + d.getUint32(8, true);
    out.push({ uaddr, val: d.getUint32(0, true), shared: (flags & FUTEX2_PRIVATE) === 0 });
  }
  return out;
}

export const FUTEX_SYSCALLS: readonly SyscallSpec[] = [
  {
    name: 'futex',
    args: ['ptr', 'int', 'uint', 'long', 'ptr', 'uint'],
    handler: sysFutex,
    compatAware: true,
    level: 'partial',
    note: 'FUTEX_WAIT_REQUEUE_PI/FUTEX_CMP_REQUEUE_PI return -ENOSYS; PI futexes without priority boosting',
  },
  { name: 'futex_waitv', args: ['ptr', 'uint', 'uint', 'ptr', 'clockid'], handler: sysFutexWaitv, compatAware: true },
];
