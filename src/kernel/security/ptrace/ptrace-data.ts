/**
 * The ptrace requests that read or write a stopped tracee's state (memory, registers, siginfo,
 * syscall info), by request number. The dispatcher (ptrace-request.ts) calls them only for a tracee
 * that is attached to the caller and stopped.
 */
import type { PtraceRequestHandler } from './ptrace-call.js';

export const DATA_REQUESTS: ReadonlyMap<number, PtraceRequestHandler> = new Map();
