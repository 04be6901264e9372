import type { SyscallSpec } from './syscall-types.js';

export const TIME_SYSCALLS: readonly SyscallSpec[] = [];
