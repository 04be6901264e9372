/** The seccomp syscall (prctl's PR_SET_SECCOMP/PR_GET_SECCOMP forward here). */
import type { SyscallSpec } from '../../syscalls/syscall-types.js';

export const SECCOMP_SYSCALLS: readonly SyscallSpec[] = [];
