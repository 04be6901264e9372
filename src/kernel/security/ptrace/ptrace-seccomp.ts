/**
 * SECCOMP_RET_TRACE for a traced task: the PTRACE_EVENT_SECCOMP stop (if the tracer asked for it with
 * PTRACE_O_TRACESECCOMP), with the filter's RET_DATA as the event message. The seccomp module
 * re-checks the call afterwards (the tracer may have changed or skipped it), and makes the call fail
 * with ENOSYS when no tracer asked for the event (seccompTraceWanted).
 */
import type { Kernel } from '../../kernel.js';
import type { Task } from '../../task/task.js';
import { PTRACE_EVENT_SECCOMP } from './ptrace-abi.js';
import { eventEnabled, ptraceEvent } from './ptrace-stop.js';
import { PtraceStop } from './ptrace-state.js';

/** ptrace_event_enabled(current, PTRACE_EVENT_SECCOMP): a tracer wants SECCOMP_RET_TRACE stops. */
export function seccompTraceWanted(task: Task): boolean {
  return eventEnabled(task, PTRACE_EVENT_SECCOMP);
}

export function ptraceSeccompStop(kernel: Kernel, task: Task, retData: number): void | Promise<void> {
  return ptraceEvent(kernel, task, PTRACE_EVENT_SECCOMP, retData & 0xffff, PtraceStop.Seccomp);
}
