/**
 * The life of processes as syscalls: clone, clone3, execve, execveat, wait4, waitid, and the
 * process-group and session calls (setpgid, getpgid, getppid, setsid, getsid). The work is done in
 * task/ (clone.ts, execve.ts, wait.ts); these handlers read and write the guest's structures.
 */
import { writeStruct } from '../abi/marshal.js';
import { CLONE_CLEAR_SIGHAND, CSIGNAL, doClone } from '../task/clone.js';
import { doExecve } from '../task/execve.js';
import { chldInfo } from '../task/siginfo.js';
import { siginfoToCompat } from '../task/siginfo-compat.js';
import type { CpuTimes, ThreadGroup } from '../task/thread-group.js';
import {
  __WALL,
  __WCLONE,
  __WNOTHREAD,
  doWait,
  P_ALL,
  P_PGID,
  P_PID,
  P_PIDFD,
  processTimes,
  type WaitResult,
  type WaitWho,
  WCONTINUED,
  WEXITED,
  WNOHANG,
  WNOWAIT,
  WSTOPPED,
  WUNTRACED,
} from '../task/wait.js';
import { pidOfPidfd } from './sys-pidfd.js';
import type { SyscallContext, SyscallSpec } from './syscall-types.js';
import { copyIn, copyOut, writeU32 } from './uaccess.js';

const EPERM = -1;
const ESRCH = -3;
const EAGAIN = -11;
const EFAULT = -14;
const EINVAL = -22;
const EACCES = -13;
const E2BIG = -7;

// ---- clone ----

/** clone(flags, newsp, parent_tid, tls, child_tid): arm64 and ARM both use this order (CLONE_BACKWARDS). */
function sysClone(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  const [flags, stack, parentTid, tls, childTid] = a as [number, number, number, number, number];
  return doClone(ctx.kernel, ctx.task, {
    flags: flags & ~CSIGNAL,
    clearSighand: false,
    exitSignal: flags & CSIGNAL,
    stack,
    tls,
    parentTid,
    childTid,
    // Legacy clone returns the pidfd through parent_tid (kernel_clone's args->pidfd).
    pidfd: parentTid,
  });
}

/** sizeof(struct clone_args) versions: VER0 64, VER1 (set_tid) 80, VER2 (cgroup) 88. */
const CLONE_ARGS_SIZE_VER0 = 64;
const CLONE_ARGS_SIZE_VER2 = 88;

/** clone3(struct clone_args *, size): the same u64 layout for native and compat callers. */
function sysClone3(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  const [ptr, size] = a as [number, number];
  if (size < CLONE_ARGS_SIZE_VER0 || size > 4096) return EINVAL;
  const b = copyIn(ctx.mem, ptr, size);
  if (b === null) return EFAULT;
  // A larger struct from newer userspace is fine only when the unknown tail is zero.
  for (let i = CLONE_ARGS_SIZE_VER2; i < size; i++) if (b[i] !== 0) return E2BIG;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const u64 = (off: number): number =>
    off + 8 <= size ? dv.getUint32(off, true) + dv.getUint32(off + 4, true) * 4294967296 : 0;
  const flagsLo = dv.getUint32(0, true);
  const flagsHi = dv.getUint32(4, true);
  const exitSignal = u64(32);
  const stack = u64(40);
  const stackSize = u64(48);
  const setTidSize = u64(72);
  // Only CLONE_CLEAR_SIGHAND is known among the upper flag bits (CLONE_INTO_CGROUP needs cgroups).
  if (flagsHi & ~(CLONE_CLEAR_SIGHAND / 4294967296)) return EINVAL;
  if (flagsLo & CSIGNAL) return EINVAL;
  if (exitSignal > 64) return EINVAL;
  if ((stack === 0) !== (stackSize === 0)) return EINVAL;
  if (setTidSize !== 0) return EPERM;
  return doClone(ctx.kernel, ctx.task, {
    flags: flagsLo,
    clearSighand: flagsHi !== 0,
    exitSignal,
    // clone3 gives the lowest address and the size; the child's sp starts at the top.
    stack: stack === 0 ? 0 : stack + stackSize,
    tls: u64(56),
    parentTid: u64(24),
    childTid: u64(16),
    pidfd: u64(8),
  });
}

// ---- execve ----

const AT_FDCWD = -100;

function sysExecve(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  return doExecve(ctx, AT_FDCWD, a[0]!, a[1]!, a[2]!, 0);
}

function sysExecveat(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  return doExecve(ctx, a[0]!, a[1]!, a[2]!, a[3]!, a[4]!);
}

// ---- wait ----

/** struct rusage as the calling ABI lays it out: CPU times and maximum RSS (the other counters stay 0). */
function rusageBytes(ctx: SyscallContext, r: { times: CpuTimes; maxRssKb: number } | undefined): Uint8Array {
  const layout = ctx.abi.rusage;
  const b = new Uint8Array(layout.size);
  if (r !== undefined) {
    const tv = (ns: number) => {
      const us = Math.floor(ns / 1000);
      return { tv_sec: Math.floor(us / 1e6), tv_usec: us % 1e6 };
    };
    writeStruct(layout, new DataView(b.buffer), 0, {
      ru_utime: tv(r.times.userNs),
      ru_stime: tv(r.times.sysNs),
      ru_maxrss: r.maxRssKb,
    });
  }
  return b;
}

const RUSAGE_SELF = 0;
const RUSAGE_CHILDREN = -1;
const RUSAGE_THREAD = 1;

/** getrusage: the process's, its reaped children's, or this thread's CPU time. */
function sysGetrusage(ctx: SyscallContext, a: readonly number[]): number {
  const [who, ptr] = a as [number, number];
  const g = ctx.task.group;
  // Resident pages of the process's memory (the frames the emulator holds), in KiB.
  const rssKb = Math.ceil((ctx.kernel.phys.framesInUse * 4096) / 1024);
  let r: { times: CpuTimes; maxRssKb: number };
  if (who === RUSAGE_SELF) r = { times: processTimes(g), maxRssKb: rssKb };
  else if (who === RUSAGE_CHILDREN) r = { times: g.reapedChildren, maxRssKb: g.childrenMaxRssKb };
  else if (who === RUSAGE_THREAD) r = { times: { userNs: ctx.task.userNs, sysNs: ctx.task.sysNs }, maxRssKb: rssKb };
  else return EINVAL;
  return copyOut(ctx.mem, ptr, rusageBytes(ctx, r)) ? 0 : EFAULT;
}

function wait4Who(ctx: SyscallContext, pid: number): WaitWho {
  if (pid > 0) return { kind: 'pid', pid };
  if (pid === -1) return { kind: 'all' };
  if (pid === 0) return { kind: 'pgid', pgid: ctx.task.group.pgid };
  return { kind: 'pgid', pgid: -pid };
}

function sysWait4(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  const [pid, statusPtr, options, ruPtr] = a as [number, number, number, number];
  if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL)) return EINVAL;
  // INT_MIN has no process group to name.
  if (pid === -2147483648) return ESRCH;
  const finish = (r: WaitResult | number): number => {
    if (typeof r === 'number') return r;
    if (statusPtr !== 0 && !writeU32(ctx.mem, statusPtr, r.status)) return EFAULT;
    if (ruPtr !== 0 && !copyOut(ctx.mem, ruPtr, rusageBytes(ctx, r))) return EFAULT;
    return r.pid;
  };
  const r = doWait(ctx.kernel, ctx.task, wait4Who(ctx, pid), options | WEXITED);
  return r instanceof Promise ? r.then(finish) : finish(r);
}

function sysWaitid(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  const [which, id, infop, options, ruPtr] = a as [number, number, number, number, number];
  if (options & ~(WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL)) return EINVAL;
  if (!(options & (WEXITED | WSTOPPED | WCONTINUED))) return EINVAL;
  let who: WaitWho;
  let nonblockPidfd = false;
  let waitOptions = options;
  if (which === P_ALL) who = { kind: 'all' };
  else if (which === P_PID) {
    if (id <= 0) return EINVAL;
    who = { kind: 'pid', pid: id };
  } else if (which === P_PGID) {
    if (id < 0) return EINVAL;
    who = { kind: 'pgid', pgid: id === 0 ? ctx.task.group.pgid : id };
  } else if (which === P_PIDFD) {
    const p = pidOfPidfd(ctx.task, id);
    if (typeof p === 'number') return p;
    who = { kind: 'pid', pid: p.pid };
    // A PIDFD_NONBLOCK pidfd waits as WNOHANG; finding nothing is then -EAGAIN (kernel_waitid).
    if (p.nonblock && !(options & WNOHANG)) {
      nonblockPidfd = true;
      waitOptions |= WNOHANG;
    }
  } else return EINVAL;
  const finish = (r: WaitResult | number): number => {
    if (typeof r === 'number' && r < 0) return r;
    const found = typeof r === 'number' ? undefined : r;
    if (ruPtr !== 0 && !copyOut(ctx.mem, ruPtr, rusageBytes(ctx, found))) return EFAULT;
    if (infop !== 0) {
      // Nothing to report under WNOHANG: the whole siginfo is zero (si_signo 0, si_pid 0).
      // waitid's siginfo carries no times (utime/stime stay zero, as the kernel writes only the rest).
      const info: Uint8Array =
        found !== undefined ? chldInfo(found.code, found.pid, found.uid, found.value, 0, 0) : new Uint8Array(128);
      if (!copyOut(ctx.mem, infop, ctx.compat ? siginfoToCompat(info) : info)) return EFAULT;
    }
    return found === undefined && nonblockPidfd ? EAGAIN : 0;
  };
  const r = doWait(ctx.kernel, ctx.task, who, waitOptions);
  return r instanceof Promise ? r.then(finish) : finish(r);
}

// ---- process groups and sessions ----

function groupById(ctx: SyscallContext, pid: number): ThreadGroup | undefined {
  if (pid === 0) return ctx.task.group;
  const g = ctx.kernel.groups.get(pid);
  return g !== undefined && g.state !== 'reaped' ? g : undefined;
}

function sysGetppid(ctx: SyscallContext): number {
  return ctx.task.group.ppid;
}

function sysGetpgid(ctx: SyscallContext, a: readonly number[]): number {
  const g = groupById(ctx, a[0]!);
  return g === undefined ? ESRCH : g.pgid;
}

function sysGetsid(ctx: SyscallContext, a: readonly number[]): number {
  const g = groupById(ctx, a[0]!);
  return g === undefined ? ESRCH : g.sid;
}

/** setpgid: the caller or one of its children, into a group of the same session (or a new one). */
function sysSetpgid(ctx: SyscallContext, a: readonly number[]): number {
  let [pid, pgid] = a as [number, number];
  const me = ctx.task.group;
  if (pid === 0) pid = me.tgid;
  if (pgid === 0) pgid = pid;
  if (pgid < 0) return EINVAL;
  const p = ctx.kernel.groups.get(pid);
  if (p === undefined || p.state === 'reaped') return ESRCH;
  if (p !== me) {
    if (p.parent !== me) return ESRCH;
    if (p.sid !== me.sid) return EPERM;
    if (p.didExec) return EACCES;
  }
  // A session leader cannot move.
  if (p.sid === p.tgid) return EPERM;
  if (pgid !== pid) {
    let found = false;
    for (const g of ctx.kernel.groups.values()) {
      if (g.pgid === pgid && g.sid === me.sid && g.state !== 'reaped') {
        found = true;
        break;
      }
    }
    if (!found) return EPERM;
  }
  p.pgid = pgid;
  return 0;
}

/** setsid: a new session and process group led by the caller, unless it already leads a group. */
function sysSetsid(ctx: SyscallContext): number {
  const me = ctx.task.group;
  for (const g of ctx.kernel.groups.values()) {
    if (g.pgid === me.tgid && g.state !== 'reaped') return EPERM;
  }
  me.sid = me.tgid;
  me.pgid = me.tgid;
  return me.tgid;
}

export const PROCESS_LIFE_SYSCALLS: readonly SyscallSpec[] = [
  { name: 'clone', args: ['hex', 'ptr', 'ptr', 'ptr', 'ptr'], handler: sysClone, compatAware: true },
  { name: 'clone3', args: ['ptr', 'size'], handler: sysClone3, compatAware: true },
  { name: 'execve', args: ['path', 'ptr', 'ptr'], handler: sysExecve, compatAware: true },
  { name: 'execveat', args: ['dirfd', 'path', 'ptr', 'ptr', 'atflags'], handler: sysExecveat, compatAware: true },
  { name: 'wait4', args: ['pid', 'ptr', 'int', 'ptr'], handler: sysWait4, compatAware: true },
  { name: 'waitid', args: ['int', 'pid', 'ptr', 'int', 'ptr'], handler: sysWaitid, compatAware: true },
  {
    name: 'getrusage',
    args: ['int', 'ptr'],
    handler: sysGetrusage,
    compatAware: true,
    level: 'partial',
    note: 'CPU times and maxrss; the other counters are 0',
  },
  { name: 'getppid', args: [], handler: sysGetppid },
  { name: 'getpgid', args: ['pid'], handler: sysGetpgid },
  { name: 'setpgid', args: ['pid', 'pid'], handler: sysSetpgid },
  { name: 'getsid', args: ['pid'], handler: sysGetsid },
  { name: 'setsid', args: [], handler: sysSetsid },
];
