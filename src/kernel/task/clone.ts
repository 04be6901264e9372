/**
 * Creating tasks (kernel/fork.c's copy_process and kernel_clone): clone, clone3, fork and vfork.
 * What the child shares with its creator follows the CLONE_* flags: the memory (CLONE_VM, else a
 * copy-on-write copy), the fd table (CLONE_FILES), cwd and umask (CLONE_FS), the dispositions
 * (CLONE_SIGHAND) and the process (CLONE_THREAD). The child resumes after the same SVC with x0 = 0.
 */

import { setAddr } from '../../cpu/a64/registers.js';
import * as S from '../abi/signal.js';
import { SYSCALL_WORK_SECCOMP } from '../entry/syscall-work.js';
import { recordTaskStart } from '../fs/proc-task.js';
import type { Kernel } from '../kernel.js';
import { bindRlimits } from '../mm/mm-limits.js';
import { PTRACE_EVENT_VFORK_DONE } from '../security/ptrace/ptrace-abi.js';
import { cloneEvent, ptraceInitChild } from '../security/ptrace/ptrace-link.js';
import { ptraceEvent } from '../security/ptrace/ptrace-stop.js';
import { capsFork } from '../syscalls/sys-caps.js';
import { clonePidfd, clonePidfdCheck } from '../syscalls/sys-pidfd.js';
import { membarrierFork } from '../syscalls/sys-sched.js';
import { writeU32 } from '../syscalls/uaccess.js';
import { releaseFiles, unuseMm, useFiles, useMm } from './exit.js';
import { rseqFork } from './rseq.js';
import { schedFork, schedForkCheck } from './sched-policy.js';
import { Task } from './task.js';
import { ThreadGroup } from './thread-group.js';

export const CSIGNAL = 0x000000ff;
export const CLONE_VM = 0x00000100;
export const CLONE_FS = 0x00000200;
export const CLONE_FILES = 0x00000400;
export const CLONE_SIGHAND = 0x00000800;
export const CLONE_PIDFD = 0x00001000;
export const CLONE_PTRACE = 0x00002000;
export const CLONE_VFORK = 0x00004000;
export const CLONE_PARENT = 0x00008000;
export const CLONE_THREAD = 0x00010000;
export const CLONE_NEWNS = 0x00020000;
export const CLONE_SYSVSEM = 0x00040000;
export const CLONE_SETTLS = 0x00080000;
export const CLONE_PARENT_SETTID = 0x00100000;
export const CLONE_CHILD_CLEARTID = 0x00200000;
export const CLONE_DETACHED = 0x00400000;
export const CLONE_UNTRACED = 0x00800000;
export const CLONE_CHILD_SETTID = 0x01000000;
export const CLONE_NEWCGROUP = 0x02000000;
export const CLONE_NEWUTS = 0x04000000;
export const CLONE_NEWIPC = 0x08000000;
export const CLONE_NEWUSER = 0x10000000;
export const CLONE_NEWPID = 0x20000000;
export const CLONE_NEWNET = 0x40000000;
export const CLONE_IO = 0x80000000;
/** clone3-only flags (the upper word of clone_args.flags). */
export const CLONE_CLEAR_SIGHAND = 0x100000000;
export const CLONE_INTO_CGROUP = 0x200000000;

const EINVAL = -22;
const EPERM = -1;

const NAMESPACE_FLAGS =
  CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET;

/** kernel_clone_args, with the 64-bit flags split into the low word and the clone3-only bits. */
export interface CloneArgs {
  /** The low 32 bits of the flags (CSIGNAL included for clone). */
  flags: number;
  clearSighand: boolean;
  exitSignal: number;
  /** New stack pointer for the child (0: the parent's). */
  stack: number;
  tls: number;
  parentTid: number;
  childTid: number;
  /** Where CLONE_PIDFD writes the pidfd (clone: parent_tid; clone3: clone_args.pidfd). */
  pidfd: number;
}

/**
 * copy_process' checks, then the new task: returns the child's tid (the parent's result) or a
 * negative errno. With CLONE_VFORK the promise resolves once the child has exec'd or exited.
 */
export function doClone(kernel: Kernel, parent: Task, a: CloneArgs): number | Promise<number> {
  const f = a.flags >>> 0;
  const has = (bit: number): boolean => (f & bit) >>> 0 !== 0;
  if (has(CLONE_SIGHAND) && !has(CLONE_VM)) return EINVAL;
  if (has(CLONE_THREAD) && !has(CLONE_SIGHAND)) return EINVAL;
  if (has(CLONE_FS) && has(CLONE_NEWNS)) return EINVAL;
  if (a.clearSighand && has(CLONE_SIGHAND)) return EINVAL;
  if (f & NAMESPACE_FLAGS) return EPERM;
  const pidfdBad = clonePidfdCheck(f, a.pidfd, a.parentTid);
  if (pidfdBad < 0) return pidfdBad;
  const dl = schedForkCheck(parent);
  if (dl !== 0) return dl;
  const thread = has(CLONE_THREAD);
  const sharesVm = has(CLONE_VM);
  const vfork = has(CLONE_VFORK);

  const mm = sharesVm ? parent.mm : parent.mm.fork(kernel.newAddressSpace());
  const files = has(CLONE_FILES) ? parent.files : parent.files.clone();
  const fs = has(CLONE_FS) ? parent.fs : { ...parent.fs };
  const signals = parent.signals.forClone({
    sighand: has(CLONE_SIGHAND),
    thread,
    vmWithoutVfork: sharesVm && !vfork,
  });
  if (a.clearSighand) {
    for (let i = 1; i <= 64; i++) {
      const act = signals.actions[i]!;
      if (act.handler !== S.SIG_IGN) act.handler = S.SIG_DFL;
    }
  }
  const tid = kernel.allocPid();
  const rlimits = thread ? parent.rlimits : parent.rlimits.map((r) => [r[0], r[1]] as [number, number]);
  const child = new Task(
    tid,
    thread ? parent.tgid : tid,
    mm,
    files,
    fs,
    { ...parent.creds },
    signals,
    rlimits,
    parent.comm,
  );
  if (!sharesVm) bindRlimits(mm, rlimits);
  useMm(mm);
  useFiles(files);
  recordTaskStart(child, kernel.host.monotonicNs());
  copyCpu(child, parent);
  const x = child.cpu.x;
  x[0] = 0;
  x[1] = 0;
  if (a.stack !== 0) setAddr(x, 62, a.stack);
  if (has(CLONE_SETTLS)) {
    child.cpu.tpidrLo = a.tls | 0;
    child.cpu.tpidrHi = Math.floor(a.tls / 4294967296) | 0;
  }
  child.personality = parent.personality;
  child.noNewPrivs = parent.noNewPrivs;
  child.nice = parent.nice;
  schedFork(parent, child);
  rseqFork(parent, child, f);
  capsFork(parent, child);
  if (!sharesVm) membarrierFork(parent.mm, mm);
  // The filter chain is shared (immutable once attached); the mode and the work bit are copied.
  child.seccomp = { ...parent.seccomp };
  child.syscallWork |= parent.syscallWork & SYSCALL_WORK_SECCOMP;
  child.exePath = parent.exePath;
  child.argStart = parent.argStart;
  child.argEnd = parent.argEnd;
  child.envStart = parent.envStart;
  child.envEnd = parent.envEnd;
  child.auxv = parent.auxv;
  if (has(CLONE_CHILD_SETTID)) child.setChildTid = a.childTid;
  if (has(CLONE_CHILD_CLEARTID)) child.clearChildTid = a.childTid;

  const pg = parent.group;
  if (thread) {
    child.group = pg;
  } else {
    const realParent = has(CLONE_PARENT) ? pg.parent : pg;
    const g = new ThreadGroup(tid, child, {
      parent: realParent,
      pgid: pg.pgid,
      sid: pg.sid,
      exitSignal: a.exitSignal,
      startNs: kernel.host.monotonicNs(),
    });
    child.group = g;
    realParent?.children.add(g);
    kernel.groups.set(tid, g);
  }
  child.group.threads.add(child);
  if (has(CLONE_PIDFD)) {
    // Linux makes the pidfd before the child is visible; here the group must exist first. On a
    // failure the child never runs: it is unlinked again.
    const pfd = clonePidfd(kernel, parent, child.group, a.pidfd);
    if (pfd < 0) {
      child.group.threads.delete(child);
      pg.children.delete(child.group);
      child.group.parent?.children.delete(child.group);
      kernel.groups.delete(tid);
      // Undo the uses taken above: a private copy of the memory or fd table goes away with it.
      if (unuseMm(mm)) mm.clear();
      releaseFiles(child);
      return pfd;
    }
  }
  // Linux ignores a fault here (put_user's result is not checked).
  if (has(CLONE_PARENT_SETTID)) writeU32(parent.mm.as, a.parentTid, tid);
  // Tracing: the parent's tracer may follow the child (FORK/VFORK/CLONE events, CLONE_PTRACE).
  const trace = cloneEvent(parent, f, a.exitSignal, has(CLONE_UNTRACED));
  ptraceInitChild(parent, child, trace !== 0 || has(CLONE_PTRACE));
  let vforkWait: Promise<void> | undefined;
  if (vfork) vforkWait = new Promise<void>((resolve) => (child.vforkDone = resolve));
  kernel.start(child);
  // The child runs; the tracer hears of it (eventmsg = the new pid).
  const event = trace !== 0 ? ptraceEvent(kernel, parent, trace, tid) : undefined;
  if (vforkWait === undefined) return event === undefined ? tid : event.then(() => tid);
  const vf = vforkWait;
  return (event ?? Promise.resolve())
    .then(() => vf)
    .then(() => ptraceEvent(kernel, parent, PTRACE_EVENT_VFORK_DONE, tid))
    .then(() => tid);
}

/** The child's registers are the parent's at the SVC (it returns from the same call). */
function copyCpu(child: Task, parent: Task): void {
  const d = child.cpu;
  const s = parent.cpu;
  d.x.set(s.x);
  d.v8.set(s.v8);
  d.pc = s.pc;
  d.nf = s.nf;
  d.zf = s.zf;
  d.cf = s.cf;
  d.vf = s.vf;
  d.fpcr = s.fpcr;
  d.fpsr = s.fpsr;
  d.tpidrLo = s.tpidrLo;
  d.tpidrHi = s.tpidrHi;
  d.counter = s.counter;
  d.cntfrq = s.cntfrq;
  d.jit = s.jit;
}
