/**
 * The ptrace requests that read or write a stopped tracee's state (memory, registers, siginfo,
 * syscall info), by request number. The dispatcher (ptrace-request.ts) calls them only for a tracee
 * that is attached to the caller and stopped.
 */
import type { PtraceRequestHandler } from './ptrace-call.js';
import { PEEK_POKE_REQUESTS } from './ptrace-peek-poke.js';
import { REGSET_REQUESTS } from './ptrace-regsets.js';
import { SECCOMP_FILTER_REQUESTS } from './ptrace-seccomp-filter.js';
import { SIGINFO_REQUESTS } from './ptrace-siginfo.js';
import { SYSCALL_INFO_REQUESTS } from './ptrace-syscall-info.js';

export const DATA_REQUESTS: ReadonlyMap<number, PtraceRequestHandler> = new Map([
  ...PEEK_POKE_REQUESTS,
  ...REGSET_REQUESTS,
  ...SIGINFO_REQUESTS,
  ...SYSCALL_INFO_REQUESTS,
  ...SECCOMP_FILTER_REQUESTS,
]);
