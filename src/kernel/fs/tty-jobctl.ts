/**
 * Job control on the host terminal, as Linux's drivers/tty/tty_jobctrl.c and n_tty's isig(): a
 * terminal belongs to at most one session (its controlling terminal) and has a foreground process
 * group; processes of that session outside the foreground group get SIGTTIN when they read it and
 * SIGTTOU when they change its settings (or write with TOSTOP), unless they block or ignore the
 * signal; a process group nobody can continue gets EIO instead.
 *
 * Which terminal is a process's controlling terminal is worked out from its session: the terminal
 * whose session is the process's (Linux copies signal->tty at fork and clears it for the whole
 * session together, so the two agree) — except a process that gave it up with TIOCNOTTY without
 * leading the session, which is remembered on its own (its later children get the terminal back;
 * Linux's would inherit the loss). setsid needs no call here: a new session owns no terminal.
 *
 * The first process leads its own session, and the emulator's stdio terminal is its controlling
 * terminal (installStdio assigns it). Signals the host terminal raises (^C, ^\, ^Z while the host is
 * in cooked mode) reach the emulator as host signals and go to the guest's foreground process group,
 * as the line discipline's ISIG would; in raw passthrough the same characters arrive as input and
 * are turned into signals here (ttyReceive) while the guest's termios has ISIG.
 *
 * Deviation kept for consistency with task/signal-deliver.ts: pid 1 is not treated as a pid-namespace
 * init when deciding whether a process group is orphaned (bash -i as the first process keeps its jobs'
 * groups un-orphaned, as it would be under a login shell's parent).
 */
import * as S from '../abi/signal.js';
import type { Kernel } from '../kernel.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import { copyIn, writeU32 } from '../syscalls/uaccess.js';
import { exitHooksOf, liveThreadOf } from '../task/exit.js';
import { killInfo, kernelInfo, SI_USER, type SigInfo } from '../task/siginfo.js';
import { sendSignal } from '../task/signal-send.js';
import type { Task } from '../task/task.js';
import type { ThreadGroup } from '../task/thread-group.js';
import type { TtyState } from './tty.js';
import { type Vfs, vfsOf } from './vfs.js';

const EPERM = -1;
const ESRCH = -3;
const EIO = -5;
const EFAULT = -14;
const EINVAL = -22;
const ENOTTY = -25;
const ERESTARTSYS = -512;

/** c_lflag bits. */
const ISIG = 0o1;
const NOFLSH = 0o200;
export const TOSTOP = 0o400;
/** c_cc indices. */
const VINTR = 0;
const VQUIT = 1;
const VSUSP = 10;

/** Every terminal of a machine (one per host device), keyed by rdev. */
const ttysByVfs = new WeakMap<Vfs, Map<number, TtyState>>();

export function ttyRegistry(vfs: Vfs): Map<number, TtyState> {
  let m = ttysByVfs.get(vfs);
  if (m === undefined) {
    m = new Map();
    ttysByVfs.set(vfs, m);
  }
  return m;
}

/** Processes that gave up their controlling terminal with TIOCNOTTY while not leading the session. */
const detached = new WeakSet<ThreadGroup>();

/** signal->tty: the process's controlling terminal, if it has one. */
export function cttyOf(kernel: Kernel, g: ThreadGroup): TtyState | undefined {
  if (detached.has(g)) return undefined;
  for (const t of ttyRegistry(vfsOf(kernel)).values()) if (t.session !== 0 && t.session === g.sid) return t;
  return undefined;
}

/**
 * The controlling terminal /proc/PID/stat reports (tty_nr's device and tpgid): the host device
 * number and the foreground process group, or undefined without one. For proc-task.ts's
 * controllingTty.
 */
export function controllingTtyOf(kernel: Kernel, g: ThreadGroup): { rdev: number; pgrp: number } | undefined {
  const t = cttyOf(kernel, g);
  return t === undefined ? undefined : { rdev: t.rdev, pgrp: t.pgrp === 0 ? -1 : t.pgrp };
}

/** __proc_set_tty: the terminal becomes the controlling terminal of g's session, g's group in the foreground. */
export function procSetTty(kernel: Kernel, t: TtyState, g: ThreadGroup): void {
  t.session = g.sid;
  t.pgrp = g.pgid;
  t.kernel = kernel;
  detached.delete(g);
  watchSessionLeaders(kernel);
}

/** The live processes of a process group. */
function groupMembers(kernel: Kernel, pgid: number): ThreadGroup[] {
  const out: ThreadGroup[] = [];
  for (const g of kernel.groups.values()) if (g.pgid === pgid && g.state === 'live') out.push(g);
  return out;
}

/** kill_pgrp: sig to every process of the group. */
function killPgrp(kernel: Kernel, pgid: number, sig: number, info: SigInfo): void {
  for (const g of groupMembers(kernel, pgid)) {
    const t = liveThreadOf(g);
    if (t !== undefined) sendSignal(kernel, t, sig, info, 'group');
  }
}

/**
 * is_current_pgrp_orphaned (will_become_orphaned_pgrp): no member has a parent in another group of
 * the same session. See the module comment for pid 1.
 */
function pgrpOrphaned(kernel: Kernel, pgid: number): boolean {
  for (const g of groupMembers(kernel, pgid)) {
    const p = g.parent;
    if (p !== undefined && p.state === 'live' && p.pgid !== pgid && p.sid === g.sid) return false;
  }
  return true;
}

/** is_ignored(): the caller blocks sig or its handler is SIG_IGN. */
function isIgnored(task: Task, sig: number): boolean {
  return task.signals.blocked.has(sig) || task.signals.actions[sig]!.handler === S.SIG_IGN;
}

/**
 * __tty_check_change: a process of the terminal's session outside its foreground group may not use
 * it that way. 0 to go ahead; -EIO; or -ERESTARTSYS after sending sig (SIGTTIN, SIGTTOU) to the
 * caller's process group, which stops it; the call is redone once it continues.
 */
export function ttyCheckChange(kernel: Kernel, task: Task, t: TtyState, sig: number): number {
  const g = task.group;
  if (cttyOf(kernel, g) !== t) return 0;
  if (t.pgrp === 0 || g.pgid === t.pgrp) return 0;
  if (isIgnored(task, sig)) return sig === S.SIGTTIN ? EIO : 0;
  if (pgrpOrphaned(kernel, g.pgid)) return EIO;
  killPgrp(kernel, g.pgid, sig, kernelInfo(sig));
  return ERESTARTSYS;
}

/** session_of_pgrp: the session of a member of the group, else of the process with that pid. */
function sessionOfPgrp(kernel: Kernel, pgid: number): number | undefined {
  const m = groupMembers(kernel, pgid);
  if (m.length > 0) return m[0]!.sid;
  const t = kernel.tasks.get(pgid);
  return t === undefined ? undefined : t.group.sid;
}

function tiocspgrp(ctx: SyscallContext, t: TtyState, arg: number): number {
  const k = ctx.kernel;
  const r = ttyCheckChange(k, ctx.task, t, S.SIGTTOU);
  if (r === EIO) return ENOTTY;
  if (r !== 0) return r;
  const b = copyIn(ctx.mem, arg, 4);
  if (b === null) return EFAULT;
  const pgrp = new DataView(b.buffer, b.byteOffset).getInt32(0, true);
  if (pgrp < 0) return EINVAL;
  const g = ctx.task.group;
  if (cttyOf(k, g) !== t || t.session !== g.sid) return ENOTTY;
  const sid = sessionOfPgrp(k, pgrp);
  if (sid === undefined) return ESRCH;
  if (sid !== g.sid) return EPERM;
  t.pgrp = pgrp;
  return 0;
}

/** tiocsctty: a session leader without a terminal takes this one (steal = 1 needs CAP_SYS_ADMIN). */
function tiocsctty(ctx: SyscallContext, t: TtyState, readable: boolean, arg: number): number {
  const k = ctx.kernel;
  const g = ctx.task.group;
  const leader = g.sid === g.tgid;
  if (leader && t.session === g.sid) return 0;
  if (!leader || cttyOf(k, g) !== undefined) return EPERM;
  const admin = ctx.task.creds.euid === 0;
  if (t.session !== 0) {
    if (arg !== 1 || !admin) return EPERM;
    t.session = 0;
  }
  if (!readable && !admin) return EPERM;
  procSetTty(k, t, g);
  return 0;
}

/**
 * disassociate_ctty: a session leader lets its terminal go (TIOCNOTTY, or its exit). The foreground
 * group gets SIGHUP (and SIGCONT unless exiting: the terminal is a pseudo-terminal's slave or the
 * like, not a console hung up as a whole), then the terminal belongs to no session.
 */
function disassociate(kernel: Kernel, t: TtyState, onExit: boolean, by: Task | undefined): void {
  if (t.pgrp !== 0) {
    const info = onExit || by === undefined ? kernelInfo(S.SIGHUP) : killInfo(S.SIGHUP, SI_USER, by.tgid, by.creds.uid);
    killPgrp(kernel, t.pgrp, S.SIGHUP, info);
    if (!onExit && by !== undefined)
      killPgrp(kernel, t.pgrp, S.SIGCONT, killInfo(S.SIGCONT, SI_USER, by.tgid, by.creds.uid));
  }
  t.session = 0;
  t.pgrp = 0;
}

function tiocnotty(ctx: SyscallContext, t: TtyState): number {
  const g = ctx.task.group;
  if (cttyOf(ctx.kernel, g) !== t) return ENOTTY;
  if (g.sid === g.tgid) disassociate(ctx.kernel, t, false, ctx.task);
  else detached.add(g);
  return 0;
}

const registered = new WeakSet<Kernel>();

/** A session leader's death lets its terminal go (do_exit → disassociate_ctty(1)). */
function watchSessionLeaders(kernel: Kernel): void {
  if (registered.has(kernel)) return;
  registered.add(kernel);
  exitHooksOf(kernel).processDead.push((k, g) => {
    if (g.sid !== g.tgid) return;
    const t = cttyOf(k, g);
    if (t !== undefined) disassociate(k, t, true, undefined);
  });
}

/**
 * The job-control ioctls; undefined for other commands. `readable`: the description was opened for
 * reading (TIOCSCTTY wants it).
 */
export function jobctlIoctl(
  ctx: SyscallContext,
  t: TtyState,
  readable: boolean,
  cmd: number,
  arg: number,
): number | undefined {
  const k = ctx.kernel;
  switch (cmd) {
    case 0x540f: {
      // TIOCGPGRP
      if (cttyOf(k, ctx.task.group) !== t) return ENOTTY;
      return writeU32(ctx.mem, arg, t.pgrp) ? 0 : EFAULT;
    }
    case 0x5429: {
      // TIOCGSID
      if (cttyOf(k, ctx.task.group) !== t || t.session === 0) return ENOTTY;
      return writeU32(ctx.mem, arg, t.session) ? 0 : EFAULT;
    }
    case 0x5410:
      return tiocspgrp(ctx, t, arg);
    case 0x540e:
      return tiocsctty(ctx, t, readable, arg);
    case 0x5422:
      return tiocnotty(ctx, t);
    default:
      return undefined;
  }
}

/** Which signal a received character raises under ISIG, if any. */
function signalChar(t: TtyState, c: number): number {
  if (c === 0) return 0; // _POSIX_VDISABLE
  if (c === t.cc[VINTR]) return S.SIGINT;
  if (c === t.cc[VQUIT]) return S.SIGQUIT;
  if (c === t.cc[VSUSP]) return S.SIGTSTP;
  return 0;
}

/**
 * n_tty's isig() for input the host passed through raw: while the guest's termios has ISIG, ^C, ^\
 * and ^Z (c_cc's VINTR, VQUIT, VSUSP) send SIGINT, SIGQUIT, SIGTSTP to the foreground group instead
 * of being read, and what came before them is flushed unless NOFLSH. In cooked mode the host
 * terminal does this itself and the emulator gets a host signal (ttyHostSignal).
 */
export function ttyReceive(t: TtyState, data: Uint8Array): Uint8Array {
  const kernel = t.kernel;
  if (kernel === undefined || !t.hostRaw || (t.lflag & ISIG) === 0) return data;
  let out: number[] | undefined;
  for (let i = 0; i < data.length; i++) {
    const c = data[i]!;
    const sig = signalChar(t, c);
    if (sig === 0) {
      out?.push(c);
      continue;
    }
    if (out === undefined) out = t.lflag & NOFLSH ? Array.from(data.subarray(0, i)) : [];
    else if ((t.lflag & NOFLSH) === 0) out.length = 0;
    ttyHostSignal(kernel, t, sig);
  }
  return out === undefined ? data : Uint8Array.from(out);
}

/**
 * A terminal signal (SIGINT, SIGQUIT, SIGTSTP) for the terminal's foreground process group, as the
 * line discipline sends it (kill_pgrp with SEND_SIG_PRIV). When the group would stop on it but
 * nothing could continue it (an orphaned group, as the first process's is, with SIGTSTP at its
 * default: Linux discards the stop), the emulator stops itself instead through t.stopHost, as
 * qemu-aarch64 does for the one program it runs; the host shell then continues it.
 */
export function ttyHostSignal(kernel: Kernel, t: TtyState, sig: number): void {
  if (t.pgrp === 0) return;
  const members = groupMembers(kernel, t.pgrp);
  if (members.length === 0) return;
  killPgrp(kernel, t.pgrp, sig, kernelInfo(sig));
  if (sig !== S.SIGTSTP || t.stopHost === undefined || !pgrpOrphaned(kernel, t.pgrp)) return;
  const stops = members.some((g) => {
    const th = liveThreadOf(g);
    return th !== undefined && th.signals.actions[sig]!.handler === S.SIG_DFL && !th.signals.blocked.has(sig);
  });
  if (stops) t.stopHost();
}
