import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { COMPAT_ABI, NATIVE_ABI } from '../../../src/kernel/abi/abi-set.js';
import { ILP32_EABI, LP64, layoutOf } from '../../../src/kernel/abi/layout.js';
import { readField, readStruct, structBytes, writeField, writeStruct } from '../../../src/kernel/abi/marshal.js';
import * as S from '../../../src/kernel/abi/structs.js';

function view(size: number): DataView {
  return new DataView(new ArrayBuffer(size));
}

describe('writing', () => {
  test('members land little-endian at their offsets and unspecified members are zero', () => {
    const bytes = structBytes(COMPAT_ABI.stat, { st_size: 0x1_0000_0002, st_ino: 7n, st_mode: 0o100644 });
    const v = new DataView(bytes.buffer);
    assert.equal(bytes.length, 104);
    assert.equal(v.getUint32(48, true), 2);
    assert.equal(v.getUint32(52, true), 1);
    assert.equal(v.getBigUint64(96, true), 7n);
    assert.equal(v.getUint32(16, true), 0o100644);
    assert.equal(v.getUint32(12, true), 0, '__st_ino was not given');
  });

  test('padding and unspecified members are cleared even over old bytes', () => {
    const v = view(24);
    new Uint8Array(v.buffer).fill(0xaa);
    writeStruct(NATIVE_ABI.stack_t, v, 0, { ss_flags: 1 });
    assert.deepEqual(
      [...new Uint8Array(v.buffer)],
      [...new Uint8Array(8), 1, 0, 0, 0, 0, 0, 0, 0, ...new Uint8Array(8)],
    );
  });

  test('a negative number in a 64-bit member is its two complement', () => {
    const v = view(16);
    writeStruct(NATIVE_ABI.__kernel_timespec, v, 0, { tv_sec: -1, tv_nsec: -(2 ** 40) });
    assert.equal(v.getBigInt64(0, true), -1n);
    assert.equal(v.getBigInt64(8, true), -(2n ** 40n));
  });

  test('bigints cover the full 64-bit range and truncate like a C assignment into narrower members', () => {
    const v = view(16);
    writeStruct(NATIVE_ABI.rlimit64, v, 0, { rlim_cur: 0xffff_ffff_ffff_ffffn, rlim_max: 1n << 63n });
    assert.equal(v.getBigUint64(0, true), 0xffff_ffff_ffff_ffffn);
    writeStruct(COMPAT_ABI.rlimit, v, 0, { rlim_cur: 0x1_2345_6789n, rlim_max: -1 });
    assert.deepEqual([v.getUint32(0, true), v.getUint32(4, true)], [0x2345_6789, 0xffff_ffff]);
  });

  test('model-sized members follow the ABI: a compat iovec is two 32-bit words', () => {
    const bytes = structBytes(COMPAT_ABI.iovec, { iov_base: 0xf000_1000, iov_len: 12 });
    assert.deepEqual([...bytes], [0x00, 0x10, 0x00, 0xf0, 12, 0, 0, 0]);
  });

  test('nested structures, arrays and char arrays', () => {
    const utsname = structBytes(NATIVE_ABI.new_utsname, { sysname: 'Linux', machine: 'aarch64' });
    assert.equal(String.fromCharCode(...utsname.subarray(0, 6)), 'Linux\0');
    assert.equal(String.fromCharCode(...utsname.subarray(4 * 65, 4 * 65 + 8)), 'aarch64\0');
    const it = structBytes(COMPAT_ABI.itimerspec, { it_value: { tv_sec: 3, tv_nsec: 4 } });
    assert.deepEqual([...it], [0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0]);
    const info = structBytes(NATIVE_ABI.sysinfo, { loads: [1, 2, 3], procs: 9 });
    assert.deepEqual([info[8], info[16], info[24], info[80]], [1, 2, 3, 9]);
  });

  test('big-endian members stay in network byte order', () => {
    const sin = structBytes(NATIVE_ABI.sockaddr_in, { sin_family: 2, sin_port: 80, sin_addr: { s_addr: 0x7f000001 } });
    assert.deepEqual([...sin.subarray(0, 8)], [2, 0, 0, 80, 127, 0, 0, 1]);
  });

  test('siginfo members are written through the lifted names at the model offsets', () => {
    const v = view(128);
    writeStruct(COMPAT_ABI.siginfo, v, 0, {
      si_signo: 17,
      si_code: 1,
      _sifields: { _sigchld: { _pid: 42, _status: 3, _utime: 5 } },
    });
    assert.deepEqual(
      [v.getInt32(0, true), v.getInt32(12, true), v.getInt32(20, true), v.getInt32(24, true)],
      [17, 42, 3, 5],
    );
  });

  test('mistakes are emulator bugs and throw: unknown member, fraction, oversized array', () => {
    const v = view(64);
    // @ts-expect-error: members are checked at compile time too
    assert.throws(() => writeStruct(NATIVE_ABI.iovec, v, 0, { iov_nope: 1 }), /no member iov_nope/);
    assert.throws(() => writeStruct(NATIVE_ABI.iovec, v, 0, { iov_len: 1.5 }), TypeError);
    assert.throws(() => writeStruct(NATIVE_ABI.sockaddr_un, view(110), 0, { sun_path: 'x'.repeat(109) }), RangeError);
    assert.throws(() => writeStruct(NATIVE_ABI.stat, v, 0, {}), RangeError, 'a 128-byte struct does not fit 64 bytes');
  });
});

describe('reading', () => {
  test('round trip through both ABIs', () => {
    for (const abi of [NATIVE_ABI, COMPAT_ABI]) {
      const v = view(abi.msghdr.size + 8);
      const values = {
        msg_name: 0x1000,
        msg_namelen: 16,
        msg_iov: 0x2000,
        msg_iovlen: 2,
        msg_controllen: 0,
        msg_flags: 0x40,
      };
      writeStruct(abi.msghdr, v, 8, values);
      assert.deepEqual(readStruct(abi.msghdr, v, 8), { ...values, msg_control: 0 });
    }
  });

  test('64-bit values read as numbers when exact and as bigints beyond 2^53', () => {
    const v = view(256);
    writeStruct(NATIVE_ABI.statx, v, 0, {
      stx_ino: 2n ** 60n,
      stx_size: 2 ** 40,
      stx_mtime: { tv_sec: -5, tv_nsec: 7 },
    });
    const st = readStruct(NATIVE_ABI.statx, v, 0);
    assert.equal(st.stx_ino, 2n ** 60n);
    assert.equal(st.stx_size, 2 ** 40);
    assert.deepEqual(st.stx_mtime, { tv_sec: -5, tv_nsec: 7, __reserved: 0 });
    writeField(NATIVE_ABI.statx, v, 0, 'stx_blocks', -1n);
    assert.equal(readField(NATIVE_ABI.statx, v, 0, 'stx_blocks'), 0xffff_ffff_ffff_ffffn, 'u64 reads unsigned');
  });

  test('signed members sign-extend; long is 32 bits under EABI', () => {
    const v = view(8);
    v.setUint32(0, 0xffff_fffe, true);
    assert.equal(readField(COMPAT_ABI.timeval, v, 0, 'tv_sec'), -2);
    assert.equal(readField(layoutOf(S.stack_t, ILP32_EABI), v, 0, 'ss_sp'), 0xffff_fffe);
  });

  test('char arrays read as bytes, other arrays as lists, nested structures as records', () => {
    const v = view(512);
    writeStruct(NATIVE_ABI.seccomp_data, v, 0, { nr: 64, arch: 0xc00000b7, args: [1, 2n ** 63n] });
    const d = readStruct(NATIVE_ABI.seccomp_data, v, 0);
    assert.deepEqual(d.args, [1, 2n ** 63n, 0, 0, 0, 0]);
    writeStruct(NATIVE_ABI.termios, v, 0, { c_cc: [3, 28] });
    const t = readStruct(NATIVE_ABI.termios, v, 0);
    assert.ok(t.c_cc instanceof Uint8Array);
    assert.deepEqual([...t.c_cc.subarray(0, 3)], [3, 28, 0]);
  });

  test('epoll_event carries its u64 at offset 8 in both ABIs', () => {
    for (const abi of [NATIVE_ABI, COMPAT_ABI]) {
      const bytes = structBytes(abi.epoll_event, { events: 1, data: 0x1122_3344_5566n });
      assert.equal(new DataView(bytes.buffer).getBigUint64(8, true), 0x1122_3344_5566n);
      assert.deepEqual(readStruct(abi.epoll_event, new DataView(bytes.buffer), 0), {
        events: 1,
        data: 0x1122_3344_5566,
      });
    }
  });

  test('reads and writes honour the view offset (a window of guest memory)', () => {
    const buffer = new ArrayBuffer(64);
    const window = new DataView(buffer, 16, 32);
    writeStruct(layoutOf(S.pollfd, LP64), window, 4, { fd: 3, events: 1 });
    assert.deepEqual([new DataView(buffer).getInt32(20, true), new DataView(buffer).getInt16(24, true)], [3, 1]);
    assert.deepEqual(readStruct(layoutOf(S.pollfd, LP64), window, 4), { fd: 3, events: 1, revents: 0 });
  });
});
