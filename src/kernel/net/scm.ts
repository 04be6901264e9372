/**
 * Ancillary data that travels with messages (net/core/scm.c): SCM_RIGHTS (open file descriptions
 * in flight) and SCM_CREDENTIALS (pid, uid, gid of the sender).
 *
 * A description in flight holds a reference of its own (the `refs` that fd tables count), so the
 * sender may close its fd at once; the reference is dropped when the message is received (the
 * receiver's fd table takes its own) or destroyed unread. Linux's garbage collector for sockets that
 * are in flight inside each other is not modelled: such a cycle stays allocated until the emulator
 * exits.
 */
import { ERRNO } from '../abi/errno.js';
import type { OpenFile } from '../fs/open-file.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import type { Task } from '../task/task.js';
import { SCM_CREDENTIALS, SCM_MAX_FD, SCM_RIGHTS, SOL_SOCKET } from './socket-abi.js';

const EINVAL = -ERRNO.EINVAL;
const EBADF = -ERRNO.EBADF;
const EPERM = -ERRNO.EPERM;
const ESRCH = -ERRNO.ESRCH;

/** struct ucred: what SO_PEERCRED and SCM_CREDENTIALS carry. */
export interface Ucred {
  readonly pid: number;
  readonly uid: number;
  readonly gid: number;
}

/** overflowuid/overflowgid: what an unset uid or gid reads as (INVALID_UID munged). */
export const OVERFLOW_ID = 65534;

/** The credentials a message has when nobody asked for them (scm_send without forcecreds). */
export const NO_CREDS: Ucred = Object.freeze({ pid: 0, uid: OVERFLOW_ID, gid: OVERFLOW_ID });

/** One control message as the guest wrote it (level, type and payload). */
export interface Cmsg {
  readonly level: number;
  readonly type: number;
  readonly data: Uint8Array;
}

/** What a send carries besides its bytes (scm_cookie). */
export interface ScmSend {
  rights: OpenFile[] | undefined;
  /** SCM_CREDENTIALS given explicitly (checked); else the socket adds the sender's when asked to. */
  creds: Ucred | undefined;
}

/** fput(): drops one reference; the last one releases the description. */
export function fput(f: OpenFile): void {
  if (--f.refs === 0) f.release?.();
}

/** Takes a reference for a description going into flight (or into a peeked copy). */
export function fget(f: OpenFile): OpenFile {
  f.refs++;
  return f;
}

export function dropRights(rights: readonly OpenFile[] | undefined): void {
  if (rights !== undefined) for (const f of rights) fput(f);
}

/** The calling process's credentials as maybe_add_creds records them (tgid, real uid and gid). */
export function currentCreds(task: Task): Ucred {
  return { pid: task.tgid, uid: task.creds.uid, gid: task.creds.gid };
}

/** SO_PEERCRED's view of a process (cred_to_ucred: effective ids). */
export function peerCredsOf(task: Task): Ucred {
  return { pid: task.tgid, uid: task.creds.euid, gid: task.creds.egid };
}

function capable(task: Task): boolean {
  return task.creds.euid === 0;
}

/** scm_check_creds: a process may claim its own pid and any of its ids (or anything with the capabilities). */
function checkCreds(ctx: SyscallContext, c: Ucred): number {
  const cr = ctx.task.creds;
  const root = capable(ctx.task);
  const pidOk = c.pid === ctx.task.tgid || root;
  const uidOk = c.uid === cr.uid || c.uid === cr.euid || c.uid === cr.suid || root;
  const gidOk = c.gid === cr.gid || c.gid === cr.egid || c.gid === cr.sgid || root;
  return pidOk && uidOk && gidOk ? 0 : EPERM;
}

function u32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

/**
 * __scm_send: turns the control messages of a send into an ScmSend. Only SOL_SOCKET messages are
 * looked at; SCM_RIGHTS needs an AF_UNIX socket; any other SOL_SOCKET type is EINVAL. On error no
 * reference stays taken.
 */
export function scmSend(ctx: SyscallContext, cmsgs: readonly Cmsg[], unix: boolean): ScmSend | number {
  const scm: ScmSend = { rights: undefined, creds: undefined };
  const fail = (e: number): number => {
    dropRights(scm.rights);
    return e;
  };
  for (const c of cmsgs) {
    if (c.level !== SOL_SOCKET) continue;
    if (!unix) {
      const e = inetCmsg(ctx, c);
      if (e < 0) return fail(e);
      continue;
    }
    if (c.type === SCM_RIGHTS) {
      const num = Math.floor(c.data.length / 4);
      if (num <= 0) continue;
      if (num > SCM_MAX_FD) return fail(EINVAL);
      scm.rights ??= [];
      if (scm.rights.length + num > SCM_MAX_FD) return fail(EINVAL);
      for (let i = 0; i < num; i++) {
        const fd = u32(c.data, 4 * i) | 0;
        const f = fd < 0 ? undefined : ctx.task.files.get(fd);
        if (f === undefined) return fail(EBADF);
        scm.rights.push(fget(f));
      }
    } else if (c.type === SCM_CREDENTIALS) {
      if (c.data.length !== 12) return fail(EINVAL);
      const creds: Ucred = { pid: u32(c.data, 0) | 0, uid: u32(c.data, 4), gid: u32(c.data, 8) };
      const e = checkCreds(ctx, creds);
      if (e < 0) return fail(e);
      // find_get_pid: a pid that names no process is ESRCH (a root caller may claim any live one).
      if (creds.pid !== ctx.task.tgid && ![...ctx.kernel.tasks.values()].some((t) => t.tgid === creds.pid)) {
        return fail(ESRCH);
      }
      // uid/gid -1 are not valid ids.
      if (creds.uid === 0xffffffff || creds.gid === 0xffffffff) return fail(EINVAL);
      scm.creds = creds;
    } else {
      return fail(EINVAL);
    }
  }
  if (scm.rights !== undefined && scm.rights.length === 0) scm.rights = undefined;
  return scm;
}

/** SO_MARK, SO_TIMESTAMPING_OLD, SCM_TXTIME */
const SO_MARK = 36;
const SO_TIMESTAMPING_OLD = 37;
const SCM_TXTIME = 61;

/**
 * __sock_cmsg_send: the SOL_SOCKET messages of other families. SCM_RIGHTS and SCM_CREDENTIALS
 * belong to AF_UNIX and are ignored here; SO_MARK (CAP_NET_ADMIN) and the timestamping requests are
 * accepted and have no effect; anything else is EINVAL.
 */
function inetCmsg(ctx: SyscallContext, c: Cmsg): number {
  switch (c.type) {
    case SCM_RIGHTS:
    case SCM_CREDENTIALS:
      return 0;
    case SO_MARK:
      if (!capable(ctx.task)) return EPERM;
      return c.data.length === 4 ? 0 : EINVAL;
    case SO_TIMESTAMPING_OLD:
      return c.data.length === 4 ? 0 : EINVAL;
    case SCM_TXTIME:
      return c.data.length === 8 ? 0 : EINVAL;
    default:
      return EINVAL;
  }
}

/** struct ucred's bytes. */
export function ucredBytes(c: Ucred): Uint8Array {
  const b = new Uint8Array(12);
  const dv = new DataView(b.buffer);
  dv.setInt32(0, c.pid, true);
  dv.setUint32(4, c.uid >>> 0, true);
  dv.setUint32(8, c.gid >>> 0, true);
  return b;
}
