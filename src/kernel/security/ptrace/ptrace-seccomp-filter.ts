/**
 * PTRACE_SECCOMP_GET_FILTER and PTRACE_SECCOMP_GET_METADATA (kernel/seccomp.c seccomp_get_filter,
 * seccomp_get_metadata): how checkpoint/restore tools read a tracee's filters back.
 *
 * - The tracer needs CAP_SYS_ADMIN (root here) and must not be under seccomp itself: -EACCES.
 * - The tracee must be in filter mode (-EINVAL); filters are numbered from the oldest (0) and an
 *   index past the newest is -ENOENT.
 * - GET_FILTER (addr = index, data = buffer) returns the instruction count and, when data is not
 *   NULL, copies the program as it was attached (8-byte sock_filter records).
 * - GET_METADATA (addr = size, data = struct seccomp_metadata { u64 filter_off; u64 flags; }) reads
 *   filter_off, answers flags (SECCOMP_FILTER_FLAG_LOG) and returns the size used (at most 16; under
 *   8 is -EINVAL).
 */
import { copyIn, copyOut } from '../../syscalls/uaccess.js';
import { SECCOMP_MODE_DISABLED, SECCOMP_MODE_FILTER, type SeccompFilter } from '../seccomp/seccomp-state.js';
import { PTRACE_SECCOMP_GET_FILTER, PTRACE_SECCOMP_GET_METADATA } from './ptrace-abi.js';
import type { PtraceCall, PtraceRequestHandler } from './ptrace-call.js';

const ENOENT = -2;
const EFAULT = -14;
const EACCES = -13;
const EINVAL = -22;
const SOCK_FILTER_SIZE = 8;
const SECCOMP_FILTER_FLAG_LOG = 2;

/** get_nth_filter: the filter at index `off` counted from the oldest, or a negative errno. */
function nthFilter(call: PtraceCall, off: number): SeccompFilter | number {
  const s = call.tracee.seccomp;
  if (s.mode !== SECCOMP_MODE_FILTER) return EINVAL;
  const chain: SeccompFilter[] = [];
  for (let f = s.filter; f !== undefined; f = f.prev) chain.push(f);
  if (off >= chain.length) return ENOENT;
  return chain[chain.length - 1 - off]!;
}

function mayReadFilters(call: PtraceCall): boolean {
  return call.tracer.creds.euid === 0 && call.tracer.seccomp.mode === SECCOMP_MODE_DISABLED;
}

function getFilter(call: PtraceCall): number {
  if (!mayReadFilters(call)) return EACCES;
  const f = nthFilter(call, call.addr);
  if (typeof f === 'number') return f;
  if (call.data === 0) return f.len;
  return copyOut(call.mem, call.data, f.insns, 0, f.len * SOCK_FILTER_SIZE) ? f.len : EFAULT;
}

function getMetadata(call: PtraceCall): number {
  if (!mayReadFilters(call)) return EACCES;
  const size = Math.min(call.addr, 16);
  if (size < 8) return EINVAL;
  const raw = copyIn(call.mem, call.data, 8);
  if (raw === null) return EFAULT;
  const dv = new DataView(raw.buffer);
  const off = dv.getUint32(4, true) * 4294967296 + dv.getUint32(0, true);
  const f = nthFilter(call, off);
  if (typeof f === 'number') return f;
  const md = new Uint8Array(16);
  md.set(raw);
  new DataView(md.buffer).setUint32(8, f.log ? SECCOMP_FILTER_FLAG_LOG : 0, true);
  return copyOut(call.mem, call.data, md, 0, size) ? size : EFAULT;
}

export const SECCOMP_FILTER_REQUESTS: readonly [number, PtraceRequestHandler][] = [
  [PTRACE_SECCOMP_GET_FILTER, getFilter],
  [PTRACE_SECCOMP_GET_METADATA, getMetadata],
];
