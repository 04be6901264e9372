/**
 * A tracee's link to its tracer (Linux's task->ptrace, ->parent, ->last_siginfo, ->ptrace_message):
 * hung on the tracee as `task.ptrace` while it is traced. The request handlers (ptrace-request.ts and
 * the data modules beside it) read why the tracee is stopped to decide what a request may do.
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
  /** Group-stop (SIGSTOP & co. of a traced task). */
  Group = 5,
  /** PTRACE_EVENT_FORK/VFORK/CLONE/EXEC/VFORK_DONE/EXIT/STOP. */
  Event = 6,
}

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
}
