/**
 * exec under ptrace (exec_binprm's ptrace_event(PTRACE_EVENT_EXEC, old_vpid)): with
 * PTRACE_O_TRACEEXEC the tracee stops with PTRACE_EVENT_EXEC, the message being its tid before exec
 * (a non-leader thread that execs takes the leader's pid); without it an ATTACH-style tracee gets a
 * plain SIGTRAP (SI_USER from itself), the classic post-exec SIGTRAP. Seized tracees get neither.
 */
import * as S from '../../abi/signal.js';
import type { Kernel } from '../../kernel.js';
import { killInfo, SI_USER } from '../../task/siginfo.js';
import { sendSignal } from '../../task/signal-send.js';
import type { Task } from '../../task/task.js';
import { PTRACE_EVENT_EXEC } from './ptrace-abi.js';
import { eventEnabled, ptraceEvent } from './ptrace-stop.js';

/** After a successful exec: the EXEC event stop or the SIGTRAP; resolves (or returns) execve's 0. */
export function ptraceExecDone(kernel: Kernel, task: Task, oldTid: number): number | Promise<number> {
  const l = task.ptrace;
  if (l === undefined) return 0;
  if (eventEnabled(task, PTRACE_EVENT_EXEC)) {
    const p = ptraceEvent(kernel, task, PTRACE_EVENT_EXEC, oldTid);
    return p === undefined ? 0 : p.then(() => 0);
  }
  if (!l.seized) sendSignal(kernel, task, S.SIGTRAP, killInfo(S.SIGTRAP, SI_USER, task.tgid, task.creds.uid), 'thread');
  return 0;
}
