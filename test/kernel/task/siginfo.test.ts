/**
 * siginfo images: the native layout's offsets (si_code 8, union at 16), siginfo_layout's choice per
 * (signal, si_code), and the compat conversion both ways (union at 12, 4-byte pointers and longs).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as S from '../../../src/kernel/abi/signal.js';
import {
  chldInfo,
  faultInfo,
  killInfo,
  knownSiginfoLayout,
  SI_QUEUE,
  SI_TKILL,
  siAddr,
  siCode,
  siginfoLayout,
  siPid,
  siValue,
} from '../../../src/kernel/task/siginfo.js';
import { siginfoFromCompat, siginfoToCompat } from '../../../src/kernel/task/siginfo-compat.js';

const dv = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

test('native siginfo: si_signo 0, si_code 8, si_pid 16, si_uid 20, si_addr 16 (64-bit)', () => {
  const k = killInfo(S.SIGUSR1, SI_TKILL, 42, 1000);
  assert.deepEqual(
    [dv(k).getInt32(0, true), dv(k).getInt32(8, true), dv(k).getInt32(16, true), dv(k).getUint32(20, true)],
    [S.SIGUSR1, SI_TKILL, 42, 1000],
  );
  const f = faultInfo(S.SIGSEGV, S.SEGV_MAPERR, 0x1234_5678_9abc);
  assert.equal(siAddr(f), 0x1234_5678_9abc);
  assert.equal(dv(f).getUint32(20, true), 0x1234);
  assert.equal(
    f.subarray(48).every((b) => b === 0),
    true,
    'nothing past kernel_siginfo',
  );
});

test('siginfo_layout and known_siginfo_layout follow Linux', () => {
  assert.equal(siginfoLayout(S.SIGSEGV, S.SEGV_ACCERR), 'fault');
  assert.equal(siginfoLayout(S.SIGCHLD, 1), 'chld');
  assert.equal(siginfoLayout(S.SIGUSR1, 1), 'poll');
  assert.equal(siginfoLayout(S.SIGUSR1, 0), 'kill');
  assert.equal(siginfoLayout(S.SIGUSR1, SI_QUEUE), 'rt');
  assert.equal(siginfoLayout(S.SIGALRM, -2), 'timer');
  assert.equal(siginfoLayout(S.SIGSEGV, 0x80), 'kill');
  assert.equal(knownSiginfoLayout(S.SIGSEGV, 11), false, 'past NSIGSEGV');
  assert.equal(knownSiginfoLayout(S.SIGUSR1, -8), false, 'below SI_DETHREAD');
  assert.equal(knownSiginfoLayout(S.SIGUSR1, -60), true, 'SI_ASYNCNL');
});

test('compat siginfo: the union at 12, 32-bit address and value; and back', () => {
  const f = siginfoToCompat(faultInfo(S.SIGBUS, S.BUS_ADRALN, 0xfffe_1001));
  assert.deepEqual(
    [dv(f).getInt32(0, true), dv(f).getInt32(8, true), dv(f).getUint32(12, true)],
    [S.SIGBUS, S.BUS_ADRALN, 0xfffe1001],
  );
  const q = killInfo(S.SIGRTMIN + 1, SI_QUEUE, 7, 1000);
  dv(q).setInt32(24, -5, true);
  const c = siginfoToCompat(q);
  assert.deepEqual([dv(c).getInt32(12, true), dv(c).getUint32(16, true), dv(c).getInt32(20, true)], [7, 1000, -5]);
  const back = siginfoFromCompat(S.SIGRTMIN + 1, c);
  assert.deepEqual([siPid(back), siCode(back), siValue(back)[0]], [7, SI_QUEUE, -5]);
  const ch = siginfoToCompat(chldInfo(1, 9, 1000, 3, 250, 4));
  assert.deepEqual([dv(ch).getInt32(20, true), dv(ch).getInt32(24, true), dv(ch).getInt32(28, true)], [3, 250, 4]);
  const addr = siginfoFromCompat(S.SIGSEGV, siginfoToCompat(faultInfo(S.SIGSEGV, 1, 0x8000_0000)));
  assert.equal(siAddr(addr), 0x8000_0000, 'compat_ptr zero-extends');
});
