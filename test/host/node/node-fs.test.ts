/** NodeFs: arm64 open flags become the host's, Node errors become Linux errno values, names stay bytes. */
import assert from 'node:assert/strict';
import { constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { errnoOf, hostOpenFlags, NodeFs } from '../../../src/host/node/node-fs.js';
import * as F from '../../../src/kernel/abi/fcntl.js';

const dir = mkdtempSync(join(tmpdir(), 'c64-nodefs-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const nfs = new NodeFs();

describe('NodeFs', () => {
  test('arm64 flags that differ from the host are translated; O_NOFOLLOW is always added, O_APPEND never', () => {
    const h = hostOpenFlags(F.O_RDWR | F.O_CREAT | F.O_DIRECTORY | F.O_APPEND | F.O_LARGEFILE);
    assert.equal(h & 3, constants.O_RDWR);
    assert.ok(h & constants.O_CREAT);
    assert.ok(h & constants.O_DIRECTORY);
    assert.ok(h & constants.O_NOFOLLOW);
    assert.equal(h & constants.O_APPEND, 0);
    // arm64's O_DIRECTORY (0o40000) is x86's O_DIRECT: it must not leak through untranslated.
    assert.equal(hostOpenFlags(F.O_RDONLY) & F.O_DIRECTORY & ~constants.O_DIRECTORY, 0);
  });

  test('errors come back as negative Linux errno values', () => {
    assert.equal(nfs.open(join(dir, 'missing'), F.O_RDONLY, 0), -2);
    assert.equal(nfs.lstat(join(dir, 'missing')), -2);
    writeFileSync(join(dir, 'f'), 'x');
    assert.equal(nfs.mkdir(join(dir, 'f'), 0o755), -17);
    assert.equal(nfs.readlink(join(dir, 'f')), -22);
    assert.equal(errnoOf(new Error('no code')), -5);
  });

  test('names that are not UTF-8 survive listing and opening as byte strings', () => {
    const name = 'caf\xe9'; // Latin-1 é: one byte 0xe9, invalid UTF-8 on its own
    const path = `${dir}/${name}`;
    const fd = nfs.open(path, F.O_WRONLY | F.O_CREAT, 0o644);
    assert.ok(fd >= 0);
    assert.equal(nfs.write(fd, new Uint8Array([65]), 0, 1, undefined), 1);
    nfs.close(fd);
    const list = nfs.readdir(dir);
    assert.ok(Array.isArray(list));
    const e = list.find((x) => x.name === name);
    assert.ok(e, 'listed with its exact bytes');
    assert.equal(e.type, F.DT_REG);
    assert.ok(e.ino > 0);
  });

  test('stat records carry nanoseconds and the file type', () => {
    const st = nfs.lstat(dir);
    assert.ok(typeof st !== 'number');
    assert.equal(st.mode & F.S_IFMT, F.S_IFDIR);
    assert.ok(st.mtime.nsec >= 0 && st.mtime.nsec < 1e9);
  });
});
