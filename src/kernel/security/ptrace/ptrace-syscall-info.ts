/**
 * PTRACE_GET_SYSCALL_INFO (kernel/ptrace.c ptrace_get_syscall_info): what the tracee is doing at its
 * current stop, as struct ptrace_syscall_info:
 *
 *   0 u8 op, 4 u32 arch, 8 u64 instruction_pointer, 16 u64 stack_pointer, then at 24 one of
 *   entry   { u64 nr; u64 args[6]; }                  → 80 bytes
 *   exit    { s64 rval; u8 is_error; }                → 33 bytes
 *   seccomp { u64 nr; u64 args[6]; u32 ret_data; }    → 84 bytes
 *   (op NONE: the 24-byte head only)
 *
 * Which one follows Linux's test of the stop's siginfo: si_code SIGTRAP|0x80 (a syscall stop with
 * PTRACE_O_TRACESYSGOOD — without it the stop's si_code is plain SIGTRAP and the op is NONE) with
 * ptrace_message ENTRY or EXIT, or SIGTRAP|PTRACE_EVENT_SECCOMP<<8. addr is the user's buffer size:
 * min(size, actual) bytes are copied, and the result is the actual size.
 *
 * arch is AUDIT_ARCH_ARM inside a compat-from-64 call, AUDIT_ARCH_AARCH64 otherwise (compat-abi.md
 * §5). nr is pt_regs' syscallno (the compat number for a compat call); args are orig_x0 and x1–x5,
 * zero-extended from 32 bits for a compat call; the exit value is sign-extended from 32 bits for a
 * compat call, and is_error is set for -4095..-1 (IS_ERR_VALUE).
 */

import { ERRNO } from '../../abi/errno.js';
import * as S from '../../abi/signal.js';
import { copyOut } from '../../syscalls/uaccess.js';
import { siCode } from '../../task/siginfo.js';
import type { Task } from '../../task/task.js';
import {
  PTRACE_EVENT_SECCOMP,
  PTRACE_EVENTMSG_SYSCALL_ENTRY,
  PTRACE_EVENTMSG_SYSCALL_EXIT,
  PTRACE_GET_SYSCALL_INFO,
} from './ptrace-abi.js';
import type { PtraceCall, PtraceRequestHandler } from './ptrace-call.js';

const EFAULT = -ERRNO.EFAULT;

export const AUDIT_ARCH_AARCH64 = 0xc00000b7;
export const AUDIT_ARCH_ARM = 0x40000028;

export const PTRACE_SYSCALL_INFO_NONE = 0;
export const PTRACE_SYSCALL_INFO_ENTRY = 1;
export const PTRACE_SYSCALL_INFO_EXIT = 2;
export const PTRACE_SYSCALL_INFO_SECCOMP = 3;

const SIZE_NONE = 24;
const SIZE_ENTRY = 80;
const SIZE_EXIT = 33;
const SIZE_SECCOMP = 84;

function put64(dv: DataView, off: number, lo: number, hi: number): void {
  dv.setInt32(off, lo, true);
  dv.setInt32(off + 4, hi, true);
}

/** nr and args as syscall_get_nr / syscall_get_arguments give them. */
function putEntry(dv: DataView, task: Task, compat: boolean): void {
  const x = task.cpu.x;
  put64(dv, 24, task.syscallNo, task.syscallNo < 0 ? -1 : 0);
  put64(dv, 32, task.origX0Lo, compat ? 0 : task.origX0Hi);
  for (let i = 1; i < 6; i++) put64(dv, 32 + 8 * i, x[2 * i]!, compat ? 0 : x[2 * i + 1]!);
}

/** syscall_get_error / syscall_get_return_value: rval and is_error. */
function putExit(dv: DataView, task: Task, compat: boolean): void {
  const x = task.cpu.x;
  const lo = x[0]!;
  const hi = compat ? (lo < 0 ? -1 : 0) : x[1]!;
  put64(dv, 24, lo, hi);
  // IS_ERR_VALUE: the 64-bit value is in [-4095, -1].
  const isError = hi === -1 && lo < 0 && lo >= -4095;
  dv.setUint8(32, isError ? 1 : 0);
}

function syscallInfo(call: PtraceCall): number {
  const task = call.tracee;
  const link = task.ptrace;
  const compat = task.inCompatSyscall;
  const out = new Uint8Array(SIZE_SECCOMP);
  const dv = new DataView(out.buffer);
  const cpu = task.cpu;
  dv.setUint32(4, compat ? AUDIT_ARCH_ARM : AUDIT_ARCH_AARCH64, true);
  put64(dv, 8, cpu.pc | 0, Math.floor(cpu.pc / 4294967296));
  put64(dv, 16, cpu.x[62]!, cpu.x[63]!);
  let size = SIZE_NONE;
  const code = link?.siginfo === undefined ? 0 : siCode(link.siginfo);
  if (code === (S.SIGTRAP | 0x80) && link !== undefined) {
    if (link.eventMsg === PTRACE_EVENTMSG_SYSCALL_ENTRY) {
      out[0] = PTRACE_SYSCALL_INFO_ENTRY;
      putEntry(dv, task, compat);
      size = SIZE_ENTRY;
    } else if (link.eventMsg === PTRACE_EVENTMSG_SYSCALL_EXIT) {
      out[0] = PTRACE_SYSCALL_INFO_EXIT;
      putExit(dv, task, compat);
      size = SIZE_EXIT;
    }
  } else if (code === (S.SIGTRAP | (PTRACE_EVENT_SECCOMP << 8)) && link !== undefined) {
    out[0] = PTRACE_SYSCALL_INFO_SECCOMP;
    putEntry(dv, task, compat);
    dv.setUint32(80, link.eventMsg >>> 0, true);
    size = SIZE_SECCOMP;
  }
  const userSize = call.addr;
  return copyOut(call.mem, call.data, out, 0, Math.min(size, userSize)) ? size : EFAULT;
}

export const SYSCALL_INFO_REQUESTS: readonly [number, PtraceRequestHandler][] = [
  [PTRACE_GET_SYSCALL_INFO, syscallInfo],
];
