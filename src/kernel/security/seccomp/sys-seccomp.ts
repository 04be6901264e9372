/**
 * The seccomp syscall (kernel/seccomp.c: do_seccomp) and prctl's PR_SET_SECCOMP / PR_GET_SECCOMP,
 * which forward here. Operations: SET_MODE_STRICT, SET_MODE_FILTER (seccomp-filter.ts),
 * GET_ACTION_AVAIL, GET_NOTIF_SIZES. Compat-aware: a filter installed through compat seccomp (383)
 * or compat prctl (172) is read as compat_sock_fprog.
 */
import type { SyscallContext, SyscallSpec } from '../../syscalls/syscall-types.js';
import { copyOut, readU32 } from '../../syscalls/uaccess.js';
import { setModeFilter, setModeStrict } from './seccomp-filter.js';
import { SECCOMP_NOTIF_RESP_SIZE, SECCOMP_NOTIF_SIZE } from './seccomp-notify.js';
import {
  SECCOMP_MODE_FILTER,
  SECCOMP_MODE_STRICT,
  SECCOMP_RET_ALLOW,
  SECCOMP_RET_ERRNO,
  SECCOMP_RET_KILL_PROCESS,
  SECCOMP_RET_KILL_THREAD,
  SECCOMP_RET_LOG,
  SECCOMP_RET_TRACE,
  SECCOMP_RET_TRAP,
  SECCOMP_RET_USER_NOTIF,
} from './seccomp-state.js';

const EFAULT = -14;
const EINVAL = -22;
const EOPNOTSUPP = -95;

export const SECCOMP_SET_MODE_STRICT = 0;
export const SECCOMP_SET_MODE_FILTER = 1;
export const SECCOMP_GET_ACTION_AVAIL = 2;
export const SECCOMP_GET_NOTIF_SIZES = 3;

/** sizeof(struct seccomp_data). */
const SECCOMP_DATA_SIZE = 64;

const AVAILABLE_ACTIONS: ReadonlySet<number> = new Set([
  SECCOMP_RET_KILL_PROCESS,
  SECCOMP_RET_KILL_THREAD,
  SECCOMP_RET_TRAP,
  SECCOMP_RET_ERRNO,
  SECCOMP_RET_USER_NOTIF,
  SECCOMP_RET_TRACE,
  SECCOMP_RET_LOG,
  SECCOMP_RET_ALLOW,
]);

/** do_seccomp. */
export function doSeccomp(ctx: SyscallContext, op: number, flags: number, uargs: number): number {
  switch (op) {
    case SECCOMP_SET_MODE_STRICT:
      if (flags !== 0 || uargs !== 0) return EINVAL;
      return setModeStrict(ctx.task);
    case SECCOMP_SET_MODE_FILTER:
      return setModeFilter(ctx, flags, uargs);
    case SECCOMP_GET_ACTION_AVAIL: {
      if (flags !== 0) return EINVAL;
      const action = readU32(ctx.mem, uargs);
      if (action === null) return EFAULT;
      return AVAILABLE_ACTIONS.has(action >>> 0) ? 0 : EOPNOTSUPP;
    }
    case SECCOMP_GET_NOTIF_SIZES: {
      if (flags !== 0) return EINVAL;
      const sizes = new Uint8Array(6);
      const dv = new DataView(sizes.buffer);
      dv.setUint16(0, SECCOMP_NOTIF_SIZE, true);
      dv.setUint16(2, SECCOMP_NOTIF_RESP_SIZE, true);
      dv.setUint16(4, SECCOMP_DATA_SIZE, true);
      return copyOut(ctx.mem, uargs, sizes) ? 0 : EFAULT;
    }
    default:
      return EINVAL;
  }
}

/** prctl(PR_SET_SECCOMP, mode, filter): strict ignores the filter argument; prctl has no flags. */
export function prctlSetSeccomp(ctx: SyscallContext, mode: number, filter: number): number {
  if (mode === SECCOMP_MODE_STRICT) return doSeccomp(ctx, SECCOMP_SET_MODE_STRICT, 0, 0);
  if (mode === SECCOMP_MODE_FILTER) return doSeccomp(ctx, SECCOMP_SET_MODE_FILTER, 0, filter);
  return EINVAL;
}

/** prctl(PR_GET_SECCOMP): the mode (a strict-mode task never gets here: prctl kills it). */
export function prctlGetSeccomp(ctx: SyscallContext): number {
  return ctx.task.seccomp.mode;
}

function sysSeccomp(ctx: SyscallContext, a: readonly number[]): number {
  return doSeccomp(ctx, a[0]! >>> 0, a[1]! >>> 0, a[2]!);
}

export const SECCOMP_SYSCALLS: readonly SyscallSpec[] = [
  {
    name: 'seccomp',
    args: ['uint', 'uint', 'ptr'],
    handler: sysSeccomp,
    compatAware: true,
  },
];
