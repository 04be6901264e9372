import type { SyscallSpec } from './syscall-types.js';

export const MM_SYSCALLS: readonly SyscallSpec[] = [];
