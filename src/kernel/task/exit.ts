/**
 * How tasks end (kernel/exit.c): a thread's do_exit after its run loop stops, the death of a whole
 * process (the last thread), the parent's notification (SIGCHLD with CLD_* siginfo, or auto-reaping
 * when the parent ignores SIGCHLD), reparenting of the orphans, and exit_group's group exit.
 */
import * as S from '../abi/signal.js';
import type { Kernel } from '../kernel.js';
import type { FdTable } from '../fs/fd-table.js';
import type { MemoryMap } from '../mm/memory-map.js';
import { ptraceProcessDead, ptraceThreadExit, ptraceTracerExit, ptraceUnlink } from '../security/ptrace/ptrace-link.js';
import { writeU32 } from '../syscalls/uaccess.js';
import { exitRobustList, futexWakeClearTid } from './robust-list.js';
import { cancelItimers } from './itimer.js';
import { chldInfo, SI_USER, killInfo } from './siginfo.js';
import { sendSignal, signalWakeUp } from './signal-send.js';
import type { Task } from './task.js';
import type { ThreadGroup } from './thread-group.js';

/** si_code values of SIGCHLD. */
export const CLD_EXITED = 1;
export const CLD_KILLED = 2;
export const CLD_DUMPED = 3;
export const CLD_STOPPED = 5;
export const CLD_CONTINUED = 6;

/** SA_NOCLDSTOP and SA_NOCLDWAIT (sa_flags). */
const SA_NOCLDSTOP = 1;
const SA_NOCLDWAIT = 2;

/** Work to do when a task ends, registered by other subsystems (futex wake of clear_child_tid, robust lists, POSIX timers). */
export interface ExitHooks {
  /** mm_release: before the task lets go of its memory (robust lists, clear_child_tid). */
  mmRelease: ((kernel: Kernel, task: Task) => void)[];
  /** When the whole process has ended (POSIX timers…). */
  processDead: ((kernel: Kernel, group: ThreadGroup) => void)[];
}

const hooks = new WeakMap<Kernel, ExitHooks>();

export function exitHooksOf(kernel: Kernel): ExitHooks {
  let h = hooks.get(kernel);
  if (h === undefined) {
    h = { mmRelease: [], processDead: [] };
    hooks.set(kernel, h);
  }
  return h;
}

/** How many tasks use each MemoryMap and FdTable, so the last one out tears it down. */
const mmUsers = new WeakMap<MemoryMap, number>();
const filesUsers = new WeakMap<FdTable, number>();

export function useMm(mm: MemoryMap): void {
  mmUsers.set(mm, (mmUsers.get(mm) ?? 0) + 1);
}

/** Drops a task's use of mm; true when it was the last (the caller then clears it). */
export function unuseMm(mm: MemoryMap): boolean {
  const n = (mmUsers.get(mm) ?? 1) - 1;
  mmUsers.set(mm, n);
  return n <= 0;
}

export function mmUserCount(mm: MemoryMap): number {
  return mmUsers.get(mm) ?? 0;
}

export function useFiles(files: FdTable): void {
  filesUsers.set(files, (filesUsers.get(files) ?? 0) + 1);
}

function unuseFiles(files: FdTable): boolean {
  const n = (filesUsers.get(files) ?? 1) - 1;
  filesUsers.set(files, n);
  return n <= 0;
}

/** Drops the task's reference to its fd table (unshare, exit), closing every fd when it was the last. */
export function releaseFiles(task: Task): void {
  if (unuseFiles(task.files)) task.files.closeAll();
}

/** schedule_tail for a new task: CLONE_CHILD_SETTID's write, in the child's memory. */
export function firstRun(kernel: Kernel, task: Task): void {
  if (task.setChildTid !== 0) {
    writeU32(task.mm.as, task.setChildTid, task.tid);
    task.setChildTid = 0;
  }
  void kernel;
}

/**
 * mm_release: robust lists and CHILD_CLEARTID (when the memory stays in use by others, or always —
 * Linux writes it whenever the mm is shared; a private mm is about to vanish anyway), and the vfork
 * parent let go. Called at exit and at exec.
 */
export function mmRelease(kernel: Kernel, task: Task): void {
  exitRobustList(kernel, task);
  for (const h of exitHooksOf(kernel).mmRelease) h(kernel, task);
  if (task.clearChildTid !== 0) {
    // pthread_join waits on this word: 0 is written and a waiter woken.
    if (mmUserCount(task.mm) > 1) futexWakeClearTid(kernel, task);
    task.clearChildTid = 0;
  }
  releaseVfork(task);
}

export function releaseVfork(task: Task): void {
  const done = task.vforkDone;
  task.vforkDone = undefined;
  done?.();
}

/** do_exit after the thread's run loop has stopped: its status is task.exitStatus. */
export function exitThread(kernel: Kernel, task: Task): void {
  const status = task.exitStatus ?? 0;
  task.exitStatus = status;
  mmRelease(kernel, task);
  if (unuseMm(task.mm)) task.mm.clear();
  releaseFiles(task);
  // exit_ptrace: the tracees of this thread are let go; a traced thread stays a zombie for its tracer.
  ptraceTracerExit(kernel, task);
  const g = task.group;
  if (task !== g.leader) ptraceThreadExit(kernel, task);
  g.threads.delete(task);
  g.deadThreads.userNs += task.userNs;
  g.deadThreads.sysNs += task.sysNs;
  if (task === g.leader) g.leaderStatus = status;
  else kernel.tasks.delete(task.tid);
  g.threadExit.wakeAll();
  if (g.threads.size === 0) processDead(kernel, g);
}

/** The wait status of a process whose last thread has gone. */
function processStatus(g: ThreadGroup): number {
  const gs = g.leader.signals.group;
  if (gs.groupExitStatus !== undefined) return gs.groupExitStatus;
  if (gs.groupExitSignal !== undefined) return gs.groupExitSignal;
  return g.leaderStatus ?? 0;
}

/** The last thread is gone: the process becomes a zombie and its parent hears of it. */
function processDead(kernel: Kernel, g: ThreadGroup): void {
  cancelItimers(g.leader);
  for (const h of exitHooksOf(kernel).processDead) h(kernel, g);
  g.waitStatus = processStatus(g);
  g.state = 'zombie';
  g.jobReport = undefined;
  reparentChildren(kernel, g);
  // A tracer other than the real parent hears first; the parent only once the tracer lets go.
  if (ptraceProcessDead(kernel, g)) return;
  parentLearnsOfDeath(kernel, g);
}

/** The real parent learns that its child process has died (or the zombie is reaped when nobody can). */
export function parentLearnsOfDeath(kernel: Kernel, g: ThreadGroup): void {
  const parent = g.parent;
  if (parent === undefined || parent.state !== 'live') {
    reap(kernel, g);
    if (parent === undefined) kernel.onInitExit?.(g.waitStatus);
    return;
  }
  if (g.exitSignal !== 0 && notifyParentOfExit(kernel, g)) reap(kernel, g);
  parent.childWait.wakeAll();
}

/**
 * do_notify_parent for an exit: SIGCHLD (or the clone's exit signal) with CLD_EXITED/KILLED/DUMPED.
 * Returns true when the child is to be reaped at once: the parent ignores SIGCHLD or set SA_NOCLDWAIT.
 */
function notifyParentOfExit(kernel: Kernel, g: ThreadGroup): boolean {
  const parent = g.parent!;
  const ptask = parent.leader;
  const st = g.waitStatus;
  const code = (st & 0x7f) === 0 ? CLD_EXITED : st & 0x80 ? CLD_DUMPED : CLD_KILLED;
  const value = code === CLD_EXITED ? (st >> 8) & 0xff : st & 0x7f;
  let autoreap = false;
  const act = ptask.signals.actions[S.SIGCHLD]!;
  // A traced child is never reaped behind its tracer's back (do_notify_parent's !tsk->ptrace).
  if (
    g.exitSignal === S.SIGCHLD &&
    g.leader.ptrace === undefined &&
    (act.handler === S.SIG_IGN || act.flags & SA_NOCLDWAIT)
  ) {
    autoreap = true;
  }
  const times = g.deadThreads;
  const info = chldInfo(
    code,
    g.tgid,
    g.leader.creds.uid,
    value,
    Math.floor((times.userNs + g.reapedChildren.userNs) / 1e7),
    Math.floor((times.sysNs + g.reapedChildren.sysNs) / 1e7),
  );
  const target = liveThreadOf(parent);
  if (target !== undefined && !(autoreap && act.handler === S.SIG_IGN))
    sendSignal(kernel, target, g.exitSignal, info, 'group');
  return autoreap;
}

/** A live thread of the process to address process-wide signals to (the leader may have exited). */
export function liveThreadOf(g: ThreadGroup): Task | undefined {
  if (g.threads.has(g.leader)) return g.leader;
  for (const t of g.threads) return t;
  return undefined;
}

/** do_notify_parent_cldstop: the parent hears of a stop or continue (unless SA_NOCLDSTOP). */
export function notifyParentJobControl(kernel: Kernel, g: ThreadGroup, why: number, sig: number): void {
  g.jobReport = why === CLD_STOPPED ? { kind: 'stopped', sig } : { kind: 'continued' };
  const parent = g.parent;
  if (parent === undefined || parent.state !== 'live') return;
  const target = liveThreadOf(parent);
  if (target !== undefined) {
    const act = target.signals.actions[S.SIGCHLD]!;
    if (act.handler !== S.SIG_IGN && !(act.flags & SA_NOCLDSTOP)) {
      const times = g.deadThreads;
      const info = chldInfo(
        why,
        g.tgid,
        g.leader.creds.uid,
        sig,
        Math.floor(times.userNs / 1e7),
        Math.floor(times.sysNs / 1e7),
      );
      sendSignal(kernel, target, S.SIGCHLD, info, 'group');
    }
  }
  parent.childWait.wakeAll();
}

/** release_task: the zombie is gone for good; its times go to the parent's children totals. */
export function reap(kernel: Kernel, g: ThreadGroup): void {
  g.state = 'reaped';
  // A dead leader traced by its real parent's group is collected by that wait: the link goes too.
  if (g.leader.ptrace !== undefined) ptraceUnlink(g.leader);
  const p = g.parent;
  if (p !== undefined) {
    p.children.delete(g);
    p.reapedChildren.userNs += g.deadThreads.userNs + g.reapedChildren.userNs;
    p.reapedChildren.sysNs += g.deadThreads.sysNs + g.reapedChildren.sysNs;
  }
  kernel.groups.delete(g.tgid);
  kernel.tasks.delete(g.leader.tid);
}

/**
 * forget_original_parent: the children go to the nearest child-subreaper ancestor, else to init
 * (pid 1); children with PR_SET_PDEATHSIG get their signal; a zombie child is reported to its new
 * parent (or reaped when that one ignores SIGCHLD).
 */
function reparentChildren(kernel: Kernel, g: ThreadGroup): void {
  if (g.children.size === 0) return;
  let reaper: ThreadGroup | undefined;
  for (let a = g.parent; a !== undefined; a = a.parent) {
    if (a.childSubreaper && a.state === 'live') {
      reaper = a;
      break;
    }
  }
  if (reaper === undefined) {
    const init = kernel.groups.get(1);
    if (init !== undefined && init.state === 'live' && init !== g) reaper = init;
  }
  for (const c of [...g.children]) {
    g.children.delete(c);
    c.parent = reaper;
    for (const t of c.threads) {
      if (t.pdeathsig !== 0) sendSignal(kernel, t, t.pdeathsig, killInfo(t.pdeathsig, SI_USER, 0, 0), 'thread');
    }
    if (reaper === undefined) {
      if (c.state === 'zombie' && !deferredByTracer(c)) reap(kernel, c);
      continue;
    }
    reaper.children.add(c);
    // A zombie still held by its tracer is reported to the new parent when the tracer lets go.
    if (c.state === 'zombie' && !deferredByTracer(c)) {
      if (c.exitSignal !== 0 && notifyParentOfExit(kernel, c)) reap(kernel, c);
      reaper.childWait.wakeAll();
    }
  }
}

/** A dead process whose leader's tracer has not collected it yet (ptrace_reparented zombie). */
function deferredByTracer(c: ThreadGroup): boolean {
  const l = c.leader.ptrace;
  return l !== undefined && l.tracer.group !== c.parent;
}

/**
 * do_group_exit: the whole process ends with this wait status; every other thread is told to exit
 * (zap_other_threads) and leaves at its next return to the run loop.
 */
export function groupExit(_kernel: Kernel, task: Task, status: number): void {
  const gs = task.signals.group;
  if (gs.groupExitSignal === undefined) {
    gs.groupExitSignal = S.SIGKILL;
    gs.groupExitStatus = status;
    gs.stopped = false;
    for (const t of task.group.threads) {
      if (t === task) continue;
      t.signals.pending.set.add(S.SIGKILL);
      signalWakeUp(t);
    }
  }
}
