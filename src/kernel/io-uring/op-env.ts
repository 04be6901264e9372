/**
 * What an opcode's implementation is given and may return. An op returns its result (or a promise
 * of one that settles without waiting for another task: the submitter awaits it before the next
 * SQE, as Linux runs a request inline), or PENDING when it parked itself — on a file's wait queue
 * or a timer — and will call env.finish(req, res) when it is done. A parked op sets req.cancel so
 * ASYNC_CANCEL, POLL_REMOVE, TIMEOUT_REMOVE and link timeouts can end it.
 */
import { O_NONBLOCK } from '../abi/fcntl.js';
import type { OpenFile } from '../fs/open-file.js';
import { POLLERR, POLLHUP, vfsPoll } from '../fs/poll-mask.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import type { IoRing } from './io-ring.js';
import type { Request } from './request.js';

export const PENDING: unique symbol = Symbol('io_uring request parked');
export type OpResult = number | typeof PENDING | Promise<number | typeof PENDING>;

export interface OpEnv {
  readonly ring: IoRing;
  /** The submitter's context with the ring's latched ABI (IoRing.requestContext). */
  readonly ctx: SyscallContext;
  /** The io_uring_enter call's own context (the calling ABI). */
  readonly enterCtx: SyscallContext;
  finish(req: Request, res: number): void;
  /** A CQE of a request that goes on (IORING_CQE_F_MORE: multishot). */
  postMore(req: Request, res: number): void;
}

/** The first pending request (of a kind) whose user_data is key. */
export function findByUserData(ring: IoRing, key: bigint, kind?: Request['waitKind']): Request | undefined {
  for (const r of ring.pending) {
    if (r.done || r.userKey !== key) continue;
    if (kind === undefined || r.waitKind === kind) return r;
  }
  return undefined;
}

export const EAGAIN = -11;
export const ECANCELED = -125;

/** Runs fn with the description non-blocking (IOCB_NOWAIT / MSG_DONTWAIT for the inline attempt). */
export function nonblocking<T>(f: OpenFile, fn: () => T): T {
  const old = f.flags;
  f.flags = old | O_NONBLOCK;
  try {
    return fn();
  } finally {
    // Only the bit this call set goes away: fn may have changed others (it does not today).
    if (!(old & O_NONBLOCK)) f.flags &= ~O_NONBLOCK;
  }
}

/**
 * io_arm_poll_handler: tries attempt() now and, while it answers -EAGAIN, again each time the
 * file's wait queue reports any of mask (or an error or hang-up). The request completes with the
 * first other answer. Files without a wait queue never become ready: -EAGAIN is the answer.
 */
export function retryWhenReady(
  env: OpEnv,
  req: Request,
  f: OpenFile,
  mask: number,
  attempt: () => number | Promise<number>,
): OpResult {
  const q = f.waitQueue;
  let busy = false;
  let unsubscribe: (() => void) | undefined;
  const stop = (): void => {
    unsubscribe?.();
    unsubscribe = undefined;
    req.cancel = undefined;
  };
  const settle = (res: number): boolean => {
    if (res === EAGAIN) return false;
    stop();
    env.finish(req, res);
    return true;
  };
  const tryNow = (): void => {
    if (busy || req.done || unsubscribe === undefined) return;
    if (!(vfsPoll(f) & (mask | POLLERR | POLLHUP))) return;
    busy = true;
    const r = attempt();
    if (typeof r === 'number') {
      busy = false;
      settle(r);
      return;
    }
    r.then((v) => {
      busy = false;
      // A wake-up that came while the attempt ran is not lost: look again.
      if (!settle(v)) tryNow();
    });
  };
  const park = (recheck: boolean): number | typeof PENDING => {
    if (q === undefined) return EAGAIN;
    unsubscribe = q.subscribe(tryNow);
    req.waitKind = 'io';
    req.cancel = (res) => {
      stop();
      env.finish(req, res);
    };
    // After an attempt that went through a promise, the file may have become ready meanwhile.
    if (recheck) tryNow();
    return PENDING;
  };
  const first = attempt();
  if (typeof first === 'number') return first === EAGAIN ? park(false) : first;
  return first.then((v) => (v === EAGAIN ? park(true) : v));
}
