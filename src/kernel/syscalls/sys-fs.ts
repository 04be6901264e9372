import type { SyscallSpec } from './syscall-types.js';

export const FS_SYSCALLS: readonly SyscallSpec[] = [];
