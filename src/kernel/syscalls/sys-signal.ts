/**
 * Signal syscalls (kernel/signal.c, arch/arm64/kernel/signal.c): dispositions, masks, the alternate
 * stack, sending (kill, tgkill, tkill, rt_sigqueueinfo, rt_tgsigqueueinfo), waiting (rt_sigsuspend,
 * rt_sigtimedwait), rt_sigpending, rt_sigreturn and restart_syscall. Structures are read through
 * ctx.abi, so the compat entry can reuse the handlers whose structures it shares (sigaction,
 * stack_t, sigset_t); siginfo is converted for compat calls (task/siginfo-compat.ts), so
 * rt_sigtimedwait and rt_(tg)sigqueueinfo are shared with the compat table (compatAware).
 * Argument and error order follow Linux (copies before checks where Linux copies first).
 */
import { u64At } from '../../cpu/a64/registers.js';
import { KERNEL_ERRNO } from '../abi/errno.js';
import * as S from '../abi/signal.js';
import type { Kernel } from '../kernel.js';
import { PAGE } from '../mm/vma.js';
import { liveThreadOf } from '../task/exit.js';
import { cancelRestart } from '../task/restart-block.js';
import { restoreSigframe } from '../task/sigframe.js';
import { RT_SIGFRAME_SIZE } from '../task/sigframe-layout.js';
import {
  KERNEL_SIGINFO_SIZE,
  killInfo,
  knownSiginfoLayout,
  SI_TKILL,
  SI_USER,
  SIGINFO_SIZE,
  type SigInfo,
  setSiSigno,
  siCode,
} from '../task/siginfo.js';
import { siginfoFromCompat, siginfoToCompat } from '../task/siginfo-compat.js';
import { doSigaltstack } from '../task/signal-altstack.js';
import { setCurrentBlocked } from '../task/signal-deliver.js';
import { dequeueSignal } from '../task/signal-dequeue.js';
import { handlerIgnores, SA_IMMUTABLE, sendSignal, threadsOf } from '../task/signal-send.js';
import { KERNEL_ONLY_LO, SigSet, validSignal } from '../task/signal-set.js';
import type { SigAction } from '../task/signal-state.js';
import { INTERRUPTED, sleepInterruptible, waitForSignal } from '../task/signal-wait.js';
import type { Task } from '../task/task.js';
import type { SyscallContext, SyscallSpec } from './syscall-types.js';
import { readTimespec, timespecValid } from './timespec-read.js';
import { copyIn, copyOut } from './uaccess.js';

const EPERM = -1;
const ESRCH = -3;
const EINTR = -4;
const E2BIG = -7;
const EAGAIN = -11;
const EFAULT = -14;
const EINVAL = -22;
const ERESTARTNOHAND = -KERNEL_ERRNO.ERESTARTNOHAND;

const SIGSET_SIZE = 8;
const TASK_SIZE = 2 ** 48;
const TWO32 = 4294967296;
const NS = 1e9;

/** UAPI_SA_FLAGS: the sa_flags bits rt_sigaction keeps (arm64 adds SA_RESTORER). */
const UAPI_SA_FLAGS =
  S.SA_NOCLDSTOP |
  S.SA_NOCLDWAIT |
  S.SA_SIGINFO |
  S.SA_ONSTACK |
  S.SA_RESTART |
  S.SA_NODEFER |
  S.SA_RESETHAND |
  S.SA_EXPOSE_TAGBITS |
  S.SA_RESTORER;

function dv(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** A pointer-sized or long member (4 or 8 bytes) as a number. */
function getWord(d: DataView, at: number, size: number): number {
  return size === 4 ? d.getUint32(at, true) : d.getUint32(at + 4, true) * TWO32 + d.getUint32(at, true);
}

function putWord(d: DataView, at: number, size: number, v: number): void {
  d.setUint32(at, v >>> 0, true);
  if (size === 8) d.setUint32(at + 4, Math.floor(v / TWO32) >>> 0, true);
}

function readSigset(ctx: SyscallContext, addr: number): SigSet | null {
  const b = copyIn(ctx.mem, addr, SIGSET_SIZE);
  if (b === null) return null;
  return new SigSet(dv(b).getInt32(0, true), dv(b).getInt32(4, true));
}

function sigsetBytes(s: SigSet): Uint8Array {
  const d = new DataView(new ArrayBuffer(SIGSET_SIZE));
  d.setUint32(0, s.lo >>> 0, true);
  d.setUint32(4, s.hi >>> 0, true);
  return new Uint8Array(d.buffer);
}

// ---- dispositions and masks ----

/**
 * do_sigaction: installs act (when given) and returns the old action with its flags reduced to the
 * UAPI bits, or -EINVAL. Setting a handler that ignores the signal discards it where it is pending.
 */
export function doSigaction(kernel: Kernel, task: Task, sig: number, act: SigAction | undefined): SigAction | number {
  if (!validSignal(sig) || (act !== undefined && (sig === S.SIGKILL || sig === S.SIGSTOP))) return EINVAL;
  const k = task.signals.actions[sig]!;
  if (k.flags & SA_IMMUTABLE) return EINVAL;
  const old: SigAction = { ...k, flags: (k.flags & UAPI_SA_FLAGS) >>> 0 };
  if (act !== undefined) {
    Object.assign(k, act, { flags: (act.flags & UAPI_SA_FLAGS) >>> 0, maskLo: act.maskLo & ~KERNEL_ONLY_LO });
    if (handlerIgnores(task, sig)) {
      const lo = sig <= 32 ? 1 << (sig - 1) : 0;
      const hi = sig > 32 ? 1 << (sig - 33) : 0;
      const g = task.signals.group;
      g.queued -= g.shared.flush(lo, hi);
      for (const t of threadsOf(kernel, task)) g.queued -= t.signals.pending.flush(lo, hi);
    }
  }
  return old;
}

function sysRtSigaction(ctx: SyscallContext, a: readonly number[]): number {
  const [sig, act, oact, size] = a as [number, number, number, number];
  if (size !== SIGSET_SIZE) return EINVAL;
  const L = ctx.abi.sigaction;
  const f = L.fields;
  const w = ctx.abi.model.ptrSize;
  let next: SigAction | undefined;
  if (act !== 0) {
    const b = copyIn(ctx.mem, act, L.size);
    if (b === null) return EFAULT;
    const d = dv(b);
    next = {
      handler: getWord(d, f.sa_handler.offset, w),
      flags: d.getUint32(f.sa_flags.offset, true),
      restorer: getWord(d, f.sa_restorer.offset, w),
      maskLo: d.getInt32(f.sa_mask.offset, true),
      maskHi: d.getInt32(f.sa_mask.offset + 4, true),
    };
  }
  const old = doSigaction(ctx.kernel, ctx.task, sig, next);
  if (typeof old === 'number') return old;
  if (oact !== 0) {
    const d = new DataView(new ArrayBuffer(L.size));
    putWord(d, f.sa_handler.offset, w, old.handler);
    putWord(d, f.sa_flags.offset, w, old.flags);
    putWord(d, f.sa_restorer.offset, w, old.restorer);
    d.setUint32(f.sa_mask.offset, old.maskLo >>> 0, true);
    d.setUint32(f.sa_mask.offset + 4, old.maskHi >>> 0, true);
    if (!copyOut(ctx.mem, oact, new Uint8Array(d.buffer))) return EFAULT;
  }
  return 0;
}

function sysRtSigprocmask(ctx: SyscallContext, a: readonly number[]): number {
  const [how, set, oset, size] = a as [number, number, number, number];
  if (size !== SIGSET_SIZE) return EINVAL;
  const b = ctx.task.signals.blocked;
  const old = b.clone();
  if (set !== 0) {
    const n = readSigset(ctx, set);
    if (n === null) return EFAULT;
    if (how === S.SIG_BLOCK) setCurrentBlocked(ctx.task, b.lo | n.lo, b.hi | n.hi);
    else if (how === S.SIG_UNBLOCK) setCurrentBlocked(ctx.task, b.lo & ~n.lo, b.hi & ~n.hi);
    else if (how === S.SIG_SETMASK) setCurrentBlocked(ctx.task, n.lo, n.hi);
    else return EINVAL;
  }
  if (oset !== 0 && !copyOut(ctx.mem, oset, sigsetBytes(old))) return EFAULT;
  return 0;
}

function sysSigaltstack(ctx: SyscallContext, a: readonly number[]): number {
  const [ss, oss] = a as [number, number];
  const L = ctx.abi.stack_t;
  const f = L.fields;
  const w = ctx.abi.model.ptrSize;
  let next: { sp: number; size: number; flags: number } | undefined;
  if (ss !== 0) {
    const b = copyIn(ctx.mem, ss, L.size);
    if (b === null) return EFAULT;
    const d = dv(b);
    next = {
      sp: getWord(d, f.ss_sp.offset, w),
      flags: d.getInt32(f.ss_flags.offset, true),
      size: getWord(d, f.ss_size.offset, w),
    };
  }
  const [r, old] = doSigaltstack(ctx.task.signals, next, u64At(ctx.task.cpu.x, 62));
  if (r === 0 && oss !== 0) {
    const d = new DataView(new ArrayBuffer(L.size));
    putWord(d, f.ss_sp.offset, w, old.sp);
    d.setInt32(f.ss_flags.offset, old.flags, true);
    putWord(d, f.ss_size.offset, w, old.size);
    if (!copyOut(ctx.mem, oss, new Uint8Array(d.buffer))) return EFAULT;
  }
  return r;
}

function sysRtSigpending(ctx: SyscallContext, a: readonly number[]): number {
  const [set, size] = a as [number, number];
  if (size > SIGSET_SIZE) return EINVAL;
  const st = ctx.task.signals;
  const p = st.pendingSet();
  const out = new SigSet(p.lo & st.blocked.lo, p.hi & st.blocked.hi);
  return copyOut(ctx.mem, set, sigsetBytes(out), 0, size) ? 0 : EFAULT;
}

// ---- sending ----

/** The live task with this id (a thread id names its whole process for kill). */
function findTask(kernel: Kernel, pid: number): Task | undefined {
  const t = kernel.tasks.get(pid);
  if (t === undefined) return undefined;
  if (t.exitStatus === undefined) return t;
  // A leader that has exited still names its process (its threads, or its zombie: kill succeeds).
  return t === t.group.leader ? (liveThreadOf(t.group) ?? t) : undefined;
}

/** group_send_sig_info: check_kill_permission (every task has the caller's credentials), then send. */
function groupSendSigInfo(kernel: Kernel, sig: number, info: SigInfo, p: Task): number {
  if (!validSignal(sig) && sig !== 0) return EINVAL;
  if (sig === 0) return 0;
  return sendSignal(kernel, p, sig, info, 'group');
}

function pgrpOf(t: Task): number {
  return t.group.pgid;
}

/** kill_something_info: pid > 0, the caller's group (0), every other process (-1), a group (< -1). */
export function killSomething(kernel: Kernel, self: Task, pid: number, sig: number, info: SigInfo): number {
  if (pid > 0) {
    const p = findTask(kernel, pid);
    return p === undefined ? ESRCH : groupSendSigInfo(kernel, sig, info, p);
  }
  if (pid === -2147483648) return ESRCH;
  const leaders: Task[] = [];
  for (const g of kernel.groups.values()) {
    const t = g.state === 'live' ? liveThreadOf(g) : undefined;
    if (t !== undefined) leaders.push(t);
  }
  if (pid === -1) {
    // Every process but init and the caller's own.
    let count = 0;
    let retval = 0;
    for (const p of leaders) {
      if (p.tgid <= 1 || p.tgid === self.tgid) continue;
      const err = groupSendSigInfo(kernel, sig, info, p);
      count++;
      if (err !== EPERM) retval = err;
    }
    return count > 0 ? retval : ESRCH;
  }
  const pgrp = pid === 0 ? pgrpOf(self) : -pid;
  let success = false;
  let retval = ESRCH;
  for (const p of leaders) {
    if (pgrpOf(p) !== pgrp) continue;
    const err = groupSendSigInfo(kernel, sig, info, p);
    success ||= err === 0;
    retval = err;
  }
  return success ? 0 : retval;
}

/** do_send_specific: one thread (tgid <= 0 matches any process). */
export function sendSpecific(kernel: Kernel, tgid: number, pid: number, sig: number, info: SigInfo): number {
  const p = findTask(kernel, pid);
  if (p === undefined || (tgid > 0 && p.tgid !== tgid)) return ESRCH;
  if (!validSignal(sig) && sig !== 0) return EINVAL;
  if (sig === 0) return 0;
  return sendSignal(kernel, p, sig, info, 'thread');
}

function senderInfo(ctx: SyscallContext, sig: number, code: number): SigInfo {
  return killInfo(sig, code, ctx.task.tgid, ctx.task.creds.uid);
}

function sysKill(ctx: SyscallContext, a: readonly number[]): number {
  const [pid, sig] = a as [number, number];
  return killSomething(ctx.kernel, ctx.task, pid, sig, senderInfo(ctx, sig, SI_USER));
}

function sysTgkill(ctx: SyscallContext, a: readonly number[]): number {
  const [tgid, tid, sig] = a as [number, number, number];
  if (tgid <= 0 || tid <= 0) return EINVAL;
  return sendSpecific(ctx.kernel, tgid, tid, sig, senderInfo(ctx, sig, SI_TKILL));
}

function sysTkill(ctx: SyscallContext, a: readonly number[]): number {
  const [tid, sig] = a as [number, number];
  if (tid <= 0) return EINVAL;
  return sendSpecific(ctx.kernel, 0, tid, sig, senderInfo(ctx, sig, SI_TKILL));
}

/**
 * __copy_siginfo_from_user (native layout): the kernel keeps the first 48 bytes with si_signo
 * replaced; bytes past them must be zero unless Linux knows the (signal, si_code) layout.
 */
function readUserSiginfo(ctx: SyscallContext, sig: number, addr: number): SigInfo | number {
  if (ctx.compat) {
    // copy_siginfo_from_user32: the whole compat_siginfo, converted by its layout.
    const c = copyIn(ctx.mem, addr, SIGINFO_SIZE);
    return c === null ? EFAULT : siginfoFromCompat(sig, c);
  }
  const b = copyIn(ctx.mem, addr, KERNEL_SIGINFO_SIZE);
  if (b === null) return EFAULT;
  const info = new Uint8Array(SIGINFO_SIZE);
  info.set(b);
  setSiSigno(info, sig);
  if (!knownSiginfoLayout(sig, siCode(info))) {
    const rest = copyIn(ctx.mem, addr + KERNEL_SIGINFO_SIZE, SIGINFO_SIZE - KERNEL_SIGINFO_SIZE);
    if (rest === null) return EFAULT;
    if (rest.some((x) => x !== 0)) return E2BIG;
  }
  return info;
}

/** Nobody may pretend to be the kernel or kill()/tgkill() when signalling another task. */
function mayQueue(self: Task, pid: number, info: SigInfo): boolean {
  const code = siCode(info);
  return !((code >= 0 || code === SI_TKILL) && self.tid !== pid);
}

/** do_rt_sigqueueinfo, for the native call and the compat one (which reads a compat_siginfo). */
export function doRtSigqueueinfo(kernel: Kernel, self: Task, pid: number, sig: number, info: SigInfo): number {
  if (!mayQueue(self, pid, info)) return EPERM;
  // kill_proc_info
  const p = findTask(kernel, pid);
  return p === undefined ? ESRCH : groupSendSigInfo(kernel, sig, info, p);
}

/** do_rt_tgsigqueueinfo. */
export function doRtTgsigqueueinfo(
  kernel: Kernel,
  self: Task,
  tgid: number,
  pid: number,
  sig: number,
  info: SigInfo,
): number {
  if (pid <= 0 || tgid <= 0) return EINVAL;
  if (!mayQueue(self, pid, info)) return EPERM;
  return sendSpecific(kernel, tgid, pid, sig, info);
}

function sysRtSigqueueinfo(ctx: SyscallContext, a: readonly number[]): number {
  const [pid, sig, uinfo] = a as [number, number, number];
  const info = readUserSiginfo(ctx, sig, uinfo);
  if (typeof info === 'number') return info;
  return doRtSigqueueinfo(ctx.kernel, ctx.task, pid, sig, info);
}

function sysRtTgsigqueueinfo(ctx: SyscallContext, a: readonly number[]): number {
  const [tgid, pid, sig, uinfo] = a as [number, number, number, number];
  const info = readUserSiginfo(ctx, sig, uinfo);
  if (typeof info === 'number') return info;
  return doRtTgsigqueueinfo(ctx.kernel, ctx.task, tgid, pid, sig, info);
}

// ---- waiting ----

async function sysRtSigsuspend(ctx: SyscallContext, a: readonly number[]): Promise<number> {
  const [set, size] = a as [number, number];
  if (size !== SIGSET_SIZE) return EINVAL;
  const n = readSigset(ctx, set);
  if (n === null) return EFAULT;
  return sigsuspendWith(ctx.task, n.lo, n.hi);
}

/** sigsuspend(): the mask (lo, hi) until a signal is handled; the old one comes back with the handler. */
export async function sigsuspendWith(task: Task, lo: number, hi: number): Promise<number> {
  const st = task.signals;
  st.savedMask = st.blocked.clone();
  setCurrentBlocked(task, lo, hi);
  await waitForSignal(task);
  return ERESTARTNOHAND;
}

/** sys_pause: sleeps until a signal is pending; restarted only through a handler's return (never). */
export async function sysPause(task: Task): Promise<number> {
  await waitForSignal(task);
  return ERESTARTNOHAND;
}

/**
 * do_sigtimedwait: takes a signal of `which` at once, or unblocks them and sleeps until one comes,
 * another signal interrupts (-EINTR, never restarted) or the timeout passes (-EAGAIN).
 * timeoutNs undefined = no timeout. The caller copies the siginfo out in its ABI's layout.
 */
export async function doSigtimedwait(
  kernel: Kernel,
  task: Task,
  which: SigSet,
  timeoutNs: number | undefined,
): Promise<{ sig: number; info: SigInfo } | number> {
  const st = task.signals;
  const mask = new SigSet(~(which.lo & ~KERNEL_ONLY_LO), ~which.hi);
  let d = dequeueSignal(kernel, task, mask);
  if (d !== undefined) return d;
  if (timeoutNs === 0) return EAGAIN;
  st.realBlocked.copyFrom(st.blocked);
  st.blocked.set(st.blocked.lo & mask.lo, st.blocked.hi & mask.hi);
  const deadline = timeoutNs === undefined ? undefined : kernel.host.monotonicNs() + timeoutNs;
  const r =
    deadline === undefined
      ? await waitForSignal(task)
      : await sleepInterruptible(task, () => deadline - kernel.host.monotonicNs());
  st.blocked.copyFrom(st.realBlocked);
  st.realBlocked.set(0, 0);
  d = dequeueSignal(kernel, task, mask);
  if (d !== undefined) return d;
  return r === INTERRUPTED ? EINTR : EAGAIN;
}

async function sysRtSigtimedwait(ctx: SyscallContext, a: readonly number[]): Promise<number> {
  const [uthese, uinfo, uts, size] = a as [number, number, number, number];
  if (size !== SIGSET_SIZE) return EINVAL;
  const these = readSigset(ctx, uthese);
  if (these === null) return EFAULT;
  let timeoutNs: number | undefined;
  if (uts !== 0) {
    // get_timespec64 / get_old_timespec32 (compat rt_sigtimedwait_time64 ignores tv_nsec's upper half).
    const ts = readTimespec(ctx, uts);
    if (ts === null) return EFAULT;
    if (!timespecValid(ts)) return EINVAL;
    timeoutNs = ts.sec * NS + ts.nsec;
  }
  const r = await doSigtimedwait(ctx.kernel, ctx.task, these, timeoutNs);
  if (typeof r === 'number') return r;
  const out = ctx.compat ? siginfoToCompat(r.info) : r.info;
  if (uinfo !== 0 && !copyOut(ctx.mem, uinfo, out)) return EFAULT;
  return r.sig;
}

// ---- returning ----

/** arm64_notify_segfault: SEGV_MAPERR when no mapping ends above addr, else SEGV_ACCERR. */
function notifySegfault(ctx: SyscallContext, addr: number): void {
  const code = ctx.mm.findAfter(Math.floor(addr / PAGE)) === undefined ? S.SEGV_MAPERR : S.SEGV_ACCERR;
  ctx.kernel.forceSignal(ctx.task, S.SIGSEGV, code, addr);
}

function sysRtSigreturn(ctx: SyscallContext): number {
  const task = ctx.task;
  const x = task.cpu.x;
  const st = task.signals;
  cancelRestart(st.restartBlock);
  const sp = u64At(x, 62);
  if (sp % 16 === 0 && sp + RT_SIGFRAME_SIZE <= TASK_SIZE) {
    if (restoreSigframe(task, sp, (lo, hi) => setCurrentBlocked(task, lo, hi))) {
      st.sigreturnX0 = [x[0]!, x[1]!];
      return x[1]! * TWO32 + (x[0]! >>> 0);
    }
  }
  notifySegfault(ctx, u64At(x, 62));
  return 0;
}

/**
 * compat sigreturn (119) and rt_sigreturn (173) issued by a 64-bit task (compat-abi.md §4): a forced
 * SIGSEGV at x13, x0 = 0, any restart block cancelled. For the compat table's rows.
 */
export function compatSigreturnFault(ctx: SyscallContext): number {
  cancelRestart(ctx.task.signals.restartBlock);
  notifySegfault(ctx, u64At(ctx.task.cpu.x, 26));
  return 0;
}

/** restart_syscall: resumes the call recorded in the restart block, or -EINTR. For the native and compat (0) rows. */
export function sysRestartSyscall(ctx: SyscallContext): number | Promise<number> {
  const rb = ctx.task.signals.restartBlock;
  if (rb.fn === undefined) return EINTR;
  return rb.fn({ ...ctx, name: rb.name });
}

export const SIGNAL_SYSCALLS: readonly SyscallSpec[] = [
  { name: 'rt_sigaction', args: ['signal', 'ptr', 'ptr', 'size'], handler: sysRtSigaction },
  { name: 'rt_sigprocmask', args: ['int', 'ptr', 'ptr', 'size'], handler: sysRtSigprocmask },
  { name: 'sigaltstack', args: ['ptr', 'ptr'], handler: sysSigaltstack },
  { name: 'rt_sigpending', args: ['ptr', 'size'], handler: sysRtSigpending },
  { name: 'rt_sigsuspend', args: ['ptr', 'size'], handler: sysRtSigsuspend },
  { name: 'rt_sigtimedwait', args: ['ptr', 'ptr', 'ptr', 'size'], handler: sysRtSigtimedwait, compatAware: true },
  { name: 'rt_sigreturn', args: [], handler: sysRtSigreturn },
  { name: 'restart_syscall', args: [], handler: sysRestartSyscall },
  {
    name: 'kill',
    args: ['pid', 'signal'],
    handler: sysKill,
    level: 'partial',
    note: 'processes inside this emulator only (one process until the processes work)',
  },
  { name: 'tgkill', args: ['pid', 'pid', 'signal'], handler: sysTgkill },
  { name: 'tkill', args: ['pid', 'signal'], handler: sysTkill },
  { name: 'rt_sigqueueinfo', args: ['pid', 'signal', 'ptr'], handler: sysRtSigqueueinfo, compatAware: true },
  {
    name: 'rt_tgsigqueueinfo',
    args: ['pid', 'pid', 'signal', 'ptr'],
    handler: sysRtTgsigqueueinfo,
    compatAware: true,
  },
];
