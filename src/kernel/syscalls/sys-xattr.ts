/** Extended attributes: the *xattr family (being written). */
import type { SyscallSpec } from './syscall-types.js';

export const XATTR_SYSCALLS: readonly SyscallSpec[] = [];
