/** /dev/hugepages: create, stat, statfs, unlink and the pool behind the files. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AT_FDCWD, O_CREAT, O_EXCL, O_RDWR } from '../../../src/kernel/abi/fcntl.js';
import { HUGEPAGES_DEV } from '../../../src/kernel/fs/hugetlbfs.js';
import { statOfNode } from '../../../src/kernel/fs/node-stat.js';
import { openPath } from '../../../src/kernel/fs/open-path.js';
import { resolveAt } from '../../../src/kernel/fs/path-walk.js';
import { hugetlbPoolsOf } from '../../../src/kernel/mm/hugetlb.js';
import type { ShmemFile } from '../../../src/kernel/mm/shmem-file.js';
import { makeMachine } from './fs-fixture.js';

const MiB = 1024 * 1024;
const EEXIST = -17;
const EINVAL = -22;
const ENOENT = -2;
const EPERM = -1;

function lookup(m: ReturnType<typeof makeMachine>, path: string) {
  const w = resolveAt(m.env, AT_FDCWD, path, { follow: true });
  if (typeof w === 'number') return w;
  return w.loc === undefined ? ENOENT : w.loc;
}

test('open(O_CREAT) in /dev/hugepages makes a hugetlb file: mode, sizes in huge pages, statfs', (t) => {
  const m = makeMachine();
  t.after(m.dispose);
  const f = openPath(m.env, AT_FDCWD, '/dev/hugepages/a', O_CREAT | O_EXCL | O_RDWR, 0o666) as ShmemFile;
  assert.equal(typeof f, 'object');
  assert.equal(f.path, '/dev/hugepages/a');
  const st = f.stat();
  assert.equal(st.mode, 0o100644, 'the umask (022) applies');
  assert.equal(st.nlink, 1);
  assert.equal(st.dev, HUGEPAGES_DEV);
  assert.equal(st.blksize, 2 * MiB);
  assert.equal(f.truncate(MiB), EINVAL);
  assert.equal(f.truncate(4 * MiB), 0);
  assert.equal(f.statfs().type, 0x958458f6);
  assert.equal(openPath(m.env, AT_FDCWD, '/dev/hugepages/a', O_CREAT | O_EXCL | O_RDWR, 0o600), EEXIST);
  const loc = lookup(m, '/dev/hugepages/a');
  assert.ok(typeof loc === 'object');
  const byPath = statOfNode(m.env, loc.node);
  assert.ok(typeof byPath === 'object' && byPath.size === 4 * MiB && (byPath.mode & 0o7777) === 0o644);
  const dir = lookup(m, '/dev/hugepages');
  assert.ok(typeof dir === 'object' && dir.node.kind === 'synth' && dir.node.s.type === 'dir');
  assert.deepEqual(
    dir.node.s.entries(m.env).map((e) => e.name),
    ['a'],
  );
  assert.equal(dir.node.s.statfs?.().bsize, 2 * MiB);
});

test('unlink drops the name; the pages stay while the file is open and go back to the pool after', (t) => {
  const m = makeMachine();
  t.after(m.dispose);
  const pool = hugetlbPoolsOf(m.kernel).default;
  const f = openPath(m.env, AT_FDCWD, '/dev/hugepages/b', O_CREAT | O_RDWR, 0o600) as ShmemFile;
  assert.equal(f.truncate(2 * MiB), 0);
  assert.ok(f.obj.hugeQuota?.allocate(0));
  assert.equal(pool.total - pool.free, 1);
  const dir = lookup(m, '/dev/hugepages');
  assert.ok(typeof dir === 'object' && dir.node.kind === 'synth' && dir.node.s.type === 'dir');
  const d = dir.node.s;
  assert.equal(d.unlink?.(m.env, 'b'), 0);
  assert.equal(lookup(m, '/dev/hugepages/b'), ENOENT);
  assert.equal(d.unlink?.(m.env, 'b'), ENOENT);
  assert.equal(f.stat().nlink, 0);
  assert.equal(f.obj.path, '/dev/hugepages/b (deleted)');
  assert.equal(pool.total - pool.free, 1);
  f.release();
  assert.equal(pool.total - pool.free, 0);
});

test('the sticky directory: only the owner or root unlinks a file', (t) => {
  const m = makeMachine();
  t.after(m.dispose);
  const creds = m.task.creds;
  creds.euid = 1000;
  openPath(m.env, AT_FDCWD, '/dev/hugepages/c', O_CREAT | O_RDWR, 0o600);
  const dir = lookup(m, '/dev/hugepages');
  assert.ok(typeof dir === 'object' && dir.node.kind === 'synth' && dir.node.s.type === 'dir');
  creds.euid = 1001;
  assert.equal(dir.node.s.unlink?.(m.env, 'c'), EPERM);
  creds.euid = 0;
  assert.equal(dir.node.s.unlink?.(m.env, 'c'), 0);
});
