/**
 * I/O multiplexing (fs/select.c): ppoll and pselect6 for arm64, and the pieces the compat-only poll
 * and select (_newselect) share with them (compat-poll.ts); epoll and eventfd live in sys-epoll.ts.
 *
 * Timeouts are absolute CLOCK_MONOTONIC deadlines (poll_select_set_timeout). ppoll and pselect6 run
 * with the caller's signal mask for the duration (set_user_sigmask); an interrupted call returns
 * -ERESTARTNOHAND and leaves the saved mask to the handler's frame, and the time left is written
 * back to the caller's timeout as Linux does (poll_select_finish; not for a zero timeout, not under
 * STICKY_TIMEOUTS, and a fault on the write-back turns a restart into -EINTR).
 *
 * fd_set words are the calling ABI's `long`: 8 bytes natively, 4 in compat calls (compat_ulong_t),
 * which decides how many bytes are read and written back for n fds.
 */
import { doPoll, doSelect, ERESTARTNOHAND, type SelectSets } from '../fs/poll-scan.js';
import { deadlineAfter } from '../fs/poll-wait.js';
import { signalPending } from '../task/signal-send.js';
import { RLIMIT_NOFILE } from '../task/task.js';
import { andThen, pollSelectFinish, readTimespec, setUserSigmaskFrom } from './poll-args.js';
import { EPOLL_SYSCALLS } from './sys-epoll.js';
import type { SyscallContext, SyscallSpec } from './syscall-types.js';
import { copyIn, copyOut } from './uaccess.js';

const EFAULT = -14;
const EINVAL = -22;
/** NR_OPEN_DEFAULT: an fd table's first size (BITS_PER_LONG). */
const NR_OPEN_DEFAULT = 64;

/**
 * do_sys_poll: reads nfds pollfd entries, polls, and writes every revents back (also when the call
 * is interrupted). Resolves to the count, -ERESTARTNOHAND, -EINVAL (more entries than RLIMIT_NOFILE)
 * or -EFAULT.
 */
export function doSysPoll(
  ctx: SyscallContext,
  ufds: number,
  nfds: number,
  deadlineNs: number | undefined,
): number | Promise<number> {
  if (nfds > ctx.task.rlimits[RLIMIT_NOFILE]![0]) return EINVAL;
  const L = ctx.abi.pollfd;
  const raw = copyIn(ctx.mem, ufds, nfds * L.size);
  if (raw === null) return EFAULT;
  const v = new DataView(raw.buffer);
  const fds = new Int32Array(nfds);
  const events = new Uint16Array(nfds);
  const revents = new Uint16Array(nfds);
  const fdAt = L.fields.fd.offset;
  const evAt = L.fields.events.offset;
  for (let i = 0; i < nfds; i++) {
    fds[i] = v.getInt32(i * L.size + fdAt, true);
    events[i] = v.getUint16(i * L.size + evAt, true);
  }
  const revAt = L.fields.revents.offset;
  return andThen(doPoll(ctx.kernel, ctx.task, fds, events, revents, deadlineNs), (ret) => {
    const out = new Uint8Array(2);
    const ov = new DataView(out.buffer);
    for (let i = 0; i < nfds; i++) {
      ov.setUint16(0, revents[i]!, true);
      if (!copyOut(ctx.mem, ufds + i * L.size + revAt, out)) return EFAULT;
    }
    return ret;
  });
}

/** fdt->max_fds, as far as the table shows it: 64, or the power-of-two multiple of 128 that holds the highest open fd. */
function maxFds(ctx: SyscallContext): number {
  const open = ctx.task.files.fds();
  const top = open.length === 0 ? 0 : open[open.length - 1]!;
  if (top < NR_OPEN_DEFAULT) return NR_OPEN_DEFAULT;
  let nr = 1;
  while (nr < Math.floor(top / 128) + 1) nr *= 2;
  return nr * 128;
}

/** Reads one fd_set of `bytes` bytes (a null pointer is an empty set). */
function getFdSet(ctx: SyscallContext, addr: number, bytes: number): Uint8Array | null {
  return addr === 0 ? new Uint8Array(bytes) : copyIn(ctx.mem, addr, bytes);
}

/**
 * core_sys_select (compat_core_sys_select in compat calls): n is clipped to the fd table's size, the
 * sets are read in whole `long` words of the calling ABI and, unless the call is interrupted, written
 * back the same way. Resolves to the count, 0, -ERESTARTNOHAND, -EBADF, -EINVAL or -EFAULT.
 */
export function coreSysSelect(
  ctx: SyscallContext,
  nArg: number,
  inAddr: number,
  outAddr: number,
  exAddr: number,
  deadlineNs: number | undefined,
): number | Promise<number> {
  if (nArg < 0) return EINVAL;
  const n = Math.min(nArg, maxFds(ctx));
  const wordBits = ctx.abi.model.longSize * 8;
  const bytes = (Math.ceil(n / wordBits) * wordBits) / 8;
  const inp = getFdSet(ctx, inAddr, bytes);
  const outp = inp === null ? null : getFdSet(ctx, outAddr, bytes);
  const exp = outp === null ? null : getFdSet(ctx, exAddr, bytes);
  if (inp === null || outp === null || exp === null) return EFAULT;
  const sets: SelectSets = {
    inp,
    outp,
    exp,
    resIn: new Uint8Array(bytes),
    resOut: new Uint8Array(bytes),
    resEx: new Uint8Array(bytes),
  };
  return andThen(doSelect(ctx.kernel, ctx.task, n, sets, deadlineNs), (ret) => {
    if (ret < 0) return ret;
    // An interrupted select leaves the caller's sets alone.
    if (ret === 0 && signalPending(ctx.task)) return ERESTARTNOHAND;
    const put = (addr: number, set: Uint8Array): boolean => addr === 0 || copyOut(ctx.mem, addr, set);
    if (!put(inAddr, sets.resIn) || !put(outAddr, sets.resOut) || !put(exAddr, sets.resEx)) return EFAULT;
    return ret;
  });
}

/** ppoll(fds, nfds, tsp, sigmask, sigsetsize). */
function sysPpoll(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  const [ufds, nfds, tsp, sigmask, sigsetsize] = a as [number, number, number, number, number];
  let deadline: number | undefined;
  if (tsp !== 0) {
    const ts = readTimespec(ctx, tsp);
    if (ts === null) return EFAULT;
    deadline = deadlineAfter(ctx.kernel.host, ts.sec, ts.nsec);
    if (deadline === undefined) return EINVAL;
  }
  const err = setUserSigmaskFrom(ctx, sigmask, sigsetsize);
  if (err !== 0) return err;
  return andThen(doSysPoll(ctx, ufds, nfds >>> 0, deadline), (ret) =>
    pollSelectFinish(ctx, deadline, tsp, 'timespec', ret),
  );
}

/**
 * pselect6(n, inp, outp, exp, tsp, sig): sig points at { const sigset_t *ss; size_t ss_len } (two
 * longs of the calling ABI), read before anything else.
 */
function sysPselect6(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  const [n, inp, outp, exp, tsp, sig] = a as [number, number, number, number, number, number];
  let ss = 0;
  let ssLen = 0;
  if (sig !== 0) {
    const w = ctx.abi.model.longSize;
    const b = copyIn(ctx.mem, sig, 2 * w);
    if (b === null) return EFAULT;
    const v = new DataView(b.buffer);
    ss = w === 8 ? v.getUint32(4, true) * 4294967296 + v.getUint32(0, true) : v.getUint32(0, true);
    ssLen = w === 8 ? v.getUint32(12, true) * 4294967296 + v.getUint32(8, true) : v.getUint32(4, true);
  }
  let deadline: number | undefined;
  if (tsp !== 0) {
    const ts = readTimespec(ctx, tsp);
    if (ts === null) return EFAULT;
    deadline = deadlineAfter(ctx.kernel.host, ts.sec, ts.nsec);
    if (deadline === undefined) return EINVAL;
  }
  const err = setUserSigmaskFrom(ctx, ss, ssLen);
  if (err !== 0) return err;
  return andThen(coreSysSelect(ctx, n, inp, outp, exp, deadline), (ret) =>
    pollSelectFinish(ctx, deadline, tsp, 'timespec', ret),
  );
}

/** Everything the integrator adds to the arm64 table: ppoll, pselect6, epoll_*, eventfd2. */
export const POLL_SYSCALLS: readonly SyscallSpec[] = [
  { name: 'ppoll', args: ['ptr', 'uint', 'ptr', 'ptr', 'size'], handler: sysPpoll, compatAware: true },
  {
    name: 'pselect6',
    args: ['int', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr'],
    handler: sysPselect6,
    compatAware: true,
  },
  ...EPOLL_SYSCALLS,
];
