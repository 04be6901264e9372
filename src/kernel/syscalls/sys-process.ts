import type { SyscallSpec } from './syscall-types.js';

export const PROCESS_SYSCALLS: readonly SyscallSpec[] = [];
