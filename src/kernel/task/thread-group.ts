/**
 * A process as its parent and the rest of the system see it (the relationship half of Linux's
 * signal_struct plus the group leader's task_struct fields): the threads, the parent and children,
 * the process group and session, and what wait4/waitid report about it. Signal state shared by the
 * threads lives in GroupSignals (signal-state.ts); this is who is related to whom.
 */
import type { Task } from './task.js';
import { WaitQueue } from './wait-queue.js';

/** What the parent's wait can report: a job-control change not reported yet. */
export type JobReport = { kind: 'stopped'; sig: number } | { kind: 'continued' };

/** CPU time in nanoseconds, as struct rusage reports it. */
export interface CpuTimes {
  userNs: number;
  sysNs: number;
}

export class ThreadGroup {
  /** Live threads; empty once the process is a zombie. */
  readonly threads = new Set<Task>();
  readonly children = new Set<ThreadGroup>();
  /** real_parent; undefined for the first process (its parent is outside the emulated system). */
  parent: ThreadGroup | undefined;
  pgid: number;
  sid: number;
  /** Signal sent to the parent when the process ends (CSIGNAL of clone, exit_signal of clone3); 0 = none. */
  exitSignal: number;
  /** 'zombie': every thread has exited, the parent has not reaped it; 'reaped': gone. */
  state: 'live' | 'zombie' | 'reaped' = 'live';
  /** The wait status once a zombie. */
  waitStatus = 0;
  /** A stop or continue the parent has not collected with WUNTRACED / WCONTINUED. */
  jobReport: JobReport | undefined;
  /** The signal of the last group stop (the stop signal in jobctl): what a traced thread's stop trap reports. */
  stopSignal = 0;
  /** Woken when one of the threads exits (de_thread waits for the others). */
  readonly threadExit = new WaitQueue();
  /** Woken when a child changes state (the kernel's wait_chldexit). */
  readonly childWait = new WaitQueue();
  /** PR_SET_CHILD_SUBREAPER. */
  childSubreaper = false;
  /** Set by the first execve: setpgid on this child by its parent then fails with EACCES. */
  didExec = false;
  /** CPU time of exited threads, and of reaped children (cutime/cstime). */
  readonly deadThreads: CpuTimes = { userNs: 0, sysNs: 0 };
  readonly reapedChildren: CpuTimes = { userNs: 0, sysNs: 0 };
  /** Largest RSS of reaped children, in KiB (ru_maxrss for RUSAGE_CHILDREN). */
  childrenMaxRssKb = 0;
  /** The leader's exit code, once it has exited (the process's status unless a group exit set one). */
  leaderStatus: number | undefined;
  /** Monotonic time the process started, for /proc/PID/stat's starttime. */
  readonly startNs: number;

  constructor(
    public tgid: number,
    public leader: Task,
    o: { parent: ThreadGroup | undefined; pgid: number; sid: number; exitSignal: number; startNs: number },
  ) {
    this.parent = o.parent;
    this.pgid = o.pgid;
    this.sid = o.sid;
    this.exitSignal = o.exitSignal;
    this.startNs = o.startNs;
  }

  /** getppid(): the parent's pid, 0 for a process whose parent is outside the emulated system. */
  get ppid(): number {
    return this.parent?.tgid ?? 0;
  }
}
