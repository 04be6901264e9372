/**
 * timerfd through its handlers and file operations, on the fixture's fake clocks: creation checks,
 * ticks counted as Linux counts them (a periodic timer adds its missed periods at read time), the
 * u64 read, O_NONBLOCK, a blocking read woken by the expiry or ended by a signal, poll readiness,
 * settime/gettime values, TFD_TIMER_ABSTIME, TFD_IOC_SET_TICKS and the compat old_itimerspec32.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { O_CLOEXEC, O_NONBLOCK, O_RDWR } from '../../../src/kernel/abi/fcntl.js';
import * as S from '../../../src/kernel/abi/signal.js';
import type { FileStat } from '../../../src/kernel/fs/host-fs.js';
import { TFD_IOC_SET_TICKS, TFD_TIMER_ABSTIME, TimerFd } from '../../../src/kernel/fs/timerfd.js';
import { killInfo, SI_USER } from '../../../src/kernel/task/siginfo.js';
import { sendSignal } from '../../../src/kernel/task/signal-send.js';
import {
  ctxOf,
  itimerspec64,
  itimerspecAt,
  readBytes,
  readItimerspec64,
  sysNow,
  type TimerFixture,
  timerFixture,
  writeBytes,
} from '../task/timer-fixture.js';

const EPERM = -1;
const EBADF = -9;
const EAGAIN = -11;
const EINVAL = -22;
const ENOTTY = -25;
const ESPIPE = -29;
const ERESTARTSYS = -512;
const MS = 1_000_000;
const CLOCK_REALTIME = 0;
const CLOCK_MONOTONIC = 1;
const CLOCK_BOOTTIME = 7;
const CLOCK_REALTIME_ALARM = 8;
const POLLIN = 1;

function open(f: TimerFixture, clock = CLOCK_MONOTONIC, flags = O_NONBLOCK): { fd: number; file: TimerFd } {
  const fd = sysNow(ctxOf(f.kernel, f.task), 'timerfd_create', clock, flags);
  assert.ok(fd >= 0, `timerfd_create: ${fd}`);
  const file = f.task.files.get(fd);
  assert.ok(file instanceof TimerFd);
  return { fd, file };
}

function settime(f: TimerFixture, fd: number, intervalNs: number, valueNs: number, flags = 0): number {
  writeBytes(f.task, f.buf + 0x200, itimerspec64(intervalNs, valueNs));
  return sysNow(ctxOf(f.kernel, f.task), 'timerfd_settime', fd, flags, f.buf + 0x200, f.buf + 0x240);
}

function gettime(f: TimerFixture, fd: number): [number, number] {
  assert.equal(sysNow(ctxOf(f.kernel, f.task), 'timerfd_gettime', fd, f.buf + 0x280), 0);
  return readItimerspec64(f.task, f.buf + 0x280);
}

/** A read of the ticks (a number when it does not block). */
function read(f: TimerFixture, file: TimerFd, size = 8): number | bigint | Promise<number> {
  const dst = new Uint8Array(size);
  const r = file.read(ctxOf(f.kernel, f.task), dst, undefined);
  if (typeof r !== 'number') return r;
  return r === 8 ? new DataView(dst.buffer).getBigUint64(0, true) : r;
}

test('timerfd_create: flags and clocks as Linux checks them; an anon-inode file, O_RDWR', (t) => {
  const f = timerFixture(t);
  const ctx = ctxOf(f.kernel, f.task);
  assert.equal(sysNow(ctx, 'timerfd_create', CLOCK_MONOTONIC, 1), EINVAL, 'unknown flag');
  for (const clock of [2, 3, 4, 5, 6, 11, -1]) assert.equal(sysNow(ctx, 'timerfd_create', clock, 0), EINVAL);
  assert.equal(sysNow(ctx, 'timerfd_create', CLOCK_REALTIME_ALARM, 0), EPERM, 'CAP_WAKE_ALARM');
  const { fd, file } = open(f, CLOCK_BOOTTIME, O_NONBLOCK | O_CLOEXEC);
  assert.equal(file.flags, O_RDWR | O_NONBLOCK);
  assert.equal(f.task.files.cloexec(fd), true);
  assert.equal(file.path, 'anon_inode:[timerfd]');
  const st = file.stat() as FileStat;
  assert.equal(st.mode, 0o600, 'no file type bits');
  assert.deepEqual(gettime(f, fd), [0, 0], 'never set');
  assert.equal(read(f, file), EAGAIN);
  assert.equal(read(f, file, 7), EINVAL, 'fewer than 8 bytes');
  assert.equal(file.read(ctx, new Uint8Array(8), 0), ESPIPE, 'pread');
  assert.equal(sysNow(ctx, 'timerfd_gettime', 99, f.buf), EBADF);
});

test('ticks: one per expiry; a periodic timer adds its missed periods when read, and is re-armed on its grid', (t) => {
  const f = timerFixture(t);
  const { fd, file } = open(f);
  assert.equal(settime(f, fd, 5 * MS, 10 * MS), 0);
  assert.equal(file.poll(), 0);
  f.clock.monotonicNs += 10 * MS;
  assert.equal(file.poll(), POLLIN, 'readable once it expired, without any host timer');
  assert.equal(read(f, file), 1n);
  assert.equal(file.poll(), 0);
  f.clock.monotonicNs += 17 * MS; // expiries at 15, 20, 25
  assert.equal(read(f, file), 3n);
  assert.deepEqual(gettime(f, fd), [5 * MS, 3 * MS], 'next at 30');
  f.clock.monotonicNs += 11 * MS; // 30 and 35 pass; gettime re-arms and keeps the ticks
  assert.deepEqual(gettime(f, fd), [5 * MS, 2 * MS]);
  assert.equal(read(f, file), 2n);
});

test('timerfd_settime: the old setting, ticks dropped, TFD_TIMER_ABSTIME, a past time expires at once, 0 disarms', (t) => {
  const f = timerFixture(t);
  const { fd, file } = open(f, CLOCK_REALTIME);
  settime(f, fd, 0, 20 * MS);
  f.clock.monotonicNs += 5 * MS;
  assert.equal(settime(f, fd, 0, 40 * MS), 0);
  assert.deepEqual(readItimerspec64(f.task, f.buf + 0x240), [0, 15 * MS]);
  f.clock.monotonicNs += 40 * MS;
  assert.equal(file.poll(), POLLIN);
  settime(f, fd, 0, 0);
  assert.equal(file.poll(), 0, 'settime drops the ticks not read');
  assert.deepEqual(gettime(f, fd), [0, 0]);
  const ctx = ctxOf(f.kernel, f.task);
  const now = 1_700_000_000; // the fixture's realtime clock stands still
  writeBytes(f.task, f.buf + 0x200, itimerspecAt(now, 7 * MS));
  assert.equal(sysNow(ctx, 'timerfd_settime', fd, TFD_TIMER_ABSTIME, f.buf + 0x200, 0), 0);
  assert.deepEqual(gettime(f, fd), [0, 7 * MS], 'absolute realtime, exactly');
  writeBytes(f.task, f.buf + 0x200, itimerspecAt(now - 1, 0));
  assert.equal(sysNow(ctx, 'timerfd_settime', fd, TFD_TIMER_ABSTIME | 2, f.buf + 0x200, 0), 0);
  assert.equal(read(f, file), 1n, 'in the past: expired during the call (TFD_TIMER_CANCEL_ON_SET accepted)');
  assert.equal(settime(f, fd, 0, 1, 4), EINVAL, 'unknown settime flag');
  const bad = itimerspec64(0, 0);
  new DataView(bad.buffer).setBigInt64(8, -1n, true);
  writeBytes(f.task, f.buf + 0x200, bad);
  assert.equal(sysNow(ctx, 'timerfd_settime', fd, 0, f.buf + 0x200, 0), EINVAL);
  writeBytes(f.task, f.buf + 0x200, itimerspec64(0, MS));
  assert.equal(sysNow(ctx, 'timerfd_settime', 999, 0, f.buf + 0x200, 0), EBADF);
  writeBytes(f.task, f.buf + 0x300, new Uint8Array(8));
  const sfd = sysNow(ctx, 'signalfd4', -1, f.buf + 0x300, 8, 0);
  assert.equal(sysNow(ctx, 'timerfd_settime', sfd, 0, f.buf + 0x200, 0), EINVAL, 'not a timerfd');
  assert.equal(sysNow(ctx, 'timerfd_settime', fd, 0, 0x10, 0), -14);
});

test('a blocking read waits for the expiry; a signal to handle ends it with -ERESTARTSYS', async (t) => {
  const f = timerFixture(t);
  const { fd, file } = open(f, CLOCK_MONOTONIC, 0);
  settime(f, fd, 0, 10 * MS);
  const r = read(f, file);
  assert.ok(r instanceof Promise, 'blocks');
  f.clock.monotonicNs += 10 * MS;
  file.poll(); // someone looks at the file (the host timer would do the same)
  assert.equal(await r, 8);
  settime(f, fd, 0, 0);
  f.task.signals.actions[S.SIGUSR1]!.handler = 0x40_2000;
  const r2 = read(f, file);
  assert.ok(r2 instanceof Promise);
  sendSignal(f.kernel, f.task, S.SIGUSR1, killInfo(S.SIGUSR1, SI_USER, 1, 0), 'thread');
  assert.equal(await r2, ERESTARTSYS);
});

test('TFD_IOC_SET_TICKS sets the count; other ioctls are ENOTTY', (t) => {
  const f = timerFixture(t);
  const { file } = open(f);
  const ctx = ctxOf(f.kernel, f.task);
  const v = new Uint8Array(8);
  writeBytes(f.task, f.buf, v);
  assert.equal(file.ioctl(ctx, TFD_IOC_SET_TICKS, f.buf), EINVAL, 'zero');
  new DataView(v.buffer).setBigUint64(0, 0x1_0000_0005n, true);
  writeBytes(f.task, f.buf, v);
  assert.equal(file.ioctl(ctx, TFD_IOC_SET_TICKS, f.buf), 0);
  assert.equal(read(f, file), 0x1_0000_0005n);
  assert.equal(file.ioctl(ctx, 0x541b, f.buf), ENOTTY);
});

test('compat timerfd_settime/gettime (353/354) use old_itimerspec32 and write 16 bytes', (t) => {
  const f = timerFixture(t);
  const { fd } = open(f);
  const c32 = ctxOf(f.kernel, f.task, 'compat');
  const spec = new Uint8Array(16);
  const dv = new DataView(spec.buffer);
  dv.setInt32(0, 0, true);
  dv.setInt32(4, 250 * MS, true);
  dv.setInt32(8, 3, true);
  dv.setInt32(12, 0, true);
  writeBytes(f.task, f.buf + 0x200, spec);
  assert.equal(sysNow(c32, 'timerfd_settime', fd, 0, f.buf + 0x200, 0), 0);
  writeBytes(f.task, f.buf + 0x300, new Uint8Array(32).fill(0xaa));
  f.clock.monotonicNs += 1000 * MS;
  assert.equal(sysNow(c32, 'timerfd_gettime', fd, f.buf + 0x300), 0);
  const out = readBytes(f.task, f.buf + 0x300, 32);
  const o = new DataView(out.buffer);
  assert.deepEqual(
    [o.getInt32(0, true), o.getInt32(4, true), o.getInt32(8, true), o.getInt32(12, true)],
    [0, 250 * MS, 2, 0],
  );
  assert.deepEqual([...out.subarray(16)], new Array(16).fill(0xaa));
});
