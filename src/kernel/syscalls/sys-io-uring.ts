/** io_uring: io_uring_setup, io_uring_enter, io_uring_register (being written). */
import type { SyscallSpec } from './syscall-types.js';

export const IO_URING_SYSCALLS: readonly SyscallSpec[] = [];
