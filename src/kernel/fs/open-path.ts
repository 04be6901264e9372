/**
 * open(2) by guest path: lookup, creation, the open-time checks Linux makes (O_EXCL, O_DIRECTORY,
 * O_NOFOLLOW, directories opened for writing), then a description of the right kind. Also opening
 * a program for execve and the ELF loader.
 */
import {
  O_ACCMODE,
  O_CLOEXEC,
  O_CREAT,
  O_DIRECTORY,
  O_EXCL,
  O_LARGEFILE,
  O_NOCTTY,
  O_NOFOLLOW,
  O_PATH,
  O_RDONLY,
  O_TMPFILE,
  O_TRUNC,
  X_OK,
} from '../abi/fcntl.js';
import type { Kernel } from '../kernel.js';
import type { FileBacking } from '../mm/vma.js';
import type { Task } from '../task/task.js';
import { unicodeToByteString } from './byte-string.js';
import { backingFor, HostFd } from './host-backing.js';
import { HostDir, HostFile, PathFile } from './host-file.js';
import { HostStream, terminalOpened } from './host-stream.js';
import { isDirNode, isLinkNode } from './node-stat.js';
import type { OpenFile } from './open-file.js';
import { dirLoc, resolveAt, type WalkCtx, type Walked, walk, walkCtx } from './path-walk.js';
import { SynthDirFile } from './synthetic-file.js';
import { vfsOf } from './vfs.js';
import { childLoc, type FsEnv, guestPathOf, type Loc } from './vnode.js';

const ENOENT = -2;
const EACCES = -13;
const EEXIST = -17;
const ENOTDIR = -20;
const EISDIR = -21;
const ELOOP = -40;
const EOPNOTSUPP = -95;
const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFCHR = 0o020000;

/** Flags that only matter while opening; Linux clears them from f_flags (F_GETFL never shows them). */
const OPEN_TIME_FLAGS = O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC;

/** The status flags a description keeps; 64-bit Linux forces O_LARGEFILE on. */
export function keptFlags(flags: number): number {
  return (flags & ~OPEN_TIME_FLAGS) | O_LARGEFILE;
}

/** Opens what a lookup found (or creates it), with the open-time checks. */
export function openWalked(env: FsEnv, w: Walked, flags: number, mode: number): OpenFile | number {
  const vfs = vfsOf(env.kernel);
  if (flags & O_PATH) {
    if (w.loc === undefined) return ENOENT;
    if (flags & O_DIRECTORY && !isDirNode(w.loc.node)) return ENOTDIR;
    return new PathFile(env, flags & (O_PATH | O_DIRECTORY | O_NOFOLLOW), w.loc);
  }
  let loc = w.loc;
  if (loc === undefined) {
    if (!(flags & O_CREAT)) return ENOENT;
    if (w.trailingSlash) return EISDIR;
    const parent = w.parent.node;
    if (parent.kind === 'synth' && parent.s.type === 'dir' && parent.s.create !== undefined)
      return parent.s.create(env, w.name, keptFlags(flags), mode & ~env.task.fs.umask & 0o7777);
    if (parent.kind !== 'host') return EACCES;
    const hostPath = parent.hostPath === '/' ? `/${w.name}` : `${parent.hostPath}/${w.name}`;
    const fd = vfs.host.open(hostPath, flags, mode & ~env.task.fs.umask & 0o7777);
    if (fd < 0) return fd;
    const st = vfs.host.fstat(fd);
    if (typeof st === 'number') {
      vfs.host.close(fd);
      return st;
    }
    loc = childLoc(w.parent, w.name, { kind: 'host', hostPath, st });
    return new HostFile(vfs, new HostFd(vfs.host, fd), keptFlags(flags), loc, guestPathOf(loc), st, hostPath);
  }
  if (flags & O_CREAT && flags & O_EXCL) return EEXIST;
  const node = loc.node;
  if (isLinkNode(node)) return ELOOP;
  const isDir = isDirNode(node);
  if (flags & O_DIRECTORY && !isDir) return ENOTDIR;
  if (isDir && ((flags & O_ACCMODE) !== O_RDONLY || flags & O_CREAT)) return EISDIR;
  switch (node.kind) {
    case 'file':
      // A magic link to a description with no path (a pipe, the emulator's stdio): the same description.
      return node.file;
    case 'synth':
      if (node.s.type === 'dir') return new SynthDirFile(env, node.s, keptFlags(flags), loc);
      if (node.s.type === 'link') return ELOOP;
      return node.s.open(env, keptFlags(flags), guestPathOf(loc));
    case 'host':
      return openHost(env, loc, node.hostPath, flags);
  }
}

function openHost(env: FsEnv, loc: Loc, hostPath: string, flags: number): OpenFile | number {
  const vfs = vfsOf(env.kernel);
  const fd = vfs.host.open(hostPath, flags & ~(O_CREAT | O_EXCL), 0);
  if (fd < 0) return fd;
  const st = vfs.host.fstat(fd);
  if (typeof st === 'number') {
    vfs.host.close(fd);
    return st;
  }
  const hfd = new HostFd(vfs.host, fd);
  if ((st.mode & S_IFMT) === S_IFDIR) return new HostDir(vfs, env, hfd, keptFlags(flags), loc, hostPath);
  // A terminal (/dev/pts/N) gets the terminal description: termios, window size, blocking reads.
  if ((st.mode & S_IFMT) === S_IFCHR && vfs.host.isatty(fd)) {
    const stream = new HostStream(vfs, hfd, keptFlags(flags) & ~O_NOCTTY, guestPathOf(loc), loc);
    // A session leader without a terminal acquires the one it opens (without O_NOCTTY).
    terminalOpened(env.kernel, env.task, stream, flags);
    return stream;
  }
  return new HostFile(vfs, hfd, keptFlags(flags), loc, guestPathOf(loc), st, hostPath);
}

/** openat: flags are arm64's O_*; mode applies (less the umask) when a file is created. */
export function openPath(env: FsEnv, dirfd: number, path: string, flags: number, mode: number): OpenFile | number {
  if (path === '') return ENOENT;
  // O_TMPFILE needs an unnamed host file, which Node cannot make; glibc's tmpfile() falls back on EOPNOTSUPP.
  if ((flags & O_TMPFILE) === O_TMPFILE) return EOPNOTSUPP;
  const follow = !(flags & O_NOFOLLOW) && !(flags & O_CREAT && flags & O_EXCL);
  const w = resolveAt(env, dirfd, path, { follow });
  if (typeof w === 'number') return w;
  return openWalked(env, w, flags, mode);
}

/**
 * Opens a program for execve or as an ELF interpreter, by guest path (Unicode, as the command line
 * and the exec handler give it; relative paths start at the task's cwd). Linux's checks: it must
 * exist (ENOENT), be a regular file (EACCES) and be executable for the caller (EACCES).
 * The backing's path is the canonical guest path, as /proc/self/exe and maps show it.
 */
export function openExecutable(kernel: Kernel, task: Task, guestPath: string): FileBacking | number {
  return openProgram(walkCtx({ kernel, task }), task.fs.cwd, guestPath);
}

/**
 * openExecutable before the machine exists (the host wiring opens the first program and its
 * interpreter before it is given the kernel): host files only, no /proc or /dev. cwd is a guest
 * path as a byte string.
 */

function openProgram(ctx: WalkCtx, cwd: string, guestPath: string): FileBacking | number {
  const path = unicodeToByteString(guestPath);
  if (path === '') return ENOENT;
  const start = path.startsWith('/') ? ctx.vfs.rootLoc() : dirLoc(ctx, cwd);
  if (typeof start === 'number') return start;
  const w = walk(ctx, start, path, { follow: true });
  if (typeof w === 'number') return w;
  const loc = w.loc;
  if (loc === undefined) return ENOENT;
  const node = loc.node;
  if (node.kind !== 'host' || (node.st.mode & S_IFMT) !== S_IFREG) return EACCES;
  const vfs = ctx.vfs;
  const ok = vfs.host.access(node.hostPath, X_OK);
  if (ok < 0) return ok;
  const fd = vfs.host.open(node.hostPath, O_RDONLY, 0);
  if (fd < 0) return fd;
  const st = vfs.host.fstat(fd);
  if (typeof st === 'number') {
    vfs.host.close(fd);
    return st;
  }
  const hfd = new HostFd(vfs.host, fd);
  const b = backingFor(vfs, hfd, guestPathOf(loc), st.dev, st.ino, false);
  // backingFor took its own reference when it made a new backing; drop the one from opening.
  hfd.unref();
  return b;
}
