import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COMPAT_SYSCALL_BIT, inCompatSyscall } from '../../../src/kernel/entry/compat-state.js';
import { decodeSyscall, syscallEntry } from '../../../src/kernel/entry/syscall-entry.js';
import type { Kernel } from '../../../src/kernel/kernel.js';
import type { Task } from '../../../src/kernel/task/task.js';

const ENOSYS = 38;
const EBADF = 9;

/** The smallest kernel and task syscallEntry can run: registers, a pid, an fd table that records close(). */
function fixture(compatSyscalls = true) {
  const closed: number[] = [];
  const task = {
    tid: 7,
    tgid: 7,
    exitStatus: undefined,
    inCompatSyscall: false,
    syscallNo: -1,
    syscallWork: 0,
    cpu: { x: new Int32Array(66) },
    mm: { as: {} },
    files: {
      close: (fd: number) => {
        closed.push(fd);
        return fd === 3;
      },
    },
  };
  const kernel = { options: { compatSyscalls }, trace: undefined };
  const run = (x8: [number, number], ...args: [number, number][]) => {
    const x = task.cpu.x;
    x.fill(0);
    args.forEach(([lo, hi], i) => {
      x[2 * i] = lo | 0;
      x[2 * i + 1] = hi | 0;
    });
    x[16] = x8[0] | 0;
    x[17] = x8[1] | 0;
    const r = syscallEntry(kernel as unknown as Kernel, task as unknown as Task);
    assert.equal(r, undefined, 'these calls complete synchronously');
    return { lo: x[0]! >>> 0, hi: x[1]! >>> 0 };
  };
  return { task, run, closed };
}

test('bit 31 of w8 selects the compat table: compat getpid (20) returns the pid, zero-extended', () => {
  const { task, run } = fixture();
  assert.deepEqual(run([COMPAT_SYSCALL_BIT | 20, 0]), { lo: 7, hi: 0 });
  assert.equal(inCompatSyscall(task as unknown as Task), true);
  // The upper half of x8 is ignored.
  assert.deepEqual(run([COMPAT_SYSCALL_BIT | 20, 0x12345678]), { lo: 7, hi: 0 });
});

test('bit 31 clear is a native call; the state follows the call', () => {
  const { task, run } = fixture();
  run([COMPAT_SYSCALL_BIT | 20, 0]);
  assert.deepEqual(run([172, 0]), { lo: 7, hi: 0 });
  assert.equal(task.inCompatSyscall, false);
});

test('errors come back as 32-bit values zero-extended: 0x00000000fffffff7 for -EBADF', () => {
  const { run } = fixture();
  assert.deepEqual(run([COMPAT_SYSCALL_BIT | 6, 0], [4, 0]), { lo: 2 ** 32 - EBADF, hi: 0 });
  // The same failure through the native close (57) is sign-extended.
  assert.deepEqual(run([57, 0], [4, 0]), { lo: 2 ** 32 - EBADF, hi: 0xffffffff });
});

test('arguments are narrowed: the upper half of x0 never reaches the handler', () => {
  const { run, closed } = fixture();
  assert.deepEqual(run([COMPAT_SYSCALL_BIT | 6, 0], [3, 0xffffffff]), { lo: 0, hi: 0 });
  assert.deepEqual(closed, [3]);
});

test('-ENOSYS, zero-extended, for unassigned slots, numbers past the table and the ARM-private range', () => {
  const { run } = fixture();
  const enosys32 = { lo: 2 ** 32 - ENOSYS, hi: 0 };
  for (const nr of [7, 402, 415, 447, 451, 0x7ffff, 0xf0002, 0xf0005, 0xf07ff, 0xf0800, 0x7fffffff]) {
    assert.deepEqual(run([COMPAT_SYSCALL_BIT | nr, 0]), enosys32, `compat ${nr}`);
  }
});

test('syscall(-1) is compat 0x7fffffff: -ENOSYS as 0x00000000ffffffda, not the 64-bit -ENOSYS', () => {
  const { task, run } = fixture();
  assert.deepEqual(run([0xffffffff, 0xffffffff]), { lo: 0xffffffda, hi: 0 });
  assert.equal(task.inCompatSyscall, true);
});

test('without the series (--no-compat-syscalls), bit 31 gives the 64-bit -ENOSYS and the call is native', () => {
  const { task, run } = fixture(false);
  assert.deepEqual(run([COMPAT_SYSCALL_BIT | 20, 0]), { lo: 0xffffffda, hi: 0xffffffff });
  assert.equal(task.inCompatSyscall, false);
  assert.deepEqual(run([0xffffffff, 0xffffffff]), { lo: 0xffffffda, hi: 0xffffffff });
});

test('decodeSyscall names the table row', () => {
  assert.equal(decodeSyscall(COMPAT_SYSCALL_BIT | 192, true).row?.name, 'mmap2');
  assert.equal(decodeSyscall(192, true).row?.name, 'semtimedop');
  assert.equal(decodeSyscall(COMPAT_SYSCALL_BIT | 192, false).row, undefined);
  assert.equal(decodeSyscall(COMPAT_SYSCALL_BIT | 402, true).row?.name, 'syscall_402');
});
