/**
 * Synchronous exceptions from user code turned into signals the way arm64 Linux does it
 * (arch/arm64/mm/fault.c, kernel/traps.c, kernel/debug-monitors.c): which signal and si_code, si_addr,
 * and what the thread records for the signal frame (thread.fault_address, thread.fault_code = the
 * ESR, which puts an esr_context in the frame):
 * - data/instruction aborts: SIGSEGV SEGV_MAPERR/SEGV_ACCERR or SIGBUS BUS_ADRERR at the address;
 *   fault_address and the ESR are recorded (set_thread_esr);
 * - alignment faults of exclusive/atomic accesses: SIGBUS BUS_ADRALN, recorded the same way;
 * - PC alignment: SIGBUS BUS_ADRALN at the misaligned pc (the branch has completed); ESR recorded,
 *   fault_address 0 (arm64_notify_die);
 * - undefined instructions (and HLT): SIGILL ILL_ILLOPC at pc; fault_address and fault_code 0;
 * - BRK: SIGTRAP TRAP_BRKPT at pc; the previous fault information stays (Linux leaves it).
 * ESR values: EC, IL and, for aborts, WnR and a level-3 fault status code — translation fault for
 * SEGV_MAPERR, SIGBUS and PROT_NONE pages, permission fault otherwise, the convention qemu uses too.
 * ISV and the instruction syndrome are left 0 (hardware fills them for some loads and stores only).
 */
import { Exit } from '../../cpu/a64/exits.js';
import { Access, FaultResult } from '../../memory/guest-fault.js';
import * as S from '../abi/signal.js';
import type { Kernel } from '../kernel.js';
import { PAGE } from '../mm/vma.js';
import { faultInfo } from './siginfo.js';
import { forceSignalInfo } from './signal-send.js';
import type { Task } from './task.js';

/** ESR_ELx exception classes. */
const EC_IABT_LOW = 0x20;
const EC_PC_ALIGN = 0x22;
const EC_DABT_LOW = 0x24;
const ESR_IL = 1 << 25;
const ESR_WNR = 1 << 6;
/** Data/instruction fault status codes at level 3. */
const FSC_TRANSLATION_L3 = 0x07;
const FSC_PERMISSION_L3 = 0x0f;
const FSC_ALIGNMENT = 0x21;

function esr(ec: number, iss: number): number {
  return ((ec << 26) | ESR_IL | iss) >>> 0;
}

/** force_sig_fault after recording the fault for the frame. */
function raise(
  kernel: Kernel,
  task: Task,
  sig: number,
  code: number,
  addr: number,
  faultAddress: number,
  esrValue: number,
): void {
  task.signals.faultAddress = faultAddress;
  task.signals.faultCode = esrValue;
  forceSignalInfo(kernel, task, faultInfo(sig, code, addr));
}

/** A memory abort: the address space holds the faulting address, the access and how resolution failed. */
function memoryAbort(kernel: Kernel, task: Task): void {
  const as = task.mm.as;
  const addr = as.faultAddr;
  const exec = as.faultAccess === Access.Exec;
  let fsc = FSC_TRANSLATION_L3;
  if (as.faultResult === FaultResult.AccErr) {
    const v = task.mm.find(Math.floor(addr / PAGE));
    if (v !== undefined && v.prot !== 0) fsc = FSC_PERMISSION_L3;
  }
  const wnr = !exec && as.faultAccess === Access.Write ? ESR_WNR : 0;
  const e = esr(exec ? EC_IABT_LOW : EC_DABT_LOW, wnr | fsc);
  if (as.faultResult === FaultResult.BusErr) raise(kernel, task, S.SIGBUS, S.BUS_ADRERR, addr, addr, e);
  else {
    const code = as.faultResult === FaultResult.AccErr ? S.SEGV_ACCERR : S.SEGV_MAPERR;
    raise(kernel, task, S.SIGSEGV, code, addr, addr, e);
  }
}

/** Turns a CPU exit that is an exception into the signal Linux raises; other exits are left alone. */
export function raiseCpuException(kernel: Kernel, task: Task, e: Exit): void {
  const cpu = task.cpu;
  switch (e) {
    case Exit.Fault:
      memoryAbort(kernel, task);
      return;
    case Exit.Undefined:
    case Exit.Halt:
      // force_signal_inject passes err 0: no esr_context for SIGILL.
      raise(kernel, task, S.SIGILL, S.ILL_ILLOPC, cpu.pc, 0, 0);
      return;
    case Exit.Breakpoint:
      forceSignalInfo(kernel, task, faultInfo(S.SIGTRAP, S.TRAP_BRKPT, cpu.pc));
      return;
    case Exit.PcAlign:
      // The branch completed: the exception is taken at its misaligned target.
      cpu.pc = cpu.exitInfo;
      raisePcAlignment(kernel, task);
      return;
    case Exit.DataAlign:
      raise(kernel, task, S.SIGBUS, S.BUS_ADRALN, cpu.exitInfo, cpu.exitInfo, esr(EC_DABT_LOW, FSC_ALIGNMENT));
      return;
    default:
      return;
  }
}

/** A PC alignment fault at the current pc (a branch's target, or a pc sigreturn or a handler address left misaligned). */
export function raisePcAlignment(kernel: Kernel, task: Task): void {
  raise(kernel, task, S.SIGBUS, S.BUS_ADRALN, task.cpu.pc, 0, esr(EC_PC_ALIGN, 0));
}
