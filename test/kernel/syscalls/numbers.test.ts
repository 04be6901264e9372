import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ARM_EABI_SYSCALL_COUNT,
  ARM_EABI_SYSCALL_NUMBERS,
  ARM_PRIVATE_SYSCALL_NUMBERS,
  ARM64_SYSCALL_COUNT,
  ARM64_SYSCALL_NUMBERS,
} from '../../../src/kernel/syscalls/numbers.generated.js';

function assertNumbers(table: Readonly<Record<string, number>>, expected: Readonly<Record<string, number>>): void {
  for (const [name, number] of Object.entries(expected)) assert.equal(table[name], number, name);
}

function assertUniqueBelow(table: Readonly<Record<string, number>>, count: number): void {
  const seen = new Map<number, string>();
  for (const [name, number] of Object.entries(table)) {
    assert.ok(
      Number.isInteger(number) && number >= 0 && number < count,
      `${name} = ${number} is outside 0..${count - 1}`,
    );
    assert.equal(seen.get(number), undefined, `${name} shares ${number} with ${seen.get(number)}`);
    seen.set(number, name);
  }
}

test('arm64 numbers are those of asm-generic/unistd.h as arm64 builds it', () => {
  assertNumbers(ARM64_SYSCALL_NUMBERS, {
    io_setup: 0,
    fcntl: 25,
    renameat: 38,
    openat: 56,
    read: 63,
    write: 64,
    newfstatat: 79,
    fstat: 80,
    exit_group: 94,
    rt_sigreturn: 139,
    clone: 220,
    execve: 221,
    mmap: 222,
    io_uring_setup: 425,
    clone3: 435,
    memfd_secret: 447,
    futex_waitv: 449,
    set_mempolicy_home_node: 450,
  });
  assert.equal(ARM64_SYSCALL_COUNT, 451);
});

test('arm64 has no 32-bit-only calls: no *_time32, *_time64, fstatat64, fcntl64 or mmap2', () => {
  for (const name of Object.keys(ARM64_SYSCALL_NUMBERS)) {
    assert.doesNotMatch(name, /_time(32|64)$|^(fstatat64|fcntl64|mmap2|clock_gettime64)$/, name);
  }
  assert.equal(Object.hasOwn(ARM64_SYSCALL_NUMBERS, 'arch_specific_syscall'), false);
  assert.equal(Object.hasOwn(ARM64_SYSCALL_NUMBERS, 'syscalls'), false);
});

test('arm64 numbers are unique and below __NR_syscalls, in number order', () => {
  assertUniqueBelow(ARM64_SYSCALL_NUMBERS, ARM64_SYSCALL_COUNT);
  const numbers = Object.values(ARM64_SYSCALL_NUMBERS);
  assert.deepEqual(
    numbers,
    [...numbers].sort((a, b) => a - b),
  );
});

test('AArch32 EABI numbers are those of ARM asm/unistd-eabi.h', () => {
  assertNumbers(ARM_EABI_SYSCALL_NUMBERS, {
    restart_syscall: 0,
    exit: 1,
    read: 3,
    write: 4,
    open: 5,
    getpid: 20,
    ioctl: 54,
    sigaction: 67,
    sigreturn: 119,
    _llseek: 140,
    getdents: 141,
    prctl: 172,
    rt_sigreturn: 173,
    rt_sigaction: 174,
    mmap2: 192,
    stat64: 195,
    io_setup: 243,
    io_submit: 246,
    openat: 322,
    fstatat64: 327,
    set_robust_list: 338,
    arm_sync_file_range: 341,
    seccomp: 383,
    clock_gettime64: 403,
    io_uring_setup: 425,
    set_mempolicy_home_node: 450,
  });
  assert.equal(ARM_EABI_SYSCALL_COUNT, 451);
});

test('AArch32 EABI unassigned slots are absent, numbers unique and below the table size', () => {
  assertUniqueBelow(ARM_EABI_SYSCALL_NUMBERS, ARM_EABI_SYSCALL_COUNT);
  const assigned = new Set<number>(Object.values(ARM_EABI_SYSCALL_NUMBERS));
  // 7 was waitpid and 222/223 were tux and unused on ARM; 402, 415 and 447 are unassigned everywhere.
  for (const slot of [7, 222, 223, 402, 415, 447]) assert.equal(assigned.has(slot), false, `slot ${slot}`);
  // sync_file_range2 is only an alias of arm_sync_file_range in asm/unistd.h; one name per number.
  assert.equal(Object.hasOwn(ARM_EABI_SYSCALL_NUMBERS, 'sync_file_range2'), false);
});

test('ARM-private numbers start at __ARM_NR_BASE = 0x0f0000', () => {
  assert.deepEqual(ARM_PRIVATE_SYSCALL_NUMBERS, {
    breakpoint: 0xf0001,
    cacheflush: 0xf0002,
    usr26: 0xf0003,
    usr32: 0xf0004,
    set_tls: 0xf0005,
    get_tls: 0xf0006,
  });
});
