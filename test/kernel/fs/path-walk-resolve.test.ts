/**
 * openat2's RESOLVE_* restrictions and the process root (chroot) in the path walker: a temporary
 * directory is the guest root; /jail inside it is a chroot target.
 */
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setFsRoot } from '../../../src/kernel/fs/fs-root.js';
import {
  RESOLVE_BENEATH,
  RESOLVE_IN_ROOT,
  RESOLVE_NO_MAGICLINKS,
  RESOLVE_NO_SYMLINKS,
  RESOLVE_NO_XDEV,
  resolveAt,
} from '../../../src/kernel/fs/path-walk.js';
import { guestPathOf } from '../../../src/kernel/fs/vnode.js';
import { type Machine, makeMachine } from './fs-fixture.js';

const ENOENT = -2;
const EXDEV = -18;
const ELOOP = -40;
const AT_FDCWD = -100;

let m: Machine;

before(() => {
  m = makeMachine();
  const r = m.root;
  mkdirSync(join(r, 'etc'));
  writeFileSync(join(r, 'etc', 'passwd'), 'outside\n');
  mkdirSync(join(r, 'jail', 'etc'), { recursive: true });
  mkdirSync(join(r, 'jail', 'd'), { recursive: true });
  writeFileSync(join(r, 'jail', 'etc', 'passwd'), 'inside\n');
  symlinkSync('/etc/passwd', join(r, 'jail', 'abs-passwd'));
  symlinkSync('../../../../etc/passwd', join(r, 'jail', 'd', 'up-passwd'));
  symlinkSync('etc/passwd', join(r, 'jail', 'rel-passwd'));
});

after(() => m.dispose());

/** Where a lookup from dirfd (or the cwd) lands, as a guest path from the guest root, or the errno. */
function where(path: string, resolve = 0, dirfd = AT_FDCWD, follow = true): string | number {
  const w = resolveAt(m.env, dirfd, path, { follow, resolve });
  if (typeof w === 'number') return w;
  return w.loc === undefined ? ENOENT : guestPathOf(w.loc);
}

/** An O_PATH-like fd on a directory, for dirfd-relative lookups. */
function dirFd(path: string): number {
  const w = resolveAt(m.env, AT_FDCWD, path, { follow: true });
  assert.ok(typeof w !== 'number' && w.loc !== undefined);
  const loc = w.loc;
  return m.task.files.install({ flags: 0, path, pos: 0, refs: 0, loc }, false);
}

describe('RESOLVE_* flags', () => {
  test('RESOLVE_BENEATH: absolute paths, absolute links and climbing out are EXDEV', () => {
    const jail = dirFd('/jail');
    assert.equal(where('etc/passwd', RESOLVE_BENEATH, jail), '/jail/etc/passwd');
    assert.equal(where('d/../etc/passwd', RESOLVE_BENEATH, jail), '/jail/etc/passwd');
    assert.equal(where('/etc/passwd', RESOLVE_BENEATH, jail), EXDEV);
    assert.equal(where('abs-passwd', RESOLVE_BENEATH, jail), EXDEV);
    assert.equal(where('../etc/passwd', RESOLVE_BENEATH, jail), EXDEV);
    assert.equal(where('d/up-passwd', RESOLVE_BENEATH, jail), EXDEV);
    assert.equal(where('rel-passwd', RESOLVE_BENEATH, jail), '/jail/etc/passwd');
    m.task.files.close(jail);
  });

  test('RESOLVE_IN_ROOT: dirfd is the root for /, absolute links and ..', () => {
    const jail = dirFd('/jail');
    assert.equal(where('/etc/passwd', RESOLVE_IN_ROOT, jail), '/jail/etc/passwd');
    assert.equal(where('abs-passwd', RESOLVE_IN_ROOT, jail), '/jail/etc/passwd');
    assert.equal(where('../../etc/passwd', RESOLVE_IN_ROOT, jail), '/jail/etc/passwd');
    assert.equal(where('d/up-passwd', RESOLVE_IN_ROOT, jail), '/jail/etc/passwd');
    m.task.files.close(jail);
  });

  test('RESOLVE_NO_SYMLINKS refuses every followed link, not an unfollowed last one', () => {
    assert.equal(where('/jail/rel-passwd', RESOLVE_NO_SYMLINKS), ELOOP);
    assert.equal(where('/jail/rel-passwd', RESOLVE_NO_SYMLINKS, AT_FDCWD, false), '/jail/rel-passwd');
    assert.equal(where('/jail/etc/passwd', RESOLVE_NO_SYMLINKS), '/jail/etc/passwd');
  });

  test('RESOLVE_NO_MAGICLINKS refuses /proc/self/cwd but not /proc/self', () => {
    assert.equal(where('/proc/self/cwd', RESOLVE_NO_MAGICLINKS), ELOOP);
    assert.equal(typeof where('/proc/self/status', RESOLVE_NO_MAGICLINKS), 'string');
  });

  test('RESOLVE_NO_XDEV refuses crossing into /proc and /dev', () => {
    assert.equal(where('/proc/self/status', RESOLVE_NO_XDEV), EXDEV);
    assert.equal(where('/dev/null', RESOLVE_NO_XDEV), EXDEV);
    assert.equal(where('/jail/etc/passwd', RESOLVE_NO_XDEV), '/jail/etc/passwd');
  });
});

describe('process root (chroot)', () => {
  test('absolute paths, absolute links and .. stay inside the new root', () => {
    setFsRoot(m.task, '/jail');
    try {
      assert.equal(where('/etc/passwd'), '/jail/etc/passwd');
      assert.equal(where('/abs-passwd'), '/jail/etc/passwd');
      assert.equal(where('/../../etc/passwd'), '/jail/etc/passwd');
      assert.equal(where('/d/up-passwd'), '/jail/etc/passwd');
      // The cwd ("/" of the guest root) is outside the new root, as after chroot without chdir:
      // relative lookups still start there (Linux keeps the cwd).
      assert.equal(where('etc/passwd'), '/etc/passwd');
    } finally {
      setFsRoot(m.task, '/');
    }
    assert.equal(where('/etc/passwd'), '/etc/passwd');
  });

  test('a forked copy of the fs context keeps the root', () => {
    setFsRoot(m.task, '/jail');
    const copy = { ...m.task.fs };
    setFsRoot(m.task, '/');
    const saved = m.task.fs;
    m.task.fs = copy;
    try {
      assert.equal(where('/etc/passwd'), '/jail/etc/passwd');
    } finally {
      m.task.fs = saved;
    }
  });
});
