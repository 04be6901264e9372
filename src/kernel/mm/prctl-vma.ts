/**
 * prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, addr, len, name) — kernel/sys.c's prctl_set_vma (Linux 6.12):
 * names anonymous memory, shown as [anon:name] in /proc/<pid>/maps (a NULL name clears it).
 * The name is copied with strndup_user(name, 80): a fault is -EFAULT, 80 bytes or more without a
 * NUL -EINVAL; then setAnonName (madvise.ts) checks the characters and walks the VMAs.
 */
import { ERRNO } from '../abi/errno.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import { copyIn, readCString } from '../syscalls/uaccess.js';
import { setAnonName } from './madvise.js';

export const PR_SET_VMA = 0x53564d41;
export const PR_SET_VMA_ANON_NAME = 0;
/** ANON_VMA_NAME_MAX_LEN: the name with its NUL. */
const ANON_VMA_NAME_MAX_LEN = 80;

const EINVAL = -ERRNO.EINVAL;
const EFAULT = -ERRNO.EFAULT;

/** The PR_SET_VMA case of prctl: a holds prctl's five arguments (a[0] is PR_SET_VMA). */
export function prctlSetVma(ctx: SyscallContext, a: readonly number[]): number {
  const [, opt, addr, len, uname] = a as [number, number, number, number, number];
  if (opt !== PR_SET_VMA_ANON_NAME) return EINVAL;
  let name: string | undefined;
  if (uname !== 0) {
    const raw = readCString(ctx.mem, uname, ANON_VMA_NAME_MAX_LEN);
    if (raw === null) return copyIn(ctx.mem, uname, ANON_VMA_NAME_MAX_LEN) === null ? EFAULT : EINVAL;
    name = String.fromCharCode(...raw);
  }
  return setAnonName(ctx.mm, addr, len, name);
}
