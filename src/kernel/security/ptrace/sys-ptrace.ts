/** The ptrace syscall (and process_vm_readv/writev across processes). */
import type { SyscallSpec } from '../../syscalls/syscall-types.js';

export const PTRACE_SYSCALLS: readonly SyscallSpec[] = [];
