import type { SyscallSpec } from './syscall-types.js';

export const INFO_SYSCALLS: readonly SyscallSpec[] = [];
