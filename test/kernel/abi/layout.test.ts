import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { COMPAT_ABI, NATIVE_ABI } from '../../../src/kernel/abi/abi-set.js';
import {
  anon,
  array,
  defineStruct,
  defineUnion,
  ILP32_EABI,
  i32,
  LP64,
  layoutOf,
  long,
  offsetOf,
  pad,
  ptr,
  u8,
  u16,
  u32,
  u64,
} from '../../../src/kernel/abi/layout.js';
import * as S from '../../../src/kernel/abi/structs.js';

describe('C layout rules', () => {
  test('a member is placed at the next multiple of its alignment and the size rounds up to the struct alignment', () => {
    const s = defineStruct('t1', { a: u8, b: u32, c: u16 });
    const l = layoutOf(s, LP64);
    assert.deepEqual([l.fields.a!.offset, l.fields.b!.offset, l.fields.c!.offset, l.size, l.align], [0, 4, 8, 12, 4]);
  });

  test('ARM EABI keeps 64-bit members 8-aligned while long and pointers shrink to 4 bytes', () => {
    const s = defineStruct('t2', { a: u32, b: u64, c: long, d: ptr });
    assert.deepEqual(
      [layoutOf(s, ILP32_EABI).fields.b!.offset, layoutOf(s, ILP32_EABI).size, layoutOf(s, ILP32_EABI).align],
      [8, 24, 8],
    );
    assert.deepEqual([layoutOf(s, LP64).fields.d!.offset, layoutOf(s, LP64).size], [24, 32]);
  });

  test('packed makes every member 1-aligned; aligned(n) raises the struct alignment', () => {
    const s = defineStruct('t3', { a: u32, b: u64, c: u8 }, { packed: true, align: 4 });
    const l = layoutOf(s, ILP32_EABI);
    assert.deepEqual([l.fields.b!.offset, l.fields.c!.offset, l.size, l.align], [4, 12, 16, 4]);
  });

  test('union members all sit at offset 0 and the union is as large as its largest member', () => {
    const u = defineUnion('t4', { a: u8, b: u64, c: array(u8, 11) });
    const l = layoutOf(u, ILP32_EABI);
    assert.deepEqual([l.fields.c!.offset, l.size, l.align], [0, 16, 8]);
  });

  test('anonymous members lift their fields into the parent at their offsets', () => {
    const s = defineStruct('t5', { a: u8, _u: anon(defineUnion('t5.u', { x: u32, y: u16 })) });
    const l = layoutOf(s, LP64);
    assert.deepEqual(Object.keys(l.fields), ['a', 'x', 'y']);
    assert.equal(l.fields.y!.offset, 4);
  });

  test('a flexible array member has no size but still aligns', () => {
    const s = defineStruct('t6', { a: u64, b: u16, name: array(u8, 0) });
    assert.deepEqual([layoutOf(s, LP64).fields.name!.offset, layoutOf(s, LP64).size], [10, 16]);
  });

  test('pad bytes take space but are not members', () => {
    const s = defineStruct('t7', { a: i32, __pad: pad(44) });
    assert.deepEqual([Object.keys(layoutOf(s, LP64).fields), layoutOf(s, LP64).size], [['a'], 48]);
  });

  test('array lengths may depend on the model', () => {
    const s = defineStruct('t8', { f: array(u8, (m) => 20 - 2 * m.longSize - 4) });
    assert.deepEqual([layoutOf(s, LP64).size, layoutOf(s, ILP32_EABI).size], [0, 8]);
  });

  test('duplicate member names are refused at declaration', () => {
    assert.throws(() => defineStruct('t9', { a: u8, _u: anon(defineStruct('t9.u', { a: u8 })) }), /duplicate member a/);
  });

  test('layouts are computed once per model', () => {
    assert.equal(layoutOf(S.stat, LP64), layoutOf(S.stat, LP64));
    assert.notEqual(layoutOf(S.iovec, LP64), layoutOf(S.iovec, ILP32_EABI));
  });

  test('offsetOf follows nested members and array indexes', () => {
    assert.equal(offsetOf(layoutOf(S.sysinfo, LP64), 'loads[2]').offset, 24);
    assert.equal(offsetOf(layoutOf(S.__kernel_itimerspec, LP64), 'it_value.tv_nsec').offset, 24);
    assert.throws(() => offsetOf(layoutOf(S.stat, LP64), 'st_nope'), /no member/);
  });
});

/** [struct, LP64 size, ILP32 EABI size] for the structures whose sizes the syscalls check. */
const SIZES: [string, number, number][] = [
  ['stat', 128, 80],
  ['stat64', 104, 104],
  ['compat_stat', 64, 64],
  ['statx', 256, 256],
  ['statx_timestamp', 16, 16],
  ['statfs', 120, 64],
  ['compat_statfs64', 84, 84],
  ['__kernel_timespec', 16, 16],
  ['old_timespec32', 8, 8],
  ['__kernel_old_timeval', 16, 8],
  ['__kernel_old_itimerval', 32, 16],
  ['__kernel_itimerspec', 32, 32],
  ['timezone', 8, 8],
  ['tms', 32, 16],
  ['utimbuf', 16, 8],
  ['timex', 208, 128],
  ['__kernel_timex', 208, 208],
  ['rusage', 144, 72],
  ['rlimit', 16, 8],
  ['rlimit64', 16, 16],
  ['sysinfo', 112, 64],
  ['new_utsname', 390, 390],
  ['iovec', 16, 8],
  ['msghdr', 56, 28],
  ['cmsghdr', 16, 12],
  ['mmsghdr', 64, 32],
  ['sockaddr', 16, 16],
  ['sockaddr_in', 16, 16],
  ['sockaddr_in6', 28, 28],
  ['sockaddr_un', 110, 110],
  ['epoll_event', 16, 16],
  ['pollfd', 8, 8],
  ['sigaction', 32, 20],
  ['old_sigaction', 32, 16],
  ['sigset_t', 8, 8],
  ['stack_t', 24, 12],
  ['siginfo', 128, 128],
  ['sigevent', 64, 64],
  ['winsize', 8, 8],
  ['termios', 36, 36],
  ['robust_list_head', 24, 12],
  ['sock_fprog', 16, 8],
  ['sock_filter', 8, 8],
  ['seccomp_data', 64, 64],
  ['ptrace_syscall_info', 88, 88],
  ['clone_args', 88, 88],
  ['io_event', 32, 32],
  ['iocb', 64, 64],
  ['sched_param', 4, 4],
  ['ipc64_perm', 48, 36],
  ['compat_ipc64_perm', 36, 36],
  ['shmid64_ds', 112, 72],
  ['compat_shmid64_ds', 84, 84],
  ['futex_waitv', 24, 24],
];

describe('structure sizes', () => {
  for (const [name, lp64, ilp32] of SIZES) {
    test(`sizeof(struct ${name}) is ${lp64} on arm64 and ${ilp32} under ARM EABI`, () => {
      const struct = S.STRUCTS.get(name)!;
      assert.equal(layoutOf(struct, LP64).size, lp64);
      assert.equal(layoutOf(struct, ILP32_EABI).size, ilp32);
    });
  }
});

describe('key offsets', () => {
  test('arm64 stat: st_size at 48, st_blocks at 64, st_mtime at 88', () => {
    const l = layoutOf(S.stat, LP64);
    assert.deepEqual([l.fields.st_size!.offset, l.fields.st_blocks!.offset, l.fields.st_mtime!.offset], [48, 64, 88]);
  });

  test('ARM stat64: st_size at 48 and the full st_ino at 96 (64-bit members 8-aligned)', () => {
    const l = layoutOf(S.stat64, ILP32_EABI);
    assert.deepEqual([l.fields.st_size!.offset, l.fields.st_blocks!.offset, l.fields.st_ino!.offset], [48, 64, 96]);
  });

  test('compat_statfs64 is packed: f_fsid at 48 and f_spare at 68', () => {
    const l = layoutOf(S.compat_statfs64, ILP32_EABI);
    assert.deepEqual(
      [l.fields.f_blocks!.offset, l.fields.f_fsid!.offset, l.fields.f_spare!.offset, l.align],
      [8, 48, 68, 4],
    );
  });

  test('siginfo: the union of fields starts at 16 on arm64 and at 12 under EABI', () => {
    const at = (model: typeof LP64, path: string) => offsetOf(layoutOf(S.siginfo, model), path).offset;
    assert.deepEqual(
      ['_sifields', '_sifields._sigchld._utime', '_sifields._sigfault._addr_lsb', '_sifields._sigsys._arch'].map(
        (p) => [at(LP64, p), at(ILP32_EABI, p)],
      ),
      [
        [16, 12],
        [32, 24],
        [24, 16],
        [28, 20],
      ],
    );
  });

  test('msghdr: msg_iovlen at 24 / 12, msg_flags at 48 / 24', () => {
    assert.deepEqual(
      [NATIVE_ABI.msghdr.fields.msg_iovlen.offset, COMPAT_ABI.msghdr.fields.msg_iovlen.offset],
      [24, 12],
    );
    assert.deepEqual([NATIVE_ABI.msghdr.fields.msg_flags.offset, COMPAT_ABI.msghdr.fields.msg_flags.offset], [48, 24]);
  });

  test('linux_dirent64 name at 19; compat linux_dirent name at 10', () => {
    assert.equal(NATIVE_ABI.linux_dirent64.fields.d_name.offset, 19);
    assert.equal(COMPAT_ABI.linux_dirent.fields.d_name.offset, 10);
  });

  test('sigaction: mask last, at 24 / 12; old_sigaction: mask second', () => {
    assert.deepEqual(
      [NATIVE_ABI.sigaction.fields.sa_mask.offset, COMPAT_ABI.sigaction.fields.sa_mask.offset],
      [24, 12],
    );
    assert.equal(layoutOf(S.old_sigaction, ILP32_EABI).fields.sa_mask!.offset, 4);
  });
});

describe('ABI sets', () => {
  test('each set lays structures out under its own model', () => {
    assert.equal(NATIVE_ABI.model, LP64);
    assert.equal(COMPAT_ABI.model, ILP32_EABI);
    for (const set of [NATIVE_ABI, COMPAT_ABI]) {
      for (const [key, value] of Object.entries(set)) {
        if (key !== 'name' && key !== 'model') assert.equal((value as { model: unknown }).model, set.model, key);
      }
    }
  });

  test('structures the kernel declares twice resolve to the right declaration', () => {
    const pairs: [keyof typeof NATIVE_ABI, string, string, number, number][] = [
      ['stat', 'stat', 'stat64', 128, 104],
      ['timespec', '__kernel_timespec', 'old_timespec32', 16, 8],
      ['itimerspec', '__kernel_itimerspec', 'old_itimerspec32', 32, 16],
      ['statfs64', 'statfs64', 'compat_statfs64', 120, 84],
      ['ipc64_perm', 'ipc64_perm', 'compat_ipc64_perm', 48, 36],
      ['shmid64_ds', 'shmid64_ds', 'compat_shmid64_ds', 112, 84],
    ];
    for (const [key, native, compat, nativeSize, compatSize] of pairs) {
      const n = NATIVE_ABI[key] as { name: string; size: number };
      const c = COMPAT_ABI[key] as { name: string; size: number };
      assert.deepEqual([n.name, n.size, c.name, c.size], [native, nativeSize, compat, compatSize], key);
    }
  });

  test('one-declaration structures differ only by model (iovec 16 / 8, timeval 16 / 8, rusage 144 / 72)', () => {
    assert.deepEqual([NATIVE_ABI.iovec.size, COMPAT_ABI.iovec.size], [16, 8]);
    assert.deepEqual([NATIVE_ABI.timeval.size, COMPAT_ABI.timeval.size], [16, 8]);
    assert.deepEqual([NATIVE_ABI.rusage.size, COMPAT_ABI.rusage.size], [144, 72]);
    assert.equal(NATIVE_ABI.iovec.struct, COMPAT_ABI.iovec.struct);
  });

  test('the time64 structures are the same in both sets', () => {
    assert.equal(NATIVE_ABI.__kernel_timespec.size, COMPAT_ABI.__kernel_timespec.size);
    assert.equal(COMPAT_ABI.__kernel_timespec.size, 16);
  });
});
