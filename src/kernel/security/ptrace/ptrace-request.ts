/**
 * The ptrace syscall (kernel/ptrace.c's sys_ptrace, ptrace_check_attach and ptrace_request): TRACEME,
 * ATTACH and SEIZE first; every other request needs the caller to be the tracee's tracer (the very
 * thread that attached) and, except KILL and INTERRUPT, the tracee stopped in a ptrace stop (not
 * LISTEN-ing). Resume requests (CONT, SYSCALL, SYSEMU, SINGLESTEP, DETACH) take the signal to deliver
 * in `data`; the requests that read or write the tracee's state are in DATA_REQUESTS (-EIO for a
 * request nobody knows).
 */
import * as S from '../../abi/signal.js';
import { SYSCALL_WORK_EMU, SYSCALL_WORK_TRACE } from '../../entry/syscall-work.js';
import type { Kernel } from '../../kernel.js';
import type { SyscallContext, SyscallSpec } from '../../syscalls/syscall-types.js';
import { copyIn, copyOut, writeU32, writeU64 } from '../../syscalls/uaccess.js';
import { killInfo, SI_USER, siCode } from '../../task/siginfo.js';
import { sendSignal, signalWakeUp } from '../../task/signal-send.js';
import { KERNEL_ONLY_LO } from '../../task/signal-set.js';
import type { Task } from '../../task/task.js';
import {
  PTRACE_ATTACH,
  PTRACE_CONT,
  PTRACE_DETACH,
  PTRACE_EVENT_STOP,
  PTRACE_GETEVENTMSG,
  PTRACE_GETSIGMASK,
  PTRACE_INTERRUPT,
  PTRACE_KILL,
  PTRACE_LISTEN,
  PTRACE_SEIZE,
  PTRACE_SETOPTIONS,
  PTRACE_SETSIGMASK,
  PTRACE_SINGLESTEP,
  PTRACE_SYSCALL,
  PTRACE_SYSEMU,
  PTRACE_SYSEMU_SINGLESTEP,
  PTRACE_TRACEME,
} from './ptrace-abi.js';
import type { PtraceCall } from './ptrace-call.js';
import { DATA_REQUESTS } from './ptrace-data.js';
import { checkOptions, ptraceAttach, ptraceDetach, ptraceTraceme } from './ptrace-link.js';
import { sigkillPending, wakeListener, wakeTracee } from './ptrace-stop.js';
import {
  isTracedStop,
  JOBCTL_LISTENING,
  JOBCTL_TRAP_NOTIFY,
  JOBCTL_TRAP_STOP,
  type PtraceLink,
} from './ptrace-state.js';

const ESRCH = -3;
const EIO = -5;
const EFAULT = -14;
const EINVAL = -22;

/** valid_signal() on the unsigned long `data` of a resume. */
function validResumeSignal(data: number): boolean {
  return data >= 0 && data <= S.NSIG;
}

/** ptrace_check_attach: the caller traces child; unless ignoreState, child is stopped for it. */
function checkAttach(caller: Task, child: Task, ignoreState: boolean): PtraceLink | number {
  const l = child.ptrace;
  if (l === undefined || l.tracer !== caller || l.dead) return ESRCH;
  if (ignoreState) return l;
  if (!isTracedStop(child) || sigkillPending(child)) return ESRCH;
  return l;
}

/** ptrace_resume: CONT, SYSCALL, SYSEMU, SINGLESTEP, SYSEMU_SINGLESTEP. */
function resume(child: Task, l: PtraceLink, request: number, data: number): number {
  if (!validResumeSignal(data)) return EIO;
  if (request === PTRACE_SYSCALL) child.syscallWork |= SYSCALL_WORK_TRACE;
  else child.syscallWork &= ~SYSCALL_WORK_TRACE;
  if (request === PTRACE_SYSEMU || request === PTRACE_SYSEMU_SINGLESTEP) child.syscallWork |= SYSCALL_WORK_EMU;
  else child.syscallWork &= ~SYSCALL_WORK_EMU;
  l.singleStep = request === PTRACE_SINGLESTEP || request === PTRACE_SYSEMU_SINGLESTEP;
  wakeTracee(l, data);
  return 0;
}

/** PTRACE_GETSIGMASK / SETSIGMASK: the tracee's blocked mask, addr = sizeof(sigset_t) = 8. */
function sigmask(ctx: SyscallContext, child: Task, request: number, addr: number, data: number): number {
  if (addr !== 8) return EINVAL;
  const b = child.signals.blocked;
  if (request === PTRACE_GETSIGMASK) {
    const out = new Uint8Array(8);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, b.lo >>> 0, true);
    dv.setUint32(4, b.hi >>> 0, true);
    return copyOut(ctx.mem, data, out) ? 0 : EFAULT;
  }
  const raw = copyIn(ctx.mem, data, 8);
  if (raw === null) return EFAULT;
  const dv = new DataView(raw.buffer, raw.byteOffset, 8);
  b.set(dv.getUint32(0, true) & ~KERNEL_ONLY_LO, dv.getUint32(4, true));
  // clear_tsk_restore_sigmask: the tracer's mask is final.
  child.signals.savedMask = undefined;
  return 0;
}

/** The requests that act on a traced, stopped (or, for KILL/INTERRUPT, any) tracee. */
function request(ctx: SyscallContext, child: Task, req: number, addr: number, data: number): number {
  const { kernel, task } = ctx;
  const checked = checkAttach(task, child, req === PTRACE_KILL || req === PTRACE_INTERRUPT);
  if (typeof checked === 'number') return checked;
  const l = checked;
  switch (req) {
    case PTRACE_CONT:
    case PTRACE_SYSCALL:
    case PTRACE_SYSEMU:
    case PTRACE_SINGLESTEP:
    case PTRACE_SYSEMU_SINGLESTEP:
      return resume(child, l, req, data);
    case PTRACE_KILL:
      // Since Linux 5.19 PTRACE_KILL just sends SIGKILL (SEND_SIG_NOINFO from the tracer).
      sendSignal(kernel, child, S.SIGKILL, killInfo(S.SIGKILL, SI_USER, task.tgid, task.creds.uid), 'thread');
      return 0;
    case PTRACE_DETACH:
      if (!validResumeSignal(data)) return EIO;
      ptraceDetach(kernel, task, child, data);
      return 0;
    case PTRACE_SETOPTIONS: {
      const r = checkOptions(task, data);
      if (r !== 0) return r;
      l.options = data;
      return 0;
    }
    case PTRACE_GETEVENTMSG:
      if (ctx.compat) return writeU32(ctx.mem, data, l.eventMsg >>> 0) ? 0 : EFAULT;
      return writeU64(ctx.mem, data, l.eventMsg) ? 0 : EFAULT;
    case PTRACE_INTERRUPT:
      if (!l.seized) return EIO;
      l.jobctl |= JOBCTL_TRAP_STOP;
      if (l.jobctl & JOBCTL_LISTENING) wakeListener(l);
      else signalWakeUp(child);
      return 0;
    case PTRACE_LISTEN: {
      if (!l.seized) return EIO;
      const si = l.siginfo;
      if (si === undefined || siCode(si) >> 8 !== PTRACE_EVENT_STOP) return EIO;
      l.jobctl |= JOBCTL_LISTENING;
      // A notification that came during this trap: trap again at once.
      if (l.jobctl & JOBCTL_TRAP_NOTIFY) wakeListener(l);
      return 0;
    }
    case PTRACE_GETSIGMASK:
    case PTRACE_SETSIGMASK:
      return sigmask(ctx, child, req, addr, data);
    default: {
      const h = DATA_REQUESTS.get(req);
      if (h === undefined) return EIO;
      const call: PtraceCall = {
        kernel,
        tracer: task,
        tracee: child,
        request: req,
        addr,
        data,
        compat: ctx.compat,
        mem: ctx.mem,
      };
      return h(call);
    }
  }
}

/** sys_ptrace(request, pid, addr, data). */
export function sysPtrace(ctx: SyscallContext, a: readonly number[]): number {
  const [req, pid, addr, data] = a as [number, number, number, number];
  const { kernel, task } = ctx;
  if (req === PTRACE_TRACEME) return ptraceTraceme(task);
  const child = findTask(kernel, pid);
  if (child === undefined) return ESRCH;
  if (req === PTRACE_ATTACH || req === PTRACE_SEIZE)
    return ptraceAttach(kernel, task, child, req === PTRACE_SEIZE, addr, data);
  return request(ctx, child, req, addr, data);
}

/** find_get_task_by_vpid: any task by tid, a zombie leader included. */
function findTask(kernel: Kernel, pid: number): Task | undefined {
  if (pid <= 0) return undefined;
  return kernel.tasks.get(pid);
}

export const PTRACE_REQUEST_SYSCALLS: readonly SyscallSpec[] = [
  { name: 'ptrace', args: ['long', 'pid', 'ptr', 'ptr'], handler: sysPtrace, compatAware: true },
];
