/** process_madvise, process_mrelease (being written). */
import type { SyscallSpec } from './syscall-types.js';

export const PROCESS_MADVISE_SYSCALLS: readonly SyscallSpec[] = [];
