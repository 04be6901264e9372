/**
 * Making and breaking tracer/tracee links (kernel/ptrace.c's ptrace_traceme, ptrace_attach,
 * __ptrace_unlink, __ptrace_detach, exit_ptrace, and fork.c's ptrace_init_task): who may attach, what
 * attaching does (SIGSTOP for PTRACE_ATTACH, a STOP trap for a seized or already stopped task), what
 * detaching leaves behind (a zombie handed back to its real parent, a stopped process stopped again),
 * and the tracer's own exit (every tracee detached, PTRACE_O_EXITKILL tracees killed).
 */
import * as S from '../../abi/signal.js';
import { SYSCALL_WORK_EMU, SYSCALL_WORK_TRACE } from '../../entry/syscall-work.js';
import type { Kernel } from '../../kernel.js';
import { CLD_DUMPED, CLD_EXITED, CLD_KILLED, liveThreadOf, parentLearnsOfDeath, reap } from '../../task/exit.js';
import { chldInfo, kernelInfo } from '../../task/siginfo.js';
import { sendSignal, signalWakeUp } from '../../task/signal-send.js';
import type { Task } from '../../task/task.js';
import type { ThreadGroup } from '../../task/thread-group.js';
import {
  PTRACE_EVENT_CLONE,
  PTRACE_EVENT_FORK,
  PTRACE_EVENT_VFORK,
  PTRACE_O_EXITKILL,
  PTRACE_O_MASK,
  PTRACE_O_SUSPEND_SECCOMP,
} from './ptrace-abi.js';
import { PTRACE_MODE_ATTACH_REALCREDS, ptraceMayAccess } from './ptrace-access.js';
import { eventEnabled } from './ptrace-stop.js';
import { hasTracees, JOBCTL_TRAP_STOP, newLink, PtraceStop, traceesOf } from './ptrace-state.js';

const EPERM = -1;
const EIO = -5;
const EINVAL = -22;

/** __ptrace_link: tracee joins tracer's ->ptraced list. */
function link(tracee: Task, tracer: Task, seized: boolean, options: number): void {
  tracee.ptrace = newLink(tracer, seized, options);
  traceesOf(tracer).add(tracee);
}

/**
 * __ptrace_unlink: the tracee is free again: syscall tracing and stepping off, and woken from a
 * ptrace stop (its exit_code, as the tracer left it, decides what happens to the signal of a
 * signal-delivery stop). A process still group-stopped makes it stop again (its next return to user
 * mode sees the stop, which untraced tasks sleep in).
 */
export function ptraceUnlink(task: Task): void {
  const l = task.ptrace;
  if (l === undefined) return;
  traceesOf(l.tracer).delete(task);
  task.ptrace = undefined;
  task.syscallWork &= ~(SYSCALL_WORK_TRACE | SYSCALL_WORK_EMU);
  l.singleStep = false;
  const w = l.wake;
  l.wake = undefined;
  w?.();
  signalWakeUp(task);
}

/**
 * check_ptrace_options: unknown bits are EINVAL; PTRACE_O_SUSPEND_SECCOMP needs CAP_SYS_ADMIN (euid 0
 * here) and a tracer outside seccomp, else EPERM (Debian's kernel has CHECKPOINT_RESTORE).
 */
export function checkOptions(tracer: Task, options: number): number {
  if (options < 0 || options > 0xffffffff || (options & ~PTRACE_O_MASK) !== 0) return EINVAL;
  if (options & PTRACE_O_SUSPEND_SECCOMP) {
    if (tracer.creds.euid !== 0) return EPERM;
    if (tracer.seccomp.mode !== 0) return EPERM;
  }
  return 0;
}

/** PTRACE_TRACEME: the real parent becomes the tracer (EPERM when already traced or parentless). */
export function ptraceTraceme(task: Task): number {
  if (task.ptrace !== undefined) return EPERM;
  const parent = task.group.parent;
  const tracer = parent !== undefined && parent.state === 'live' ? liveThreadOf(parent) : undefined;
  if (tracer === undefined) return EPERM;
  link(task, tracer, false, 0);
  return 0;
}

/** PTRACE_ATTACH and PTRACE_SEIZE (ptrace_attach). */
export function ptraceAttach(
  kernel: Kernel,
  tracer: Task,
  tracee: Task,
  seize: boolean,
  addr: number,
  data: number,
): number {
  let options = 0;
  if (seize) {
    if (addr !== 0) return EIO;
    if (data < 0 || data > 0xffffffff || (data & ~PTRACE_O_MASK) !== 0) return EIO;
    const r = checkOptions(tracer, data);
    if (r !== 0) return r;
    options = data;
  }
  if (tracee.tgid === tracer.tgid) return EPERM;
  if (!ptraceMayAccess(kernel, tracer, tracee, PTRACE_MODE_ATTACH_REALCREDS)) return EPERM;
  if (tracee.exitStatus !== undefined || tracee.ptrace !== undefined) return EPERM;
  link(tracee, tracer, seize, options);
  if (!seize) sendSignal(kernel, tracee, S.SIGSTOP, kernelInfo(S.SIGSTOP), 'thread');
  // An already stopped task re-traps so the tracer sees it stopped (JOBCTL_TRAP_STOP).
  if (tracee.signals.group.stopped) {
    tracee.ptrace!.jobctl |= JOBCTL_TRAP_STOP;
    signalWakeUp(tracee);
  }
  return 0;
}

/** PTRACE_DETACH (ptrace_detach): the tracee goes on with `sig` as its exit_code. */
export function ptraceDetach(kernel: Kernel, tracer: Task, tracee: Task, sig: number): void {
  const l = tracee.ptrace!;
  l.exitCode = sig;
  detachOne(kernel, tracer, tracee);
}

/**
 * __ptrace_detach: unlink; a dead tracee is released — a thread at once, a process leader handed to
 * its real parent (notified now), or reaped when the tracer is that parent and ignores SIGCHLD.
 */
function detachOne(kernel: Kernel, tracer: Task, tracee: Task): void {
  const l = tracee.ptrace!;
  const dead = l.dead;
  ptraceUnlink(tracee);
  if (!dead) return;
  const g = tracee.group;
  if (tracee !== g.leader || g.state !== 'zombie') return;
  if (g.parent !== tracer.group) parentLearnsOfDeath(kernel, g);
  else if (ignoresChildren(tracer)) {
    reap(kernel, g);
    tracer.group.childWait.wakeAll();
  }
}

function ignoresChildren(t: Task): boolean {
  const a = t.signals.actions[S.SIGCHLD]!;
  return a.handler === S.SIG_IGN || (a.flags & 2) !== 0;
}

/** exit_ptrace: the tracer thread is exiting; every tracee is detached (EXITKILL ones killed first). */
export function ptraceTracerExit(kernel: Kernel, tracer: Task): void {
  if (!hasTracees(tracer)) return;
  for (const t of [...traceesOf(tracer)]) {
    const l = t.ptrace;
    if (l === undefined) continue;
    if (l.options & PTRACE_O_EXITKILL && !l.dead) sendSignal(kernel, t, S.SIGKILL, kernelInfo(S.SIGKILL), 'thread');
    detachOne(kernel, tracer, t);
  }
}

/** The wait status fields of an exit: CLD_* code and si_status. */
function exitCodes(status: number): { code: number; value: number } {
  const code = (status & 0x7f) === 0 ? CLD_EXITED : status & 0x80 ? CLD_DUMPED : CLD_KILLED;
  return { code, value: code === CLD_EXITED ? (status >> 8) & 0xff : status & 0x7f };
}

/** do_notify_parent to the tracer for a dead tracee: SIGCHLD (never the clone's exit signal) and a wake-up. */
function notifyTracerOfExit(kernel: Kernel, tracee: Task, status: number): void {
  const tracer = tracee.ptrace!.tracer;
  const { code, value } = exitCodes(status);
  const act = tracer.signals.actions[S.SIGCHLD]!;
  if (act.handler !== S.SIG_IGN && tracer.exitStatus === undefined) {
    const info = chldInfo(code, tracee.tid, tracee.creds.uid, value, 0, 0);
    sendSignal(kernel, tracer, S.SIGCHLD, info, 'group');
  }
  tracer.group.childWait.wakeAll();
}

/**
 * A traced thread other than the leader has exited (exit_notify): it stays a zombie for its tracer,
 * which is told now.
 */
export function ptraceThreadExit(kernel: Kernel, task: Task): void {
  const l = task.ptrace;
  if (l === undefined || task === task.group.leader) return;
  l.dead = true;
  l.stop = PtraceStop.None;
  notifyTracerOfExit(kernel, task, task.exitStatus ?? 0);
}

/**
 * The last thread of a process whose leader is traced has gone. A tracer that is not the real parent
 * hears first and the real parent only once the tracer has waited (or detached); returns true then.
 * When the tracer is the real parent, the usual exit notification does for both.
 */
export function ptraceProcessDead(kernel: Kernel, g: ThreadGroup): boolean {
  const l = g.leader.ptrace;
  if (l === undefined) return false;
  l.dead = true;
  l.stop = PtraceStop.None;
  if (l.tracer.group === g.parent) return false;
  notifyTracerOfExit(kernel, g.leader, g.waitStatus);
  return true;
}

/** The tracer has collected a dead tracee with wait: release it (a leader goes on to its real parent). */
export function ptraceReleaseDead(kernel: Kernel, tracee: Task): void {
  const g = tracee.group;
  ptraceUnlink(tracee);
  if (tracee === g.leader && g.state === 'zombie') parentLearnsOfDeath(kernel, g);
}

/** kernel_clone's choice of event: FORK, VFORK or CLONE when the tracer enabled it (0: none). */
export function cloneEvent(parent: Task, flags: number, exitSignal: number, untraced: boolean): number {
  if (parent.ptrace === undefined || untraced) return 0;
  const CLONE_VFORK = 0x4000;
  const ev =
    flags & CLONE_VFORK ? PTRACE_EVENT_VFORK : exitSignal !== S.SIGCHLD ? PTRACE_EVENT_CLONE : PTRACE_EVENT_FORK;
  return eventEnabled(parent, ev) ? ev : 0;
}

/**
 * ptrace_init_task: a child made with CLONE_PTRACE or under a tracing event is traced by its
 * parent's tracer, with the same options; it starts with SIGSTOP pending (PTRACE_ATTACH style) or a
 * STOP trap (seized). Syscall tracing and stepping never pass to the child.
 */
export function ptraceInitChild(parent: Task, child: Task, traced: boolean): void {
  const pl = parent.ptrace;
  if (!traced || pl === undefined) return;
  link(child, pl.tracer, pl.seized, pl.options);
  if (pl.seized) child.ptrace!.jobctl |= JOBCTL_TRAP_STOP;
  else child.signals.pending.set.add(S.SIGSTOP);
}
