/**
 * Errno values: the user-visible ones generated from the uapi headers (errno.generated.ts), plus the
 * kernel-internal codes of include/linux/errno.h that compat64's kernel uses the way Linux does.
 */
import { ERRNO } from './errno.generated.js';

export { ERRNO, type ErrnoName } from './errno.generated.js';

/**
 * Codes a handler may return that never reach the guest: on syscall exit the restart codes become a restart of
 * the call or EINTR (depending on the signal and SA_RESTART), and ENOIOCTLCMD becomes ENOTTY. Their values
 * (include/linux/errno.h) show up in ptrace and seccomp views of the return value, so they are Linux's.
 */
export const KERNEL_ERRNO = {
  ERESTARTSYS: 512,
  ERESTARTNOINTR: 513,
  ERESTARTNOHAND: 514,
  ENOIOCTLCMD: 515,
  ERESTART_RESTARTBLOCK: 516,
} as const;
export type KernelErrnoName = keyof typeof KERNEL_ERRNO;

/**
 * Second names of a shared number. strace prints EAGAIN for 11 and EDEADLK for 35, so the reverse lookup skips
 * these. (The uapi headers have EOPNOTSUPP only; ENOTSUP is a libc name for the same 95.)
 */
const ALIASES: ReadonlySet<string> = new Set(['EWOULDBLOCK', 'EDEADLOCK']);

const NAMES: ReadonlyMap<number, string> = (() => {
  const names = new Map<number, string>();
  for (const table of [ERRNO, KERNEL_ERRNO]) {
    for (const [name, value] of Object.entries(table)) if (!ALIASES.has(name)) names.set(value, name);
  }
  return names;
})();

/** The Linux name of a positive errno value (not the negated syscall return), as strace prints it. */
export function errnoName(n: number): string | undefined {
  return NAMES.get(n);
}
