/** splice, tee, vmsplice (being written). */
import type { SyscallSpec } from './syscall-types.js';

export const SPLICE_SYSCALLS: readonly SyscallSpec[] = [];
