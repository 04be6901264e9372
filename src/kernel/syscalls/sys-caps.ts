/** capget, capset (being written). */
import type { SyscallSpec } from './syscall-types.js';

export const CAPS_SYSCALLS: readonly SyscallSpec[] = [];
