/**
 * Path resolution inside the guest root: a temporary directory is the root, and nothing a guest
 * path says (.., absolute links, links with ..) may reach outside it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { resolveAt, rootLoc, walk, walkCtx } from '../../../src/kernel/fs/path-walk.js';
import { guestPathOf, type Loc } from '../../../src/kernel/fs/vnode.js';
import { type Machine, makeMachine } from './fs-fixture.js';

const ENOENT = -2;
const ENOTDIR = -20;
const ENAMETOOLONG = -36;
const ELOOP = -40;
const AT_FDCWD = -100;

let m: Machine;

before(() => {
  m = makeMachine();
  const r = m.root;
  mkdirSync(join(r, 'etc'));
  writeFileSync(join(r, 'etc', 'passwd'), 'inside\n');
  mkdirSync(join(r, 'a', 'b'), { recursive: true });
  writeFileSync(join(r, 'a', 'b', 'f'), 'x');
  symlinkSync('/etc', join(r, 'abs-etc'));
  symlinkSync('../../../../../../etc/passwd', join(r, 'a', 'b', 'up-passwd'));
  symlinkSync('b', join(r, 'a', 'rel'));
  symlinkSync('loop2', join(r, 'loop1'));
  symlinkSync('loop1', join(r, 'loop2'));
  symlinkSync('/a/b/f', join(r, 'to-file'));
  symlinkSync('missing', join(r, 'dangling'));
});

after(() => m.dispose());

function resolve(path: string, follow = true) {
  return resolveAt(m.env, AT_FDCWD, path, { follow });
}

/** The host path a guest path resolves to, or the errno. */
function hostPathOf(path: string, follow = true): string | number {
  const w = resolve(path, follow);
  if (typeof w === 'number') return w;
  if (w.loc === undefined) return ENOENT;
  const n = w.loc.node;
  return n.kind === 'host' ? n.hostPath : `synthetic:${guestPathOf(w.loc)}`;
}

function guestPath(path: string): string | number {
  const w = resolve(path);
  if (typeof w === 'number') return w;
  return w.loc === undefined ? ENOENT : guestPathOf(w.loc as Loc);
}

describe('path walk', () => {
  test('plain absolute and relative paths land under the root', () => {
    assert.equal(hostPathOf('/etc/passwd'), join(m.root, 'etc', 'passwd'));
    assert.equal(hostPathOf('etc/passwd'), join(m.root, 'etc', 'passwd'));
    assert.equal(guestPath('/a/./b//f'), '/a/b/f');
  });

  test('".." at the root stays at the root', () => {
    assert.equal(hostPathOf('../../etc/passwd'), join(m.root, 'etc', 'passwd'));
    assert.equal(hostPathOf('/../../../etc/passwd'), join(m.root, 'etc', 'passwd'));
    assert.equal(guestPath('/..'), '/');
    assert.equal(guestPath('a/b/../../..'), '/');
  });

  test('an absolute symlink target resolves from the guest root', () => {
    assert.equal(hostPathOf('/abs-etc/passwd'), join(m.root, 'etc', 'passwd'));
    assert.equal(guestPath('/abs-etc'), '/etc');
  });

  test('a symlink climbing out with ".." stays inside', () => {
    assert.equal(hostPathOf('/a/b/up-passwd'), join(m.root, 'etc', 'passwd'));
  });

  test('relative links continue from the link directory; ".." after a link is physical', () => {
    assert.equal(guestPath('/a/rel/f'), '/a/b/f');
    assert.equal(guestPath('/a/rel/..'), '/a');
  });

  test('symlink loops are ELOOP', () => {
    assert.equal(resolve('/loop1'), ELOOP);
    assert.equal(resolve('/loop1/x'), ELOOP);
  });

  test('not following the last component returns the link itself', () => {
    const w = resolve('/loop1', false);
    assert.ok(typeof w !== 'number' && w.loc !== undefined);
    assert.equal(guestPathOf(w.loc), '/loop1');
    const d = resolve('/dangling', false);
    assert.ok(typeof d !== 'number' && d.loc !== undefined);
  });

  test('a dangling link followed gives the missing target as the last component', () => {
    const w = resolve('/dangling');
    assert.ok(typeof w !== 'number');
    assert.equal(w.loc, undefined);
    assert.equal(w.name, 'missing');
    assert.equal(guestPathOf(w.parent), '/');
  });

  test('a missing last component reports its parent and name; a missing middle one is ENOENT', () => {
    const w = resolve('/a/b/new');
    assert.ok(typeof w !== 'number');
    assert.equal(w.loc, undefined);
    assert.equal(w.name, 'new');
    assert.equal(guestPathOf(w.parent), '/a/b');
    assert.equal(resolve('/nope/x'), ENOENT);
  });

  test('a file in the middle of a path is ENOTDIR, also through a link and with a trailing slash', () => {
    assert.equal(resolve('/etc/passwd/x'), ENOTDIR);
    assert.equal(resolve('/to-file/x'), ENOTDIR);
    assert.equal(resolve('/etc/passwd/'), ENOTDIR);
    assert.equal(resolve('/etc/passwd/.'), ENOTDIR);
    const d = resolve('/a/');
    assert.ok(typeof d !== 'number' && d.trailingSlash && d.loc !== undefined);
  });

  test('a trailing slash follows a final link', () => {
    const w = resolve('/abs-etc/', false);
    assert.ok(typeof w !== 'number' && w.loc !== undefined);
    assert.equal(guestPathOf(w.loc), '/etc');
  });

  test('over-long components are ENAMETOOLONG', () => {
    assert.equal(resolve(`/${'n'.repeat(256)}`), ENAMETOOLONG);
  });

  test('"." and ".." as the last component are reported', () => {
    const w = resolve('/a/.');
    assert.ok(typeof w !== 'number');
    assert.equal(w.lastDots, '.');
    assert.equal(w.name, '');
    const r = resolve('/');
    assert.ok(typeof r !== 'number' && r.loc !== undefined);
    assert.equal(guestPathOf(r.loc), '/');
  });

  test('/proc and /dev are synthetic and hide the host directories of those names', () => {
    mkdirSync(join(m.root, 'proc'), { recursive: true });
    writeFileSync(join(m.root, 'proc', 'host-file'), 'host');
    assert.equal(hostPathOf('/proc/host-file'), ENOENT);
    assert.equal(hostPathOf('/proc/self/..'), 'synthetic:/proc');
    assert.equal(guestPath('/proc/self'), `/proc/${m.task.tgid}`);
    assert.equal(guestPath('/dev/fd'), `/proc/${m.task.tgid}/fd`);
    assert.equal(hostPathOf('/dev/stdin'), ENOENT, 'no fd 0 in this task');
  });

  test('relative lookups start at the cwd', () => {
    m.task.fs.cwd = '/a/b';
    try {
      assert.equal(hostPathOf('f'), join(m.root, 'a', 'b', 'f'));
      assert.equal(hostPathOf('../../etc/passwd'), join(m.root, 'etc', 'passwd'));
    } finally {
      m.task.fs.cwd = '/';
    }
  });

  test('a walk without a task (opening the first program) finds host files only', () => {
    const ctx = { vfs: walkCtx(m.env).vfs, env: undefined };
    const root = rootLoc(m.env);
    assert.ok(typeof root !== 'number');
    const w = walk(ctx, root, '/proc/self', { follow: true });
    assert.ok(typeof w === 'number' || w.loc === undefined);
    const e = walk(ctx, root, '/abs-etc/passwd', { follow: true });
    assert.ok(typeof e !== 'number' && e.loc?.node.kind === 'host');
  });
});
