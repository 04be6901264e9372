/**
 * File-system handlers called the way syscall entry calls them: arguments as numbers, guest buffers
 * in a page of guest memory the test maps with the mmap handler. The guest root is a fresh
 * temporary directory.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FS_SYSCALLS } from '../../../src/kernel/syscalls/sys-fs.js';
import { MM_SYSCALLS } from '../../../src/kernel/syscalls/sys-mm.js';
import type { SyscallSpec } from '../../../src/kernel/syscalls/syscall-types.js';
import { type Machine, makeMachine } from './fs-fixture.js';

const AT_FDCWD = -100;
const O_RDONLY = 0;
const O_WRONLY = 1;
const O_RDWR = 2;
const O_CREAT = 0o100;
const O_EXCL = 0o200;
const O_NONBLOCK = 0o4000;
const O_DIRECTORY = 0o40000;
const O_NOFOLLOW = 0o100000;
const O_LARGEFILE = 0o400000;
const O_CLOEXEC = 0o2000000;
const ENOENT = -2;
const EBADF = -9;
const EAGAIN = -11;
const EEXIST = -17;
const ENOTDIR = -20;
const EINVAL = -22;
const ENOTTY = -25;
const ESPIPE = -29;
const EPIPE = -32;
const ELOOP = -40;

const specs = new Map<string, SyscallSpec>([...FS_SYSCALLS, ...MM_SYSCALLS].map((s) => [s.name, s]));

let m: Machine;
/** A scratch area of guest memory: [mem, mem + 64 KiB). */
let mem = 0;

function sys(name: string, ...args: number[]): number {
  const h = specs.get(name)?.handler;
  assert.ok(h, `no handler for ${name}`);
  const r = h(m.ctx(name), args);
  assert.equal(typeof r, 'number', `${name} did not complete synchronously`);
  return r as number;
}

/** A call that may park: its result as the handler returns it (a number, or a promise while it waits). */
function sysAsync(name: string, ...args: number[]): number | Promise<number> {
  const h = specs.get(name)?.handler;
  assert.ok(h, `no handler for ${name}`);
  return h(m.ctx(name), args);
}

function put(addr: number, bytes: Uint8Array | string): number {
  const b = typeof bytes === 'string' ? new TextEncoder().encode(`${bytes}\0`) : bytes;
  m.task.mm.as.writeBytes(addr, b, 0, b.length);
  return addr;
}

function get(addr: number, len: number): Uint8Array {
  const b = new Uint8Array(len);
  m.task.mm.as.readBytes(addr, b, 0, len);
  return b;
}

function text(addr: number, len: number): string {
  return new TextDecoder().decode(get(addr, len));
}

/** A path string at a fixed place in guest memory. */
const path = (p: string, slot = 0) => put(mem + slot * 4096, p);
const BUF = () => mem + 0x8000;

before(() => {
  m = makeMachine();
  mem = sys('mmap', 0, 0x10000, 3, 0x22, -1, 0);
  assert.ok(mem > 0);
  mkdirSync(join(m.root, 'dir'));
  writeFileSync(join(m.root, 'dir', 'a'), 'alpha');
  writeFileSync(join(m.root, 'dir', 'b'), 'beta');
});

after(() => m.dispose());

describe('fs syscalls', () => {
  test('openat creates under the root with the umask applied; read, write, lseek, fstat agree', () => {
    const fd = sys('openat', AT_FDCWD, path('/new.txt'), O_RDWR | O_CREAT | O_EXCL, 0o666);
    assert.ok(fd >= 0);
    assert.equal(sys('write', fd, put(BUF(), new TextEncoder().encode('hello world')), 11), 11);
    assert.equal(readFileSync(join(m.root, 'new.txt'), 'utf8'), 'hello world');
    assert.equal(sys('lseek', fd, 6, 0), 6);
    assert.equal(sys('read', fd, BUF(), 100), 5);
    assert.equal(text(BUF(), 5), 'world');
    assert.equal(sys('fstat', fd, BUF()), 0);
    const st = new DataView(get(BUF(), 128).buffer);
    assert.equal(st.getUint32(16, true) & 0o7777, 0o644, 'st_mode: 0666 & ~022');
    assert.equal(Number(st.getBigInt64(48, true)), 11, 'st_size');
    assert.equal(sys('fcntl', fd, 3, 0), O_RDWR | O_LARGEFILE, 'F_GETFL drops O_CREAT/O_EXCL');
    assert.equal(sys('openat', AT_FDCWD, path('/new.txt'), O_RDWR | O_CREAT | O_EXCL, 0o666), EEXIST);
    assert.equal(sys('close', fd), 0);
    assert.equal(sys('close', fd), EBADF);
  });

  test('getdents64 lists . and .. first, and d_off cookies resume after lseek', () => {
    const fd = sys('openat', AT_FDCWD, path('/dir'), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
    assert.ok(fd >= 0);
    const n = sys('getdents64', fd, BUF(), 4096);
    assert.ok(n > 0);
    const raw = get(BUF(), n);
    const v = new DataView(raw.buffer);
    const names: string[] = [];
    const offs: number[] = [];
    for (let o = 0; o < n; ) {
      const reclen = v.getUint16(o + 16, true);
      assert.equal(reclen % 8, 0);
      assert.notEqual(v.getBigUint64(o, true), 0n, 'd_ino is set');
      offs.push(Number(v.getBigInt64(o + 8, true)));
      const end = raw.indexOf(0, o + 19);
      names.push(new TextDecoder().decode(raw.subarray(o + 19, end)));
      o += reclen;
    }
    assert.deepEqual(names.slice(0, 2), ['.', '..']);
    assert.deepEqual([...names.slice(2)].sort(), ['a', 'b']);
    assert.equal(sys('getdents64', fd, BUF(), 4096), 0, 'end of directory');
    assert.equal(sys('lseek', fd, offs[1]!, 0), offs[1]);
    const again = sys('getdents64', fd, BUF(), 4096);
    assert.ok(again > 0 && again < n, 'resumes after ".."');
    assert.equal(sys('getdents64', fd, BUF(), 8), 0, 'at the end even a tiny buffer gets 0');
    assert.equal(sys('lseek', fd, 0, 0), 0);
    assert.equal(sys('getdents64', fd, BUF(), 8), EINVAL, 'buffer too small for one record');
    assert.equal(sys('read', fd, BUF(), 10), -21, 'read of a directory is EISDIR');
    sys('close', fd);
  });

  test('open refuses what Linux refuses: ENOENT, ENOTDIR, ELOOP with O_NOFOLLOW, EBADF dirfd', () => {
    assert.equal(sys('openat', AT_FDCWD, path('/missing'), O_RDONLY, 0), ENOENT);
    assert.equal(sys('openat', AT_FDCWD, path('/dir/a'), O_RDONLY | O_DIRECTORY, 0), ENOTDIR);
    assert.equal(sys('symlinkat', path('/dir/a'), AT_FDCWD, path('/link', 1)), 0);
    assert.equal(sys('openat', AT_FDCWD, path('/link'), O_RDONLY | O_NOFOLLOW, 0), ELOOP);
    const fd = sys('openat', AT_FDCWD, path('/link'), O_RDONLY, 0);
    assert.ok(fd >= 0, 'following the link works');
    sys('close', fd);
    assert.equal(sys('openat', 77, path('relative'), O_RDONLY, 0), EBADF);
    assert.equal(sys('openat', AT_FDCWD, 0, O_RDONLY, 0), -14, 'a NULL path is EFAULT');
  });

  test('readlinkat, faccessat, mkdirat, renameat2 NOREPLACE, unlinkat', () => {
    const n = sys('readlinkat', AT_FDCWD, path('/link'), BUF(), 100);
    assert.equal(text(BUF(), n), '/dir/a');
    assert.equal(sys('readlinkat', AT_FDCWD, path('/dir/a'), BUF(), 100), EINVAL);
    assert.equal(sys('faccessat', AT_FDCWD, path('/dir/a'), 4), 0);
    assert.equal(sys('faccessat', AT_FDCWD, path('/nope'), 0), ENOENT);
    assert.equal(sys('mkdirat', AT_FDCWD, path('/d2/'), 0o755), 0);
    assert.equal(sys('mkdirat', AT_FDCWD, path('/d2'), 0o755), EEXIST);
    assert.equal(sys('renameat2', AT_FDCWD, path('/dir/b'), AT_FDCWD, path('/dir/a', 1), 1), EEXIST);
    assert.equal(sys('renameat2', AT_FDCWD, path('/dir/b'), AT_FDCWD, path('/d2/b', 1), 1), 0);
    assert.equal(readFileSync(join(m.root, 'd2', 'b'), 'utf8'), 'beta');
    assert.equal(sys('unlinkat', AT_FDCWD, path('/d2'), 0x200), -39, 'rmdir of a non-empty directory');
    assert.equal(sys('unlinkat', AT_FDCWD, path('/d2/b'), 0), 0);
    assert.equal(sys('unlinkat', AT_FDCWD, path('/d2'), 0), -21, 'unlink of a directory is EISDIR');
    assert.equal(sys('unlinkat', AT_FDCWD, path('/d2'), 0x200), 0);
    assert.equal(sys('renameat', AT_FDCWD, path('/proc/self'), AT_FDCWD, path('/x', 1)), -18, 'EXDEV out of /proc');
  });

  test('chdir, getcwd and relative lookups; fchdir to a directory fd', () => {
    assert.equal(sys('chdir', path('dir')), 0);
    assert.equal(sys('getcwd', BUF(), 100), 5);
    assert.equal(text(BUF(), 5), '/dir\0');
    assert.equal(sys('getcwd', BUF(), 3), -34, 'ERANGE');
    const fd = sys('openat', AT_FDCWD, path('a'), O_RDONLY, 0);
    assert.ok(fd >= 0);
    sys('close', fd);
    assert.equal(sys('chdir', path('/dir/a')), ENOTDIR);
    const root = sys('openat', AT_FDCWD, path('/'), O_RDONLY | O_DIRECTORY, 0);
    assert.equal(sys('fchdir', root), 0);
    assert.equal(m.task.fs.cwd, '/');
    sys('close', root);
  });

  test('pipes: data, EAGAIN, EOF, EPIPE, and a blocking read that waits for the writer', async () => {
    assert.equal(sys('pipe2', BUF(), O_NONBLOCK), 0);
    const fds = new DataView(get(BUF(), 8).buffer);
    const r = fds.getInt32(0, true);
    const w = fds.getInt32(4, true);
    assert.equal(sys('read', r, BUF() + 64, 10), EAGAIN);
    assert.equal(sys('write', w, put(BUF() + 64, new TextEncoder().encode('ping')), 4), 4);
    assert.equal(sys('ioctl', r, 0x541b, BUF() + 128), 0);
    assert.equal(new DataView(get(BUF() + 128, 4).buffer).getInt32(0, true), 4, 'FIONREAD');
    assert.equal(sys('read', r, BUF() + 256, 10), 4);
    assert.equal(text(BUF() + 256, 4), 'ping');
    assert.equal(sys('lseek', r, 0, 0), ESPIPE);
    assert.equal(sys('fcntl', r, 4, 0), 0, 'F_SETFL clears O_NONBLOCK');
    // A blocking read of an empty pipe parks (a promise) until the writer acts; closing it ends the wait with EOF.
    const pending = sysAsync('read', r, BUF() + 256, 10);
    assert.ok(pending instanceof Promise, 'a blocking read of an empty pipe waits');
    assert.equal(sys('close', w), 0);
    assert.equal(await pending, 0, 'EOF once the writer is gone');
    assert.equal(sys('pipe2', BUF(), 0), 0);
    const fds2 = new DataView(get(BUF(), 8).buffer);
    sys('close', fds2.getInt32(0, true));
    m.task.signals.actions[13]!.handler = 1; // SIG_IGN: EPIPE only
    assert.equal(sys('write', fds2.getInt32(4, true), BUF() + 64, 4), EPIPE);
    m.task.signals.actions[13]!.handler = 0;
    sys('close', r);
    sys('close', fds2.getInt32(4, true));
  });

  test('fcntl: F_DUPFD_CLOEXEC, F_SETFD, record locks on one process', () => {
    const fd = sys('openat', AT_FDCWD, path('/new.txt'), O_RDWR, 0);
    const d = sys('fcntl', fd, 1030, 20);
    assert.ok(d >= 20);
    assert.equal(sys('fcntl', d, 1, 0), 1);
    // struct flock: l_type F_WRLCK, l_whence SEEK_SET, l_start 0, l_len 0.
    const fl = new Uint8Array(32);
    new DataView(fl.buffer).setInt16(0, 1, true);
    put(BUF(), fl);
    assert.equal(sys('fcntl', fd, 6, BUF()), 0, 'F_SETLK');
    assert.equal(sys('fcntl', fd, 5, BUF()), 0, 'F_GETLK');
    assert.equal(new DataView(get(BUF(), 2).buffer).getInt16(0, true), 2, 'F_UNLCK: no conflicting lock');
    assert.equal(sys('ioctl', fd, 0x5401, BUF()), ENOTTY, 'TCGETS on a file');
    assert.equal(sys('ioctl', fd, 0x5451, 0), 0, 'FIOCLEX');
    assert.equal(sys('fcntl', fd, 1, 0), 1);
    sys('close', fd);
    sys('close', d);
  });

  test('/proc/self: exe and fd links, maps, status', () => {
    m.task.exePath = '/bin/prog';
    assert.equal(sys('readlinkat', AT_FDCWD, path('/proc/self/exe'), BUF(), 100), 9);
    assert.equal(text(BUF(), 9), '/bin/prog');
    const fd = sys('openat', AT_FDCWD, path('/dir/a'), O_RDONLY, 0);
    const n = sys('readlinkat', AT_FDCWD, path(`/proc/self/fd/${fd}`), BUF(), 100);
    assert.equal(text(BUF(), n), '/dir/a');
    const maps = sys('openat', AT_FDCWD, path('/proc/self/maps'), O_RDONLY, 0);
    const len = sys('read', maps, BUF(), 0x4000);
    const lines = text(BUF(), len).split('\n');
    const line = lines.find((l) => l.startsWith(mem.toString(16).padStart(8, '0')));
    assert.ok(line, 'the test mapping is listed');
    assert.match(line, /^[0-9a-f]{8,}-[0-9a-f]{8,} rw-p 00000000 00:00 0 $/);
    sys('close', maps);
    const status = sys('openat', AT_FDCWD, path('/proc/self/status'), O_RDONLY, 0);
    const sl = sys('read', status, BUF(), 0x4000);
    assert.match(text(BUF(), sl), new RegExp(`^Name:\\t.*\\n[^]*\\nPid:\\t${m.task.tid}\\n`));
    assert.equal(sys('openat', AT_FDCWD, path('/proc/self/status'), O_WRONLY, 0), -13, 'read-only');
    sys('close', status);
    sys('close', fd);
  });

  test('/dev/null, /dev/zero and /dev/full behave as the devices', () => {
    const z = sys('openat', AT_FDCWD, path('/dev/zero'), O_RDONLY, 0);
    put(BUF(), new Uint8Array([1, 2, 3]));
    assert.equal(sys('read', z, BUF(), 3), 3);
    assert.deepEqual([...get(BUF(), 3)], [0, 0, 0]);
    const nul = sys('openat', AT_FDCWD, path('/dev/null'), O_RDWR, 0);
    assert.equal(sys('write', nul, BUF(), 3), 3);
    assert.equal(sys('read', nul, BUF(), 3), 0);
    const full = sys('openat', AT_FDCWD, path('/dev/full'), O_WRONLY, 0);
    assert.equal(sys('write', full, BUF(), 3), -28);
    for (const fd of [z, nul, full]) sys('close', fd);
  });

  // Last: it ends the task.
  test('EPIPE also sends SIGPIPE to the writer (pending until its return to user mode)', () => {
    assert.equal(sys('pipe2', BUF(), 0), 0);
    const fds = new DataView(get(BUF(), 8).buffer);
    sys('close', fds.getInt32(0, true));
    assert.equal(sys('write', fds.getInt32(4, true), BUF() + 64, 4), EPIPE);
    assert.ok(m.task.signals.pendingSet().has(13), 'SIGPIPE is pending for the writer');
  });
});
