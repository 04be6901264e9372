/**
 * NOP, POLL_ADD, POLL_REMOVE, TIMEOUT, TIMEOUT_REMOVE, LINK_TIMEOUT, ASYNC_CANCEL (io_uring/nop.c,
 * poll.c, timeout.c, cancel.c) and OPENAT, CLOSE, STATX (openclose.c, statx.c), the last three
 * through the syscalls' own handlers.
 */
import { O_LARGEFILE } from '../abi/fcntl.js';
import { NATIVE_ABI } from '../abi/abi-set.js';
import { readTimespec } from '../syscalls/poll-args.js';
import { FS_OPEN_SYSCALLS } from '../syscalls/sys-fs-open.js';
import { FS_STAT_SYSCALLS } from '../syscalls/sys-fs-stat.js';
import type { SyscallHandler } from '../syscalls/syscall-types.js';
import { isRingFile } from './io-ring.js';
import { updateFiles } from './register.js';
import { ECANCELED, findByUserData, type OpEnv, type OpResult, PENDING } from './op-env.js';
import { IORING_OP } from './opcodes.js';
import type { Request } from './request.js';

const EBADF = -9;
const EFAULT = -14;
const EINVAL = -22;
const ETIME = -62;
const EALREADY = -114;
const ENOENT = -2;
const IOSQE_FIXED_FILE = 1;
const IOSQE_BUFFER_SELECT = 1 << 5;

const IORING_TIMEOUT_ABS = 1;
const IORING_TIMEOUT_UPDATE = 2;
const IORING_TIMEOUT_BOOTTIME = 4;
const IORING_TIMEOUT_REALTIME = 8;
const IORING_LINK_TIMEOUT_UPDATE = 16;
const IORING_TIMEOUT_ETIME_SUCCESS = 32;
const IORING_TIMEOUT_CLOCK_MASK = IORING_TIMEOUT_BOOTTIME | IORING_TIMEOUT_REALTIME;
const IORING_TIMEOUT_UPDATE_MASK = IORING_TIMEOUT_UPDATE | IORING_LINK_TIMEOUT_UPDATE;

const IORING_ASYNC_CANCEL_ALL = 1;
const IORING_ASYNC_CANCEL_FD = 2;
const IORING_ASYNC_CANCEL_ANY = 4;
const IORING_ASYNC_CANCEL_FD_FIXED = 8;

/** setTimeout's longest delay. */
const MAX_HOST_DELAY_MS = 0x7fffffff;

export function issueNop(): OpResult {
  return 0;
}

// ---- timeouts ----

interface TimeoutArgs {
  readonly delayMs: number;
  readonly flags: number;
}

/** io_timeout_prep's checks and the delay until the timespec at addr (absolute or relative, by clock). */
function readTimeout(env: OpEnv, addr: number, flags: number): TimeoutArgs | number {
  if (flags & ~(IORING_TIMEOUT_ABS | IORING_TIMEOUT_CLOCK_MASK | IORING_TIMEOUT_ETIME_SUCCESS)) return EINVAL;
  if ((flags & IORING_TIMEOUT_CLOCK_MASK) === IORING_TIMEOUT_CLOCK_MASK) return EINVAL;
  // get_timespec64 in the enter call's ABI (a compat call keeps 32 bits of tv_nsec).
  const ts = readTimespec(env.enterCtx, addr, 'kernel');
  if (ts === null) return EFAULT;
  if (ts.sec < 0 || ts.nsec < 0) return EINVAL;
  let ns = ts.sec * 1e9 + ts.nsec;
  if (flags & IORING_TIMEOUT_ABS) {
    const host = env.ctx.kernel.host;
    if (flags & IORING_TIMEOUT_REALTIME) {
      const now = host.realtime();
      ns -= now.sec * 1e9 + now.nsec;
    } else ns -= host.monotonicNs();
  }
  return { delayMs: Math.min(MAX_HOST_DELAY_MS, Math.max(0, Math.ceil(ns / 1e6))), flags };
}

/** io_timeout_prep: the checks, and the timespec read now (the process may reuse it at once). */
export function prepTimeout(env: OpEnv, req: Request): number {
  const s = req.sqe;
  if (s.bufIndex !== 0 || s.len !== 1 || s.fileIndex !== 0) return EINVAL;
  const t = readTimeout(env, s.addr, s.opFlags);
  if (typeof t === 'number') return t;
  req.delayMs = t.delayMs;
  return 0;
}

/** io_timeout: -ETIME when the time passes, 0 when sqe->off other completions came first. */
export function issueTimeout(env: OpEnv, req: Request): OpResult {
  const s = req.sqe;
  const ring = env.ring;
  if (s.opFlags & IORING_TIMEOUT_ETIME_SUCCESS) req.success = (res) => res >= 0 || res === ETIME;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const end = (res: number, fired: boolean): void => {
    if (req.done) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const i = ring.countedTimeouts.findIndex((c) => c.req === req);
    if (i >= 0) ring.countedTimeouts.splice(i, 1);
    req.cancel = undefined;
    req.timeoutFired = fired;
    env.finish(req, res);
  };
  timer = setTimeout(() => end(ETIME, true), req.delayMs ?? 0);
  req.timerRearm = (ms) => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => end(ETIME, true), ms);
  };
  const count = s.off;
  if (count > 0) ring.countedTimeouts.push({ req, target: ring.completions + count, fire: () => end(0, false) });
  req.waitKind = 'timeout';
  req.cancel = (res) => end(res, false);
  return PENDING;
}

/** io_timeout_remove_prep: removal takes no flags; an update reads its new timespec from sqe->addr2 now. */
export function prepTimeoutRemove(env: OpEnv, req: Request): number {
  const s = req.sqe;
  if (s.bufIndex !== 0 || s.len !== 0 || s.fileIndex !== 0) return EINVAL;
  const flags = s.opFlags;
  if (!(flags & IORING_TIMEOUT_UPDATE_MASK)) return flags !== 0 ? EINVAL : 0;
  if ((flags & IORING_TIMEOUT_CLOCK_MASK) === IORING_TIMEOUT_CLOCK_MASK) return EINVAL;
  if (flags & ~(IORING_TIMEOUT_UPDATE_MASK | IORING_TIMEOUT_ABS)) return EINVAL;
  const t = readTimeout(env, s.off, flags & IORING_TIMEOUT_ABS);
  if (typeof t === 'number') return t;
  req.delayMs = t.delayMs;
  return 0;
}

/**
 * io_timeout_remove: the timeout whose user_data is sqe->addr completes with -ECANCELED; with
 * IORING_TIMEOUT_UPDATE (IORING_LINK_TIMEOUT_UPDATE: a link timeout) it is re-armed instead.
 */
export function issueTimeoutRemove(env: OpEnv, req: Request): OpResult {
  const s = req.sqe;
  if (s.opFlags & IORING_TIMEOUT_UPDATE_MASK) {
    const link = (s.opFlags & IORING_LINK_TIMEOUT_UPDATE) !== 0;
    let target: Request | undefined;
    for (const r of env.ring.pending) {
      if (r.done || r.userKey !== s.addrKey) continue;
      if (link ? r.sqe.opcode === IORING_OP.LINK_TIMEOUT : r.waitKind === 'timeout') target = r;
      if (target !== undefined) break;
    }
    if (target === undefined) return ENOENT;
    target.delayMs = req.delayMs;
    target.timerRearm?.(req.delayMs ?? 0);
    return 0;
  }
  const target = findByUserData(env.ring, s.addrKey, 'timeout');
  if (target?.cancel === undefined) return ENOENT;
  target.cancel(ECANCELED);
  return 0;
}

/** io_link_timeout_prep: what a LINK_TIMEOUT SQE must look like (it runs when the request before it is issued). */
export function prepLinkTimeout(env: OpEnv, req: Request): number {
  if (req.sqe.off !== 0) return EINVAL;
  return prepTimeout(env, req);
}

/**
 * Arms the LINK_TIMEOUT lt for guarded, which has just gone pending: when it fires first, lt
 * completes with -ETIME and guarded is cancelled (-ECANCELED); when guarded finishes first, the
 * engine disarms lt and it completes with -ECANCELED.
 */
export function armLinkTimeout(env: OpEnv, guarded: Request, lt: Request): void {
  const fire = (): void => {
    if (lt.done) return;
    lt.disarm = undefined;
    lt.timerRearm = undefined;
    lt.timeoutFired = true;
    env.finish(lt, ETIME);
    if (!guarded.done) guarded.cancel?.(ECANCELED);
  };
  let timer = setTimeout(fire, lt.delayMs ?? 0);
  lt.disarm = () => clearTimeout(timer);
  lt.timerRearm = (ms) => {
    clearTimeout(timer);
    timer = setTimeout(fire, ms);
  };
}

// ---- cancel ----

/** io_async_cancel_prep. */
export function prepAsyncCancel(_env: OpEnv, req: Request): number {
  const s = req.sqe;
  if (s.off !== 0 || s.len !== 0 || s.fileIndex !== 0) return EINVAL;
  const flags = s.opFlags;
  const known =
    IORING_ASYNC_CANCEL_ALL | IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_FD_FIXED;
  if (flags & ~known) return EINVAL;
  if (flags & IORING_ASYNC_CANCEL_FD && flags & IORING_ASYNC_CANCEL_ANY) return EINVAL;
  return 0;
}

/** io_async_cancel: by user_data, by file (CANCEL_FD) or any (CANCEL_ANY); one or all (CANCEL_ALL). */
export function issueAsyncCancel(env: OpEnv, req: Request): OpResult {
  const s = req.sqe;
  const flags = s.opFlags;
  let file: unknown;
  if (flags & IORING_ASYNC_CANCEL_FD) {
    file = flags & IORING_ASYNC_CANCEL_FD_FIXED ? env.ring.files?.[s.fd] : env.ctx.task.files.get(s.fd);
    if (file === undefined) return EBADF;
  }
  const key = s.addrKey;
  const all = (flags & (IORING_ASYNC_CANCEL_ALL | IORING_ASYNC_CANCEL_ANY)) !== 0;
  let cancelled = 0;
  let running = false;
  for (const r of [...env.ring.pending]) {
    if (r === req || r.done || !r.issued) continue;
    const hit = flags & IORING_ASYNC_CANCEL_ANY ? true : file !== undefined ? r.file === file : r.userKey === key;
    if (!hit) continue;
    if (r.cancel === undefined) {
      running = true;
      if (!all) break;
      continue;
    }
    r.cancel(ECANCELED);
    cancelled++;
    if (!all) break;
  }
  if (all) return cancelled > 0 ? cancelled : ENOENT;
  return cancelled > 0 ? 0 : running ? EALREADY : ENOENT;
}

// ---- registered files ----

/** io_files_update_prep. */
export function prepFilesUpdate(_env: OpEnv, req: Request): number {
  const s = req.sqe;
  if (s.flags & (IOSQE_FIXED_FILE | IOSQE_BUFFER_SELECT)) return EINVAL;
  if (s.opFlags !== 0 || s.fileIndex !== 0) return EINVAL;
  if (s.len === 0) return EINVAL;
  return 0;
}

/** io_files_update: IORING_REGISTER_FILES_UPDATE from an SQE (off = first slot, addr = fds, len = count). */
export function issueFilesUpdate(env: OpEnv, req: Request): OpResult {
  const s = req.sqe;
  // IORING_FILE_INDEX_ALLOC (allocate free slots) is not implemented.
  if (s.off < 0 || s.off > 0xffffffff) return EINVAL;
  return updateFiles(env.ctx, env.ring, s.off, s.addr, s.len);
}

// ---- open, close, statx ----

function handlerOf(specs: readonly { name: string; handler?: SyscallHandler }[], name: string): SyscallHandler {
  const h = specs.find((s) => s.name === name)?.handler;
  if (h === undefined) throw new Error(`io_uring: no ${name} handler`);
  return h;
}

/** io_openat_prep. */
export function prepOpenat(_env: OpEnv, req: Request): number {
  const s = req.sqe;
  if (s.bufIndex !== 0) return EINVAL;
  if (s.flags & IOSQE_FIXED_FILE) return EBADF;
  // Direct descriptors (sqe->file_index) are not implemented.
  if (s.fileIndex !== 0) return EINVAL;
  return 0;
}

/** io_openat: openat(dfd, path, flags | O_LARGEFILE, mode) — force_o_largefile() holds on arm64. */
export function issueOpenat(env: OpEnv, req: Request): OpResult {
  const s = req.sqe;
  const ctx = { ...env.ctx, compat: false, abi: NATIVE_ABI, name: 'openat' };
  return handlerOf(FS_OPEN_SYSCALLS, 'openat')(ctx, [s.fd, s.addr, s.opFlags | O_LARGEFILE | 0, s.len]);
}

/** io_close_prep. */
export function prepClose(_env: OpEnv, req: Request): number {
  const s = req.sqe;
  if (s.off !== 0 || s.addr !== 0 || s.len !== 0 || s.opFlags !== 0 || s.bufIndex !== 0) return EINVAL;
  if (s.flags & IOSQE_FIXED_FILE) return EINVAL;
  if (s.fileIndex !== 0 && s.fd !== 0) return EINVAL;
  return 0;
}

/** io_close: the fd (an io_uring fd refuses, -EBADF), or the registered file slot sqe->file_index - 1. */
export function issueClose(env: OpEnv, req: Request): OpResult {
  const s = req.sqe;
  if (s.fileIndex !== 0) {
    const files = env.ring.files;
    const slot = s.fileIndex - 1;
    if (files === undefined || slot >= files.length) return EINVAL;
    const f = files[slot];
    if (f === undefined) return EBADF;
    files[slot] = undefined;
    env.ring.dropFile(f);
    return 0;
  }
  const files = env.ctx.task.files;
  const f = files.get(s.fd);
  if (f === undefined || isRingFile(f)) return EBADF;
  files.close(s.fd);
  return 0;
}

/** io_statx_prep. */
export function prepStatx(_env: OpEnv, req: Request): number {
  const s = req.sqe;
  if (s.bufIndex !== 0 || s.fileIndex !== 0) return EINVAL;
  if (s.flags & IOSQE_FIXED_FILE) return EBADF;
  return 0;
}

/** io_statx: statx(dfd, path, flags, mask, buffer) with the SQE's fd, addr, statx_flags, len, addr2. */
export function issueStatx(env: OpEnv, req: Request): OpResult {
  const s = req.sqe;
  return handlerOf(FS_STAT_SYSCALLS, 'statx')({ ...env.ctx, name: 'statx' }, [
    s.fd,
    s.addr,
    s.opFlags | 0,
    s.len,
    s.off,
  ]);
}
