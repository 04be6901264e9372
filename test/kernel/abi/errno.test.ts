import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ERRNO, errnoName, KERNEL_ERRNO } from '../../../src/kernel/abi/errno.js';

test('errno values are the asm-generic ones', () => {
  assert.equal(ERRNO.EPERM, 1);
  assert.equal(ERRNO.EAGAIN, 11);
  assert.equal(ERRNO.EWOULDBLOCK, 11);
  assert.equal(ERRNO.EDEADLK, 35);
  assert.equal(ERRNO.EDEADLOCK, 35);
  assert.equal(ERRNO.ENOSYS, 38);
  assert.equal(ERRNO.EOVERFLOW, 75);
  assert.equal(ERRNO.EOPNOTSUPP, 95);
  assert.equal(ERRNO.EHWPOISON, 133);
});

test('only EWOULDBLOCK and EDEADLOCK share a number with another name', () => {
  const byNumber = new Map<number, string[]>();
  for (const [name, value] of Object.entries(ERRNO)) byNumber.set(value, [...(byNumber.get(value) ?? []), name]);
  const shared = [...byNumber.values()].filter((names) => names.length > 1);
  assert.deepEqual(shared, [
    ['EAGAIN', 'EWOULDBLOCK'],
    ['EDEADLK', 'EDEADLOCK'],
  ]);
});

test('every errno from 1 to 133 has a name', () => {
  for (let n = 1; n <= 133; n++) {
    // 41 and 58 are holes in asm-generic/errno.h (EDEADLOCK moved onto 35).
    if (n === 41 || n === 58) assert.equal(errnoName(n), undefined, `${n}`);
    else assert.notEqual(errnoName(n), undefined, `${n}`);
  }
});

test('errnoName gives the name strace prints', () => {
  assert.equal(errnoName(1), 'EPERM');
  assert.equal(errnoName(11), 'EAGAIN');
  assert.equal(errnoName(35), 'EDEADLK');
  assert.equal(errnoName(38), 'ENOSYS');
  assert.equal(errnoName(95), 'EOPNOTSUPP');
  assert.equal(errnoName(0), undefined);
  assert.equal(errnoName(-1), undefined);
});

test('kernel-internal restart codes have the values of include/linux/errno.h and names', () => {
  assert.deepEqual(KERNEL_ERRNO, {
    ERESTARTSYS: 512,
    ERESTARTNOINTR: 513,
    ERESTARTNOHAND: 514,
    ENOIOCTLCMD: 515,
    ERESTART_RESTARTBLOCK: 516,
  });
  for (const [name, value] of Object.entries(KERNEL_ERRNO)) assert.equal(errnoName(value), name);
});
