import type { SyscallSpec } from './syscall-types.js';

export const SIGNAL_SYSCALLS: readonly SyscallSpec[] = [];
