/**
 * PTRACE_GETSIGINFO, PTRACE_SETSIGINFO and PTRACE_PEEKSIGINFO (kernel/ptrace.c).
 *
 * - GET/SET work on the siginfo of the current stop (task->last_siginfo: signal-delivery, syscall and
 *   event stops have one, a group-stop has none): -EINVAL without one. SETSIGINFO reads the user's
 *   buffer first (-EFAULT, or -E2BIG for non-zero bytes past kernel_siginfo in a layout the kernel
 *   does not know, before -EINVAL), and changes the siginfo the tracee's delivery will use.
 * - PEEKSIGINFO copies queued siginfos without dequeuing them: struct ptrace_peeksiginfo_args at addr
 *   (u64 off, u32 flags, s32 nr), the thread's queue or, with PTRACE_PEEKSIGINFO_SHARED, the process's.
 *   It returns how many were copied (0 past the end of the queue), -EFAULT when the first cannot be
 *   stored, -EINVAL for unknown flags or a negative nr.
 * Through the compat ptrace each siginfo is a compat_siginfo (copy_siginfo_to_user32 and
 * copy_siginfo_from_user32), both 128 bytes.
 */
import { ERRNO } from '../../abi/errno.js';
import { copyIn, copyOut } from '../../syscalls/uaccess.js';
import {
  KERNEL_SIGINFO_SIZE,
  knownSiginfoLayout,
  SIGINFO_SIZE,
  type SigInfo,
  siCode,
  siSigno,
} from '../../task/siginfo.js';
import { siginfoFromCompat, siginfoToCompat } from '../../task/siginfo-compat.js';
import { PTRACE_GETSIGINFO, PTRACE_PEEKSIGINFO, PTRACE_SETSIGINFO } from './ptrace-abi.js';
import type { PtraceCall, PtraceRequestHandler } from './ptrace-call.js';

const EINVAL = -ERRNO.EINVAL;
const EFAULT = -ERRNO.EFAULT;
const E2BIG = -ERRNO.E2BIG;

export const PTRACE_PEEKSIGINFO_SHARED = 1;

/** The user's image of a siginfo: native bytes, or the compat layout for a compat call. */
function toUser(call: PtraceCall, info: SigInfo): Uint8Array {
  if (call.compat) return siginfoToCompat(info);
  // Only kernel_siginfo's 48 bytes are kept; copy_siginfo_to_user zero-fills the rest.
  const out = new Uint8Array(SIGINFO_SIZE);
  out.set(info.subarray(0, KERNEL_SIGINFO_SIZE));
  return out;
}

function getSiginfo(call: PtraceCall): number {
  const info = call.tracee.ptrace?.siginfo;
  if (info === undefined) return EINVAL;
  return copyOut(call.mem, call.data, toUser(call, info)) ? 0 : EFAULT;
}

/**
 * copy_siginfo_from_user: kernel_siginfo's 48 bytes; for a layout the kernel does not know, the rest
 * of the 128 must be zero (-E2BIG). The compat form is read whole and converted.
 */
function siginfoFromUser(call: PtraceCall): SigInfo | number {
  if (call.compat) {
    const raw = copyIn(call.mem, call.data, SIGINFO_SIZE);
    if (raw === null) return EFAULT;
    return siginfoFromCompat(new DataView(raw.buffer).getInt32(0, true), raw);
  }
  const raw = copyIn(call.mem, call.data, KERNEL_SIGINFO_SIZE);
  if (raw === null) return EFAULT;
  const info = new Uint8Array(SIGINFO_SIZE);
  info.set(raw);
  if (!knownSiginfoLayout(siSigno(info), siCode(info))) {
    const rest = copyIn(call.mem, call.data + KERNEL_SIGINFO_SIZE, SIGINFO_SIZE - KERNEL_SIGINFO_SIZE);
    if (rest === null) return EFAULT;
    if (rest.some((b) => b !== 0)) return E2BIG;
  }
  return info;
}

function setSiginfo(call: PtraceCall): number {
  const info = siginfoFromUser(call);
  if (typeof info === 'number') return info;
  const link = call.tracee.ptrace;
  if (link?.siginfo === undefined) return EINVAL;
  // In place: whoever holds the stop's siginfo (the delivery in progress) sees the change.
  link.siginfo.set(info.subarray(0, link.siginfo.length));
  return 0;
}

function peekSiginfo(call: PtraceCall): number {
  const raw = copyIn(call.mem, call.addr, 16);
  if (raw === null) return EFAULT;
  const dv = new DataView(raw.buffer);
  const off = dv.getUint32(4, true) * 4294967296 + dv.getUint32(0, true);
  const flags = dv.getUint32(8, true);
  const nr = dv.getInt32(12, true);
  if ((flags & ~PTRACE_PEEKSIGINFO_SHARED) !== 0) return EINVAL;
  if (nr < 0) return EINVAL;
  const tracee = call.tracee;
  const pending = flags & PTRACE_PEEKSIGINFO_SHARED ? tracee.signals.group.shared : tracee.signals.pending;
  let copied = 0;
  let result = 0;
  while (copied < nr) {
    const q = pending.queue[off + copied];
    if (q === undefined) break;
    if (!copyOut(call.mem, call.data + copied * SIGINFO_SIZE, toUser(call, q.info))) {
      result = EFAULT;
      break;
    }
    copied++;
  }
  return copied > 0 ? copied : result;
}

export const SIGINFO_REQUESTS: readonly [number, PtraceRequestHandler][] = [
  [PTRACE_GETSIGINFO, getSiginfo],
  [PTRACE_SETSIGINFO, setSiginfo],
  [PTRACE_PEEKSIGINFO, peekSiginfo],
];
