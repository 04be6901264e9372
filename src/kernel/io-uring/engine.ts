/**
 * Submission and completion (io_uring/io_uring.c: io_submit_sqes, io_init_req, io_queue_sqe,
 * io_req_complete_post, the link and drain logic).
 *
 * io_uring_enter takes SQEs from the SQ ring in order. Each becomes a Request, checked as
 * io_init_req checks it (opcode, flags, ioprio, IOPOLL, personality); a request that fails those
 * checks completes with the error and ends the submission (unless IORING_SETUP_SUBMIT_ALL). Link
 * chains (IOSQE_IO_LINK / IO_HARDLINK) run one request after another; a failure cancels the rest
 * with -ECANCELED unless the failing request was hard-linked. A chain whose head has
 * IOSQE_IO_DRAIN (or any member, which moves the flag to the head) waits for every earlier request,
 * and later ones wait for it. A request runs inline; one that parks (PENDING) completes later from
 * its file's wake-up or its timer; one that returns a promise is awaited before the next SQE.
 */
import type { OpenFile } from '../fs/open-file.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import { type IoRing, putRequestFile } from './io-ring.js';
import {
  IORING_CQE_F_MORE,
  IORING_OFF_SQES,
  IORING_SETUP_IOPOLL,
  IORING_SETUP_SUBMIT_ALL,
  IOSQE_BUFFER_SELECT,
  IOSQE_CQE_SKIP_SUCCESS,
  IOSQE_FIXED_FILE,
  IOSQE_IO_DRAIN,
  IOSQE_IO_HARDLINK,
  IOSQE_IO_LINK,
  SQE_VALID_FLAGS,
} from './layouts.js';
import { ECANCELED, type OpEnv, type OpResult, PENDING } from './op-env.js';
import { IORING_OP, IORING_OP_LAST, OP_DEFS } from './opcodes.js';
import {
  armLinkTimeout,
  issueAsyncCancel,
  issueClose,
  issueFilesUpdate,
  issueNop,
  issueOpenat,
  issueStatx,
  issueTimeout,
  issueTimeoutRemove,
  prepAsyncCancel,
  prepClose,
  prepFilesUpdate,
  prepLinkTimeout,
  prepOpenat,
  prepStatx,
  prepTimeout,
  prepTimeoutRemove,
} from './ops-misc.js';
import { issueAccept, issueConnect, issueSendRecv, prepAccept, prepConnect, prepSendRecv } from './ops-net.js';
import { issuePollAdd, issuePollRemove, prepPollAdd, prepPollRemove } from './ops-poll.js';
import {
  issueProvideBuffers,
  issueRemoveBuffers,
  prepProvideBuffers,
  prepRemoveBuffers,
  recycleBuffer,
} from './ops-buffers.js';
import { issueFsync, issueRw, prepFsync, prepRw } from './ops-rw.js';
import { isSyscallOp, issueSyscallOp, prepSyscallOp } from './ops-syscall.js';
import { parseSqe, Request } from './request.js';

const EBADF = -9;
const EINTR = -4;
const EINVAL = -22;
const EOPNOTSUPP = -95;
const O_PATH = 0o10000000;

type Issue = (env: OpEnv, req: Request) => OpResult;
type Prep = (env: OpEnv, req: Request) => number;

/** What runs each implemented opcode (OP_DEFS[op].implemented says which these are). */
const ISSUE: Readonly<Record<number, Issue>> = {
  [IORING_OP.NOP]: issueNop,
  [IORING_OP.READV]: issueRw,
  [IORING_OP.WRITEV]: issueRw,
  [IORING_OP.READ_FIXED]: issueRw,
  [IORING_OP.WRITE_FIXED]: issueRw,
  [IORING_OP.READ]: issueRw,
  [IORING_OP.WRITE]: issueRw,
  [IORING_OP.FSYNC]: issueFsync,
  [IORING_OP.POLL_ADD]: issuePollAdd,
  [IORING_OP.POLL_REMOVE]: issuePollRemove,
  [IORING_OP.SENDMSG]: issueSendRecv,
  [IORING_OP.RECVMSG]: issueSendRecv,
  [IORING_OP.SEND]: issueSendRecv,
  [IORING_OP.RECV]: issueSendRecv,
  [IORING_OP.TIMEOUT]: issueTimeout,
  [IORING_OP.TIMEOUT_REMOVE]: issueTimeoutRemove,
  [IORING_OP.ASYNC_CANCEL]: issueAsyncCancel,
  [IORING_OP.ACCEPT]: issueAccept,
  [IORING_OP.CONNECT]: issueConnect,
  [IORING_OP.OPENAT]: issueOpenat,
  [IORING_OP.CLOSE]: issueClose,
  [IORING_OP.STATX]: issueStatx,
  [IORING_OP.FILES_UPDATE]: issueFilesUpdate,
  [IORING_OP.PROVIDE_BUFFERS]: issueProvideBuffers,
  [IORING_OP.REMOVE_BUFFERS]: issueRemoveBuffers,
};

/** The implemented opcodes' issue step: their own, or the syscall they stand for (ops-syscall.ts). */
function issuerOf(opcode: number): Issue {
  return ISSUE[opcode] ?? issueSyscallOp;
}

/** The opcodes' prep steps (io_op_defs[].prep): their errors fail the SQE at submission. */
const PREP: Readonly<Record<number, Prep>> = {
  [IORING_OP.READ_FIXED]: prepRw,
  [IORING_OP.WRITE_FIXED]: prepRw,
  [IORING_OP.FSYNC]: prepFsync,
  [IORING_OP.POLL_ADD]: prepPollAdd,
  [IORING_OP.POLL_REMOVE]: prepPollRemove,
  [IORING_OP.SENDMSG]: prepSendRecv,
  [IORING_OP.RECVMSG]: prepSendRecv,
  [IORING_OP.SEND]: prepSendRecv,
  [IORING_OP.RECV]: prepSendRecv,
  [IORING_OP.TIMEOUT]: prepTimeout,
  [IORING_OP.TIMEOUT_REMOVE]: prepTimeoutRemove,
  [IORING_OP.LINK_TIMEOUT]: prepLinkTimeout,
  [IORING_OP.ASYNC_CANCEL]: prepAsyncCancel,
  [IORING_OP.ACCEPT]: prepAccept,
  [IORING_OP.CONNECT]: prepConnect,
  [IORING_OP.OPENAT]: prepOpenat,
  [IORING_OP.CLOSE]: prepClose,
  [IORING_OP.STATX]: prepStatx,
  [IORING_OP.FILES_UPDATE]: prepFilesUpdate,
  [IORING_OP.PROVIDE_BUFFERS]: prepProvideBuffers,
  [IORING_OP.REMOVE_BUFFERS]: prepRemoveBuffers,
};

const LINK_FLAGS = IOSQE_IO_LINK | IOSQE_IO_HARDLINK;

/** The environment of requests submitted by one io_uring_enter. */
function makeEnv(ring: IoRing, enterCtx: SyscallContext): OpEnv {
  const env: OpEnv = {
    ring,
    ctx: ring.requestContext(enterCtx),
    enterCtx,
    finish: (req, res) => finish(env, req, res),
    postMore: (req, res) => ring.post(req.userData, res, IORING_CQE_F_MORE, ring.submitting),
  };
  return env;
}

/** io_assign_file: the request's file from the fd table or the registered files; -EBADF when none. */
function assignFile(env: OpEnv, req: Request): number {
  const s = req.sqe;
  let f: OpenFile | undefined;
  if (s.flags & IOSQE_FIXED_FILE) f = s.fd >= 0 ? env.ring.files?.[s.fd] : undefined;
  else {
    f = env.ctx.task.files.get(s.fd);
    if (f !== undefined && f.flags & O_PATH) f = undefined;
  }
  if (f === undefined) return EBADF;
  // The request holds the file while it is in flight (fget), so closing the fd does not end it.
  f.refs++;
  req.file = f;
  return 0;
}

/** io_init_req: 0, or the errno the request fails with at submission. */
function initReq(env: OpEnv, req: Request, linkHead: Request | undefined): number {
  const s = req.sqe;
  if (s.opcode >= IORING_OP_LAST) return EINVAL;
  if (s.flags & ~SQE_VALID_FLAGS) return EINVAL;
  const def = OP_DEFS[s.opcode]!;
  if (s.flags & IOSQE_BUFFER_SELECT && !def.bufferSelect) return EOPNOTSUPP;
  if (!def.ioprio && s.ioprio !== 0) return EINVAL;
  if (!def.iopoll && env.ring.flags & IORING_SETUP_IOPOLL) return EINVAL;
  // No personality can be registered (IORING_REGISTER_PERSONALITY is not implemented).
  if (s.personality !== 0) return EINVAL;
  if (!def.implemented) return EINVAL;
  // io_link_timeout_prep: only right after a request with IOSQE_IO_LINK.
  if (s.opcode === IORING_OP.LINK_TIMEOUT && linkHead === undefined) return EINVAL;
  if (isSyscallOp(s.opcode)) return prepSyscallOp(env, req);
  return PREP[s.opcode]?.(env, req) ?? 0;
}

/** Runs one request; a promise when it is being awaited inline. */
function issue(env: OpEnv, req: Request): void | Promise<void> {
  req.issued = true;
  if (req.failWith !== undefined) {
    finish(env, req, req.failWith);
    return;
  }
  let res: OpResult;
  if (OP_DEFS[req.sqe.opcode]!.needsFile) {
    const e = assignFile(env, req);
    res = e < 0 ? e : issuerOf(req.sqe.opcode)(env, req);
  } else res = issuerOf(req.sqe.opcode)(env, req);
  const settled = (v: number | typeof PENDING): void => {
    if (v !== PENDING) {
      finish(env, req, v);
      return;
    }
    const lt = req.link?.sqe.opcode === IORING_OP.LINK_TIMEOUT ? req.link : undefined;
    if (lt !== undefined && !req.done) armLinkTimeout(env, req, lt);
  };
  if (typeof res === 'number' || res === PENDING) return settled(res);
  return res.then(settled);
}

/** The chain members from req on. */
function* chain(req: Request | undefined): Generator<Request> {
  for (let r = req; r !== undefined; r = r.link) yield r;
}

/** io_fail_links: what is left of a chain completes, each with its own submission error or -ECANCELED. */
function failChain(env: OpEnv, from: Request | undefined): void {
  for (const r of chain(from)) {
    if (r.done) continue;
    r.disarm?.();
    complete(env, r, r.failWith ?? ECANCELED);
  }
}

/** The CQE and the bookkeeping of one request, nothing about its chain. */
function complete(env: OpEnv, req: Request, res: number): void {
  req.done = true;
  req.cancel = undefined;
  env.ring.pending.delete(req);
  putRequestFile(req);
  const failed = isFailure(req, res);
  if (res < 0) recycleBuffer(env, req);
  if (!(req.sqe.flags & IOSQE_CQE_SKIP_SUCCESS) || failed)
    env.ring.post(req.userData, res, req.cqeFlags, env.ring.submitting, req.timeoutFired);
}

function isFailure(req: Request, res: number): boolean {
  if (req.success !== undefined) return !req.success(res);
  if (res < 0) return true;
  return req.expect !== undefined && res !== req.expect;
}

/** io_req_complete_post and what follows it: the chain goes on or fails, held-back chains may start. */
export function finish(env: OpEnv, req: Request, res0: number): void {
  if (req.done) return;
  const res = res0 >= -516 && res0 <= -512 ? EINTR : res0;
  complete(env, req, res);
  if (env.ring.dead) return;
  let next = req.link;
  // A LINK_TIMEOUT right after the request: disarmed, it completes with -ECANCELED (io_disarm_next).
  if (next?.sqe.opcode === IORING_OP.LINK_TIMEOUT) {
    const lt = next;
    if (!lt.done) {
      lt.disarm?.();
      lt.disarm = undefined;
      complete(env, lt, ECANCELED);
    }
    next = lt.link;
  }
  if (next !== undefined) {
    if (isFailure(req, res) && !(req.sqe.flags & IOSQE_IO_HARDLINK)) failChain(env, next);
    else void issue(env, next);
  }
  runDeferred(env);
}

/** Whether a chain head may start now, as far as IOSQE_IO_DRAIN goes. */
function canStart(ring: IoRing, head: Request): boolean {
  for (const p of ring.pending) {
    if (p.seq >= head.seq) continue;
    if (head.inDrain || p.inDrain) return false;
  }
  return true;
}

function runDeferred(env: OpEnv): void {
  const q = env.ring.deferred;
  while (q.length > 0 && canStart(env.ring, q[0]!)) void issue(env, q.shift()!);
}

/** io_queue_sqe for a chain head: at once, or behind the drain. */
function queueHead(env: OpEnv, head: Request): void | Promise<void> {
  const ring = env.ring;
  if (ring.deferred.length > 0 || !canStart(ring, head)) {
    ring.deferred.push(head);
    return;
  }
  return issue(env, head);
}

/**
 * io_submit_sqes: up to n SQEs from the SQ ring. Returns how many were consumed (a request that
 * failed its checks counts); a promise when a request is being awaited inline.
 */
export function submitSqes(ring: IoRing, enterCtx: SyscallContext, n0: number): number | Promise<number> {
  const env = makeEnv(ring, enterCtx);
  const mem = ring.mem;
  const l = ring.layout;
  ring.flushOverflow();
  const n = Math.min(n0, ring.sqReady());
  let submitted = 0;
  let head: Request | undefined;
  let tail: Request | undefined;
  const commit = (): number => {
    // io_submit_state_end: a chain still open at the end is queued as it is.
    if (head !== undefined) {
      const h = head;
      head = undefined;
      if (h.failWith !== undefined || [...chain(h)].some((r) => r.failWith !== undefined)) failHead(env, h);
      else void queueHead(env, h);
    }
    mem.setU32(l.sqHead, ring.sqHead);
    return submitted;
  };
  const step = (): number | Promise<number> => {
    ring.submitting = true;
    try {
      while (submitted < n) {
        const idx = mem.u32(l.sqArray + (ring.sqHead & (ring.sqEntries - 1)) * 4);
        ring.sqHead = (ring.sqHead + 1) >>> 0;
        if (idx >= ring.sqEntries) {
          // io_get_sqe: an invalid index is dropped and counted, and submission stops.
          mem.setU32(l.sqDropped, (mem.u32(l.sqDropped) + 1) >>> 0);
          break;
        }
        submitted++;
        const req = new Request(parseSqe(mem.bytes(IORING_OFF_SQES + idx * l.sqeSize, l.sqeSize)), ring.nextSeq++);
        ring.pending.add(req);
        const err = initReq(env, req, head);
        if (err < 0) req.failWith = err;
        if (req.sqe.flags & IOSQE_IO_DRAIN) (head ?? req).inDrain = true;
        if (head !== undefined) {
          tail!.link = req;
          tail = req;
          if (head.inDrain) req.inDrain = true;
          if (req.sqe.flags & LINK_FLAGS) continue;
          const h = head;
          head = undefined;
          for (const r of chain(h)) r.inDrain = h.inDrain;
          if ([...chain(h)].some((r) => r.failWith !== undefined)) {
            failHead(env, h);
            if (!(ring.flags & IORING_SETUP_SUBMIT_ALL)) break;
            continue;
          }
          const p = queueHead(env, h);
          if (p !== undefined) return p.then(step);
          continue;
        }
        if (req.sqe.flags & LINK_FLAGS) {
          head = tail = req;
          continue;
        }
        if (req.failWith !== undefined) {
          finish(env, req, req.failWith);
          if (!(ring.flags & IORING_SETUP_SUBMIT_ALL)) break;
          continue;
        }
        const p = queueHead(env, req);
        if (p !== undefined) return p.then(step);
      }
      return commit();
    } finally {
      ring.submitting = false;
    }
  };
  return step();
}

/** A chain with a member that failed its checks: the head fails (its error or -ECANCELED), then the rest. */
function failHead(env: OpEnv, head: Request): void {
  head.issued = true;
  failChain(env, head);
  runDeferred(env);
}
