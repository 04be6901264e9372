/**
 * SECCOMP_RET_TRACE for a traced task: the PTRACE_EVENT_SECCOMP stop (if the tracer asked for it with
 * PTRACE_O_TRACESECCOMP), with the filter's RET_DATA as the event message. The seccomp module
 * re-checks the call afterwards (the tracer may have changed or skipped it).
 */
import type { Kernel } from '../../kernel.js';
import type { Task } from '../../task/task.js';

export function ptraceSeccompStop(_kernel: Kernel, _task: Task, _retData: number): void | Promise<void> {}
