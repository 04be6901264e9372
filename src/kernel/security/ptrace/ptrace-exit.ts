/**
 * PTRACE_EVENT_EXIT (do_exit's ptrace_event(PTRACE_EVENT_EXIT, code)): with PTRACE_O_TRACEEXIT a
 * tracee stops on its way out, registers and memory still there, the message being its wait status
 * (exit code << 8, or the signal). No stop happens with SIGKILL pending for the thread (Linux's
 * ptrace_stop refuses then), so threads zapped by another's exit or kill leave at once.
 */
import * as S from '../../abi/signal.js';
import type { Kernel } from '../../kernel.js';
import { killInfo } from '../../task/siginfo.js';
import type { Task } from '../../task/task.js';
import { CLD_TRAPPED, PTRACE_EVENT_EXIT } from './ptrace-abi.js';
import { eventEnabled, ptraceStop } from './ptrace-stop.js';
import { PtraceStop } from './ptrace-state.js';

export async function ptraceExitEvent(kernel: Kernel, task: Task): Promise<void> {
  if (!eventEnabled(task, PTRACE_EVENT_EXIT)) return;
  const code = S.SIGTRAP | (PTRACE_EVENT_EXIT << 8);
  const info = killInfo(S.SIGTRAP, code, task.tid, task.creds.uid);
  await ptraceStop(kernel, task, code, CLD_TRAPPED, task.exitStatus ?? 0, PtraceStop.Event, info, true);
}
