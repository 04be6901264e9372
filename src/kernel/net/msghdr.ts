/**
 * struct msghdr and its control messages in the calling ABI (net/socket.c, net/compat.c,
 * net/core/scm.c): a native call reads the 56-byte user_msghdr, 16-byte iovecs and 16-byte cmsghdrs
 * aligned to 8; a compat call the 28-byte compat_msghdr, 8-byte compat_iovecs and 12-byte
 * compat_cmsghdrs aligned to 4 (ctx.abi has both layouts).
 */
import type { AddressSpace } from '../../memory/address-space.js';
import type { AbiSet } from '../abi/abi-set.js';
import { ERRNO } from '../abi/errno.js';
import { readField } from '../abi/marshal.js';
import type { OpenFile } from '../fs/open-file.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import { copyIn } from '../syscalls/uaccess.js';
import { GuestSink, GuestSource, type MsgSink, type MsgSource, type Seg } from './msg-io.js';
import { type Cmsg, fput } from './scm.js';
import { MSG_CMSG_CLOEXEC, MSG_CTRUNC, SCM_RIGHTS, SOCKADDR_STORAGE_SIZE, SOL_SOCKET } from './socket-abi.js';

const EINVAL = -ERRNO.EINVAL;
const EFAULT = -ERRNO.EFAULT;
const EMSGSIZE = -ERRNO.EMSGSIZE;
const ENOBUFS = -ERRNO.ENOBUFS;

export const UIO_MAXIOV = 1024;
/** MAX_RW_COUNT: the most one call moves. */
export const MAX_RW_COUNT = 0x7ffff000;
const INT_MAX = 0x7fffffff;

/** A user msghdr as __copy_msghdr / __get_compat_msghdr take it. */
export interface UserMsghdr {
  /** msg_name (0 when absent) and its length, clamped to sizeof(sockaddr_storage). */
  readonly name: number;
  readonly namelen: number;
  readonly iov: number;
  readonly iovlen: number;
  readonly control: number;
  readonly controllen: number;
}

function num(v: number | bigint): number {
  return typeof v === 'bigint' ? Number(v) : v;
}

/** Reads the msghdr at addr: -EFAULT, -EINVAL for a negative msg_namelen, -EMSGSIZE beyond UIO_MAXIOV iovecs. */
export function readMsghdr(ctx: SyscallContext, addr: number): UserMsghdr | number {
  const L = ctx.abi.msghdr;
  const raw = copyIn(ctx.mem, addr, L.size);
  if (raw === null) return EFAULT;
  const dv = new DataView(raw.buffer);
  const name = num(readField(L, dv, 0, 'msg_name'));
  let namelen = name === 0 ? 0 : num(readField(L, dv, 0, 'msg_namelen'));
  if (namelen < 0) return EINVAL;
  if (namelen > SOCKADDR_STORAGE_SIZE) namelen = SOCKADDR_STORAGE_SIZE;
  const iovlen = num(readField(L, dv, 0, 'msg_iovlen'));
  if (iovlen > UIO_MAXIOV) return EMSGSIZE;
  return {
    name,
    namelen,
    iov: num(readField(L, dv, 0, 'msg_iov')),
    iovlen,
    control: num(readField(L, dv, 0, 'msg_control')),
    controllen: num(readField(L, dv, 0, 'msg_controllen')),
  };
}

/** The iovec array (import_iovec): -EINVAL for a length negative as ssize_t; the total stops at MAX_RW_COUNT. */
export function readIovecs(ctx: SyscallContext, addr: number, count: number): { segs: Seg[]; total: number } | number {
  if (count < 0 || count > UIO_MAXIOV) return EINVAL;
  const L = ctx.abi.iovec;
  const raw = copyIn(ctx.mem, addr, count * L.size);
  if (raw === null) return EFAULT;
  const dv = new DataView(raw.buffer);
  const segs: Seg[] = [];
  let total = 0;
  const signBit = ctx.abi.model.longSize === 8 ? 2 ** 63 : 2 ** 31;
  for (let i = 0; i < count; i++) {
    const base = num(readField(L, dv, i * L.size, 'iov_base'));
    const lenRaw = readField(L, dv, i * L.size, 'iov_len');
    if (typeof lenRaw === 'bigint' || lenRaw >= signBit) return EINVAL;
    const len = Math.min(lenRaw, MAX_RW_COUNT - total);
    segs.push({ addr: base, len });
    total += len;
  }
  return { segs, total };
}

export function sourceOf(mem: AddressSpace, v: { segs: Seg[]; total: number }): MsgSource {
  return new GuestSource(mem, v.segs, v.total);
}

export function sinkOf(mem: AddressSpace, v: { segs: Seg[]; total: number }): MsgSink {
  return new GuestSink(mem, v.segs, v.total);
}

/** sizeof(struct cmsghdr) and CMSG_ALIGN's unit in an ABI. */
function cmsgGeometry(abi: AbiSet): { hdr: number; align: number } {
  return { hdr: abi.cmsghdr.size, align: abi.model.longSize };
}

function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

/**
 * The control messages of a send (for_each_cmsghdr with CMSG_OK; for compat,
 * cmsghdr_from_user_compat_to_kern's checks): a message shorter than its header or running past
 * msg_controllen is -EINVAL; the walk stops when no whole header fits. A compat control buffer too
 * small for even one header is -EINVAL, as Linux's conversion finds nothing to convert.
 */
export function parseControl(abi: AbiSet, buf: Uint8Array): Cmsg[] | number {
  const { hdr, align } = cmsgGeometry(abi);
  const L = abi.cmsghdr;
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out: Cmsg[] = [];
  let at = 0;
  while (at + hdr <= buf.length) {
    const len = num(readField(L, dv, at, 'cmsg_len'));
    if (len < hdr || len > buf.length - at) return EINVAL;
    out.push({
      level: num(readField(L, dv, at, 'cmsg_level')),
      type: num(readField(L, dv, at, 'cmsg_type')),
      data: buf.slice(at + hdr, at + len),
    });
    at += alignUp(len, align);
  }
  if (abi.name === 'compat' && buf.length > 0 && out.length === 0) return EINVAL;
  return out;
}

/** Reads and parses msg_control of a send: -ENOBUFS beyond INT_MAX bytes, -EFAULT, -EINVAL. */
export function readControl(ctx: SyscallContext, m: UserMsghdr): Cmsg[] | number {
  if (m.controllen === 0) return [];
  if (m.controllen > INT_MAX) return ENOBUFS;
  const raw = copyIn(ctx.mem, m.control, m.controllen);
  if (raw === null) return EFAULT;
  return parseControl(ctx.abi, raw);
}

/**
 * The control buffer a receive fills (put_cmsg / put_cmsg_compat, scm_detach_fds): messages are laid
 * out in a kernel copy of at most msg_controllen bytes; a message that does not fit is cut and sets
 * MSG_CTRUNC. `used` is what msg_controllen reports afterwards.
 */
export class ControlWriter {
  readonly bytes: Uint8Array;
  used = 0;
  flags = 0;
  private readonly hdr: number;
  private readonly align: number;

  constructor(
    private readonly abi: AbiSet,
    capacity: number,
  ) {
    this.bytes = new Uint8Array(Math.max(0, Math.min(capacity, 1 << 20)));
    const g = cmsgGeometry(abi);
    this.hdr = g.hdr;
    this.align = g.align;
  }

  get remaining(): number {
    return this.bytes.length - this.used;
  }

  private header(at: number, len: number, level: number, type: number): void {
    const dv = new DataView(this.bytes.buffer);
    const L = this.abi.cmsghdr;
    const lenField = L.fields.cmsg_len;
    if (lenField.size === 8) dv.setBigUint64(at + lenField.offset, BigInt(len), true);
    else dv.setUint32(at + lenField.offset, len, true);
    dv.setInt32(at + L.fields.cmsg_level.offset, level, true);
    dv.setInt32(at + L.fields.cmsg_type.offset, type, true);
  }

  /** put_cmsg */
  put(level: number, type: number, data: Uint8Array): void {
    if (this.remaining < this.hdr) {
      this.flags |= MSG_CTRUNC;
      return;
    }
    let cmlen = this.hdr + data.length;
    if (this.remaining < cmlen) {
      this.flags |= MSG_CTRUNC;
      cmlen = this.remaining;
    }
    this.header(this.used, cmlen, level, type);
    this.bytes.set(data.subarray(0, cmlen - this.hdr), this.used + this.hdr);
    this.used += Math.min(alignUp(this.hdr + data.length, this.align), this.remaining);
  }

  /**
   * scm_detach_fds: installs as many of the descriptions as fit (and the fd table takes) as new fds
   * of the task, writes one SCM_RIGHTS message with them, drops every in-flight reference.
   */
  rights(ctx: SyscallContext, files: readonly OpenFile[], recvFlags: number): void {
    const cloexec = (recvFlags & MSG_CMSG_CLOEXEC) !== 0;
    const fdmax = Math.min(this.remaining > this.hdr ? Math.floor((this.remaining - this.hdr) / 4) : 0, files.length);
    const fds: number[] = [];
    for (let i = 0; i < fdmax; i++) {
      const fd = ctx.task.files.install(files[i]!, cloexec);
      if (fd < 0) break;
      fds.push(fd);
    }
    if (fds.length > 0) {
      const cmlen = this.hdr + 4 * fds.length;
      this.header(this.used, cmlen, SOL_SOCKET, SCM_RIGHTS);
      const dv = new DataView(this.bytes.buffer);
      fds.forEach((fd, i) => {
        dv.setInt32(this.used + this.hdr + 4 * i, fd, true);
      });
      this.used += Math.min(alignUp(cmlen, this.align), this.remaining);
    }
    if (fds.length < files.length || (files.length > 0 && fdmax <= 0)) this.flags |= MSG_CTRUNC;
    for (const f of files) fput(f);
  }
}
