/** The file-system syscalls, gathered from their modules. */
import { FS_ATTR_SYSCALLS } from './sys-fs-attr.js';
import { FS_FCNTL_SYSCALLS } from './sys-fs-fcntl.js';
import { FS_IO_SYSCALLS } from './sys-fs-io.js';
import { FS_NAME_SYSCALLS } from './sys-fs-names.js';
import { FS_OPEN_SYSCALLS } from './sys-fs-open.js';
import { FS_STAT_SYSCALLS } from './sys-fs-stat.js';
import type { SyscallSpec } from './syscall-types.js';

export const FS_SYSCALLS: readonly SyscallSpec[] = [
  ...FS_OPEN_SYSCALLS,
  ...FS_IO_SYSCALLS,
  ...FS_STAT_SYSCALLS,
  ...FS_NAME_SYSCALLS,
  ...FS_ATTR_SYSCALLS,
  ...FS_FCNTL_SYSCALLS,
];
