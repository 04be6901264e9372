/**
 * seccomp at syscall entry (Linux's __secure_computing): runs the task's mode or filters on the call
 * about to run and carries out the action.
 *
 * Strict mode allows read, write, exit and rt_sigreturn (in a compat-from-64 call their compat
 * numbers 3, 4, 1, 173) and kills the thread with SIGKILL for anything else. Filter mode runs the
 * chain (seccomp-eval.ts) and acts on the winning value as __seccomp_filter does:
 * - ERRNO: the call is skipped and returns -data (capped at MAX_ERRNO), written as the calling ABI
 *   writes results (zero-extended 32-bit for compat).
 * - TRAP: skipped; a forced SIGSYS with si_code SYS_SECCOMP, si_call_addr the pc after the SVC,
 *   si_syscall the number, si_arch the AUDIT_ARCH_* the filter saw, si_errno the data.
 * - KILL_PROCESS, and KILL_THREAD of a process's last thread: the process dies of SIGSYS (core
 *   flag as RLIMIT_CORE allows); KILL_THREAD of one thread among several: that thread exits.
 * - TRACE: without a tracer that asked for PTRACE_O_TRACESECCOMP, -ENOSYS; otherwise the
 *   PTRACE_EVENT_SECCOMP stop, then a re-check of the call as the tracer left it (number -1 skips;
 *   any other number runs the filters once more, where TRACE now means "run").
 * - USER_NOTIF: the listener decides (seccomp-notify.ts). LOG: logged, run. ALLOW: run.
 */
import { SIGKILL, SIGSYS } from '../../abi/signal.js';
import { setResult } from '../../entry/syscall-entry.js';
import { EntryVerdict } from '../../entry/syscall-work.js';
import type { Kernel } from '../../kernel.js';
import { seccompSysInfo } from '../../task/siginfo.js';
import { fatalSignalPending, forceSignalInfo } from '../../task/signal-send.js';
import type { Task } from '../../task/task.js';
import { ptraceSeccompStop } from '../ptrace/ptrace-seccomp.js';
import { fillSeccompData, matchedFilter, runFilters } from './seccomp-eval.js';
import { seccompLog } from './seccomp-log.js';
import { userNotification } from './seccomp-notify.js';
import {
  AUDIT_ARCH_AARCH64,
  AUDIT_ARCH_ARM,
  SECCOMP_MODE_DEAD,
  SECCOMP_MODE_FILTER,
  SECCOMP_MODE_STRICT,
  SECCOMP_RET_ACTION_FULL,
  SECCOMP_RET_ALLOW,
  SECCOMP_RET_DATA,
  SECCOMP_RET_ERRNO,
  SECCOMP_RET_KILL_THREAD,
  SECCOMP_RET_LOG,
  SECCOMP_RET_TRACE,
  SECCOMP_RET_TRAP,
  SECCOMP_RET_USER_NOTIF,
} from './seccomp-state.js';

const ENOSYS = 38;
const MAX_ERRNO = 4095;
/** PTRACE_O_TRACESECCOMP and PTRACE_O_SUSPEND_SECCOMP (linux/ptrace.h). */
const PTRACE_O_TRACESECCOMP = 0x80;
const PTRACE_O_SUSPEND_SECCOMP = 0x200000;

/** mode1_syscalls: read, write, exit, rt_sigreturn of arm64, and of the AArch32 table (compat). */
const STRICT_NATIVE = [63, 64, 93, 139];
const STRICT_COMPAT = [3, 4, 1, 173];

/**
 * The call `nr` of the native or compat table (its logical arguments are not used: seccomp_data is
 * built from the registers). Returns Run, Skip (x0 set: RET_ERRNO, RET_TRAP, RET_TRACE without a
 * tracer…) or Dead (RET_KILL_*, strict mode).
 */
export function seccompSyscallEnter(
  kernel: Kernel,
  task: Task,
  compat: boolean,
  nr: number,
  _args: readonly number[],
): EntryVerdict | Promise<EntryVerdict> {
  // PTRACE_O_SUSPEND_SECCOMP (checkpoint/restore): a tracer switched seccomp off for its tracee.
  if (task.ptrace !== undefined && task.ptrace.options & PTRACE_O_SUSPEND_SECCOMP) return EntryVerdict.Run;
  switch (task.seccomp.mode) {
    case SECCOMP_MODE_STRICT:
      return strict(kernel, task, compat, nr);
    case SECCOMP_MODE_FILTER:
      return seccompFilter(kernel, task, compat, nr, false);
    case SECCOMP_MODE_DEAD:
      kernel.killTask(task, SIGKILL, false);
      return EntryVerdict.Dead;
    default:
      return EntryVerdict.Run;
  }
}

/** __secure_computing_strict. */
function strict(kernel: Kernel, task: Task, compat: boolean, nr: number): EntryVerdict {
  if ((compat ? STRICT_COMPAT : STRICT_NATIVE).includes(nr)) return EntryVerdict.Run;
  task.seccomp.mode = SECCOMP_MODE_DEAD;
  seccompLog(kernel, task, compat, nr, SIGKILL, SECCOMP_RET_KILL_THREAD, true);
  kernel.killTask(task, SIGKILL, false);
  return EntryVerdict.Dead;
}

/** __seccomp_filter for the call as the registers hold it now. */
function seccompFilter(
  kernel: Kernel,
  task: Task,
  compat: boolean,
  nr: number,
  recheckAfterTrace: boolean,
): EntryVerdict | Promise<EntryVerdict> {
  const chain = task.seccomp.filter;
  if (chain === undefined) {
    // Filter mode without filters cannot happen; fail closed as Linux does.
    kernel.killProcess(task, SIGSYS, true);
    return EntryVerdict.Dead;
  }
  fillSeccompData(task, compat, nr);
  const ret = runFilters(chain, compat, nr);
  if (ret === SECCOMP_RET_ALLOW) return EntryVerdict.Run;
  const match = matchedFilter();
  const data = ret & SECCOMP_RET_DATA;
  const action = (ret & SECCOMP_RET_ACTION_FULL) >>> 0;
  const logSkip = (): void => seccompLog(kernel, task, compat, nr, 0, action, match?.log ?? false);
  switch (action) {
    case SECCOMP_RET_ERRNO:
      setResult(task, -Math.min(data, MAX_ERRNO), compat);
      logSkip();
      return EntryVerdict.Skip;
    case SECCOMP_RET_TRAP: {
      const arch = compat ? AUDIT_ARCH_ARM : AUDIT_ARCH_AARCH64;
      forceSignalInfo(kernel, task, seccompSysInfo(task.cpu.pc, nr, arch, data), 'current');
      logSkip();
      return EntryVerdict.Skip;
    }
    case SECCOMP_RET_TRACE:
      if (recheckAfterTrace) return EntryVerdict.Run;
      if (task.ptrace === undefined || !(task.ptrace.options & PTRACE_O_TRACESECCOMP)) {
        setResult(task, -ENOSYS, compat);
        logSkip();
        return EntryVerdict.Skip;
      }
      return afterTrace(kernel, task, compat, data);
    case SECCOMP_RET_USER_NOTIF:
      if (match === undefined) return EntryVerdict.Run;
      return userNotification(task, compat, match).then((v) => {
        if (v === EntryVerdict.Skip) logSkip();
        return v;
      });
    case SECCOMP_RET_LOG:
      seccompLog(kernel, task, compat, nr, 0, action, true);
      return EntryVerdict.Run;
    case SECCOMP_RET_ALLOW:
      return EntryVerdict.Run;
    default: {
      // KILL_THREAD, KILL_PROCESS and any unknown action.
      task.seccomp.mode = SECCOMP_MODE_DEAD;
      seccompLog(kernel, task, compat, nr, SIGSYS, action, true);
      let live = 0;
      for (const t of task.group.threads) if (t.exitStatus === undefined) live++;
      if (action !== SECCOMP_RET_KILL_THREAD || live <= 1) kernel.killProcess(task, SIGSYS, true);
      else kernel.killTask(task, SIGSYS, false);
      return EntryVerdict.Dead;
    }
  }
}

/** RET_TRACE with a tracer: the event stop, then the re-check of whatever call the tracer left. */
async function afterTrace(kernel: Kernel, task: Task, compat: boolean, data: number): Promise<EntryVerdict> {
  await ptraceSeccompStop(kernel, task, data);
  if (task.exitStatus !== undefined) return EntryVerdict.Dead;
  // A fatal signal may have cut the stop short: skip the call and let the signal kill.
  if (fatalSignalPending(task)) return EntryVerdict.Skip;
  const nr = task.syscallNo;
  if (nr < 0) return EntryVerdict.Skip;
  return seccompFilter(kernel, task, compat, nr, true);
}
