/**
 * adjtimex and clock_adjtime (kernel/time/timekeeping.c do_adjtimex, kernel/time/ntp.c
 * __do_adjtimex, kernel/time/posix-timers.c do_clock_adjtime). The emulator never disciplines the
 * host clock, so its NTP state is the one a freshly booted kernel has before any NTP daemon ran
 * (ntp_clear: STA_UNSYNC, maximum and estimated error at NTP_PHASE_LIMIT, time constant 2, no
 * frequency offset), and every call reports it: the result is TIME_ERROR because STA_UNSYNC is
 * set. A query (modes 0, or ADJ_OFFSET_SS_READ) works for every user, as on Linux; a call that
 * would change the state needs CAP_SYS_TIME, and compat64 answers it with -EPERM even for root
 * (it has no clock of its own to adjust).
 *
 * The structure is read and written through ctx.abi.timex: the 208-byte `struct timex`
 * (= __kernel_timex) natively, the 128-byte `old_timex32` in a compat adjtimex (124) or
 * clock_adjtime (372). compat clock_adjtime64 (405) uses __kernel_timex (compatClockAdjtime64).
 */
import type { AbiSet } from '../abi/abi-set.js';
import { offsetOf } from '../abi/layout.js';
import type { SyscallContext, SyscallSpec } from './syscall-types.js';
import { copyIn, copyOut } from './uaccess.js';

const EPERM = -1;
const EFAULT = -14;
const EINVAL = -22;
const EOPNOTSUPP = -95;

/** timex.modes bits (uapi/linux/timex.h); the kernel-internal ADJ_ADJTIME family is what user ADJ_OFFSET_SS_READ is made of. */
const ADJ_ADJTIME = 0x8000;
const ADJ_OFFSET_SINGLESHOT = 0x0001;
const ADJ_OFFSET_READONLY = 0x2000;

/** time_state results. */
const TIME_ERROR = 5;
const STA_UNSYNC = 0x0040;
/** USER_TICK_USEC with USER_HZ = 100. */
const TICK_USEC = 10000;
/** ((MAXPHASE / NSEC_PER_USEC) << 5): the error bounds of an unsynchronised clock. */
const NTP_PHASE_LIMIT = 16_000_000;
/** MAXFREQ_SCALED / PPM_SCALE: 500 ppm in scaled ppm (2^-16 ppm units). */
const TOLERANCE = 500 << 16;
/** ntp.c: static long time_constant = 2. */
const TIME_CONSTANT = 2;

/** sizeof(struct old_timex32) and its 11 reserved ints at the end. */
const OLD_TIMEX32_SIZE = 128;
const RESERVED_SIZE = 44;

type TimexLayout = AbiSet['timex'] | AbiSet['__kernel_timex'];

function field(layout: TimexLayout, name: string): { offset: number; size: number } {
  const f = offsetOf(layout, name);
  return { offset: f.offset, size: f.size };
}

function writeSigned(d: DataView, layout: TimexLayout, name: string, v: number): void {
  const f = field(layout, name);
  d.setUint32(f.offset, v >>> 0, true);
  if (f.size === 8) d.setInt32(f.offset + 4, Math.floor(v / 4294967296), true);
}

/**
 * timekeeping_validate_timex for a caller without CAP_SYS_TIME (every caller, here): the
 * privileged checks (ADJ_TICK range, ADJ_SETOFFSET, the frequency bounds) come after -EPERM.
 */
function validate(modes: number): number {
  if (modes & ADJ_ADJTIME) {
    // The old adjtime() interface: single-shot only, and only its read-only form is unprivileged.
    if (!(modes & ADJ_OFFSET_SINGLESHOT)) return EINVAL;
    if (!(modes & ADJ_OFFSET_READONLY)) return EPERM;
    return 0;
  }
  return modes !== 0 ? EPERM : 0;
}

/**
 * do_adjtimex on the structure image `b` (laid out as `layout`): validates, then fills in the
 * clock's state. Returns the clock state (TIME_ERROR) or a negative errno; `b` is updated only on
 * success.
 */
function doAdjtimex(ctx: SyscallContext, layout: TimexLayout, b: Uint8Array): number {
  const d = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const modes = d.getUint32(field(layout, 'modes').offset, true);
  const err = validate(modes);
  if (err < 0) return err;
  // No adjtime() offset is ever pending, and no PLL offset either.
  writeSigned(d, layout, 'offset', 0);
  writeSigned(d, layout, 'freq', 0);
  writeSigned(d, layout, 'maxerror', NTP_PHASE_LIMIT);
  writeSigned(d, layout, 'esterror', NTP_PHASE_LIMIT);
  writeSigned(d, layout, 'status', STA_UNSYNC);
  writeSigned(d, layout, 'constant', TIME_CONSTANT);
  writeSigned(d, layout, 'precision', 1);
  writeSigned(d, layout, 'tolerance', TOLERANCE);
  writeSigned(d, layout, 'tick', TICK_USEC);
  writeSigned(d, layout, 'tai', 0);
  // pps_fill_timex without CONFIG_NTP_PPS: the PPS fields read 0.
  for (const name of ['ppsfreq', 'jitter', 'shift', 'stabil', 'jitcnt', 'calcnt', 'errcnt', 'stbcnt']) {
    writeSigned(d, layout, name, 0);
  }
  const now = ctx.kernel.host.realtime();
  // STA_NANO is clear: time.tv_usec is in microseconds.
  writeSigned(d, layout, 'time.tv_sec', now.sec);
  writeSigned(d, layout, 'time.tv_usec', Math.floor(now.nsec / 1000));
  return TIME_ERROR;
}

/**
 * One adjtimex-style call with `layout`. A compat old_timex32 is converted through a zeroed
 * __kernel_timex and written back whole (get_old_timex32/put_old_timex32: its reserved words read
 * 0); the native structure is copied back as it came in, reserved words included.
 */
function adjtimexWith(
  ctx: SyscallContext,
  layout: TimexLayout,
  ptr: number,
  clock: (b: Uint8Array) => number,
  writeBackOnError: boolean,
): number {
  const b = copyIn(ctx.mem, ptr, layout.size);
  if (b === null) return EFAULT;
  if (layout.size === OLD_TIMEX32_SIZE) {
    // The reserved words do not survive the round trip through __kernel_timex.
    b.fill(0, OLD_TIMEX32_SIZE - RESERVED_SIZE);
  }
  const r = clock(b);
  if (r < 0 && !writeBackOnError) return r;
  if (!copyOut(ctx.mem, ptr, b)) return EFAULT;
  return r;
}

/** clockid_to_kclock + kc->clock_adj: only CLOCK_REALTIME can be adjusted. */
function clockAdj(ctx: SyscallContext, layout: TimexLayout, id: number, b: Uint8Array): number {
  const CLOCKFD = 3;
  const CLOCKFD_MASK = 7;
  const MAX_CLOCKS = 16;
  const CLOCK_REALTIME = 0;
  /** posix_clocks[]: 10 (CLOCK_SGI_CYCLE) and 12–15 are empty. */
  const NO_SUCH_CLOCK = (i: number) => i === 10 || i >= 12;
  if (id < 0) {
    // A dynamic posix clock names an fd of a PTP-like device; compat64 has none (get_clock_desc: -EINVAL).
    // Any other negative id is a CPU clock, which has no clock_adj.
    return (id & CLOCKFD_MASK) === CLOCKFD ? EINVAL : EOPNOTSUPP;
  }
  if (id >= MAX_CLOCKS || NO_SUCH_CLOCK(id)) return EINVAL;
  if (id !== CLOCK_REALTIME) return EOPNOTSUPP;
  return doAdjtimex(ctx, layout, b);
}

function sysAdjtimex(ctx: SyscallContext, a: readonly number[]): number {
  const layout = ctx.abi.timex;
  // sys_adjtimex copies the structure back even when do_adjtimex refused it.
  return adjtimexWith(ctx, layout, a[0]!, (b) => doAdjtimex(ctx, layout, b), true);
}

function sysClockAdjtime(ctx: SyscallContext, a: readonly number[]): number {
  const layout = ctx.abi.timex;
  const id = a[0]! | 0;
  return adjtimexWith(ctx, layout, a[1]!, (b) => clockAdj(ctx, layout, id, b), false);
}

/** compat clock_adjtime64 (405): the 208-byte __kernel_timex, with the compat clock rules. */
export function compatClockAdjtime64(ctx: SyscallContext, a: readonly number[]): number {
  const layout = ctx.abi.__kernel_timex;
  const id = a[0]! | 0;
  return adjtimexWith(ctx, layout, a[1]!, (b) => clockAdj(ctx, layout, id, b), false);
}

export const ADJTIMEX_NOTE =
  'the NTP state of an unsynchronised clock (TIME_ERROR); changes need CAP_SYS_TIME and are EPERM';

export const ADJTIMEX_SYSCALLS: readonly SyscallSpec[] = [
  { name: 'adjtimex', args: ['ptr'], handler: sysAdjtimex, compatAware: true, level: 'partial', note: ADJTIMEX_NOTE },
  {
    name: 'clock_adjtime',
    args: ['clockid', 'ptr'],
    handler: sysClockAdjtime,
    compatAware: true,
    level: 'partial',
    note: ADJTIMEX_NOTE,
  },
];
