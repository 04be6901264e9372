/**
 * A tracee's link to its tracer (Linux's task->ptrace, ->parent, ->last_siginfo, ->ptrace_message,
 * ->exit_code and the ptrace bits of ->jobctl): hung on the tracee as `task.ptrace` while it is
 * traced. The request handlers (ptrace-request.ts and the data modules beside it) read why the
 * tracee is stopped to decide what a request may do. A tracer's list of tracees (->ptraced) is kept
 * here too, keyed by the tracer task.
 */
import type { SigInfo } from '../../task/siginfo.js';
import type { Task } from '../../task/task.js';

/** Why a traced task is stopped (None: it runs, or sleeps outside a ptrace stop). */
export const enum PtraceStop {
  None = 0,
  SyscallEntry = 1,
  SyscallExit = 2,
  /** PTRACE_EVENT_SECCOMP (SECCOMP_RET_TRACE). */
  Seccomp = 3,
  /** Signal-delivery stop: siginfo holds the signal the tracer may change or suppress. */
  Signal = 4,
  /** Group-stop (SIGSTOP & co. of a traced task), and PTRACE_EVENT_STOP traps of a seized one. */
  Group = 5,
  /** PTRACE_EVENT_FORK/VFORK/CLONE/EXEC/VFORK_DONE/EXIT, and the single-step signal-handler trap. */
  Event = 6,
}

/** jobctl bits the ptrace work uses (Linux's JOBCTL_*). */
/** The task is to take part in a group stop (a traced task traps instead of sleeping). */
export const JOBCTL_STOP_PENDING = 1;
/** PTRACE_INTERRUPT, SEIZE of a stopped task, a new seized child: trap with PTRACE_EVENT_STOP. */
export const JOBCTL_TRAP_STOP = 2;
/** A seized tracee is told of a group stop or SIGCONT by re-trapping. */
export const JOBCTL_TRAP_NOTIFY = 4;
/** PTRACE_LISTEN: stopped, but not stopped for the tracer's requests and waits. */
export const JOBCTL_LISTENING = 8;

export interface PtraceLink {
  tracer: Task;
  /** Attached with PTRACE_SEIZE (group-stops report as PTRACE_EVENT_STOP; INTERRUPT and LISTEN work). */
  seized: boolean;
  /** PTRACE_O_* bits. */
  options: number;
  stop: PtraceStop;
  /** PTRACE_GETEVENTMSG. */
  eventMsg: number;
  /** The siginfo of the current signal-delivery (or event) stop: PTRACE_GETSIGINFO / SETSIGINFO. */
  siginfo: SigInfo | undefined;
  /**
   * task->exit_code: while stopped, the stop's status word (wait reports (exitCode << 8) | 0x7f and
   * clears it); after a resume, the signal the tracer passed in `data`.
   */
  exitCode: number;
  /** JOBCTL_* bits above. */
  jobctl: number;
  /** PTRACE_SINGLESTEP / SYSEMU_SINGLESTEP: the run loop executes one instruction and traps. */
  singleStep: boolean;
  /** The tracee thread has exited: a zombie only the tracer sees until it waits for it. */
  dead: boolean;
  /** Wakes the tracee out of its ptrace stop (set while it is stopped). */
  wake: (() => void) | undefined;
}

export function newLink(tracer: Task, seized: boolean, options: number): PtraceLink {
  return {
    tracer,
    seized,
    options,
    stop: PtraceStop.None,
    eventMsg: 0,
    siginfo: undefined,
    exitCode: 0,
    jobctl: 0,
    singleStep: false,
    dead: false,
    wake: undefined,
  };
}

const ptraced = new WeakMap<Task, Set<Task>>();

/** The tasks `tracer` traces (its ->ptraced list), in attach order. */
export function traceesOf(tracer: Task): Set<Task> {
  let s = ptraced.get(tracer);
  if (s === undefined) {
    s = new Set();
    ptraced.set(tracer, s);
  }
  return s;
}

/** Whether the tracer traces anything (no list is made for the question). */
export function hasTracees(tracer: Task): boolean {
  const s = ptraced.get(tracer);
  return s !== undefined && s.size > 0;
}

/** task_is_traced(): stopped in a ptrace stop (and not PTRACE_LISTEN-ing). */
export function isTracedStop(task: Task): boolean {
  const l = task.ptrace;
  return l !== undefined && l.stop !== PtraceStop.None && !(l.jobctl & JOBCTL_LISTENING);
}

/** The tracer's pid as /proc/PID/status's TracerPid shows it (0: not traced). */
export function tracerPidOf(task: Task): number {
  return task.ptrace?.tracer.tgid ?? 0;
}

/** Whether a ptrace stop holds the task ('t' in /proc/PID/stat, "t (tracing stop)"). */
export function inPtraceStop(task: Task): boolean {
  const l = task.ptrace;
  return l !== undefined && l.stop !== PtraceStop.None;
}
