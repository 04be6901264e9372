/**
 * Compat-only signal calls (compat-abi.md §4): sigaction (67, compat_old_sigaction), rt_sigaction
 * (174, compat_sigaction), sigprocmask (126, compat_old_sigset_t), sigaltstack (186, compat_stack_t)
 * and the compat sigreturn/rt_sigreturn (119/173), which a 64-bit task may not use: they raise a
 * forced SIGSEGV at x13. The handlers a compat sigaction installs still run as AArch64 code with
 * the native frame; only the structures the call reads and writes are ARM's.
 */
import { ILP32_EABI, layoutOf } from '../abi/layout.js';
import { readStruct, structBytes } from '../abi/marshal.js';
import { NSIG, SEGV_ACCERR, SEGV_MAPERR, SIGKILL, SIGSEGV, SIGSTOP } from '../abi/signal.js';
import { old_sigaction } from '../abi/structs.js';
import { cancelRestart } from '../task/restart-block.js';
import type { SigAction } from '../task/signal-state.js';
import type { SyscallArgs, SyscallContext } from './syscall-types.js';
import { copyIn, copyOut } from './uaccess.js';

const EFAULT = -14;
const ENOMEM = -12;
const EINVAL = -22;
const UNBLOCKABLE_LO = (1 << (SIGKILL - 1)) | (1 << (SIGSTOP - 1));
/** sizeof(compat_sigset_t) */
const COMPAT_SIGSET_SIZE = 8;
const OLD_SIGACTION = layoutOf(old_sigaction, ILP32_EABI);

/**
 * do_sigaction's checks and update, shared by both compat sigaction calls: returns the old action
 * (a copy) or a negative errno. SIGKILL and SIGSTOP are never masked by a handler's mask.
 */
function doSigaction(ctx: SyscallContext, sig: number, next: SigAction | undefined): SigAction | number {
  if (sig < 1 || sig > NSIG) return EINVAL;
  if (next !== undefined && (sig === SIGKILL || sig === SIGSTOP)) return EINVAL;
  const cur = ctx.task.signals.actions[sig]!;
  const old = { ...cur };
  if (next !== undefined) Object.assign(cur, next, { maskLo: next.maskLo & ~UNBLOCKABLE_LO });
  return old;
}

const num = (v: number | bigint): number => Number(v);

/** rt_sigaction (174): compat_sigaction (u32 handler, flags, restorer; 8-byte mask), sigsetsize 8. */
export function compatRtSigaction(ctx: SyscallContext, a: SyscallArgs): number {
  const [sig, act, oact, size] = a as [number, number, number, number];
  if (size !== COMPAT_SIGSET_SIZE) return EINVAL;
  const layout = ctx.abi.sigaction;
  let next: SigAction | undefined;
  if (act !== 0) {
    const b = copyIn(ctx.mem, act, layout.size);
    if (b === null) return EFAULT;
    const s = readStruct(layout, new DataView(b.buffer), 0);
    const mask = s.sa_mask.sig.map(num);
    next = {
      handler: num(s.sa_handler),
      flags: num(s.sa_flags) >>> 0,
      restorer: num(s.sa_restorer),
      maskLo: mask[0]! | 0,
      maskHi: mask[1]! | 0,
    };
  }
  const old = doSigaction(ctx, sig, next);
  if (typeof old === 'number') return old;
  if (oact !== 0) {
    const b = structBytes(layout, {
      sa_handler: old.handler,
      sa_flags: old.flags >>> 0,
      sa_restorer: old.restorer,
      sa_mask: { sig: [old.maskLo >>> 0, old.maskHi >>> 0] },
    });
    if (!copyOut(ctx.mem, oact, b)) return EFAULT;
  }
  return 0;
}

/** sigaction (67): compat_old_sigaction (handler, one-word mask, flags, restorer); the mask's upper word is cleared. */
export function compatSigaction(ctx: SyscallContext, a: SyscallArgs): number {
  const [sig, act, oact] = a as [number, number, number];
  let next: SigAction | undefined;
  if (act !== 0) {
    const b = copyIn(ctx.mem, act, OLD_SIGACTION.size);
    if (b === null) return EFAULT;
    const s = readStruct(OLD_SIGACTION, new DataView(b.buffer), 0);
    next = {
      handler: num(s.sa_handler),
      flags: num(s.sa_flags) >>> 0,
      restorer: num(s.sa_restorer),
      maskLo: num(s.sa_mask) | 0,
      maskHi: 0,
    };
  }
  const old = doSigaction(ctx, sig, next);
  if (typeof old === 'number') return old;
  if (oact !== 0) {
    const b = structBytes(OLD_SIGACTION, {
      sa_handler: old.handler,
      sa_mask: old.maskLo >>> 0,
      sa_flags: old.flags >>> 0,
      sa_restorer: old.restorer,
    });
    if (!copyOut(ctx.mem, oact, b)) return EFAULT;
  }
  return 0;
}

const SIG_BLOCK = 0;
const SIG_UNBLOCK = 1;
const SIG_SETMASK = 2;

/**
 * sigprocmask (126): one 32-bit word (signals 1–32). SIG_SETMASK replaces that word only; the
 * old mask written is that word. (kernel/signal.c compat_sys_sigprocmask)
 */
export function compatSigprocmask(ctx: SyscallContext, a: SyscallArgs): number {
  const [how, nset, oset] = a as [number, number, number];
  const st = ctx.task.signals;
  const old = st.blockedLo >>> 0;
  if (nset !== 0) {
    const b = copyIn(ctx.mem, nset, 4);
    if (b === null) return EFAULT;
    const set = new DataView(b.buffer).getUint32(0, true) & ~UNBLOCKABLE_LO;
    const blocked = st.blocked;
    if (how === SIG_BLOCK) blocked.lo |= set;
    else if (how === SIG_UNBLOCK) blocked.lo &= ~set;
    else if (how === SIG_SETMASK) blocked.lo = set;
    else return EINVAL;
  }
  if (oset !== 0) {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, old, true);
    if (!copyOut(ctx.mem, oset, b)) return EFAULT;
  }
  return 0;
}

const SS_ONSTACK = 1;
const SS_DISABLE = 2;
const SS_AUTODISARM = 0x80000000;
/** COMPAT_MINSIGSTKSZ on arm64 */
const COMPAT_MINSIGSTKSZ = 2048;

/** sigaltstack (186): compat_stack_t (u32 sp, int flags, u32 size); the minimum size is COMPAT_MINSIGSTKSZ. */
export function compatSigaltstack(ctx: SyscallContext, a: SyscallArgs): number {
  const [ss, oss] = a as [number, number];
  const alt = ctx.task.signals.altStack;
  const layout = ctx.abi.stack_t;
  let next: { sp: number; flags: number; size: number } | undefined;
  if (ss !== 0) {
    const b = copyIn(ctx.mem, ss, layout.size);
    if (b === null) return EFAULT;
    const s = readStruct(layout, new DataView(b.buffer), 0);
    const flags = num(s.ss_flags);
    const mode = flags & ~SS_AUTODISARM;
    if (mode !== 0 && mode !== SS_ONSTACK && mode !== SS_DISABLE) return EINVAL;
    const size = num(s.ss_size);
    if (mode !== SS_DISABLE && size < COMPAT_MINSIGSTKSZ) return ENOMEM;
    next = { sp: num(s.ss_sp), flags, size };
  }
  if (oss !== 0) {
    const b = structBytes(layout, {
      ss_sp: alt.sp,
      ss_flags: alt.flags & SS_DISABLE ? SS_DISABLE : alt.flags & SS_AUTODISARM,
      ss_size: alt.size,
    });
    if (!copyOut(ctx.mem, oss, b)) return EFAULT;
  }
  if (next) Object.assign(alt, next.flags & SS_DISABLE ? { sp: 0, size: 0, flags: SS_DISABLE } : next);
  return 0;
}

/**
 * Compat sigreturn (119) and rt_sigreturn (173) from a 64-bit task (v4 patch 7): a forced SIGSEGV
 * with si_addr = x13 (the AArch32 sp), SEGV_MAPERR when no mapping ends above that address, else
 * SEGV_ACCERR; x0 = 0; a pending restart block is cancelled (restart_syscall then gives -EINTR).
 */
export function compatSigreturn(ctx: SyscallContext): number {
  const x = ctx.task.cpu.x;
  const lo = x[26]! >>> 0;
  const hi = x[27]! >>> 0;
  const addr = hi * 4294967296 + lo;
  const vpn = hi * 2 ** 20 + Math.floor(lo / 4096);
  const code = ctx.mm.findAfter(vpn) === undefined ? SEGV_MAPERR : SEGV_ACCERR;
  cancelRestart(ctx.task.signals.restartBlock);
  ctx.kernel.forceSignal(ctx.task, SIGSEGV, code, addr);
  return 0;
}
