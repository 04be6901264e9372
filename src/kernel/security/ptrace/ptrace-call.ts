/**
 * One ptrace request as the request modules see it, after the dispatcher (ptrace-request.ts) found
 * the tracee and checked that the caller traces it and that it is stopped (ptrace_check_attach).
 */
import type { AddressSpace } from '../../../memory/address-space.js';
import type { Kernel } from '../../kernel.js';
import type { Task } from '../../task/task.js';

export interface PtraceCall {
  kernel: Kernel;
  /** The calling task (the tracer). */
  tracer: Task;
  tracee: Task;
  request: number;
  addr: number;
  data: number;
  /** The request came through the compat ptrace (26): compat iovec, siginfo and register views. */
  compat: boolean;
  /** The tracer's memory, where addr/data point. */
  mem: AddressSpace;
}

/** A request handler: the syscall's result (0, a value, or a negative errno). */
export type PtraceRequestHandler = (call: PtraceCall) => number;
