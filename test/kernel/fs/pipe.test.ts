/**
 * Pipes as Linux's fs/pipe.c behaves: page buffers and merging, PIPE_BUF atomicity, packet mode,
 * blocking calls woken by another task or ended by a signal, SIGPIPE through the signal layer.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type IoMachine, ioMachine, settled } from './io-fixture.js';

const O_NONBLOCK = 0o4000;
const O_DIRECT = 0o200000;
const EAGAIN = -11;
const EBUSY = -16;
const EPIPE = -32;
const ERESTARTSYS = -512;
const F_SETPIPE_SZ = 1031;
const F_GETPIPE_SZ = 1032;
const FIONREAD = 0x541b;
const SIGUSR1 = 10;
const SIGPIPE = 13;

let io: IoMachine;
const BUF = () => io.mem + 0x1000;

before(() => {
  io = ioMachine();
});
after(() => io.dispose());

/** Writes n bytes (value b) to fd without blocking; the result. */
function fill(fd: number, n: number, b = 0x61): number {
  io.put(BUF(), new Uint8Array(n).fill(b));
  return io.sys('write', fd, BUF(), n);
}

describe('pipes', () => {
  test('a pipe holds 16 pages: 1-byte writes fill 65536 bytes, 100-byte writes only 16 × 4000', () => {
    const [r, w] = io.pipe(O_NONBLOCK);
    let total = 0;
    for (;;) {
      const n = fill(w, 1);
      if (n === EAGAIN) break;
      total += n;
    }
    assert.equal(total, 65536);
    io.sys('close', w);
    io.sys('close', r);
    const [r2, w2] = io.pipe(O_NONBLOCK);
    total = 0;
    for (;;) {
      const n = fill(w2, 100);
      if (n === EAGAIN) break;
      assert.equal(n, 100, 'a write of at most PIPE_BUF is all or nothing');
      total += n;
    }
    assert.equal(total, 16 * 4000, 'a 100-byte write that does not fit the last page starts a new one');
    assert.equal(io.sys('ioctl', r2, FIONREAD, BUF()), 0);
    assert.equal(new DataView(io.get(BUF(), 4).buffer).getInt32(0, true), 64000, 'FIONREAD');
    io.sys('close', w2);
    io.sys('close', r2);
  });

  test('a non-blocking write above PIPE_BUF is partial: whole free pages, after merging its tail', () => {
    const [r, w] = io.pipe(O_NONBLOCK);
    assert.equal(fill(w, 15 * 4096 + 10), 15 * 4096 + 10);
    // 16 pages in use now (the last holds 10 bytes): 5000 = 904 merged + 4096 with no page left.
    assert.equal(fill(w, 5000), 904);
    assert.equal(fill(w, 1), 1, 'the last page still has room for a merge');
    assert.equal(fill(w, 4096), EAGAIN, 'PIPE_BUF bytes need a free page');
    io.sys('close', w);
    io.sys('close', r);
  });

  test('packet mode (O_DIRECT): each write is one packet and a read returns at most one', () => {
    const [r, w] = io.pipe(O_NONBLOCK | O_DIRECT);
    assert.equal(io.sys('write', w, io.put(BUF(), 'first'), 5), 5);
    assert.equal(io.sys('write', w, io.put(BUF(), 'second'), 6), 6);
    assert.equal(io.sys('read', r, BUF() + 100, 100), 5);
    assert.equal(new TextDecoder().decode(io.get(BUF() + 100, 5)), 'first');
    assert.equal(io.sys('read', r, BUF() + 100, 3), 3, 'a short read takes part of a packet');
    assert.equal(io.sys('read', r, BUF() + 100, 100), EAGAIN, 'the rest of that packet is gone');
    io.sys('close', w);
    io.sys('close', r);
  });

  test('F_SETPIPE_SZ rounds to pages and refuses fewer pages than are in use', () => {
    const [r, w] = io.pipe(O_NONBLOCK);
    assert.equal(io.sys('fcntl', w, F_GETPIPE_SZ, 0), 65536);
    fill(w, 3);
    fill(w, 4096);
    assert.equal(io.sys('fcntl', w, F_SETPIPE_SZ, 4096), EBUSY, 'two pages are in use');
    assert.equal(io.sys('fcntl', w, F_SETPIPE_SZ, 5000), 8192);
    assert.equal(fill(w, 1), EAGAIN, 'both pages in use and the newest is full: no merge, no free page');
    assert.equal(io.sys('read', r, BUF(), 3), 3);
    assert.equal(fill(w, 1), 1, 'the first page was freed');
    io.sys('close', w);
    io.sys('close', r);
  });

  test('a blocking read waits for another task to write', async () => {
    const [r, w] = io.pipe();
    const other = io.other();
    io.share(w, other, 50);
    const pending = io.call(io.m.task, 'read', r, BUF() + 200, 10);
    assert.ok(pending instanceof Promise, 'an empty pipe blocks');
    assert.equal((await settled(pending)).done, false);
    io.put(BUF() + 300, 'ping');
    assert.equal(await io.call(other, 'write', 50, BUF() + 300, 4), 4);
    assert.equal(await pending, 4);
    assert.equal(new TextDecoder().decode(io.get(BUF() + 200, 4)), 'ping');
    other.files.close(50);
    const eof = io.call(io.m.task, 'read', r, BUF() + 200, 10);
    assert.equal(typeof eof, 'object', 'the first task still holds the write end');
    io.sys('close', w);
    assert.equal(await eof, 0, 'closing the last write end wakes the reader with EOF');
    io.sys('close', r);
  });

  test('a signal ends a blocked read with -ERESTARTSYS; a blocked write returns what it wrote', async () => {
    const [r, w] = io.pipe();
    io.other();
    const pending = io.call(io.m.task, 'read', r, BUF(), 10);
    assert.equal((await settled(pending as Promise<number>)).done, false);
    io.signal(io.m.task, SIGUSR1);
    assert.equal(await pending, ERESTARTSYS);
    io.m.task.signals.pending.set.del(SIGUSR1);
    io.m.task.signals.pending.queue.length = 0;
    const big = 65536 + 100;
    const wr = io.call(io.m.task, 'write', w, io.mem, big);
    assert.ok(wr instanceof Promise);
    assert.equal((await settled(wr)).done, false);
    io.signal(io.m.task, SIGUSR1);
    assert.equal(await wr, 65536, 'the pages that fitted');
    io.m.task.signals.pending.set.del(SIGUSR1);
    io.m.task.signals.pending.queue.length = 0;
    io.sys('close', w);
    io.sys('close', r);
  });

  test('a write with no reader is EPIPE and queues SIGPIPE for the writing thread (SI_USER)', () => {
    const [r, w] = io.pipe();
    io.sys('close', r);
    io.m.task.signals.actions[SIGPIPE]!.handler = 0x40_3000;
    assert.equal(fill(w, 4), EPIPE);
    const st = io.m.task.signals;
    assert.ok(st.pending.set.has(SIGPIPE), 'SIGPIPE is pending on the thread');
    const q = st.pending.queue.find((e) => e.sig === SIGPIPE);
    assert.ok(q, 'with its siginfo');
    assert.equal(new DataView(q.info.buffer, q.info.byteOffset).getInt32(8, true), 0, 'si_code SI_USER');
    st.pending.set.del(SIGPIPE);
    st.pending.queue.length = 0;
    st.actions[SIGPIPE]!.handler = 0;
    io.sys('close', w);
  });
});
