/** The ptrace syscall (and process_vm_readv/writev across processes). */
import type { SyscallSpec } from '../../syscalls/syscall-types.js';
import { PROCESS_VM_SYSCALLS } from './process-vm.js';

export const PTRACE_SYSCALLS: readonly SyscallSpec[] = [...PROCESS_VM_SYSCALLS];
