/**
 * Process-context calls around namespaces (fs/open.c, kernel/fork.c, kernel/nsproxy.c,
 * kernel/kcmp.c): openat2, chroot, unshare, setns, kcmp.
 *
 * compat64 emulates a kernel built without user, UTS, IPC, PID, network, cgroup and time namespaces
 * (CONFIG_*_NS off) and with one mount namespace that cannot be copied: unshare of any namespace
 * answers as such a kernel does (EINVAL, or EPERM first for the capability check Linux makes before
 * creating namespaces), and no /proc/<pid>/ns files exist, so setns accepts only a pidfd naming the
 * one mount namespace. Capabilities are euid 0 (compat64's capability model).
 */
import {
  O_ACCMODE,
  O_APPEND,
  O_CLOEXEC,
  O_CREAT,
  O_DIRECT,
  O_DIRECTORY,
  O_DSYNC,
  O_EXCL,
  O_LARGEFILE,
  O_NOATIME,
  O_NOCTTY,
  O_NOFOLLOW,
  O_NONBLOCK,
  O_PATH,
  O_SYNC,
  O_TMPFILE,
  O_TRUNC,
  S_IFMT,
  S_IFREG,
  X_OK,
} from '../abi/fcntl.js';
import { EpollFile } from '../fs/epoll.js';
import { setFsRoot } from '../fs/fs-root.js';
import { isDirNode } from '../fs/node-stat.js';
import type { OpenFile } from '../fs/open-file.js';
import { openWalked } from '../fs/open-path.js';
import { pidfdTarget } from '../fs/pidfd-file.js';
import { RESOLVE_BENEATH, RESOLVE_CACHED, RESOLVE_IN_ROOT, resolveAt, VALID_RESOLVE_FLAGS } from '../fs/path-walk.js';
import { vfsOf } from '../fs/vfs.js';
import { guestPathOf } from '../fs/vnode.js';
import type { Kernel } from '../kernel.js';
import { PTRACE_MODE_READ_REALCREDS, ptraceMayAccess } from '../security/ptrace/ptrace-access.js';
import {
  CLONE_FILES,
  CLONE_FS,
  CLONE_NEWCGROUP,
  CLONE_NEWIPC,
  CLONE_NEWNET,
  CLONE_NEWNS,
  CLONE_NEWPID,
  CLONE_NEWUSER,
  CLONE_NEWUTS,
  CLONE_SIGHAND,
  CLONE_SYSVSEM,
  CLONE_THREAD,
  CLONE_VM,
} from '../task/clone.js';
import { mmUserCount, releaseFiles, useFiles } from '../task/exit.js';
import type { Task } from '../task/task.js';
import { EBADF, EFAULT, EINVAL, ENOENT, ENOTDIR, EPERM, ESRCH, readPath } from './sys-fs-common.js';
import type { SyscallContext, SyscallSpec } from './syscall-types.js';
import { copyIn } from './uaccess.js';

const E2BIG = -7;
const EAGAIN = -11;
const EOPNOTSUPP = -95;
const EOVERFLOW = -75;

/** CLONE_NEWTIME (shares its bit with CSIGNAL: only unshare and setns know it). */
export const CLONE_NEWTIME = 0x80;

/** CAP_SYS_ADMIN / CAP_SYS_CHROOT: euid 0 in compat64. */
function capable(task: Task): boolean {
  return task.creds.euid === 0;
}

// ---- openat2 ----

const PAGE_SIZE = 4096;
/** OPEN_HOW_SIZE_VER0: flags, mode, resolve (three u64). */
export const OPEN_HOW_SIZE_VER0 = 24;
/** __O_SYNC: O_SYNC without O_DSYNC. */
const __O_SYNC = O_SYNC & ~O_DSYNC;
/** __O_TMPFILE: O_TMPFILE without O_DIRECTORY. */
const __O_TMPFILE = O_TMPFILE & ~O_DIRECTORY;
const FASYNC = 0o20000;
/** VALID_OPEN_FLAGS (include/linux/fcntl.h) with arm64's values. */
const VALID_OPEN_FLAGS =
  O_ACCMODE |
  O_CREAT |
  O_EXCL |
  O_NOCTTY |
  O_TRUNC |
  O_APPEND |
  O_NONBLOCK |
  __O_SYNC |
  O_DSYNC |
  FASYNC |
  O_DIRECT |
  O_LARGEFILE |
  O_DIRECTORY |
  O_NOFOLLOW |
  O_NOATIME |
  O_CLOEXEC |
  O_PATH |
  __O_TMPFILE;
/** O_PATH_FLAGS: what may accompany O_PATH. */
const O_PATH_FLAGS = O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC;
/** S_IALLUGO */
const S_IALLUGO = 0o7777;

/** struct open_how, each u64 as its low and high words. */
export interface OpenHow {
  flagsLo: number;
  flagsHi: number;
  modeLo: number;
  modeHi: number;
  resolveLo: number;
  resolveHi: number;
}

/**
 * copy_struct_from_user for open_how: sizes below VER0 are EINVAL, above a page E2BIG; a larger
 * struct is accepted when every byte past the known 24 is zero (E2BIG otherwise); a fault is EFAULT.
 */
export function readOpenHow(ctx: SyscallContext, addr: number, usize: number): OpenHow | number {
  if (usize < OPEN_HOW_SIZE_VER0) return EINVAL;
  // "openat2: explicitly return -E2BIG for (usize > PAGE_SIZE)", in 6.1.y since 2024.
  if (usize > PAGE_SIZE) return E2BIG;
  const b = copyIn(ctx.mem, addr, OPEN_HOW_SIZE_VER0);
  if (b === null) return EFAULT;
  if (usize > OPEN_HOW_SIZE_VER0) {
    // check_zeroed_user: the bytes this kernel does not know must be zero.
    const tail = copyIn(ctx.mem, addr + OPEN_HOW_SIZE_VER0, usize - OPEN_HOW_SIZE_VER0);
    if (tail === null) return EFAULT;
    if (tail.some((x) => x !== 0)) return E2BIG;
  }
  const v = new DataView(b.buffer, b.byteOffset, b.length);
  const w = (o: number) => v.getUint32(o, true);
  return { flagsLo: w(0), flagsHi: w(4), modeLo: w(8), modeHi: w(12), resolveLo: w(16), resolveHi: w(20) };
}

/**
 * build_open_flags's checks for openat2 (6.1): the open flags (without O_CLOEXEC) and resolve flags
 * must be known, BENEATH and IN_ROOT exclude each other, a mode only with O_CREAT/O_TMPFILE and
 * within 07777, O_TMPFILE needs write access, O_PATH takes only O_DIRECTORY/O_NOFOLLOW, and
 * RESOLVE_CACHED refuses anything that would write (EAGAIN). Returns 0 or the errno.
 */
export function checkOpenHow(how: OpenHow): number {
  const flags = how.flagsLo & ~O_CLOEXEC;
  if (how.flagsHi !== 0 || (flags & ~VALID_OPEN_FLAGS) >>> 0 !== 0) return EINVAL;
  if (how.resolveHi !== 0 || how.resolveLo & ~VALID_RESOLVE_FLAGS) return EINVAL;
  if (how.resolveLo & RESOLVE_BENEATH && how.resolveLo & RESOLVE_IN_ROOT) return EINVAL;
  if (flags & (O_CREAT | __O_TMPFILE)) {
    if (how.modeHi !== 0 || how.modeLo & ~S_IALLUGO) return EINVAL;
  } else if (how.modeLo !== 0 || how.modeHi !== 0) return EINVAL;
  if (flags & __O_TMPFILE) {
    if ((flags & O_TMPFILE) !== O_TMPFILE) return EINVAL;
    // MAY_WRITE comes from the access mode (O_WRONLY, O_RDWR, 3) or from O_TRUNC.
    if ((flags & O_ACCMODE) === 0 && !(flags & O_TRUNC)) return EINVAL;
  }
  if (flags & O_PATH && flags & ~O_PATH_FLAGS) return EINVAL;
  if (how.resolveLo & RESOLVE_CACHED && flags & (O_TRUNC | O_CREAT | __O_TMPFILE)) return EAGAIN;
  return 0;
}

/** MAX_NON_LFS: what a compat open without O_LARGEFILE may open. */
const MAX_NON_LFS = 0x7fffffff;

function sysOpenat2(ctx: SyscallContext, a: readonly number[]): number {
  const [dirfd, pathAddr, howAddr, usize] = a as [number, number, number, number];
  const how = readOpenHow(ctx, howAddr, usize);
  if (typeof how === 'number') return how;
  // Only the 64-bit call forces O_LARGEFILE (force_o_largefile), and never for O_PATH.
  let flags = how.flagsLo;
  if (!(flags & O_PATH) && !ctx.compat) flags |= O_LARGEFILE;
  const bad = checkOpenHow({ ...how, flagsLo: flags });
  if (bad < 0) return bad;
  const path = readPath(ctx, pathAddr);
  if (typeof path === 'number') return path;
  if (path === '') return ENOENT;
  if ((flags & O_TMPFILE) === O_TMPFILE) return EOPNOTSUPP; // as openat: no unnamed host files
  const follow = !(flags & O_NOFOLLOW) && !(flags & O_CREAT && flags & O_EXCL);
  // RESOLVE_CACHED: every lookup here is answered from what the walker can see at once, as a
  // lookup that finds everything in the dcache.
  const w = resolveAt(ctx, dirfd, path, { follow, resolve: how.resolveLo });
  if (typeof w === 'number') return w;
  const f = openWalked(ctx, w, flags, how.modeLo);
  if (typeof f === 'number') return f;
  if (ctx.compat && !(flags & O_LARGEFILE) && !(flags & O_PATH)) {
    const st = f.stat?.();
    if (st !== undefined && typeof st !== 'number' && (st.mode & S_IFMT) === S_IFREG && st.size > MAX_NON_LFS) {
      if (f.refs === 0) f.release?.();
      return EOVERFLOW;
    }
    f.flags &= ~O_LARGEFILE;
  }
  const fd = ctx.task.files.install(f, (flags & O_CLOEXEC) !== 0);
  if (fd < 0 && f.refs === 0) f.release?.();
  return fd;
}

// ---- chroot ----

/** chroot(path): lookup (following links, a directory), search permission, then CAP_SYS_CHROOT. */
function sysChroot(ctx: SyscallContext, a: readonly number[]): number {
  const path = readPath(ctx, a[0]!);
  if (typeof path === 'number') return path;
  if (path === '') return ENOENT;
  const w = resolveAt(ctx, -100, path, { follow: true });
  if (typeof w === 'number') return w;
  const loc = w.loc;
  if (loc === undefined) return ENOENT;
  if (!isDirNode(loc.node)) return ENOTDIR;
  if (loc.node.kind === 'host') {
    const ok = vfsOf(ctx.kernel).host.access(loc.node.hostPath, X_OK);
    if (ok < 0) return ok;
  }
  if (!capable(ctx.task)) return EPERM;
  setFsRoot(ctx.task, guestPathOf(loc));
  return 0;
}

// ---- unshare ----

/** Namespace flags a kernel without those namespaces refuses. */
const NS_FLAGS =
  CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWCGROUP | CLONE_NEWTIME;

/** Other live tasks sharing something with task. */
function sharers(kernel: Kernel, task: Task, same: (t: Task) => boolean): boolean {
  for (const t of kernel.tasks.values()) {
    if (t !== task && t.exitStatus === undefined && same(t)) return true;
  }
  return false;
}

/** check_unshare_flags: only what can be unshared, and nothing that is still shared with another task. */
function checkUnshareFlags(kernel: Kernel, task: Task, flags: number): number {
  const known =
    CLONE_THREAD | CLONE_FS | CLONE_SIGHAND | CLONE_VM | CLONE_FILES | CLONE_SYSVSEM | NS_FLAGS | CLONE_NEWUSER;
  if ((flags & ~known) >>> 0 !== 0) return EINVAL;
  if (flags & (CLONE_THREAD | CLONE_SIGHAND | CLONE_VM) && task.group.threads.size > 1) return EINVAL;
  if (flags & (CLONE_SIGHAND | CLONE_VM) && sharers(kernel, task, (t) => t.signals.hand === task.signals.hand))
    return EINVAL;
  // current_is_single_threaded: no other process uses the memory (vfork children, CLONE_VM processes).
  if (flags & CLONE_VM && mmUserCount(task.mm) > 1) return EINVAL;
  return 0;
}

function sysUnshare(ctx: SyscallContext, a: readonly number[]): number {
  const { kernel, task } = ctx;
  let flags = a[0]! >>> 0;
  if (flags & CLONE_NEWUSER) flags |= CLONE_THREAD | CLONE_FS;
  if (flags & CLONE_VM) flags |= CLONE_SIGHAND;
  if (flags & CLONE_SIGHAND) flags |= CLONE_THREAD;
  if (flags & CLONE_NEWNS) flags |= CLONE_FS;
  const bad = checkUnshareFlags(kernel, task, flags);
  if (bad < 0) return bad;
  // unshare_userns: no user namespaces (CONFIG_USER_NS off).
  if (flags & CLONE_NEWUSER) return EINVAL;
  // unshare_nsproxy_namespaces: CAP_SYS_ADMIN first, then the namespaces this kernel does not have.
  if (flags & NS_FLAGS) return capable(task) ? EINVAL : EPERM;
  // Nothing can fail any more: the fs context and the fd table become private when shared.
  if (flags & CLONE_FS && sharers(kernel, task, (t) => t.fs === task.fs)) task.fs = { ...task.fs };
  if (flags & CLONE_FILES && sharers(kernel, task, (t) => t.files === task.files)) {
    const files = task.files.clone();
    useFiles(files);
    releaseFiles(task);
    task.files = files;
  }
  // CLONE_SYSVSEM detaches from the semaphore undo list (exit_sem): see the report on sysv-sem.
  return 0;
}

// ---- setns ----

/** setns(fd, nstype): without namespace files only a pidfd can name a namespace: the mount one. */
function sysSetns(ctx: SyscallContext, a: readonly number[]): number {
  const fd = a[0]! | 0;
  const nstype = a[1]! | 0;
  const f = ctx.task.files.get(fd);
  if (f === undefined) return EBADF;
  const g = pidfdTarget(f);
  if (g === undefined) return EINVAL;
  // check_setns_flags: some flag, all known, and only namespaces this kernel has.
  if (nstype !== CLONE_NEWNS) return EINVAL;
  const t = g.state === 'reaped' ? undefined : g.leader;
  if (t === undefined || t.exitStatus !== undefined) return ESRCH;
  if (!ptraceMayAccess(ctx.kernel, ctx.task, t, PTRACE_MODE_READ_REALCREDS)) return EPERM;
  // mntns_install: CAP_SYS_ADMIN and CAP_SYS_CHROOT; joining the one mount namespace moves the
  // root and the cwd to its root.
  if (!capable(ctx.task)) return EPERM;
  if (sharers(ctx.kernel, ctx.task, (o) => o.fs === ctx.task.fs)) return EINVAL;
  setFsRoot(ctx.task, '/');
  ctx.task.fs.cwd = '/';
  return 0;
}

// ---- kcmp ----

export const KCMP_FILE = 0;
export const KCMP_VM = 1;
export const KCMP_FILES = 2;
export const KCMP_FS = 3;
export const KCMP_SIGHAND = 4;
export const KCMP_IO = 5;
export const KCMP_SYSVSEM = 6;
export const KCMP_EPOLL_TFD = 7;

/**
 * kcmp's order: Linux compares kernel pointers obfuscated with boot-time random cookies, an order
 * that is total, stable while the objects live, and meaningless otherwise. compat64 numbers each
 * object the first time kcmp sees it (per kernel, per kind of object is not needed: objects of
 * different kinds are never compared) and compares the numbers; a NULL pointer (an exited task's
 * mm, files or fs; an io_context or undo list never made) is 0, below every object.
 */
const objectIds = new WeakMap<Kernel, { next: number; ids: WeakMap<object, number> }>();

function idOf(kernel: Kernel, o: object | undefined): number {
  if (o === undefined) return 0;
  let t = objectIds.get(kernel);
  if (t === undefined) {
    t = { next: 1, ids: new WeakMap() };
    objectIds.set(kernel, t);
  }
  let id = t.ids.get(o);
  if (id === undefined) {
    id = t.next++;
    t.ids.set(o, id);
  }
  return id;
}

/** kcmp_ptr: 0 equal, 1 first less, 2 first greater. */
export function kcmpOrder(kernel: Kernel, o1: object | undefined, o2: object | undefined): number {
  const a = idOf(kernel, o1);
  const b = idOf(kernel, o2);
  return (a < b ? 1 : 0) | (a > b ? 2 : 0);
}

function alive(t: Task): boolean {
  return t.exitStatus === undefined;
}

/** get_file_raw_ptr: fd idx of a task (none once it has exited). */
function fileOfTask(t: Task, idx: number): OpenFile | undefined {
  if (!alive(t) || !Number.isSafeInteger(idx) || idx > 0x7fffffff) return undefined;
  return t.files.get(idx);
}

/** kcmp_epoll_target: file idx1 of t1 against target tfd (the toff-th item) of t2's epoll efd. */
function kcmpEpoll(ctx: SyscallContext, t1: Task, t2: Task, idx1: number, slotAddr: number): number {
  const b = copyIn(ctx.mem, slotAddr, 16);
  if (b === null) return EFAULT;
  const v = new DataView(b.buffer, b.byteOffset, 16);
  const efd = v.getUint32(0, true);
  const tfd = v.getInt32(4, true);
  let toff = Number(v.getBigUint64(8, true));
  const f1 = fileOfTask(t1, idx1);
  if (f1 === undefined) return EBADF;
  const ep = fileOfTask(t2, efd);
  if (ep === undefined) return EBADF;
  if (!(ep instanceof EpollFile)) return EINVAL;
  for (const item of ep.allItems()) {
    if (item.fd !== tfd) continue;
    if (toff === 0) return kcmpOrder(ctx.kernel, f1, item.file);
    toff--;
  }
  return ENOENT;
}

function sysKcmp(ctx: SyscallContext, a: readonly number[]): number {
  const [pid1, pid2, type, idx1, idx2] = a as [number, number, number, number, number];
  const k = ctx.kernel;
  const t1 = k.tasks.get(pid1);
  const t2 = k.tasks.get(pid2);
  if (t1 === undefined || t2 === undefined) return ESRCH;
  if (
    !ptraceMayAccess(k, ctx.task, t1, PTRACE_MODE_READ_REALCREDS) ||
    !ptraceMayAccess(k, ctx.task, t2, PTRACE_MODE_READ_REALCREDS)
  )
    return EPERM;
  switch (type) {
    case KCMP_FILE: {
      const f1 = fileOfTask(t1, idx1);
      const f2 = fileOfTask(t2, idx2);
      return f1 !== undefined && f2 !== undefined ? kcmpOrder(k, f1, f2) : EBADF;
    }
    case KCMP_VM:
      return kcmpOrder(k, alive(t1) ? t1.mm : undefined, alive(t2) ? t2.mm : undefined);
    case KCMP_FILES:
      return kcmpOrder(k, alive(t1) ? t1.files : undefined, alive(t2) ? t2.files : undefined);
    case KCMP_FS:
      return kcmpOrder(k, alive(t1) ? t1.fs : undefined, alive(t2) ? t2.fs : undefined);
    case KCMP_SIGHAND:
      return kcmpOrder(k, t1.signals.hand, t2.signals.hand);
    case KCMP_IO:
    case KCMP_SYSVSEM:
      // No task has an io_context (no block I/O priorities) or a SEM_UNDO list compat64 can see
      // here: both pointers are NULL, which kcmp reports as equal.
      return kcmpOrder(k, undefined, undefined);
    case KCMP_EPOLL_TFD:
      return kcmpEpoll(ctx, t1, t2, idx1, idx2);
    default:
      return EINVAL;
  }
}

export const NS_SYSCALLS: readonly SyscallSpec[] = [
  { name: 'openat2', args: ['dirfd', 'path', 'ptr', 'size'], handler: sysOpenat2 },
  { name: 'chroot', args: ['path'], handler: sysChroot },
  { name: 'unshare', args: ['hex'], handler: sysUnshare },
  { name: 'setns', args: ['fd', 'int'], handler: sysSetns },
  { name: 'kcmp', args: ['pid', 'pid', 'int', 'ulong', 'ulong'], handler: sysKcmp },
];
