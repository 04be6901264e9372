/**
 * POLL_ADD and POLL_REMOVE (io_uring/poll.c). A poll parks on the file's wait queue and completes
 * with the ready mask; a multishot poll (IORING_POLL_ADD_MULTI) posts a CQE with IORING_CQE_F_MORE
 * at each wake-up that finds the file ready and stays armed until removed or cancelled. POLL_REMOVE
 * cancels a poll by user_data (-ECANCELED for it, 0 for the remove) or, with
 * IORING_POLL_UPDATE_EVENTS / _USER_DATA, re-arms it with new events and/or a new user_data.
 */
import { POLLERR, POLLHUP, vfsPoll } from '../fs/poll-mask.js';
import { IOSQE_CQE_SKIP_SUCCESS } from './layouts.js';
import { ECANCELED, findByUserData, type OpEnv, type OpResult, PENDING } from './op-env.js';
import type { Request } from './request.js';

const ENOENT = -2;
const EINVAL = -22;
const IORING_POLL_ADD_MULTI = 1;
const IORING_POLL_UPDATE_EVENTS = 2;
const IORING_POLL_UPDATE_USER_DATA = 4;

/** io_poll_parse_events: poll32_events (demangle_poll is the identity on arm64), errors and hang-ups always. */
function parseEvents(ev32: number): number {
  return (ev32 & 0xffff) | POLLERR | POLLHUP;
}

/** io_poll_add_prep. */
export function prepPollAdd(_env: OpEnv, req: Request): number {
  const s = req.sqe;
  if (s.bufIndex !== 0 || s.off !== 0 || s.addr !== 0) return EINVAL;
  if (s.len & ~IORING_POLL_ADD_MULTI) return EINVAL;
  if (s.len & IORING_POLL_ADD_MULTI && s.flags & IOSQE_CQE_SKIP_SUCCESS) return EINVAL;
  return 0;
}

/** io_poll_add. */
export function issuePollAdd(env: OpEnv, req: Request): OpResult {
  const s = req.sqe;
  let events = parseEvents(s.opFlags);
  let multi = (s.len & IORING_POLL_ADD_MULTI) !== 0;
  const f = req.file!;
  let unsubscribe: (() => void) | undefined;
  const end = (res: number): void => {
    unsubscribe?.();
    unsubscribe = undefined;
    req.cancel = undefined;
    req.pollRearm = undefined;
    env.finish(req, res);
  };
  /** Looks at the file: a one-shot poll ends with the mask, a multishot one posts it. */
  const check = (): void => {
    if (req.done) return;
    const mask = vfsPoll(f) & events;
    if (mask === 0) return;
    if (multi) env.postMore(req, mask);
    else end(mask);
  };
  const arm = (): void => {
    unsubscribe?.();
    unsubscribe = f.waitQueue?.subscribe(check);
  };
  const now = vfsPoll(f) & events;
  if (now !== 0 && !multi) return now;
  req.waitKind = 'poll';
  req.cancel = end;
  req.pollRearm = (newEvents, newMulti) => {
    events = newEvents;
    multi = newMulti;
    arm();
    check();
  };
  arm();
  if (now !== 0) env.postMore(req, now);
  return PENDING;
}

/** io_poll_remove_prep. */
export function prepPollRemove(_env: OpEnv, req: Request): number {
  const s = req.sqe;
  if (s.bufIndex !== 0 || s.fileIndex !== 0) return EINVAL;
  const flags = s.len;
  if (flags & ~(IORING_POLL_UPDATE_EVENTS | IORING_POLL_UPDATE_USER_DATA | IORING_POLL_ADD_MULTI)) return EINVAL;
  // Meaningless without an update.
  if (flags === IORING_POLL_ADD_MULTI) return EINVAL;
  if (!(flags & IORING_POLL_UPDATE_USER_DATA) && s.off !== 0) return EINVAL;
  if (!(flags & IORING_POLL_UPDATE_EVENTS) && s.opFlags !== 0) return EINVAL;
  return 0;
}

/** io_poll_remove: cancels the poll whose user_data is sqe->addr, or re-arms it updated. */
export function issuePollRemove(env: OpEnv, req: Request): OpResult {
  const s = req.sqe;
  const target = findByUserData(env.ring, s.addrKey, 'poll');
  if (target?.cancel === undefined) return ENOENT;
  const flags = s.len;
  if (!(flags & (IORING_POLL_UPDATE_EVENTS | IORING_POLL_UPDATE_USER_DATA))) {
    target.cancel(ECANCELED);
    return 0;
  }
  if (flags & IORING_POLL_UPDATE_USER_DATA) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, s.offKey, true);
    target.userData = b;
    target.userKey = s.offKey;
  }
  if (flags & IORING_POLL_UPDATE_EVENTS)
    target.pollRearm?.(parseEvents(s.opFlags), (flags & IORING_POLL_ADD_MULTI) !== 0);
  return 0;
}
