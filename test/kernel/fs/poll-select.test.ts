/**
 * poll, ppoll, select and pselect6 as fs/select.c behaves: revents and POLLNVAL, the time left
 * written back, -ERESTARTNOHAND (and the restart block of compat poll) when a signal interrupts,
 * fd_set words of the calling ABI (8 bytes natively, 4 in compat calls), n clipped to the table.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { compatSelect, sysPoll } from '../../../src/kernel/syscalls/compat-poll.js';
import { type IoMachine, ioMachine, settled } from './io-fixture.js';

const O_NONBLOCK = 0o4000;
const EBADF = -9;
const EINVAL = -22;
const ERESTARTNOHAND = -514;
const ERESTART_RESTARTBLOCK = -516;
const POLLIN = 0x1;
const POLLOUT = 0x4;
const POLLNVAL = 0x20;
const POLLWRNORM = 0x100;
const SIGUSR1 = 10;

let io: IoMachine;
const FDS = () => io.mem + 0x2000;
const TS = () => io.mem + 0x3000;
const SETS = () => io.mem + 0x4000;
const MASK = () => io.mem + 0x5000;

before(() => {
  io = ioMachine();
});
after(() => io.dispose());

function pollfds(entries: [number, number][]): number {
  const b = new Uint8Array(entries.length * 8);
  const v = new DataView(b.buffer);
  entries.forEach(([fd, ev], i) => {
    v.setInt32(i * 8, fd, true);
    v.setInt16(i * 8 + 4, ev, true);
    v.setInt16(i * 8 + 6, 0x7777, true);
  });
  return io.put(FDS(), b);
}

function revents(n: number): number[] {
  const v = new DataView(io.get(FDS(), n * 8).buffer);
  return Array.from({ length: n }, (_, i) => v.getUint16(i * 8 + 6, true));
}

/** A __kernel_timespec (or with compat, an old_timespec32) at TS(). */
function timespec(sec: number, nsec: number, compat = false): number {
  const b = new Uint8Array(compat ? 8 : 16);
  const v = new DataView(b.buffer);
  if (compat) {
    v.setInt32(0, sec, true);
    v.setInt32(4, nsec, true);
  } else {
    v.setBigInt64(0, BigInt(sec), true);
    v.setBigInt64(8, BigInt(nsec), true);
  }
  return io.put(TS(), b);
}

function readTimespec(): [number, number] {
  const v = new DataView(io.get(TS(), 16).buffer);
  return [Number(v.getBigInt64(0, true)), Number(v.getBigInt64(8, true))];
}

function clearSignal(sig: number): void {
  const st = io.m.task.signals;
  st.pending.set.del(sig);
  st.pending.queue.length = 0;
}

describe('poll and ppoll', () => {
  test('revents: negative fds are skipped, closed ones are POLLNVAL, the rest masked by events plus ERR/HUP', () => {
    const [r, w] = io.pipe(O_NONBLOCK);
    const n = io.sys(
      'ppoll',
      pollfds([
        [-1, POLLIN],
        [r, POLLIN],
        [w, POLLOUT],
        [900, POLLIN],
      ]),
      4,
      timespec(0, 0),
      0,
      8,
    );
    assert.equal(n, 2);
    assert.deepEqual(revents(4), [0, 0, POLLOUT, POLLNVAL]);
    assert.equal(io.sys('ppoll', pollfds([[w, POLLOUT | POLLWRNORM]]), 1, 0, 0, 8), 1, 'no timeout: ready at once');
    assert.deepEqual(revents(1), [POLLOUT | POLLWRNORM]);
    assert.deepEqual(readTimespec(), [0, 0], 'a zero timeout is not written back');
    io.sys('close', r);
    io.sys('close', w);
  });

  test('ppoll writes the time left back, and 0 after the timeout passed', async () => {
    const [r, w] = io.pipe(O_NONBLOCK);
    assert.equal(io.sys('ppoll', pollfds([[w, POLLOUT]]), 1, timespec(5, 0), 0, 8), 1);
    const [sec, nsec] = readTimespec();
    assert.ok(sec === 4 && nsec > 900_000_000, `time left ${sec}.${nsec}`);
    const t0 = performance.now();
    assert.equal(await io.call(io.m.task, 'ppoll', pollfds([[r, POLLIN]]), 1, timespec(0, 30_000_000), 0, 8), 0);
    assert.ok(performance.now() - t0 >= 25);
    assert.deepEqual(readTimespec(), [0, 0]);
    assert.equal(io.sys('ppoll', FDS(), 1, timespec(0, -1), 0, 8), EINVAL);
    assert.equal(io.sys('ppoll', FDS(), 1, timespec(0, 1e9), 0, 8), EINVAL);
    assert.equal(io.sys('ppoll', FDS(), 100_000, 0, 0, 8), EINVAL, 'more entries than RLIMIT_NOFILE');
    io.sys('close', r);
    io.sys('close', w);
  });

  test('a signal ends ppoll with -ERESTARTNOHAND, revents and the time left written, the saved mask kept', async () => {
    const [r, w] = io.pipe(O_NONBLOCK);
    io.other();
    const st = io.m.task.signals;
    st.blocked.add(SIGUSR1);
    io.put(MASK(), new Uint8Array(8));
    const p = io.call(io.m.task, 'ppoll', pollfds([[r, POLLIN]]), 1, timespec(10, 0), MASK(), 8) as Promise<number>;
    assert.equal((await settled(p)).done, false);
    assert.ok(!st.blocked.has(SIGUSR1), 'the given mask is in force while waiting');
    io.signal(io.m.task, SIGUSR1);
    assert.equal(await p, ERESTARTNOHAND);
    assert.deepEqual(revents(1), [0], 'revents written even when interrupted');
    const [sec] = readTimespec();
    assert.equal(sec, 9, 'time left written back');
    assert.ok(st.savedMask?.has(SIGUSR1), 'the old mask waits for the handler frame');
    st.blocked.copyFrom(st.savedMask!);
    st.savedMask = undefined;
    clearSignal(SIGUSR1);
    st.blocked.del(SIGUSR1);
    io.sys('close', r);
    io.sys('close', w);
  });

  test('compat poll: a timeout in ms; interrupted, it arms the restart block with the same deadline', async () => {
    const [r, w] = io.pipe(O_NONBLOCK);
    io.other();
    const ctx = io.ctx('poll', io.m.task, true);
    assert.equal(sysPoll(ctx, [pollfds([[w, POLLOUT]]), 1, 0]), 1);
    const p = sysPoll(ctx, [pollfds([[r, POLLIN]]), 1, 10_000]) as Promise<number>;
    assert.equal((await settled(p)).done, false);
    io.signal(io.m.task, SIGUSR1);
    assert.equal(await p, ERESTART_RESTARTBLOCK);
    const rb = io.m.task.signals.restartBlock;
    assert.ok(rb.fn !== undefined && rb.compat && rb.name === 'poll');
    clearSignal(SIGUSR1);
    io.sys('write', w, io.put(io.mem + 0x6000, 'x'), 1);
    assert.equal(await rb.fn(ctx), 1, 'the restarted poll finds the data');
    rb.fn = undefined;
    io.sys('close', r);
    io.sys('close', w);
  });
});

describe('select and pselect6', () => {
  /** Three fd_sets of `bytes` bytes at SETS(), SETS()+256, SETS()+512, each byte filled with `fill` beyond the given bits. */
  function sets(bits: [number[], number[], number[]], bytes: number, fill = 0): [number, number, number] {
    const addrs: [number, number, number] = [SETS(), SETS() + 256, SETS() + 512];
    bits.forEach((fds, k) => {
      const b = new Uint8Array(256).fill(fill);
      b.fill(0, 0, bytes);
      for (const fd of fds) b[fd >> 3]! |= 1 << (fd & 7);
      io.put(addrs[k]!, b);
    });
    return addrs;
  }

  const setBytes = (addr: number, n: number) => Array.from(io.get(addr, n));

  test('pselect6: readiness per set, EBADF for a closed fd, the sets written back in 8-byte words', () => {
    const [r, w] = io.pipe(O_NONBLOCK);
    io.sys('write', w, io.put(io.mem + 0x6000, 'x'), 1);
    const [i, o, e] = sets(
      [
        [r, w],
        [r, w],
        [r, w],
      ],
      8,
      0xee,
    );
    const n = io.sys('pselect6', Math.max(r, w) + 1, i, o, e, timespec(0, 0), 0);
    assert.equal(n, 2, 'r readable, w writable');
    assert.equal(
      setBytes(i, 8).reduce((a, b) => a + b),
      1 << (r & 7),
      'in: r only',
    );
    assert.deepEqual(setBytes(i, 16).slice(8), Array(8).fill(0xee), 'nothing past the first 8-byte word');
    const [i2] = sets([[200], [], []], 32);
    assert.equal(
      io.sys('pselect6', 201, i2, 0, 0, timespec(0, 0), 0),
      0,
      'n is clipped to the 64-entry table: fd 200 is not looked at',
    );
    const [i3] = sets([[50], [], []], 8);
    assert.equal(io.sys('pselect6', 51, i3, 0, 0, 0, 0), EBADF);
    io.sys('close', r);
    io.sys('close', w);
  });

  test('pselect6 takes its mask through the { sigset_t *, size_t } pack', async () => {
    const [r, w] = io.pipe(O_NONBLOCK);
    const st = io.m.task.signals;
    st.blocked.add(SIGUSR1);
    io.signal(io.m.task, SIGUSR1);
    io.put(MASK(), new Uint8Array(8));
    const pack = new Uint8Array(16);
    const pv = new DataView(pack.buffer);
    pv.setBigUint64(0, BigInt(MASK()), true);
    pv.setBigUint64(8, 8n, true);
    io.put(MASK() + 64, pack);
    const [i] = sets([[r], [], []], 8);
    assert.equal(await io.call(io.m.task, 'pselect6', r + 1, i, 0, 0, 0, MASK() + 64), ERESTARTNOHAND);
    assert.equal(
      setBytes(i, 8).reduce((a, b) => a + b),
      1 << (r & 7),
      'an interrupted select leaves the sets alone',
    );
    st.blocked.copyFrom(st.savedMask!);
    st.savedMask = undefined;
    clearSignal(SIGUSR1);
    st.blocked.del(SIGUSR1);
    pv.setBigUint64(8, 4n, true);
    io.put(MASK() + 64, pack);
    assert.equal(io.sys('pselect6', r + 1, i, 0, 0, 0, MASK() + 64), EINVAL, 'sigsetsize 4');
    io.sys('close', r);
    io.sys('close', w);
  });

  test('compat select: 4-byte fd_set words, an old_timeval32 timeout with the time left written back', async () => {
    const [r, w] = io.pipe(O_NONBLOCK);
    const ctx = io.ctx('_newselect', io.m.task, true);
    const [i, o] = sets([[], [w], []], 4, 0xee);
    const tv = new Uint8Array(8);
    const tvv = new DataView(tv.buffer);
    tvv.setInt32(0, 3, true);
    tvv.setInt32(4, 1_500_000, true);
    io.put(TS(), tv);
    assert.equal(compatSelect(ctx, [w + 1, i, o, 0, TS()]), 1);
    assert.equal(
      setBytes(o, 4).reduce((a, b) => a + b),
      1 << (w & 7),
    );
    assert.deepEqual(setBytes(o, 8).slice(4), [0xee, 0xee, 0xee, 0xee], 'one 32-bit word written');
    const left = new DataView(io.get(TS(), 8).buffer);
    assert.equal(left.getInt32(0, true), 4, 'tv_usec past a second carried into tv_sec');
    assert.ok(left.getInt32(4, true) > 400_000);
    tvv.setInt32(0, 0, true);
    tvv.setInt32(4, 20_000, true);
    io.put(TS(), tv);
    const [i2] = sets([[r], [], []], 4);
    assert.equal(await compatSelect(ctx, [r + 1, i2, 0, 0, TS()]), 0);
    assert.deepEqual(Array.from(io.get(TS(), 8)), Array(8).fill(0), 'timed out: nothing left');
    tvv.setInt32(4, -1, true);
    io.put(TS(), tv);
    assert.equal(compatSelect(ctx, [r + 1, i2, 0, 0, TS()]), EINVAL);
    io.sys('close', r);
    io.sys('close', w);
  });
});
