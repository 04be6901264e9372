/**
 * Path resolution inside the guest root (Linux's namei, for one root).
 *
 * The walker does every step itself: the host is only asked to lstat one component at a time and to
 * read links, so no host symlink is ever followed by the host and nothing escapes the root. ".." at
 * the root stays at the root; an absolute link target starts again from the guest root; a relative
 * one continues from the link's directory. At most 40 links are followed per lookup (ELOOP), as
 * Linux's MAXSYMLINKS. A component longer than NAME_MAX is ENAMETOOLONG. Every component but the
 * last must be a directory (ENOTDIR); a trailing slash makes the last component follow links and be
 * a directory too.
 */
import { AT_FDCWD } from '../abi/fcntl.js';
import { isDirNode, isLinkNode } from './node-stat.js';
import { type Vfs, vfsOf } from './vfs.js';
import { childLoc, type FsEnv, type Loc, type VNode } from './vnode.js';

const ENOENT = -2;
const EBADF = -9;
const ENOTDIR = -20;
const ENAMETOOLONG = -36;
const ELOOP = -40;

export const MAXSYMLINKS = 40;
export const NAME_MAX = 255;
export const PATH_MAX = 4096;

export interface WalkOptions {
  /** Follow a symlink in the last component (stat, open without O_NOFOLLOW) or not (lstat, unlink). */
  follow: boolean;
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

/** The guest root as a location. */
export function rootLoc(env: FsEnv): Loc | number {
  return vfsOf(env.kernel).rootLoc();
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

/** Resolves path starting at start (ignored for an absolute path). The path must not be empty. */
export function walk(ctx: WalkCtx, start: Loc, path: string, opts: WalkOptions): Walked | number {
  const { vfs, env } = ctx;
  let cur = start;
  if (path.startsWith('/')) {
    const r = vfs.rootLoc();
    if (typeof r === 'number') return r;
    cur = r;
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
      if (name === '..' && cur.parent !== undefined) cur = cur.parent;
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
    if (isLinkNode(child) && (!isLast || opts.follow || trailingSlash)) {
      if (++links > MAXSYMLINKS) return ELOOP;
      if (isLast && env !== undefined && child.kind === 'synth' && child.s.type === 'link' && child.s.follow) {
        const target = child.s.follow(env);
        if (target !== undefined) {
          const loc = childLoc(cur, name, target);
          if (trailingSlash && !isDirNode(target)) return ENOTDIR;
          return { parent: cur, name, loc, trailingSlash, lastDots };
        }
      }
      const target = readLink(ctx, child);
      if (typeof target === 'number') return target;
      if (target === '') return ENOENT;
      if (target.startsWith('/')) {
        const r = vfs.rootLoc();
        if (typeof r === 'number') return r;
        cur = r;
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
  const w = walk(ctx, root, path, { follow: true });
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
  if (dirfd === AT_FDCWD) return cwdLoc(env);
  const f = env.task.files.get(dirfd);
  if (f === undefined) return EBADF;
  const loc = f.loc;
  if (loc === undefined || !isDirNode(loc.node)) return ENOTDIR;
  return loc;
}

/** startLoc then walk: the common lookup of path-taking calls (path must not be empty). */
export function resolveAt(env: FsEnv, dirfd: number, path: string, opts: WalkOptions): Walked | number {
  const start = startLoc(env, dirfd, path);
  if (typeof start === 'number') return start;
  return walk(walkCtx(env), start, path, opts);
}
