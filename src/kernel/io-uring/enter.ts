/**
 * io_uring_enter after the ring was found: submission, then (IORING_ENTER_GETEVENTS) the wait for
 * min_complete CQEs — io_get_ext_arg, io_cqring_wait and io_cqring_wait_schedule of Linux 6.1.
 *
 * The wait ends when the CQ tail reaches the head seen at its start plus min_complete, when a
 * timeout request fires, when the EXT_ARG timeout passes (-ETIME) or when a signal is pending
 * (-EINTR, never restarted); either error is reported only if the CQ ring is empty by then. The
 * sigmask argument is a sigset of the enter call's ABI, blocked for the wait and restored after it
 * unless a signal interrupted it (then the handler's frame restores it).
 */
import { andThen, readTimespec, setUserSigmaskFrom } from '../syscalls/poll-args.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import { copyIn } from '../syscalls/uaccess.js';
import { restoreSigmaskUnless } from '../task/signal-deliver.js';
import { signalPending } from '../task/signal-send.js';
import { INTERRUPTED, keepHostAlive, waitInterruptible } from '../task/signal-wait.js';
import { submitSqes } from './engine.js';
import type { IoRing } from './io-ring.js';
import { GETEVENTS_ARG, IORING_ENTER_EXT_ARG, IORING_ENTER_GETEVENTS } from './layouts.js';

const EINTR = -4;
const EFAULT = -14;
const EINVAL = -22;
const ETIME = -62;
const MAX_HOST_DELAY_MS = 0x7fffffff;

interface WaitArgs {
  readonly sig: number;
  readonly sigsz: number;
  readonly ts: number;
}

/** io_get_ext_arg: the sigmask and its size, and with IORING_ENTER_EXT_ARG a timeout. */
function extArg(ctx: SyscallContext, flags: number, argp: number, argsz: number): WaitArgs | number {
  if (!(flags & IORING_ENTER_EXT_ARG)) return { sig: argp, sigsz: argsz, ts: 0 };
  if (argsz !== GETEVENTS_ARG.size) return EINVAL;
  const b = copyIn(ctx.mem, argp, GETEVENTS_ARG.size);
  if (b === null) return EFAULT;
  const v = new DataView(b.buffer);
  const F = GETEVENTS_ARG.fields;
  const u64 = (off: number) => v.getUint32(off + 4, true) * 4294967296 + v.getUint32(off, true);
  if (v.getUint32(F.pad!.offset, true) !== 0) return EINVAL;
  return { sig: u64(F.sigmask!.offset), sigsz: v.getUint32(F.sigmask_sz!.offset, true), ts: u64(F.ts!.offset) };
}

/** io_cqring_wait. */
function cqringWait(ctx: SyscallContext, ring: IoRing, minEvents: number, w: WaitArgs): number | Promise<number> {
  ring.flushOverflow();
  if (ring.cqReady() >= minEvents) return 0;
  const err = setUserSigmaskFrom(ctx, w.sig, w.sigsz);
  if (err < 0) return err;
  let deadline: number | undefined;
  const host = ctx.kernel.host;
  if (w.ts !== 0) {
    // get_timespec64: __kernel_timespec in both ABIs (32 bits of tv_nsec in a compat call).
    const ts = readTimespec(ctx, w.ts, 'kernel');
    if (ts === null) {
      restoreSigmaskUnless(ctx.task, false);
      return EFAULT;
    }
    deadline = host.monotonicNs() + ts.sec * 1e9 + ts.nsec;
  }
  const want = (ring.mem.u32(ring.layout.cqHead) + minEvents) >>> 0;
  const timeouts = ring.cqTimeouts;
  const shouldWake = (): boolean => ((ring.cqTail - want) | 0) >= 0 || ring.cqTimeouts !== timeouts;
  const finish = (ret: number): number => {
    restoreSigmaskUnless(ctx.task, ret === EINTR);
    return ring.cqReady() === 0 ? ret : 0;
  };
  const wait = async (): Promise<number> => {
    const release = keepHostAlive();
    try {
      for (;;) {
        ring.flushOverflow();
        if (signalPending(ctx.task)) return EINTR;
        if (shouldWake() || ring.dead) return 0;
        const left = deadline === undefined ? undefined : deadline - host.monotonicNs();
        if (left !== undefined && left <= 0) return ETIME;
        let timer: ReturnType<typeof setTimeout> | undefined;
        const woken = new Promise<void>((resolve) => {
          if (left !== undefined) timer = setTimeout(resolve, Math.min(MAX_HOST_DELAY_MS, Math.ceil(left / 1e6)));
          ring.waitQueue.wait().then(resolve);
        });
        const r = await waitInterruptible(ctx.task, woken);
        if (timer !== undefined) clearTimeout(timer);
        if (r === INTERRUPTED) return EINTR;
      }
    } finally {
      release();
    }
  };
  return wait().then(finish);
}

export function ioUringEnter(
  ctx: SyscallContext,
  ring: IoRing,
  toSubmit: number,
  minComplete: number,
  flags: number,
  argp: number,
  argsz: number,
): number | Promise<number> {
  const afterSubmit = (submitted: number): number | Promise<number> => {
    if (submitted !== toSubmit || !(flags & IORING_ENTER_GETEVENTS)) return submitted;
    const w = extArg(ctx, flags, argp, argsz);
    const waited = typeof w === 'number' ? w : cqringWait(ctx, ring, Math.min(minComplete, ring.cqEntries), w);
    return andThen(waited, (r) => (submitted === 0 ? r : submitted));
  };
  const s = toSubmit > 0 ? submitSqes(ring, ctx, toSubmit) : 0;
  return typeof s === 'number' ? afterSubmit(s) : s.then(afterSubmit);
}
