/** pidfd_open, pidfd_getfd, pidfd_send_signal (being written). */
import type { SyscallSpec } from './syscall-types.js';

export const PIDFD_SYSCALLS: readonly SyscallSpec[] = [];
