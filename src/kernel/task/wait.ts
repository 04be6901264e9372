/**
 * wait4 and waitid (kernel/exit.c's do_wait): which children are eligible (pid, process group or
 * any; __WALL/__WCLONE by exit signal), what each can report (an exit, a stop not yet reported, a
 * continue), reaping, and sleeping on the parent's child-wait queue until something happens.
 */
import * as S from '../abi/signal.js';
import type { Kernel } from '../kernel.js';
import { CLD_CONTINUED, CLD_DUMPED, CLD_EXITED, CLD_KILLED, CLD_STOPPED, reap } from './exit.js';
import { CLD_TRAPPED } from '../security/ptrace/ptrace-abi.js';
import { ptraceReleaseDead } from '../security/ptrace/ptrace-link.js';
import { hasTracees, isTracedStop, traceesOf } from '../security/ptrace/ptrace-state.js';
import { INTERRUPTED, waitInterruptible } from './signal-wait.js';
import type { Task } from './task.js';
import type { CpuTimes, ThreadGroup } from './thread-group.js';

export const WNOHANG = 0x00000001;
export const WUNTRACED = 0x00000002;
export const WSTOPPED = WUNTRACED;
export const WEXITED = 0x00000004;
export const WCONTINUED = 0x00000008;
export const WNOWAIT = 0x01000000;
export const __WNOTHREAD = 0x20000000;
export const __WALL = 0x40000000;
export const __WCLONE = 0x80000000;

export const P_ALL = 0;
export const P_PID = 1;
export const P_PGID = 2;
export const P_PIDFD = 3;

const ECHILD = -10;
const ERESTARTSYS = -512;

/** Which children a wait looks at. */
export type WaitWho = { kind: 'pid'; pid: number } | { kind: 'pgid'; pgid: number } | { kind: 'all' };

/** What a wait found: the child, wait4's status word and waitid's si_code / si_status. */
export interface WaitResult {
  pid: number;
  uid: number;
  status: number;
  code: number;
  value: number;
  /** The child's CPU time and that of its reaped children (rusage RUSAGE_BOTH). */
  times: CpuTimes;
  maxRssKb: number;
}

/** CPU time of a process: its live threads and its dead ones. */
export function processTimes(g: ThreadGroup): CpuTimes {
  let userNs = g.deadThreads.userNs;
  let sysNs = g.deadThreads.sysNs;
  for (const t of g.threads) {
    userNs += t.userNs;
    sysNs += t.sysNs;
  }
  return { userNs, sysNs };
}

function eligible(c: ThreadGroup, who: WaitWho, options: number): boolean {
  if (who.kind === 'pid' && c.tgid !== who.pid) return false;
  if (who.kind === 'pgid' && c.pgid !== who.pgid) return false;
  if (options & __WALL) return true;
  // A "clone child" is one that reports with a signal other than SIGCHLD; __WCLONE waits for those only.
  return (c.exitSignal !== S.SIGCHLD) === ((options & __WCLONE) !== 0);
}

function resultOf(c: ThreadGroup, status: number, code: number, value: number): WaitResult {
  const own = processTimes(c);
  return {
    pid: c.tgid,
    uid: c.leader.creds.uid,
    status,
    code,
    value,
    times: { userNs: own.userNs + c.reapedChildren.userNs, sysNs: own.sysNs + c.reapedChildren.sysNs },
    maxRssKb: c.childrenMaxRssKb,
  };
}

/** The leader of child process c is traced by a thread of `parent` (ptrace_reparented() is false). */
function tracedByParent(c: ThreadGroup, parent: ThreadGroup): boolean {
  const l = c.leader.ptrace;
  return l !== undefined && l.tracer.group === parent;
}

/** One pass over the children: a result, 0 when some could report later, or -ECHILD. */
function scan(kernel: Kernel, parent: ThreadGroup, who: WaitWho, options: number): WaitResult | 0 | typeof ECHILD {
  let any = false;
  for (const c of parent.children) {
    if (!eligible(c, who, options) && !tracedByParent(c, parent)) continue;
    if (who.kind === 'pid' && c.tgid !== who.pid) continue;
    if (who.kind === 'pgid' && c.pgid !== who.pgid) continue;
    any = true;
    const l = c.leader.ptrace;
    if (c.state === 'zombie') {
      // A zombie another process traces is seen by its tracer first.
      if (l !== undefined && l.tracer.group !== parent) continue;
      if (!(options & WEXITED)) continue;
      const st = c.waitStatus;
      const code = (st & 0x7f) === 0 ? CLD_EXITED : st & 0x80 ? CLD_DUMPED : CLD_KILLED;
      const r = resultOf(c, st, code, code === CLD_EXITED ? (st >> 8) & 0xff : st & 0x7f);
      if (!(options & WNOWAIT)) reap(kernel, c);
      return r;
    }
    const rep = c.jobReport;
    if (rep === undefined) continue;
    // A child the parent traces reports its ptrace stops instead (scanTracees).
    if (rep.kind === 'stopped' && options & WSTOPPED && c.leader.signals.group.stopped && l?.tracer.group !== parent) {
      if (!(options & WNOWAIT)) c.jobReport = undefined;
      return resultOf(c, (rep.sig << 8) | 0x7f, CLD_STOPPED, rep.sig);
    }
    if (rep.kind === 'continued' && options & WCONTINUED) {
      if (!(options & WNOWAIT)) c.jobReport = undefined;
      return resultOf(c, 0xffff, CLD_CONTINUED, S.SIGCONT);
    }
  }
  return any ? 0 : ECHILD;
}

/** A task-level result (a tracee is a thread: its tid, its own times). */
function taskResult(t: Task, status: number, code: number, value: number): WaitResult {
  return {
    pid: t.tid,
    uid: t.creds.uid,
    status,
    code,
    value,
    times: { userNs: t.userNs, sysNs: t.sysNs },
    maxRssKb: 0,
  };
}

/**
 * ptrace_do_wait: the tracees of the caller's threads (only the caller's with __WNOTHREAD), whatever
 * their exit signal. A ptrace stop is reported once, without WUNTRACED, as WIFSTOPPED with the stop's
 * status (CLD_TRAPPED for waitid); a dead tracee is reported to its tracer first, and a process leader
 * then goes on to its real parent.
 */
function scanTracees(kernel: Kernel, caller: Task, who: WaitWho, options: number): WaitResult | 0 | typeof ECHILD {
  let any = false;
  const tracers = options & __WNOTHREAD ? [caller] : caller.group.threads;
  for (const tracer of tracers) {
    if (!hasTracees(tracer)) continue;
    for (const t of traceesOf(tracer)) {
      if (who.kind === 'pid' && t.tid !== who.pid) continue;
      if (who.kind === 'pgid' && t.group.pgid !== who.pgid) continue;
      const l = t.ptrace!;
      any = true;
      const g = t.group;
      if (l.dead) {
        // The real parent's own scan reports a leader it traces itself.
        if (t === g.leader && g.parent === caller.group) continue;
        if (!(options & WEXITED)) continue;
        const st = t === g.leader ? g.waitStatus : (t.exitStatus ?? 0);
        const code = (st & 0x7f) === 0 ? CLD_EXITED : st & 0x80 ? CLD_DUMPED : CLD_KILLED;
        const r = taskResult(t, st, code, code === CLD_EXITED ? (st >> 8) & 0xff : st & 0x7f);
        if (!(options & WNOWAIT)) ptraceReleaseDead(kernel, t);
        return r;
      }
      if (l.exitCode !== 0 && isTracedStop(t)) {
        const code = l.exitCode;
        if (!(options & WNOWAIT)) l.exitCode = 0;
        return taskResult(t, ((code << 8) | 0x7f) >>> 0, CLD_TRAPPED, code);
      }
    }
  }
  return any ? 0 : ECHILD;
}

/**
 * do_wait: a result, 0 for WNOHANG with nothing to report, or a negative errno (-ECHILD, or
 * -ERESTARTSYS when a signal interrupts the sleep).
 */
export function doWait(
  kernel: Kernel,
  task: Task,
  who: WaitWho,
  options: number,
): WaitResult | number | Promise<WaitResult | number> {
  const parent = task.group;
  const c = scan(kernel, parent, who, options);
  if (c !== 0 && c !== ECHILD) return c;
  const t = scanTracees(kernel, task, who, options);
  if (t !== 0 && t !== ECHILD) return t;
  const r = c === 0 || t === 0 ? 0 : ECHILD;
  if (r !== 0 || options & WNOHANG) return r;
  return waitInterruptible(task, parent.childWait.wait()).then((w) =>
    w === INTERRUPTED ? ERESTARTSYS : doWait(kernel, task, who, options),
  );
}
