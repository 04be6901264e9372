/**
 * signalfd through signalfd4 and the file's read/poll: argument checks, the mask (SIGKILL and SIGSTOP
 * never in it, replaced by a second signalfd4), records dequeued from the reading thread's and the
 * process's pending sets, several per read, O_NONBLOCK, a blocking read woken by the signal layer's
 * notify hook or ended by a signal to handle, and the signalfd_siginfo members for each siginfo layout
 * (kill, rt, timer with si_overrun, fault, chld, sys).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { O_NONBLOCK, O_RDWR } from '../../../src/kernel/abi/fcntl.js';
import { LP64, layoutOf, offsetOf } from '../../../src/kernel/abi/layout.js';
import * as S from '../../../src/kernel/abi/signal.js';
import { siginfo } from '../../../src/kernel/abi/structs-signal.js';
import { SIGNALFD_SIGINFO_SIZE, SignalFd, signalfdSiginfo } from '../../../src/kernel/fs/signalfd.js';
import { pollPosixTimers } from '../../../src/kernel/task/posix-timers.js';
import { chldInfo, faultInfo, killInfo, SI_QUEUE, SI_TIMER, SI_USER } from '../../../src/kernel/task/siginfo.js';
import { sendSignal } from '../../../src/kernel/task/signal-send.js';
import { ctxOf, itimerspec64, sysNow, type TimerFixture, timerFixture, writeBytes } from '../task/timer-fixture.js';

const EBADF = -9;
const EAGAIN = -11;
const EFAULT = -14;
const EINVAL = -22;
const ERESTARTSYS = -512;
const POLLIN = 1;
const CLD_EXITED = 1;

function sigsetBytes(...sigs: number[]): Uint8Array {
  const b = new Uint8Array(8);
  const dv = new DataView(b.buffer);
  for (const s of sigs) {
    const word = s <= 32 ? 0 : 4;
    dv.setUint32(word, dv.getUint32(word, true) | (1 << ((s - 1) % 32)), true);
  }
  return b;
}

function signalfd(f: TimerFixture, fd: number, sigs: number[], flags = O_NONBLOCK): number {
  writeBytes(f.task, f.buf + 0x100, sigsetBytes(...sigs));
  return sysNow(ctxOf(f.kernel, f.task), 'signalfd4', fd, f.buf + 0x100, 8, flags);
}

function fileOf(f: TimerFixture, fd: number): SignalFd {
  const file = f.task.files.get(fd);
  assert.ok(file instanceof SignalFd);
  return file;
}

interface Record {
  signo: number;
  errno: number;
  code: number;
  pid: number;
  uid: number;
  tid: number;
  overrun: number;
  status: number;
  int: number;
  ptr: bigint;
  utime: bigint;
  stime: bigint;
  addr: bigint;
  syscall: number;
  callAddr: bigint;
  arch: number;
}

function parse(b: Uint8Array, at = 0): Record {
  const dv = new DataView(b.buffer, b.byteOffset + at, SIGNALFD_SIGINFO_SIZE);
  return {
    signo: dv.getUint32(0, true),
    errno: dv.getInt32(4, true),
    code: dv.getInt32(8, true),
    pid: dv.getUint32(12, true),
    uid: dv.getUint32(16, true),
    tid: dv.getUint32(24, true),
    overrun: dv.getUint32(32, true),
    status: dv.getInt32(40, true),
    int: dv.getInt32(44, true),
    ptr: dv.getBigUint64(48, true),
    utime: dv.getBigUint64(56, true),
    stime: dv.getBigUint64(64, true),
    addr: dv.getBigUint64(72, true),
    syscall: dv.getInt32(84, true),
    callAddr: dv.getBigUint64(88, true),
    arch: dv.getUint32(96, true),
  };
}

function readAs(f: TimerFixture, file: SignalFd, size: number, task = f.task): number | Promise<number> | Uint8Array {
  const dst = new Uint8Array(size);
  const r = file.read(ctxOf(f.kernel, task), dst, undefined);
  if (typeof r !== 'number') return r;
  return r > 0 ? dst.subarray(0, r) : r;
}

function queued(sig: number, value: number): Uint8Array {
  const info = killInfo(sig, SI_QUEUE, 7, 1000);
  const at = offsetOf(layoutOf(siginfo, LP64), '_sifields._rt._sigval').offset;
  new DataView(info.buffer).setInt32(at, value, true);
  return info;
}

test('signalfd4 checks: sizemask 8, flags, a bad mask pointer, an fd that is no signalfd', (t) => {
  const f = timerFixture(t);
  const ctx = ctxOf(f.kernel, f.task);
  writeBytes(f.task, f.buf + 0x100, sigsetBytes(S.SIGUSR1));
  assert.equal(sysNow(ctx, 'signalfd4', -1, f.buf + 0x100, 4, 0), EINVAL);
  assert.equal(sysNow(ctx, 'signalfd4', -1, f.buf + 0x100, 8, 1), EINVAL);
  assert.equal(sysNow(ctx, 'signalfd4', -1, 0x10, 8, 0), EFAULT);
  assert.equal(sysNow(ctx, 'signalfd4', 999, f.buf + 0x100, 8, 0), EBADF);
  const tfd = sysNow(ctx, 'timerfd_create', 1, 0);
  assert.equal(sysNow(ctx, 'signalfd4', tfd, f.buf + 0x100, 8, 0), EINVAL);
  const fd = signalfd(f, -1, [S.SIGUSR1, S.SIGKILL, S.SIGSTOP, 40]);
  assert.ok(fd >= 0);
  const file = fileOf(f, fd);
  assert.equal(file.flags, O_RDWR | O_NONBLOCK);
  assert.equal(file.path, 'anon_inode:[signalfd]');
  assert.deepEqual(
    [file.mask.has(S.SIGUSR1), file.mask.has(40), file.mask.has(S.SIGKILL), file.mask.has(S.SIGSTOP)],
    [true, true, false, false],
  );
  assert.equal(signalfd(f, fd, [S.SIGUSR2]), fd, 'a new mask for the same file');
  assert.deepEqual([file.mask.has(S.SIGUSR1), file.mask.has(S.SIGUSR2)], [false, true]);
  assert.equal(readAs(f, file, 127), EINVAL, 'less than one record');
});

test('reads dequeue the signals of the mask, as many records as fit; others stay pending', (t) => {
  const f = timerFixture(t);
  f.block(S.SIGUSR1, S.SIGUSR2, 40);
  const file = fileOf(f, signalfd(f, -1, [S.SIGUSR1, 40]));
  assert.equal(file.poll(), 0);
  assert.equal(readAs(f, file, 128), EAGAIN);
  sendSignal(f.kernel, f.task, S.SIGUSR2, killInfo(S.SIGUSR2, SI_USER, 3, 1000), 'group');
  assert.equal(file.poll(), 0, 'SIGUSR2 is not in the mask');
  sendSignal(f.kernel, f.task, S.SIGUSR1, killInfo(S.SIGUSR1, SI_USER, 3, 1000), 'group');
  for (const v of [1, 2, 3]) sendSignal(f.kernel, f.task, 40, queued(40, v), 'group');
  assert.equal(file.poll(), POLLIN);
  const got = readAs(f, file, 3 * 128 + 100);
  assert.ok(got instanceof Uint8Array);
  assert.equal(got.length, 3 * 128);
  const recs = [0, 1, 2].map((i) => parse(got, i * 128));
  assert.deepEqual(
    recs.map((r) => [r.signo, r.code, r.pid, r.uid, r.int]),
    [
      [S.SIGUSR1, SI_USER, 3, 1000, 0],
      [40, SI_QUEUE, 7, 1000, 1],
      [40, SI_QUEUE, 7, 1000, 2],
    ],
  );
  const last = readAs(f, file, 128);
  assert.ok(last instanceof Uint8Array && parse(last).int === 3);
  assert.equal(readAs(f, file, 128), EAGAIN);
  assert.equal(f.task.signals.group.shared.set.has(S.SIGUSR2), true, 'still pending');
});

test("the reading thread's own pending signals are read, not another thread's", (t) => {
  const f = timerFixture(t);
  f.block(S.SIGUSR1);
  const file = fileOf(f, signalfd(f, -1, [S.SIGUSR1]));
  sendSignal(f.kernel, f.other, S.SIGUSR1, killInfo(S.SIGUSR1, -6, 3, 1000), 'thread');
  assert.equal(readAs(f, file, 128), EAGAIN);
  const r = readAs(f, file, 128, f.other);
  assert.ok(r instanceof Uint8Array && parse(r).signo === S.SIGUSR1);
});

test('a blocking read is woken when a signal of the mask is queued; a signal to handle ends it (-ERESTARTSYS)', async (t) => {
  const f = timerFixture(t);
  f.block(S.SIGUSR1);
  const file = fileOf(f, signalfd(f, -1, [S.SIGUSR1], 0));
  const r = readAs(f, file, 128);
  assert.ok(r instanceof Promise);
  sendSignal(f.kernel, f.task, S.SIGUSR1, killInfo(S.SIGUSR1, SI_USER, 5, 1000), 'group');
  assert.equal(await r, 128);
  f.task.signals.actions[S.SIGUSR2]!.handler = 0x40_2000;
  f.other.signals.blocked.add(S.SIGUSR2);
  const r2 = readAs(f, file, 128);
  assert.ok(r2 instanceof Promise);
  sendSignal(f.kernel, f.task, S.SIGUSR2, killInfo(S.SIGUSR2, SI_USER, 5, 1000), 'thread');
  assert.equal(await r2, ERESTARTSYS);
});

test('a POSIX timer signal read through a signalfd: ssi_tid, ssi_overrun, ssi_int and ssi_ptr', (t) => {
  const f = timerFixture(t);
  const ctx = ctxOf(f.kernel, f.task);
  f.block(S.SIGRTMIN);
  const file = fileOf(f, signalfd(f, -1, [S.SIGRTMIN]));
  const ev = new Uint8Array(64);
  const dv = new DataView(ev.buffer);
  dv.setInt32(0, 0x89abcdef | 0, true);
  dv.setInt32(4, 0x11, true);
  dv.setInt32(8, S.SIGRTMIN, true);
  dv.setInt32(12, 0, true);
  writeBytes(f.task, f.buf + 0x200, ev);
  assert.equal(sysNow(ctx, 'timer_create', 1, f.buf + 0x200, f.buf), 0);
  writeBytes(f.task, f.buf + 0x300, itimerspec64(1_000_000, 1_000_000));
  assert.equal(sysNow(ctx, 'timer_settime', 0, 0, f.buf + 0x300, 0), 0);
  f.clock.monotonicNs += 3_500_000;
  pollPosixTimers(f.kernel, f.task);
  assert.equal(file.poll(), POLLIN);
  const r = readAs(f, file, 128);
  assert.ok(r instanceof Uint8Array);
  const rec = parse(r);
  assert.deepEqual([rec.signo, rec.code, rec.tid, rec.overrun, rec.int], [S.SIGRTMIN, SI_TIMER, 0, 2, 0x89abcdef | 0]);
  assert.equal(rec.ptr, 0x11_89abcdefn);
  assert.equal(sysNow(ctx, 'timer_getoverrun', 0), 2);
});

test('signalfd_siginfo members per layout: fault address, child status and times, seccomp fields', () => {
  const fault = parse(signalfdSiginfo(faultInfo(S.SIGSEGV, 1, 0x1234_5678_9abc)));
  assert.deepEqual([fault.signo, fault.code, fault.addr, fault.pid], [S.SIGSEGV, 1, 0x1234_5678_9abcn, 0]);
  const chld = parse(signalfdSiginfo(chldInfo(CLD_EXITED, 42, 1000, 3, 7, 9)));
  assert.deepEqual(
    [chld.signo, chld.code, chld.pid, chld.uid, chld.status, chld.utime, chld.stime],
    [S.SIGCHLD, CLD_EXITED, 42, 1000, 3, 7n, 9n],
  );
  const sys = killInfo(S.SIGSYS, 1, 0, 0);
  const L = layoutOf(siginfo, LP64);
  const d = new DataView(sys.buffer);
  d.setUint32(offsetOf(L, '_sifields._sigsys._call_addr').offset, 0x40_1004, true);
  d.setInt32(offsetOf(L, '_sifields._sigsys._syscall').offset, 172, true);
  d.setUint32(offsetOf(L, '_sifields._sigsys._arch').offset, 0xc00000b7, true);
  const rec = parse(signalfdSiginfo(sys));
  assert.deepEqual([rec.callAddr, rec.syscall, rec.arch, rec.pid], [0x40_1004n, 172, 0xc00000b7, 0]);
});
