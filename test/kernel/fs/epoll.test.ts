/**
 * epoll as fs/eventpoll.c behaves, through the syscall handlers: level- and edge-triggered items,
 * EPOLLONESHOT, the epoll_ctl errors, nested instances and loops, items that outlive their fd but
 * not their description, blocking waits woken by another task, timeouts, signals and masks.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type IoMachine, ioMachine, settled } from './io-fixture.js';

const AT_FDCWD = -100;
const O_CREAT = 0o100;
const O_RDWR = 2;
const O_NONBLOCK = 0o4000;
const EBADF = -9;
const EEXIST = -17;
const ENOENT = -2;
const EINVAL = -22;
const EPERM = -1;
const ELOOP = -40;
const EINTR = -4;
const EPOLLIN = 0x1;
const EPOLLPRI = 0x2;
const EPOLLOUT = 0x4;
const EPOLLHUP = 0x10;
const EPOLLEXCLUSIVE = 1 << 28;
const EPOLLONESHOT = 1 << 30;
const EPOLLET = 2 ** 31;
const ADD = 1;
const DEL = 2;
const MOD = 3;
const SIGUSR1 = 10;

let io: IoMachine;
const EV = () => io.mem + 0x2000;
const OUT = () => io.mem + 0x3000;
const DATA = () => io.mem + 0x4000;

before(() => {
  io = ioMachine();
});
after(() => io.dispose());

function ctl(ep: number, op: number, fd: number, events: number, data: bigint = BigInt(fd)): number {
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  v.setUint32(0, events >>> 0, true);
  v.setBigUint64(8, data, true);
  io.put(EV(), b);
  return io.sys('epoll_ctl', ep, op, fd, EV());
}

/** epoll_wait without blocking: the events as [events, data] pairs. */
function poll(ep: number, max = 16): [number, bigint][] {
  const n = io.sys('epoll_pwait', ep, OUT(), max, 0, 0, 8);
  assert.ok(n >= 0, `epoll_pwait: ${n}`);
  return decode(n);
}

function decode(n: number): [number, bigint][] {
  const v = new DataView(io.get(OUT(), n * 16).buffer);
  return Array.from({ length: n }, (_, i) => [v.getUint32(i * 16, true), v.getBigUint64(i * 16 + 8, true)]);
}

function write(fd: number, s: string): number {
  return io.sys('write', fd, io.put(DATA(), s), s.length);
}

function read(fd: number, n: number): number {
  return io.sys('read', fd, DATA(), n);
}

describe('epoll', () => {
  test('level-triggered: a readable pipe is reported on every wait until it is drained', () => {
    const ep = io.sys('epoll_create1', 0);
    const [r, w] = io.pipe(O_NONBLOCK);
    assert.equal(ctl(ep, ADD, r, EPOLLIN, 0x1122334455667788n), 0);
    assert.deepEqual(poll(ep), []);
    write(w, 'abc');
    assert.deepEqual(poll(ep), [[EPOLLIN, 0x1122334455667788n]], 'data comes back untouched');
    assert.deepEqual(poll(ep), [[EPOLLIN, 0x1122334455667788n]]);
    read(r, 3);
    assert.deepEqual(poll(ep), []);
    io.sys('close', w);
    assert.deepEqual(poll(ep), [[EPOLLHUP, 0x1122334455667788n]], 'EPOLLHUP is always watched');
    io.sys('close', r);
    io.sys('close', ep);
  });

  test('edge-triggered: one event per write; a partial read does not re-arm it', () => {
    const ep = io.sys('epoll_create1', 0);
    const [r, w] = io.pipe(O_NONBLOCK);
    assert.equal(ctl(ep, ADD, r, EPOLLIN | EPOLLET), 0);
    assert.deepEqual(poll(ep), []);
    write(w, 'abcd');
    assert.deepEqual(poll(ep), [[EPOLLIN, BigInt(r)]]);
    assert.deepEqual(poll(ep), [], 'reported once');
    read(r, 1);
    assert.deepEqual(poll(ep), [], 'reading does not make new input');
    write(w, 'e');
    assert.deepEqual(
      poll(ep),
      [[EPOLLIN, BigInt(r)]],
      'every write is an edge (pipes wake readers on each write once polled)',
    );
    io.sys('close', w);
    io.sys('close', r);
    io.sys('close', ep);
  });

  test('edge-triggered EPOLLOUT fires when a full pipe gets room, not on every read', () => {
    const ep = io.sys('epoll_create1', 0);
    const [r, w] = io.pipe(O_NONBLOCK);
    assert.equal(ctl(ep, ADD, w, EPOLLOUT | EPOLLET), 0);
    assert.deepEqual(poll(ep), [[EPOLLOUT, BigInt(w)]], 'writable when added');
    assert.deepEqual(poll(ep), []);
    write(w, 'x');
    read(r, 1);
    assert.deepEqual(poll(ep), [], 'the pipe was never full');
    const big = new Uint8Array(65536);
    assert.equal(io.sys('write', w, io.put(io.mem + 0x10000, big), 65536), 65536);
    assert.deepEqual(poll(ep), []);
    read(r, 100);
    assert.deepEqual(poll(ep), [], 'a page is not free yet');
    assert.equal(io.sys('read', r, io.mem + 0x10000, 4096), 4096);
    assert.deepEqual(poll(ep), [[EPOLLOUT, BigInt(w)]], 'full -> not full');
    io.sys('close', w);
    io.sys('close', r);
    io.sys('close', ep);
  });

  test('EPOLLONESHOT reports once until EPOLL_CTL_MOD re-arms the item', () => {
    const ep = io.sys('epoll_create1', 0);
    const [r, w] = io.pipe(O_NONBLOCK);
    assert.equal(ctl(ep, ADD, r, EPOLLIN | EPOLLONESHOT), 0);
    write(w, 'a');
    assert.deepEqual(poll(ep), [[EPOLLIN, BigInt(r)]]);
    assert.deepEqual(poll(ep), [], 'disabled');
    write(w, 'b');
    assert.deepEqual(poll(ep), [], 'still disabled');
    assert.equal(ctl(ep, MOD, r, EPOLLIN | EPOLLONESHOT, 7n), 0);
    assert.deepEqual(poll(ep), [[EPOLLIN, 7n]]);
    io.sys('close', w);
    io.sys('close', r);
    io.sys('close', ep);
  });

  test('epoll_ctl errors: EEXIST, ENOENT, EBADF, EPERM for regular files, EINVAL for self and non-epoll fds', () => {
    const ep = io.sys('epoll_create1', 0);
    const [r, w] = io.pipe(O_NONBLOCK);
    assert.equal(ctl(ep, ADD, r, EPOLLIN), 0);
    assert.equal(ctl(ep, ADD, r, EPOLLIN), EEXIST);
    assert.equal(ctl(ep, MOD, w, EPOLLOUT), ENOENT);
    assert.equal(ctl(ep, DEL, w, 0), ENOENT);
    assert.equal(ctl(ep, ADD, 999, EPOLLIN), EBADF);
    assert.equal(ctl(999, ADD, r, EPOLLIN), EBADF);
    const file = io.sys('openat', AT_FDCWD, io.put(io.mem + 0x5000, '/plain\0'), O_RDWR | O_CREAT, 0o600);
    assert.ok(file >= 0);
    assert.equal(ctl(ep, ADD, file, EPOLLIN), EPERM, 'a regular file has no poll method');
    assert.equal(ctl(ep, ADD, ep, EPOLLIN), EINVAL, 'an instance cannot watch itself');
    assert.equal(ctl(r, ADD, w, EPOLLOUT), EINVAL, 'epfd must be an epoll instance');
    assert.equal(ctl(ep, 99, w, EPOLLOUT), EINVAL, 'unknown op');
    assert.equal(io.sys('epoll_ctl', ep, ADD, w, 0), -14, 'the event is read before anything else');
    assert.equal(io.sys('epoll_ctl', ep, DEL, r, 0), 0, 'DEL needs no event');
    assert.equal(io.sys('epoll_create1', 1), EINVAL);
    for (const fd of [file, r, w, ep]) io.sys('close', fd);
  });

  test('EPOLLEXCLUSIVE: accepted on ADD with IN/OUT/ERR/HUP/ET only, never on MOD or for epoll targets', () => {
    const ep = io.sys('epoll_create1', 0);
    const ep2 = io.sys('epoll_create1', 0);
    const [r, w] = io.pipe(O_NONBLOCK);
    assert.equal(ctl(ep, ADD, r, EPOLLIN | EPOLLPRI | EPOLLEXCLUSIVE), EINVAL);
    assert.equal(ctl(ep, ADD, ep2, EPOLLIN | EPOLLEXCLUSIVE), EINVAL);
    assert.equal(ctl(ep, ADD, r, EPOLLIN | EPOLLEXCLUSIVE), 0);
    assert.equal(ctl(ep, MOD, r, EPOLLIN), EINVAL, 'an exclusive item cannot be modified');
    assert.equal(ctl(ep, MOD, r, EPOLLIN | EPOLLEXCLUSIVE), EINVAL);
    write(w, 'x');
    assert.deepEqual(poll(ep), [[EPOLLIN, BigInt(r)]]);
    for (const fd of [r, w, ep, ep2]) io.sys('close', fd);
  });

  test('nested instances: readiness propagates, loops and chains deeper than 4 are ELOOP', () => {
    const inner = io.sys('epoll_create1', 0);
    const outer = io.sys('epoll_create1', 0);
    const [r, w] = io.pipe(O_NONBLOCK);
    assert.equal(ctl(inner, ADD, r, EPOLLIN), 0);
    assert.equal(ctl(outer, ADD, inner, EPOLLIN), 0);
    assert.deepEqual(poll(outer), []);
    write(w, 'x');
    assert.deepEqual(poll(outer), [[EPOLLIN, BigInt(inner)]]);
    assert.equal(ctl(inner, ADD, outer, EPOLLIN), ELOOP, 'a loop');
    read(r, 1);
    assert.deepEqual(poll(outer), []);
    // A chain of 6 instances: e0 ⊃ e1 ⊃ … ⊃ e5 goes past EP_MAX_NESTS.
    const chain = Array.from({ length: 6 }, () => io.sys('epoll_create1', 0));
    const results: number[] = [];
    for (let i = 0; i < 5; i++) results.push(ctl(chain[i]!, ADD, chain[i + 1]!, EPOLLIN));
    assert.deepEqual(results, [0, 0, 0, 0, ELOOP]);
    for (const fd of [inner, outer, r, w, ...chain]) io.sys('close', fd);
  });

  test('an item outlives its fd while a dup keeps the description; the last close removes it', () => {
    const ep = io.sys('epoll_create1', 0);
    const [r, w] = io.pipe(O_NONBLOCK);
    assert.equal(ctl(ep, ADD, r, EPOLLIN, 42n), 0);
    const dup = io.sys('dup', r);
    io.sys('close', r);
    write(w, 'x');
    assert.deepEqual(poll(ep), [[EPOLLIN, 42n]], 'still watched through the description');
    assert.equal(ctl(ep, DEL, r, 0), EBADF, 'its fd number is gone');
    io.sys('close', dup);
    assert.deepEqual(poll(ep), [], 'the description is gone, and the item with it');
    io.sys('close', w);
    io.sys('close', ep);
  });

  test('maxevents takes level-triggered items round-robin across calls', () => {
    const ep = io.sys('epoll_create1', 0);
    const pipes = [io.pipe(O_NONBLOCK), io.pipe(O_NONBLOCK), io.pipe(O_NONBLOCK)];
    for (const [r, w] of pipes) {
      assert.equal(ctl(ep, ADD, r, EPOLLIN), 0);
      write(w, 'x');
    }
    const seen = [poll(ep, 2), poll(ep, 2)].flat().map(([, d]) => Number(d));
    const [a, b, c] = pipes.map(([r]) => r);
    assert.deepEqual(seen, [a, b, c, a]);
    for (const [r, w] of pipes) {
      io.sys('close', r);
      io.sys('close', w);
    }
    io.sys('close', ep);
  });

  test('epoll_wait blocks until another task writes, times out, and ends with EINTR on a signal', async () => {
    const ep = io.sys('epoll_create1', 0);
    const [r, w] = io.pipe(O_NONBLOCK);
    const other = io.other();
    io.share(w, other, 60);
    assert.equal(ctl(ep, ADD, r, EPOLLIN), 0);
    const waiting = io.call(io.m.task, 'epoll_pwait', ep, OUT(), 4, -1, 0, 8) as Promise<number>;
    assert.equal((await settled(waiting)).done, false);
    assert.equal(await io.call(other, 'write', 60, io.put(DATA(), 'go'), 2), 2);
    assert.equal(await waiting, 1);
    read(r, 2);
    const t0 = performance.now();
    assert.equal(await io.call(io.m.task, 'epoll_pwait', ep, OUT(), 4, 30, 0, 8), 0);
    assert.ok(performance.now() - t0 >= 25, 'waited for the timeout');
    const interrupted = io.call(io.m.task, 'epoll_pwait', ep, OUT(), 4, -1, 0, 8) as Promise<number>;
    assert.equal((await settled(interrupted)).done, false);
    io.signal(io.m.task, SIGUSR1);
    assert.equal(await interrupted, EINTR, 'never restarted');
    io.m.task.signals.pending.set.del(SIGUSR1);
    io.m.task.signals.pending.queue.length = 0;
    other.files.close(60);
    for (const fd of [r, w, ep]) io.sys('close', fd);
  });

  test('epoll_pwait runs with its mask and leaves it for the handler when interrupted', async () => {
    const ep = io.sys('epoll_create1', 0);
    const st = io.m.task.signals;
    st.blocked.add(SIGUSR1);
    io.signal(io.m.task, SIGUSR1);
    io.put(EV(), new Uint8Array(8));
    assert.equal(await io.call(io.m.task, 'epoll_pwait', ep, OUT(), 4, -1, EV(), 8), EINTR);
    assert.ok(st.savedMask?.has(SIGUSR1), 'the old mask is saved for the signal frame');
    assert.ok(!st.blocked.has(SIGUSR1), 'the call ran with the given mask');
    st.blocked.copyFrom(st.savedMask!);
    st.savedMask = undefined;
    assert.equal(await io.call(io.m.task, 'epoll_pwait', ep, OUT(), 4, 0, EV(), 4), EINVAL, 'sigsetsize must be 8');
    st.pending.set.del(SIGUSR1);
    st.pending.queue.length = 0;
    st.blocked.del(SIGUSR1);
    assert.equal(io.sys('epoll_pwait', ep, OUT(), 0, 0, 0, 8), EINVAL, 'maxevents must be positive');
    io.sys('close', ep);
  });
});

describe('eventfd', () => {
  const U64 = () => io.mem + 0x6000;
  const put64 = (v: bigint) => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, v, true);
    return io.put(U64(), b);
  };
  const get64 = () => new DataView(io.get(U64(), 8).buffer).getBigUint64(0, true);

  test('a read takes the counter, or 1 with EFD_SEMAPHORE; an empty non-blocking counter is EAGAIN', () => {
    const efd = io.sys('eventfd2', 3, O_NONBLOCK);
    assert.equal(io.sys('read', efd, U64(), 8), 8);
    assert.equal(get64(), 3n);
    assert.equal(io.sys('read', efd, U64(), 8), -11);
    assert.equal(io.sys('read', efd, U64(), 4), EINVAL, 'less than 8 bytes');
    io.sys('close', efd);
    const sem = io.sys('eventfd2', 2, O_NONBLOCK | 1);
    assert.equal(io.sys('read', sem, U64(), 8), 8);
    assert.equal(get64(), 1n);
    assert.equal(io.sys('read', sem, U64(), 8), 8);
    assert.equal(io.sys('read', sem, U64(), 8), -11);
    io.sys('close', sem);
    assert.equal(io.sys('eventfd2', 0, 0x40), EINVAL, 'unknown flag');
  });

  test('writes add up to 2^64 - 2; 2^64 - 1 itself is EINVAL; poll follows the counter', () => {
    const efd = io.sys('eventfd2', 0, O_NONBLOCK);
    const ep = io.sys('epoll_create1', 0);
    assert.equal(ctl(ep, ADD, efd, EPOLLIN | EPOLLOUT), 0);
    assert.deepEqual(poll(ep), [[EPOLLOUT, BigInt(efd)]]);
    assert.equal(io.sys('write', efd, put64(0xffff_ffff_ffff_ffffn), 8), EINVAL);
    assert.equal(io.sys('write', efd, put64(0xffff_ffff_ffff_fffdn), 8), 8);
    assert.deepEqual(poll(ep), [[EPOLLIN | EPOLLOUT, BigInt(efd)]]);
    assert.equal(io.sys('write', efd, put64(1n), 8), 8);
    assert.deepEqual(poll(ep), [[EPOLLIN, BigInt(efd)]], 'no room for another 1');
    assert.equal(io.sys('write', efd, put64(1n), 8), -11);
    assert.equal(io.sys('read', efd, U64(), 8), 8);
    assert.equal(get64(), 0xffff_ffff_ffff_fffen);
    io.sys('close', ep);
    io.sys('close', efd);
  });

  test('a blocking read waits for a write from another task', async () => {
    const efd = io.sys('eventfd2', 0, 0);
    const other = io.other();
    io.share(efd, other, 61);
    const pending = io.call(io.m.task, 'read', efd, U64(), 8) as Promise<number>;
    assert.equal((await settled(pending)).done, false);
    put64(5n);
    assert.equal(await io.call(other, 'write', 61, U64(), 8), 8);
    assert.equal(await pending, 8);
    assert.equal(get64(), 5n);
    other.files.close(61);
    io.sys('close', efd);
  });
});
