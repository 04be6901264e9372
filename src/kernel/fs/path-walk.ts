/**
 * Path resolution inside the guest root (Linux's namei, for one root).
 *
 * The walker does every step itself: the host is only asked to lstat one component at a time and to
 * read links, so no host symlink is ever followed by the host and nothing escapes the root. ".." at
 * the root stays at the root; an absolute link target starts again from the root; a relative one
 * continues from the link's directory. At most 40 links are followed per lookup (ELOOP), as Linux's
 * MAXSYMLINKS. A component longer than NAME_MAX is ENAMETOOLONG. Every component but the last must
 * be a directory (ENOTDIR); a trailing slash makes the last component follow links and be a
 * directory too.
 *
 * "The root" is the process root (chroot, fs-root.ts), a directory inside the guest root: absolute
 * paths start there and ".." stops there. openat2's RESOLVE_BENEATH and RESOLVE_IN_ROOT make the
 * starting directory the root of one lookup instead (nd->root of a scoped lookup); RESOLVE_NO_XDEV,
 * RESOLVE_NO_MAGICLINKS and RESOLVE_NO_SYMLINKS refuse mount crossings and links as fs/namei.c does.
 * Locations are always chains from the guest root, so a process root is recognised by its path.
 */
import { AT_FDCWD } from '../abi/fcntl.js';
import { fsRootOf } from './fs-root.js';
import { isDirNode, isLinkNode } from './node-stat.js';
import { PROC_DEV } from './proc-nodes.js';
import { type Vfs, vfsOf } from './vfs.js';
import { childLoc, type FsEnv, guestPathOf, type Loc, type VNode } from './vnode.js';

const ENOENT = -2;
const EBADF = -9;
const EXDEV = -18;
const ENOTDIR = -20;
const ENAMETOOLONG = -36;
const ELOOP = -40;

export const MAXSYMLINKS = 40;
export const NAME_MAX = 255;
export const PATH_MAX = 4096;

/** openat2's RESOLVE_* flags (uapi/linux/openat2.h). */
export const RESOLVE_NO_XDEV = 0x01;
export const RESOLVE_NO_MAGICLINKS = 0x02;
export const RESOLVE_NO_SYMLINKS = 0x04;
export const RESOLVE_BENEATH = 0x08;
export const RESOLVE_IN_ROOT = 0x10;
export const RESOLVE_CACHED = 0x20;
export const VALID_RESOLVE_FLAGS = 0x3f;

export interface WalkOptions {
  /** Follow a symlink in the last component (stat, open without O_NOFOLLOW) or not (lstat, unlink). */
  follow: boolean;
  /** openat2's RESOLVE_* restrictions; absent or 0 for every other call. */
  resolve?: number;
}

/** The outcome of a lookup: the last component's directory and name, and what it names if anything. */
export interface Walked {
  /** The directory holding the last component (the root for "/"). */
  parent: Loc;
  /** The last component; '' when the path ends at the root, "." or "..": there is no name to create or remove. */
  name: string;
  /** What the path names, or undefined when the last component does not exist. */
  loc: Loc | undefined;
  /** The path ended in "/". */
  trailingSlash: boolean;
  /** The last component was "." or ".." (rmdir/unlink/rename refuse these: EINVAL, ENOTEMPTY, EBUSY). */
  lastDots: '' | '.' | '..';
}

/**
 * What a walk needs: the VFS, and who is looking. Without a task (opening the first program before
 * the machine has one) the synthetic file systems are not consulted: only host files are found.
 */
export interface WalkCtx {
  readonly vfs: Vfs;
  readonly env: FsEnv | undefined;
}

export function walkCtx(env: FsEnv): WalkCtx {
  return { vfs: vfsOf(env.kernel), env };
}

/** The process root of env's task (chroot) as a location: where absolute paths start. */
export function rootLoc(env: FsEnv): Loc | number {
  return processRoot(walkCtx(env));
}

/** The process root; the guest root itself without a task or before any chroot. */
function processRoot(ctx: WalkCtx): Loc | number {
  const top = ctx.vfs.rootLoc();
  if (typeof top === 'number' || ctx.env === undefined) return top;
  const root = fsRootOf(ctx.env.task);
  if (root === '/') return top;
  // The root is kept as a canonical path: resolved from the guest root without the process root.
  const w = walkFrom(ctx, top, root, { follow: true }, top);
  if (typeof w === 'number') return w;
  if (w.loc === undefined) return ENOENT;
  return isDirNode(w.loc.node) ? w.loc : ENOTDIR;
}

/** The mount a node lives on, told by its device (host mount points, /proc, /dev, an open file's). */
function devOf(n: VNode): number {
  switch (n.kind) {
    case 'host':
      return n.st.dev;
    case 'synth':
      return n.s.dev;
    case 'file': {
      const st = n.file.stat?.();
      return st === undefined || typeof st === 'number' ? -1 : st.dev;
    }
  }
}

/**
 * A magic link (Linux's proc "jump" links: /proc/<pid>/{fd/N,cwd,root,exe}); /proc/self,
 * /proc/thread-self, /proc/mounts and /proc/net are ordinary symlinks.
 */
function isMagicLink(name: string, n: VNode): boolean {
  if (n.kind !== 'synth' || n.s.type !== 'link' || n.s.dev !== PROC_DEV) return false;
  return n.s.follow !== undefined || name === 'cwd' || name === 'root' || name === 'exe';
}

/** Looks one name up in a directory location. */
export function lookupChild(ctx: WalkCtx, dir: Loc, name: string): VNode | number {
  const { vfs, env } = ctx;
  const n = dir.node;
  switch (n.kind) {
    case 'host': {
      if (dir.parent === undefined && env !== undefined) {
        const mounted = vfs.mountAt(name);
        if (mounted !== undefined) return { kind: 'synth', s: mounted };
      }
      const hostPath = n.hostPath === '/' ? `/${name}` : `${n.hostPath}/${name}`;
      const st = vfs.host.lstat(hostPath);
      return typeof st === 'number' ? st : { kind: 'host', hostPath, st };
    }
    case 'synth':
      if (n.s.type !== 'dir') return ENOTDIR;
      if (env === undefined) return ENOENT;
      return n.s.lookup(env, name) ?? ENOENT;
    case 'file':
      return ENOTDIR;
  }
}

function readLink(ctx: WalkCtx, n: VNode): string | number {
  if (n.kind === 'host') return ctx.vfs.host.readlink(n.hostPath);
  if (n.kind === 'synth' && n.s.type === 'link' && ctx.env !== undefined) return n.s.target(ctx.env);
  return ENOENT;
}

function splitPath(path: string): string[] {
  return path.split('/').filter((c) => c !== '');
}

/**
 * Resolves path starting at start (ignored for an absolute path). The path must not be empty.
 * Absolute paths start at the process root, or at start itself under RESOLVE_IN_ROOT.
 */
export function walk(ctx: WalkCtx, start: Loc, path: string, opts: WalkOptions): Walked | number {
  const scoped = (opts.resolve ?? 0) & (RESOLVE_BENEATH | RESOLVE_IN_ROOT);
  if (scoped !== 0) return walkFrom(ctx, start, path, opts, start);
  const root = processRoot(ctx);
  if (typeof root === 'number') return root;
  return walkFrom(ctx, start, path, opts, root);
}

/** walk with root as the lookup's root (nd->root). */
function walkFrom(ctx: WalkCtx, start: Loc, path: string, opts: WalkOptions, root: Loc): Walked | number {
  const { env } = ctx;
  const resolve = opts.resolve ?? 0;
  // ".." stops at the root: the guest root has no parent; another root is recognised by its path.
  const rootPath = root.parent === undefined ? undefined : guestPathOf(root);
  const atRoot = (l: Loc): boolean =>
    rootPath === undefined ? l.parent === undefined : l.parent !== undefined && guestPathOf(l) === rootPath;
  // RESOLVE_NO_XDEV: every step stays on the mount the lookup starts on (the root's for an absolute path).
  const noXdev = (resolve & RESOLVE_NO_XDEV) !== 0;
  const scoped = (resolve & (RESOLVE_BENEATH | RESOLVE_IN_ROOT)) !== 0;
  let cur = start;
  /** nd_jump_root: an absolute path or link target. */
  const jumpRoot = (first: boolean): number => {
    if (resolve & RESOLVE_BENEATH) return EXDEV;
    if (noXdev && !first && devOf(cur.node) !== devOf(root.node)) return EXDEV;
    cur = root;
    return 0;
  };
  if (path.startsWith('/')) {
    const e = jumpRoot(true);
    if (e < 0) return e;
  }
  const trailingSlash = path.length > 1 && path.endsWith('/');
  // Components still to resolve, the next one last (links push their target's components).
  const todo = splitPath(path).reverse();
  let links = 0;
  let lastDots: '' | '.' | '..' = '';
  while (todo.length > 0) {
    const name = todo.pop()!;
    const isLast = todo.length === 0;
    if (name === '.' || name === '..') {
      if (name === '..') {
        if (atRoot(cur)) {
          // follow_dotdot's in_root: a RESOLVE_BENEATH lookup may not climb out of its directory.
          if (resolve & RESOLVE_BENEATH) return EXDEV;
        } else if (cur.parent !== undefined) {
          if (noXdev && devOf(cur.parent.node) !== devOf(cur.node)) return EXDEV;
          cur = cur.parent;
        }
      }
      if (isLast) lastDots = name;
      continue;
    }
    lastDots = '';
    if (name.length > NAME_MAX) return ENAMETOOLONG;
    const child = lookupChild(ctx, cur, name);
    if (typeof child === 'number') {
      if (child === ENOENT && isLast) return { parent: cur, name, loc: undefined, trailingSlash, lastDots };
      return child;
    }
    const following = isLinkNode(child) && (!isLast || opts.follow || trailingSlash);
    if (noXdev && !following && devOf(child) !== devOf(cur.node)) return EXDEV;
    if (following) {
      if (++links > MAXSYMLINKS) return ELOOP;
      if (resolve & RESOLVE_NO_SYMLINKS) return ELOOP;
      if (isMagicLink(name, child)) {
        // nd_jump_link: refused outright, and never safe inside a scoped lookup.
        if (resolve & RESOLVE_NO_MAGICLINKS) return ELOOP;
        if (scoped) return EXDEV;
      }
      if (isLast && env !== undefined && child.kind === 'synth' && child.s.type === 'link' && child.s.follow) {
        const target = child.s.follow(env);
        if (target !== undefined) {
          if (noXdev && devOf(target) !== devOf(cur.node)) return EXDEV;
          const loc = childLoc(cur, name, target);
          if (trailingSlash && !isDirNode(target)) return ENOTDIR;
          return { parent: cur, name, loc, trailingSlash, lastDots };
        }
      }
      const target = readLink(ctx, child);
      if (typeof target === 'number') return target;
      if (target === '') return ENOENT;
      if (target.startsWith('/')) {
        const e = jumpRoot(false);
        if (e < 0) return e;
      }
      const parts = splitPath(target);
      // "link -> dir/" or "link -> ." as the last component: the result is the directory itself.
      if (parts.length === 0 && isLast) lastDots = '.';
      for (let i = parts.length - 1; i >= 0; i--) todo.push(parts[i]!);
      continue;
    }
    if (!isLast && !isDirNode(child)) return ENOTDIR;
    const loc = childLoc(cur, name, child);
    if (isLast) {
      if (trailingSlash && !isDirNode(child)) return ENOTDIR;
      return { parent: cur, name, loc, trailingSlash, lastDots };
    }
    cur = loc;
  }
  // The path ended on a directory reached by ".", ".." or the root itself.
  return { parent: cur.parent ?? cur, name: '', loc: cur, trailingSlash, lastDots: lastDots || '.' };
}

/** A directory given by its canonical guest path (the cwd) as a location. */
export function dirLoc(ctx: WalkCtx, path: string): Loc | number {
  const root = ctx.vfs.rootLoc();
  if (typeof root === 'number') return root;
  // Canonical paths (the cwd) are paths from the guest root, whatever the process root is.
  const w = walkFrom(ctx, root, path, { follow: true }, root);
  if (typeof w === 'number') return w;
  if (w.loc === undefined) return ENOENT;
  return isDirNode(w.loc.node) ? w.loc : ENOTDIR;
}

/** The task's current directory as a location (re-resolved from its canonical path). */
export function cwdLoc(env: FsEnv): Loc | number {
  return dirLoc(walkCtx(env), env.task.fs.cwd);
}

/**
 * Where a *at() lookup starts: the root for an absolute path, the cwd for AT_FDCWD, else the
 * directory the fd was opened on (EBADF for no such fd, ENOTDIR when it is not a directory).
 */
export function startLoc(env: FsEnv, dirfd: number, path: string): Loc | number {
  if (path.startsWith('/')) return rootLoc(env);
  return dirfdLoc(env, dirfd);
}

/** The directory dirfd names (the cwd for AT_FDCWD). */
function dirfdLoc(env: FsEnv, dirfd: number): Loc | number {
  if (dirfd === AT_FDCWD) return cwdLoc(env);
  const f = env.task.files.get(dirfd);
  if (f === undefined) return EBADF;
  const loc = f.loc;
  if (loc === undefined || !isDirNode(loc.node)) return ENOTDIR;
  return loc;
}

/**
 * startLoc then walk: the common lookup of path-taking calls (path must not be empty). Under
 * RESOLVE_BENEATH an absolute path is EXDEV before dirfd is looked at; under RESOLVE_IN_ROOT an
 * absolute path starts at dirfd too (path_init).
 */
export function resolveAt(env: FsEnv, dirfd: number, path: string, opts: WalkOptions): Walked | number {
  const resolve = opts.resolve ?? 0;
  if (resolve & RESOLVE_BENEATH && path.startsWith('/')) return EXDEV;
  const start = resolve & RESOLVE_IN_ROOT ? dirfdLoc(env, dirfd) : startLoc(env, dirfd, path);
  if (typeof start === 'number') return start;
  return walk(walkCtx(env), start, path, opts);
}
