/**
 * msghdr, iovec and control-message marshaling in both ABIs (net/msghdr.ts, sockaddr.ts): the
 * 56-byte user_msghdr / 16-byte cmsghdr with 8-byte alignment natively, the 28-byte compat_msghdr /
 * 12-byte compat_cmsghdr with 4-byte alignment in a compat call, and put_cmsg / scm_detach_fds
 * truncation rules. Structures are written into a real task's memory.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { COMPAT_ABI, NATIVE_ABI } from '../../../src/kernel/abi/abi-set.js';
import type { OpenFile } from '../../../src/kernel/fs/open-file.js';
import { ControlWriter, parseControl, readIovecs, readMsghdr, UIO_MAXIOV } from '../../../src/kernel/net/msghdr.js';
import { addrToUser } from '../../../src/kernel/net/sockaddr.js';
import type { SyscallContext } from '../../../src/kernel/syscalls/syscall-types.js';
import { STACK_TOP, signalFixture } from '../task/signal-fixture.js';

const EINVAL = -22;
const EFAULT = -14;
const EMSGSIZE = -90;
const MSG_CTRUNC = 8;
const MSG_CMSG_CLOEXEC = 0x40000000;
const SOL_SOCKET = 1;
const SCM_RIGHTS = 1;
const SCM_CREDENTIALS = 2;
/** A buffer in the fixture's mapped stack, below 4 GiB (usable by compat calls too). */
const BUF = STACK_TOP - 64 * 1024;

function ctxOf(compat: boolean): SyscallContext {
  const { kernel, task } = signalFixture();
  return {
    kernel,
    task,
    compat,
    abi: compat ? COMPAT_ABI : NATIVE_ABI,
    mem: task.mm.as,
    mm: task.mm,
    name: 'test',
  };
}

function poke(ctx: SyscallContext, addr: number, bytes: Uint8Array): void {
  ctx.mem.writeBytes(addr, bytes, 0, bytes.length);
}

function peek(ctx: SyscallContext, addr: number, len: number): Uint8Array {
  const b = new Uint8Array(len);
  ctx.mem.readBytes(addr, b, 0, len);
  return b;
}

/** Little-endian words of the given widths. */
function words(...items: [number, 4 | 8][]): Uint8Array {
  const size = items.reduce((n, [, w]) => n + w, 0);
  const b = new Uint8Array(size);
  const dv = new DataView(b.buffer);
  let at = 0;
  for (const [v, w] of items) {
    if (w === 8) dv.setBigInt64(at, BigInt(v), true);
    else dv.setInt32(at, v, true);
    at += w;
  }
  return b;
}

/** A control message as the ABI lays it out: header, data, padding to the alignment. */
function cmsg(compat: boolean, level: number, type: number, data: Uint8Array, len = -1): Uint8Array {
  const hdr = compat ? 12 : 16;
  const align = compat ? 4 : 8;
  const cmlen = len >= 0 ? len : hdr + data.length;
  const space = Math.ceil((hdr + data.length) / align) * align;
  const b = new Uint8Array(space);
  const dv = new DataView(b.buffer);
  if (compat) dv.setUint32(0, cmlen, true);
  else dv.setBigUint64(0, BigInt(cmlen), true);
  dv.setInt32(hdr - 8, level, true);
  dv.setInt32(hdr - 4, type, true);
  b.set(data, hdr);
  return b;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const b = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    b.set(p, at);
    at += p.length;
  }
  return b;
}

/** A minimal description for the fd table. */
function fakeFile(): OpenFile {
  return { flags: 2, path: 'fake', pos: 0, refs: 0 };
}

describe('msghdr in both ABIs', () => {
  test('native user_msghdr is 56 bytes: pointers and lengths 8 bytes, namelen and flags 4', () => {
    const ctx = ctxOf(false);
    poke(ctx, BUF, words([0x1000, 8], [16, 4], [0, 4], [0x2000, 8], [3, 8], [0x3000, 8], [40, 8], [0, 4], [0, 4]));
    assert.deepEqual(readMsghdr(ctx, BUF), {
      name: 0x1000,
      namelen: 16,
      iov: 0x2000,
      iovlen: 3,
      control: 0x3000,
      controllen: 40,
    });
  });

  test('compat_msghdr is 28 bytes of 32-bit fields', () => {
    const ctx = ctxOf(true);
    poke(ctx, BUF, words([0x1000, 4], [16, 4], [0x2000, 4], [3, 4], [0x3000, 4], [40, 4], [0, 4]));
    assert.deepEqual(readMsghdr(ctx, BUF), {
      name: 0x1000,
      namelen: 16,
      iov: 0x2000,
      iovlen: 3,
      control: 0x3000,
      controllen: 40,
    });
  });

  test('msg_namelen: zero without a name, clamped to sockaddr_storage, negative is EINVAL', () => {
    const ctx = ctxOf(true);
    poke(ctx, BUF, words([0, 4], [16, 4], [0, 4], [0, 4], [0, 4], [0, 4], [0, 4]));
    assert.equal((readMsghdr(ctx, BUF) as { namelen: number }).namelen, 0);
    poke(ctx, BUF, words([0x1000, 4], [4096, 4]));
    assert.equal((readMsghdr(ctx, BUF) as { namelen: number }).namelen, 128);
    poke(ctx, BUF, words([0x1000, 4], [-1, 4]));
    assert.equal(readMsghdr(ctx, BUF), EINVAL);
  });

  test('more than UIO_MAXIOV iovecs is EMSGSIZE; an unmapped msghdr EFAULT', () => {
    const ctx = ctxOf(false);
    poke(ctx, BUF, words([0, 8], [0, 4], [0, 4], [0x2000, 8], [UIO_MAXIOV + 1, 8], [0, 8], [0, 8], [0, 4], [0, 4]));
    assert.equal(readMsghdr(ctx, BUF), EMSGSIZE);
    assert.equal(readMsghdr(ctx, 0x1000), EFAULT);
  });

  test('iovecs are 16 bytes natively, 8 in compat; a length negative as ssize_t is EINVAL', () => {
    const n = ctxOf(false);
    poke(n, BUF, words([0x10, 8], [5, 8], [0x20, 8], [7, 8]));
    assert.deepEqual(readIovecs(n, BUF, 2), {
      segs: [
        { addr: 0x10, len: 5 },
        { addr: 0x20, len: 7 },
      ],
      total: 12,
    });
    poke(n, BUF, words([0x10, 8], [-1, 8]));
    assert.equal(readIovecs(n, BUF, 1), EINVAL);
    const c = ctxOf(true);
    poke(c, BUF, words([0x10, 4], [5, 4], [0x20, 4], [7, 4]));
    assert.deepEqual(readIovecs(c, BUF, 2), {
      segs: [
        { addr: 0x10, len: 5 },
        { addr: 0x20, len: 7 },
      ],
      total: 12,
    });
    poke(c, BUF, words([0x10, 4], [-1, 4]));
    assert.equal(readIovecs(c, BUF, 1), EINVAL);
  });
});

describe('control messages of a send', () => {
  const four = Uint8Array.of(3, 0, 0, 0);
  test('native: 16-byte headers, the next message at CMSG_ALIGN (8)', () => {
    const buf = concat(cmsg(false, SOL_SOCKET, SCM_RIGHTS, four), cmsg(false, 99, 7, Uint8Array.of(1, 2)));
    assert.equal(buf.length, 48);
    const r = parseControl(NATIVE_ABI, buf);
    assert.ok(Array.isArray(r));
    assert.deepEqual(
      r.map((c) => [c.level, c.type, [...c.data]]),
      [
        [SOL_SOCKET, SCM_RIGHTS, [3, 0, 0, 0]],
        [99, 7, [1, 2]],
      ],
    );
  });

  test('compat: 12-byte headers, the next message at a 4-byte boundary', () => {
    const buf = concat(cmsg(true, SOL_SOCKET, SCM_RIGHTS, four), cmsg(true, 99, 7, Uint8Array.of(1, 2)));
    assert.equal(buf.length, 32);
    const r = parseControl(COMPAT_ABI, buf);
    assert.ok(Array.isArray(r));
    assert.deepEqual(
      r.map((c) => [c.level, c.type, c.data.length]),
      [
        [SOL_SOCKET, SCM_RIGHTS, 4],
        [99, 7, 2],
      ],
    );
  });

  test('a cmsg_len below the header or past the buffer is EINVAL', () => {
    assert.equal(parseControl(NATIVE_ABI, cmsg(false, SOL_SOCKET, SCM_RIGHTS, four, 8)), EINVAL);
    assert.equal(parseControl(NATIVE_ABI, cmsg(false, SOL_SOCKET, SCM_RIGHTS, four, 64)), EINVAL);
    assert.equal(parseControl(COMPAT_ABI, cmsg(true, SOL_SOCKET, SCM_RIGHTS, four, 11)), EINVAL);
  });

  test('bytes too few for a header end the walk natively, but are EINVAL alone in compat', () => {
    assert.deepEqual(parseControl(NATIVE_ABI, new Uint8Array(10)), []);
    assert.equal(parseControl(COMPAT_ABI, new Uint8Array(10)), EINVAL);
    const r = parseControl(COMPAT_ABI, concat(cmsg(true, 5, 6, four), new Uint8Array(8)));
    assert.ok(Array.isArray(r) && r.length === 1);
  });
});

describe('control messages of a receive (put_cmsg, scm_detach_fds)', () => {
  const ucred = new Uint8Array(12);
  test('SCM_CREDENTIALS takes CMSG_SPACE(12): 32 bytes natively, 24 in compat', () => {
    const n = new ControlWriter(NATIVE_ABI, 128);
    n.put(SOL_SOCKET, SCM_CREDENTIALS, ucred);
    assert.equal(n.used, 32);
    assert.equal(new DataView(n.bytes.buffer).getBigUint64(0, true), 28n);
    const c = new ControlWriter(COMPAT_ABI, 128);
    c.put(SOL_SOCKET, SCM_CREDENTIALS, ucred);
    assert.equal(c.used, 24);
    assert.equal(new DataView(c.bytes.buffer).getUint32(0, true), 24);
    assert.equal(c.flags, 0);
  });

  test('a message cut short sets MSG_CTRUNC; no room for a header writes nothing', () => {
    const w = new ControlWriter(NATIVE_ABI, 20);
    w.put(SOL_SOCKET, SCM_CREDENTIALS, ucred);
    assert.equal(w.flags, MSG_CTRUNC);
    assert.equal(w.used, 20);
    assert.equal(new DataView(w.bytes.buffer).getBigUint64(0, true), 20n);
    const none = new ControlWriter(COMPAT_ABI, 11);
    none.put(SOL_SOCKET, SCM_CREDENTIALS, ucred);
    assert.equal(none.flags, MSG_CTRUNC);
    assert.equal(none.used, 0);
  });

  test('SCM_RIGHTS installs what fits, drops the in-flight references, truncates the rest', () => {
    for (const compat of [false, true]) {
      const ctx = ctxOf(compat);
      const abi = compat ? COMPAT_ABI : NATIVE_ABI;
      const hdr = compat ? 12 : 16;
      const files = [fakeFile(), fakeFile(), fakeFile()];
      for (const f of files) f.refs = 1;
      const w = new ControlWriter(abi, hdr + 8);
      w.rights(ctx, files, MSG_CMSG_CLOEXEC);
      const dv = new DataView(w.bytes.buffer);
      const cmlen = compat ? dv.getUint32(0, true) : Number(dv.getBigUint64(0, true));
      assert.equal(cmlen, hdr + 8, 'header for two descriptors');
      const fd0 = dv.getInt32(hdr, true);
      const fd1 = dv.getInt32(hdr + 4, true);
      assert.equal(ctx.task.files.get(fd0), files[0]);
      assert.equal(ctx.task.files.get(fd1), files[1]);
      assert.ok(ctx.task.files.cloexec(fd0), 'MSG_CMSG_CLOEXEC');
      assert.equal(w.flags, MSG_CTRUNC);
      assert.equal(w.used, hdr + 8);
      assert.deepEqual(
        files.map((f) => f.refs),
        [1, 1, 0],
        'installed ones belong to the fd table; the third is released',
      );
    }
  });
});

describe('move_addr_to_user', () => {
  test('copies at most *ulen bytes and stores the full length; a negative length is EINVAL', () => {
    const ctx = ctxOf(false);
    const addr = Uint8Array.of(1, 0, 0x2f, 0x74, 0x6d, 0x70, 0);
    poke(ctx, BUF, words([4, 4]));
    poke(ctx, BUF + 16, new Uint8Array(8).fill(0xee));
    assert.equal(addrToUser(ctx.mem, addr, BUF + 16, BUF), 0);
    assert.deepEqual([...peek(ctx, BUF + 16, 8)], [1, 0, 0x2f, 0x74, 0xee, 0xee, 0xee, 0xee]);
    assert.equal(new DataView(peek(ctx, BUF, 4).buffer).getInt32(0, true), 7);
    poke(ctx, BUF, words([-1, 4]));
    assert.equal(addrToUser(ctx.mem, addr, BUF + 16, BUF), EINVAL);
  });
});
