/**
 * PTRACE_PEEKTEXT/PEEKDATA and POKETEXT/POKEDATA (kernel/ptrace.c generic_ptrace_peekdata and
 * _pokedata, compat_ptrace_request for the compat call), and the requests arm64 does not have.
 *
 * - PEEK reads one word of the tracee at addr (FOLL_FORCE) and stores it at data in the tracer's
 *   memory: 8 bytes, or 4 (compat_ulong_t) through the compat ptrace. A short read is -EIO; a bad
 *   data pointer -EFAULT. (glibc's wrapper returns the word; the raw syscall returns 0.)
 * - POKE writes data (8 bytes, or its low 4 through the compat call) at addr with FOLL_FORCE: text
 *   pages get a private copy, so breakpoints work (tracee-memory.ts). A short write is -EIO.
 * - Both need the tracee's memory dumpable or the tracer root (ptrace_access_vm), else -EIO.
 * - PEEKUSR/POKEUSR and GETREGS/SETREGS/GETFPREGS/SETFPREGS are not implemented by arm64's
 *   arch_ptrace (ptrace_request's default is -EIO): tracers use GETREGSET. Neither are the MTE tag
 *   requests (compat64's CPU has no MTE: -EIO, as mte_ptrace_copy_tags without the feature).
 * - The AArch32 requests of compat_arch_ptrace (PEEKUSR/POKEUSR on the AArch32 user area, GETREGS,
 *   GET_THREAD_AREA, SET_SYSCALL, GET/SETVFPREGS, GET/SETHBPREGS) exist for AArch32 tracees only:
 *   a 64-bit tracee has no AArch32 register view (compat-abi.md §5), so they are -EIO.
 */
import { ERRNO } from '../../abi/errno.js';
import { copyOut } from '../../syscalls/uaccess.js';
import {
  PTRACE_PEEKDATA,
  PTRACE_PEEKTEXT,
  PTRACE_PEEKUSR,
  PTRACE_POKEDATA,
  PTRACE_POKETEXT,
  PTRACE_POKEUSR,
} from './ptrace-abi.js';
import { getDumpable, SUID_DUMP_USER } from './ptrace-access.js';
import type { PtraceCall, PtraceRequestHandler } from './ptrace-call.js';
import { readTraceeMemory, writeTraceeMemory } from './tracee-memory.js';

const EIO = -ERRNO.EIO;
const EFAULT = -ERRNO.EFAULT;

export const PTRACE_GETREGS = 12;
export const PTRACE_SETREGS = 13;
export const PTRACE_GETFPREGS = 14;
export const PTRACE_SETFPREGS = 15;
/** arch/arm (compat) requests. */
export const COMPAT_PTRACE_GET_THREAD_AREA = 22;
export const COMPAT_PTRACE_SET_SYSCALL = 23;
export const COMPAT_PTRACE_GETVFPREGS = 27;
export const COMPAT_PTRACE_SETVFPREGS = 28;
export const COMPAT_PTRACE_GETHBPREGS = 29;
export const COMPAT_PTRACE_SETHBPREGS = 30;
export const PTRACE_PEEKMTETAGS = 33;
export const PTRACE_POKEMTETAGS = 34;

/** ptrace_access_vm's own check: the tracee's memory must be dumpable, or the tracer privileged. */
function mayAccessVm(call: PtraceCall): boolean {
  return getDumpable(call.tracee.mm) === SUID_DUMP_USER || call.tracer.creds.euid === 0;
}

function wordSize(call: PtraceCall): number {
  return call.compat ? 4 : 8;
}

function peek(call: PtraceCall): number {
  const size = wordSize(call);
  const word = new Uint8Array(size);
  if (!mayAccessVm(call) || readTraceeMemory(call.tracee.mm, call.addr, word) !== size) return EIO;
  return copyOut(call.mem, call.data, word) ? 0 : EFAULT;
}

function poke(call: PtraceCall): number {
  const size = wordSize(call);
  const word = new Uint8Array(8);
  const dv = new DataView(word.buffer);
  // The word comes from the tracer's x3 itself: call.data is a number, inexact above 2^53, and a
  // poked word is arbitrary (two instructions, say). The tracer is inside its ptrace call.
  const x = call.tracer.cpu.x;
  dv.setInt32(0, x[6]!, true);
  dv.setInt32(4, x[7]!, true);
  if (!mayAccessVm(call)) return EIO;
  return writeTraceeMemory(call.tracee.mm, call.addr, word, size) === size ? 0 : EIO;
}

const notOnArm64: PtraceRequestHandler = () => EIO;

export const PEEK_POKE_REQUESTS: readonly [number, PtraceRequestHandler][] = [
  [PTRACE_PEEKTEXT, peek],
  [PTRACE_PEEKDATA, peek],
  [PTRACE_POKETEXT, poke],
  [PTRACE_POKEDATA, poke],
  [PTRACE_PEEKUSR, notOnArm64],
  [PTRACE_POKEUSR, notOnArm64],
  [PTRACE_GETREGS, notOnArm64],
  [PTRACE_SETREGS, notOnArm64],
  [PTRACE_GETFPREGS, notOnArm64],
  [PTRACE_SETFPREGS, notOnArm64],
  [COMPAT_PTRACE_GET_THREAD_AREA, notOnArm64],
  [COMPAT_PTRACE_SET_SYSCALL, notOnArm64],
  [COMPAT_PTRACE_GETVFPREGS, notOnArm64],
  [COMPAT_PTRACE_SETVFPREGS, notOnArm64],
  [COMPAT_PTRACE_GETHBPREGS, notOnArm64],
  [COMPAT_PTRACE_SETHBPREGS, notOnArm64],
  [PTRACE_PEEKMTETAGS, notOnArm64],
  [PTRACE_POKEMTETAGS, notOnArm64],
];
