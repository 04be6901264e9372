/** The ptrace syscall (and process_vm_readv/writev across processes). */
import type { SyscallSpec } from '../../syscalls/syscall-types.js';
import { PROCESS_VM_SYSCALLS } from './process-vm.js';
import { PTRACE_REQUEST_SYSCALLS } from './ptrace-request.js';

export const PTRACE_SYSCALLS: readonly SyscallSpec[] = [...PTRACE_REQUEST_SYSCALLS, ...PROCESS_VM_SYSCALLS];
