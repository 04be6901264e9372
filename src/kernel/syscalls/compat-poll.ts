/**
 * The compat table's poll (168) and select (_newselect, 142): calls arm64 never had (it has only
 * ppoll and pselect6), so they have no arm64 row to share.
 *
 * poll is Linux's sys_poll, which the compat table wires directly: a timeout in milliseconds, and an
 * interrupted call is resumed through the restart block (do_restart_poll) with the original
 * deadline, so a handler always sees -EINTR and a stop/continue does not extend the wait.
 * _newselect is compat_sys_select: compat_ulong_t fd_set words and an old_timeval32 timeout whose
 * time left is written back.
 */
import { KERNEL_ERRNO } from '../abi/errno.js';
import { ERESTARTNOHAND } from '../fs/poll-scan.js';
import { setRestartFn } from '../task/restart-block.js';
import { andThen, pollSelectFinish, readTimeval, timevalDeadline } from './poll-args.js';
import { coreSysSelect, doSysPoll } from './sys-poll.js';
import type { SyscallContext } from './syscall-types.js';

const EFAULT = -14;
const EINVAL = -22;
const ERESTART_RESTARTBLOCK = -KERNEL_ERRNO.ERESTART_RESTARTBLOCK;

/** do_sys_poll, re-armed as the restart block while it keeps being interrupted. */
function pollOrRestart(
  ctx: SyscallContext,
  ufds: number,
  nfds: number,
  deadlineNs: number | undefined,
): number | Promise<number> {
  return andThen(doSysPoll(ctx, ufds, nfds, deadlineNs), (ret) => {
    if (ret !== ERESTARTNOHAND) return ret;
    setRestartFn(ctx, (c) => pollOrRestart(c, ufds, nfds, deadlineNs));
    return ERESTART_RESTARTBLOCK;
  });
}

/** poll(fds, nfds, timeout_ms): a negative timeout waits without end. */
export function sysPoll(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  const [ufds, nfds, ms] = a as [number, number, number];
  const deadline = ms < 0 ? undefined : ms === 0 ? 0 : ctx.kernel.host.monotonicNs() + ms * 1e6;
  return pollOrRestart(ctx, ufds, nfds >>> 0, deadline);
}

/** compat_sys_select(n, inp, outp, exp, tvp). */
export function compatSelect(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  const [n, inp, outp, exp, tvp] = a as [number, number, number, number, number];
  let deadline: number | undefined;
  if (tvp !== 0) {
    const tv = readTimeval(ctx, tvp);
    if (tv === null) return EFAULT;
    deadline = timevalDeadline(ctx, tv);
    if (deadline === undefined) return EINVAL;
  }
  return andThen(coreSysSelect(ctx, n, inp, outp, exp, deadline), (ret) =>
    pollSelectFinish(ctx, deadline, tvp, 'timeval', ret),
  );
}
