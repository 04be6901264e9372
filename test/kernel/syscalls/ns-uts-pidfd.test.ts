/**
 * The pure pieces of sys-ns.ts (open_how checks, kcmp's order), sys-uts.ts (the UTS fields and their
 * sysctl text), fs-root.ts (paths under a process root) and the pidfd lookups other modules use.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  O_CLOEXEC,
  O_CREAT,
  O_PATH,
  O_RDONLY,
  O_RDWR,
  O_TMPFILE,
  O_TRUNC,
  O_WRONLY,
} from '../../../src/kernel/abi/fcntl.js';
import { pathUnderRoot } from '../../../src/kernel/fs/fs-root.js';
import { installPidfd, PidfdFile, pidfdTarget } from '../../../src/kernel/fs/pidfd-file.js';
import { POLLIN } from '../../../src/kernel/fs/poll-mask.js';
import { checkOpenHow, kcmpOrder, type OpenHow } from '../../../src/kernel/syscalls/sys-ns.js';
import { pidOfPidfd } from '../../../src/kernel/syscalls/sys-pidfd.js';
import { setUtsName, utsFieldBytes, utsName, utsProcRead, utsProcWrite } from '../../../src/kernel/syscalls/sys-uts.js';
import { type Machine, makeMachine } from '../fs/fs-fixture.js';

const EBADF = -9;
const EAGAIN = -11;
const EINVAL = -22;

function how(flags: number, mode = 0, resolve = 0): OpenHow {
  return { flagsLo: flags, flagsHi: 0, modeLo: mode, modeHi: 0, resolveLo: resolve, resolveHi: 0 };
}

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

let m: Machine;
before(() => {
  m = makeMachine();
});
after(() => m.dispose());

describe('openat2 open_how checks (build_open_flags)', () => {
  test('valid combinations', () => {
    assert.equal(checkOpenHow(how(O_RDONLY)), 0);
    assert.equal(checkOpenHow(how(O_RDWR | O_CLOEXEC)), 0);
    assert.equal(checkOpenHow(how(O_CREAT | O_WRONLY, 0o7777)), 0);
    assert.equal(checkOpenHow(how(O_PATH | O_CLOEXEC)), 0);
    assert.equal(checkOpenHow(how(O_TMPFILE | O_RDONLY | O_TRUNC, 0o600)), 0);
  });

  test('EINVAL rules', () => {
    assert.equal(checkOpenHow({ ...how(O_RDONLY), flagsHi: 1 }), EINVAL);
    assert.equal(checkOpenHow(how(0x40000000)), EINVAL);
    assert.equal(checkOpenHow(how(O_RDONLY, 0o644)), EINVAL);
    assert.equal(checkOpenHow(how(O_CREAT, 0o10000)), EINVAL);
    assert.equal(checkOpenHow({ ...how(O_CREAT), modeHi: 1 }), EINVAL);
    assert.equal(checkOpenHow(how(O_RDONLY, 0, 0x40)), EINVAL);
    assert.equal(checkOpenHow({ ...how(O_RDONLY), resolveHi: 1 }), EINVAL);
    assert.equal(checkOpenHow(how(O_RDONLY, 0, 0x08 | 0x10)), EINVAL);
    assert.equal(checkOpenHow(how(O_PATH | O_RDWR)), EINVAL);
    assert.equal(checkOpenHow(how(O_TMPFILE | O_RDONLY, 0o600)), EINVAL);
  });

  test('RESOLVE_CACHED refuses O_CREAT, O_TRUNC and O_TMPFILE with EAGAIN', () => {
    assert.equal(checkOpenHow(how(O_CREAT | O_WRONLY, 0o644, 0x20)), EAGAIN);
    assert.equal(checkOpenHow(how(O_WRONLY | O_TRUNC, 0, 0x20)), EAGAIN);
    assert.equal(checkOpenHow(how(O_TMPFILE | O_WRONLY, 0o600, 0x20)), EAGAIN);
    assert.equal(checkOpenHow(how(O_RDONLY, 0, 0x20)), 0);
  });
});

describe('kcmp order', () => {
  test('equal objects compare 0, others in one consistent total order', () => {
    const a = {};
    const b = {};
    const c = {};
    assert.equal(kcmpOrder(m.kernel, a, a), 0);
    const ab = kcmpOrder(m.kernel, a, b);
    assert.ok(ab === 1 || ab === 2);
    assert.equal(kcmpOrder(m.kernel, b, a), 3 - ab);
    // Transitive: a < b and b < c give a < c.
    const bc = kcmpOrder(m.kernel, b, c);
    if (ab === bc) assert.equal(kcmpOrder(m.kernel, a, c), ab);
    assert.equal(kcmpOrder(m.kernel, undefined, undefined), 0);
    assert.equal(kcmpOrder(m.kernel, undefined, a), 1);
  });
});

describe('UTS names', () => {
  test('fields are 65 NUL-filled bytes; names are cut at 64; the sysctl text ends in a newline', () => {
    setUtsName(m.kernel, 'nodename', bytes('box'));
    const f = utsFieldBytes(m.kernel, 'nodename');
    assert.equal(f.length, 65);
    assert.equal(text(f.subarray(0, 4)), 'box\0');
    assert.ok(f.subarray(3).every((x) => x === 0));
    setUtsName(m.kernel, 'nodename', bytes('x'.repeat(80)));
    assert.equal(utsName(m.kernel, 'nodename').length, 64);
    assert.equal(utsFieldBytes(m.kernel, 'nodename')[64], 0);
    assert.equal(text(utsFieldBytes(m.kernel, 'domainname').subarray(0, 7)), '(none)\0');
    setUtsName(m.kernel, 'domainname', bytes('example.org'));
    assert.equal(text(utsProcRead(m.kernel, 'domainname')), 'example.org\n');
  });

  test('a sysctl write keeps the bytes up to the newline and consumes the whole write', () => {
    assert.equal(utsProcWrite(m.kernel, 'nodename', bytes('from-proc\nrest')), 14);
    assert.equal(text(utsName(m.kernel, 'nodename')), 'from-proc');
  });
});

describe('process root paths', () => {
  test('d_path against a root', () => {
    assert.equal(pathUnderRoot('/', '/a/b'), '/a/b');
    assert.equal(pathUnderRoot('/jail', '/jail'), '/');
    assert.equal(pathUnderRoot('/jail', '/jail/etc'), '/etc');
    assert.equal(pathUnderRoot('/jail', '/jailbreak'), undefined);
    assert.equal(pathUnderRoot('/jail', '/etc'), undefined);
  });
});

describe('pidfd lookups', () => {
  test('a pidfd names its process; other fds are EBADF; fd < 0 is EINVAL for waitid', () => {
    const fd = installPidfd(m.kernel, m.task, m.task.group, false);
    assert.ok(fd >= 0);
    const f = m.task.files.get(fd);
    assert.ok(f instanceof PidfdFile);
    assert.equal(pidfdTarget(f), m.task.group);
    assert.equal(m.task.files.cloexec(fd), true);
    assert.deepEqual(pidOfPidfd(m.task, fd), { pid: m.task.tgid, nonblock: false });
    assert.equal(pidOfPidfd(m.task, fd + 100), EBADF);
    assert.equal(pidOfPidfd(m.task, -1), EINVAL);
    assert.equal(f.poll() & POLLIN, 0);
    assert.equal(f.fdinfo(), `Pid:\t${m.task.tgid}\nNSpid:\t${m.task.tgid}\n`);
    assert.equal(f.path, 'anon_inode:[pidfd]');
    const nb = installPidfd(m.kernel, m.task, m.task.group, true);
    assert.deepEqual(pidOfPidfd(m.task, nb), { pid: m.task.tgid, nonblock: true });
    m.task.files.close(fd);
    m.task.files.close(nb);
  });
});
