import { TaskExit } from '../kernel.js';
import * as S from '../abi/signal.js';
import { defaultAction } from '../task/default-action.js';
import type { SigAction } from '../task/signal-state.js';
import type { SyscallContext, SyscallSpec } from './syscall-types.js';
import { copyIn, copyOut } from './uaccess.js';

const ESRCH = -3;
const EFAULT = -14;
const EINVAL = -22;
const ENOMEM = -12;

/** arm64's struct sigaction as the kernel reads it: handler, flags, restorer, mask (8 bytes each). */
const SIGACTION_SIZE = 32;
const SIGSET_SIZE = 8;
const UNBLOCKABLE_LO = (1 << (S.SIGKILL - 1)) | (1 << (S.SIGSTOP - 1));

function sysRtSigaction(ctx: SyscallContext, a: readonly number[]): number {
  const [sig, act, oact, size] = a as [number, number, number, number];
  if (size !== SIGSET_SIZE) return EINVAL;
  if (sig < 1 || sig > S.NSIG) return EINVAL;
  const cur = ctx.task.signals.actions[sig]!;
  let next: SigAction | undefined;
  if (act !== 0) {
    if (sig === S.SIGKILL || sig === S.SIGSTOP) return EINVAL;
    const b = copyIn(ctx.mem, act, SIGACTION_SIZE);
    if (b === null) return EFAULT;
    const dv = new DataView(b.buffer);
    next = {
      handler: Number(dv.getBigUint64(0, true)),
      flags: Number(dv.getBigUint64(8, true) & 0xffffffffn),
      restorer: Number(dv.getBigUint64(16, true)),
      maskLo: dv.getUint32(24, true) & ~UNBLOCKABLE_LO,
      maskHi: dv.getUint32(28, true),
    };
  }
  if (oact !== 0) {
    const o = new DataView(new ArrayBuffer(SIGACTION_SIZE));
    o.setBigUint64(0, BigInt(cur.handler), true);
    o.setBigUint64(8, BigInt(cur.flags >>> 0), true);
    o.setBigUint64(16, BigInt(cur.restorer), true);
    o.setUint32(24, cur.maskLo, true);
    o.setUint32(28, cur.maskHi, true);
    if (!copyOut(ctx.mem, oact, new Uint8Array(o.buffer))) return EFAULT;
  }
  if (next) Object.assign(cur, next);
  return 0;
}

function sysRtSigprocmask(ctx: SyscallContext, a: readonly number[]): number {
  const [how, set, oset, size] = a as [number, number, number, number];
  if (size !== SIGSET_SIZE) return EINVAL;
  const st = ctx.task.signals;
  let lo = 0;
  let hi = 0;
  if (set !== 0) {
    const b = copyIn(ctx.mem, set, 8);
    if (b === null) return EFAULT;
    const dv = new DataView(b.buffer);
    lo = dv.getUint32(0, true);
    hi = dv.getUint32(4, true);
    if (how !== S.SIG_BLOCK && how !== S.SIG_UNBLOCK && how !== S.SIG_SETMASK) return EINVAL;
  }
  if (oset !== 0) {
    const o = new DataView(new ArrayBuffer(8));
    o.setUint32(0, st.blockedLo >>> 0, true);
    o.setUint32(4, st.blockedHi >>> 0, true);
    if (!copyOut(ctx.mem, oset, new Uint8Array(o.buffer))) return EFAULT;
  }
  if (set !== 0) {
    if (how === S.SIG_BLOCK) {
      st.blockedLo |= lo;
      st.blockedHi |= hi;
    } else if (how === S.SIG_UNBLOCK) {
      st.blockedLo &= ~lo;
      st.blockedHi &= ~hi;
    } else {
      st.blockedLo = lo;
      st.blockedHi = hi;
    }
    st.blockedLo &= ~UNBLOCKABLE_LO;
  }
  return 0;
}

const SS_DISABLE = 2;
const MINSIGSTKSZ = 5120;

function sysSigaltstack(ctx: SyscallContext, a: readonly number[]): number {
  const [ss, oss] = a as [number, number];
  const alt = ctx.task.signals.altStack;
  let next: { sp: number; flags: number; size: number } | undefined;
  if (ss !== 0) {
    const b = copyIn(ctx.mem, ss, 24);
    if (b === null) return EFAULT;
    const dv = new DataView(b.buffer);
    const flags = dv.getInt32(8, true);
    const size = Number(dv.getBigUint64(16, true));
    if (flags & ~(SS_DISABLE | 0x80000000)) return EINVAL;
    if (!(flags & SS_DISABLE) && size < MINSIGSTKSZ) return ENOMEM;
    next = { sp: Number(dv.getBigUint64(0, true)), flags, size };
  }
  if (oss !== 0) {
    const o = new DataView(new ArrayBuffer(24));
    o.setBigUint64(0, BigInt(alt.sp), true);
    o.setInt32(8, alt.flags & SS_DISABLE ? SS_DISABLE : 0, true);
    o.setBigUint64(16, BigInt(alt.size), true);
    if (!copyOut(ctx.mem, oss, new Uint8Array(o.buffer))) return EFAULT;
  }
  if (next) Object.assign(alt, next.flags & SS_DISABLE ? { sp: 0, size: 0, flags: SS_DISABLE } : next);
  return 0;
}

/**
 * A signal sent to this task. Handlers cannot run until signal delivery lands (processes issue):
 * ignored signals are dropped and every other one takes its default action.
 */
function sendToSelf(ctx: SyscallContext, sig: number): number {
  if (sig === 0) return 0;
  if (sig < 0 || sig > S.NSIG) return EINVAL;
  const act = ctx.task.signals.actions[sig]!;
  const d = defaultAction(sig);
  if (act.handler === S.SIG_IGN || (act.handler === S.SIG_DFL && (d === 'ignore' || d === 'cont' || d === 'stop')))
    return 0;
  ctx.kernel.killTask(ctx.task, sig, d === 'core');
  throw new TaskExit(ctx.task.exitStatus!);
}

function sysKill(ctx: SyscallContext, a: readonly number[]): number {
  const [pid, sig] = a as [number, number];
  if (pid !== ctx.task.tgid && pid !== 0 && pid !== -1) return ESRCH;
  return sendToSelf(ctx, sig);
}

function sysTgkill(ctx: SyscallContext, a: readonly number[]): number {
  const [tgid, tid, sig] = a as [number, number, number];
  if (tgid <= 0 || tid <= 0) return EINVAL;
  if (tgid !== ctx.task.tgid || tid !== ctx.task.tid) return ESRCH;
  return sendToSelf(ctx, sig);
}

function sysTkill(ctx: SyscallContext, a: readonly number[]): number {
  const [tid, sig] = a as [number, number];
  if (tid <= 0) return EINVAL;
  if (tid !== ctx.task.tid) return ESRCH;
  return sendToSelf(ctx, sig);
}

export const SIGNAL_SYSCALLS: readonly SyscallSpec[] = [
  {
    name: 'rt_sigaction',
    args: ['signal', 'ptr', 'ptr', 'size'],
    handler: sysRtSigaction,
    level: 'partial',
    note: 'recorded; delivery comes with the processes issue',
  },
  { name: 'rt_sigprocmask', args: ['int', 'ptr', 'ptr', 'size'], handler: sysRtSigprocmask },
  { name: 'sigaltstack', args: ['ptr', 'ptr'], handler: sysSigaltstack },
  {
    name: 'kill',
    args: ['pid', 'signal'],
    handler: sysKill,
    level: 'partial',
    note: 'self only; default actions only',
  },
  {
    name: 'tgkill',
    args: ['pid', 'pid', 'signal'],
    handler: sysTgkill,
    level: 'partial',
    note: 'self only; default actions only',
  },
  {
    name: 'tkill',
    args: ['pid', 'signal'],
    handler: sysTkill,
    level: 'partial',
    note: 'self only; default actions only',
  },
];
