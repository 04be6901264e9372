// syscall-entry first: it is the module graph's root (the sys-* handler modules reach it through kernel.js).
import '../../../src/kernel/entry/syscall-entry.js';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type AbiSet, COMPAT_ABI, NATIVE_ABI } from '../../../src/kernel/abi/abi-set.js';
import { COMPAT_TIME64_ABI } from '../../../src/kernel/syscalls/compat-table.js';
import type { SyscallContext } from '../../../src/kernel/syscalls/syscall-types.js';
import {
  readItimerspec,
  readTimespec,
  readTimespecs,
  timespecValid,
} from '../../../src/kernel/syscalls/timespec-read.js';

const AT = 0x100;

/** A context over a guest buffer holding `words` (little-endian u32s) at AT. */
function ctxWith(abi: AbiSet, compat: boolean, words: number[]): SyscallContext {
  const guest = new Uint8Array(0x400);
  const v = new DataView(guest.buffer);
  for (const [i, w] of words.entries()) v.setUint32(AT + 4 * i, w >>> 0, true);
  const mem = {
    readBytes(addr: number, dst: Uint8Array, at: number, len: number) {
      dst.set(guest.subarray(addr, addr + len), at);
    },
  };
  return { compat, abi, mem } as unknown as SyscallContext;
}

// tv_sec = 5, tv_nsec = 0xdeadbeef_00000007 (garbage upper half, valid low half).
const GARBAGE = [5, 0, 7, 0xdeadbeef];

test('a compat time64 call keeps only the low 32 bits of tv_nsec (get_timespec64)', () => {
  const ts = readTimespec(ctxWith(COMPAT_TIME64_ABI, true, GARBAGE), AT);
  assert.deepEqual(ts, { sec: 5, nsec: 7 });
  assert.ok(ts !== null && timespecValid(ts));
  // 'kernel' reads __kernel_timespec whatever the ABI view (epoll_pwait2, io_uring).
  assert.deepEqual(readTimespec(ctxWith(COMPAT_ABI, true, GARBAGE), AT, 'kernel'), { sec: 5, nsec: 7 });
});

test('the low half is zero-extended: 0xffffffff is 4294967295, still invalid', () => {
  const ts = readTimespec(ctxWith(COMPAT_TIME64_ABI, true, [1, 0, 0xffffffff, 0xffffffff]), AT);
  assert.deepEqual(ts, { sec: 1, nsec: 4294967295 });
  assert.ok(ts !== null && !timespecValid(ts));
});

test('a native call keeps all 64 bits: garbage in the upper half fails timespec64_valid', () => {
  const ts = readTimespec(ctxWith(NATIVE_ABI, false, GARBAGE), AT);
  assert.ok(ts !== null && !timespecValid(ts));
  const neg = readTimespec(ctxWith(NATIVE_ABI, false, [1, 0, 7, 0xffffffff]), AT);
  assert.ok(neg !== null && neg.nsec < 0 && !timespecValid(neg));
  assert.deepEqual(readTimespec(ctxWith(NATIVE_ABI, false, [3, 1, 999999999, 0]), AT), {
    sec: 3 + 4294967296,
    nsec: 999999999,
  });
});

test('a compat time32 call reads old_timespec32 (signed 32-bit members)', () => {
  const ctx = ctxWith(COMPAT_ABI, true, [0xfffffffe, 0xffffffff]);
  assert.deepEqual(readTimespec(ctx, AT), { sec: -2, nsec: -1 });
});

test('readTimespecs reads utimensat pairs in the calling layout', () => {
  const pair = [...GARBAGE, 9, 0, 0x3ffffffe, 0x1];
  assert.deepEqual(readTimespecs(ctxWith(COMPAT_TIME64_ABI, true, pair), AT, 2), [
    { sec: 5, nsec: 7 },
    { sec: 9, nsec: 0x3ffffffe }, // UTIME_OMIT despite the upper half
  ]);
  const native = readTimespecs(ctxWith(NATIVE_ABI, false, pair), AT, 2);
  assert.equal(native?.[1]?.nsec, 0x3ffffffe + 4294967296);
  assert.deepEqual(readTimespecs(ctxWith(COMPAT_ABI, true, [1, 2, 3, 4]), AT, 2), [
    { sec: 1, nsec: 2 },
    { sec: 3, nsec: 4 },
  ]);
});

test('readItimerspec masks both members in a compat time64 call and reads old_itimerspec32 in time32', () => {
  const words = [1, 0, 2, 0xabc, 3, 0, 4, 0x80000000];
  assert.deepEqual(readItimerspec(ctxWith(COMPAT_TIME64_ABI, true, words), AT), {
    interval: { sec: 1, nsec: 2 },
    value: { sec: 3, nsec: 4 },
  });
  const native = readItimerspec(ctxWith(NATIVE_ABI, false, words), AT);
  assert.ok(native !== null && !timespecValid(native.interval) && !timespecValid(native.value));
  assert.deepEqual(readItimerspec(ctxWith(COMPAT_ABI, true, [1, 2, 3, 4]), AT), {
    interval: { sec: 1, nsec: 2 },
    value: { sec: 3, nsec: 4 },
  });
});
