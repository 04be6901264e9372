/**
 * The data of one send or receive (Linux's msg_iter): guest iovecs, or a kernel buffer when the call
 * came through read(2)/write(2). Socket code copies through these a piece at a time, so a large send
 * is never gathered into one buffer and a fault part-way reports the bytes already moved.
 */
import type { AddressSpace } from '../../memory/address-space.js';
import { copyIn, copyOut } from '../syscalls/uaccess.js';

/** A piece of guest buffer. */
export interface Seg {
  readonly addr: number;
  readonly len: number;
}

/** Where sent bytes come from. */
export interface MsgSource {
  readonly length: number;
  /** Bytes [from, from + len) as a new array, or null when guest memory faults. */
  copy(from: number, len: number): Uint8Array | null;
}

/** Where received bytes go. */
export interface MsgSink {
  readonly length: number;
  /** Stores bytes at offset `at`; false when guest memory faults. */
  put(at: number, bytes: Uint8Array): boolean;
}

export class BufferSource implements MsgSource {
  constructor(private readonly buf: Uint8Array) {}
  get length(): number {
    return this.buf.length;
  }
  copy(from: number, len: number): Uint8Array {
    return this.buf.slice(from, from + len);
  }
}

export class BufferSink implements MsgSink {
  constructor(private readonly buf: Uint8Array) {}
  get length(): number {
    return this.buf.length;
  }
  put(at: number, bytes: Uint8Array): boolean {
    this.buf.set(bytes.subarray(0, Math.max(0, this.buf.length - at)), at);
    return true;
  }
}

/** Walks the segments covering logical bytes [from, from + len). */
function eachPiece(
  segs: readonly Seg[],
  from: number,
  len: number,
  fn: (addr: number, at: number, n: number) => boolean,
): boolean {
  let skip = from;
  let done = 0;
  for (const s of segs) {
    if (done === len) break;
    if (skip >= s.len) {
      skip -= s.len;
      continue;
    }
    const n = Math.min(s.len - skip, len - done);
    if (!fn(s.addr + skip, done, n)) return false;
    done += n;
    skip = 0;
  }
  return true;
}

export class GuestSource implements MsgSource {
  constructor(
    private readonly mem: AddressSpace,
    private readonly segs: readonly Seg[],
    readonly length: number,
  ) {}

  copy(from: number, len: number): Uint8Array | null {
    const n = Math.max(0, Math.min(len, this.length - from));
    const out = new Uint8Array(n);
    const ok = eachPiece(this.segs, from, n, (addr, at, k) => {
      const b = copyIn(this.mem, addr, k);
      if (b === null) return false;
      out.set(b, at);
      return true;
    });
    return ok ? out : null;
  }
}

export class GuestSink implements MsgSink {
  constructor(
    private readonly mem: AddressSpace,
    private readonly segs: readonly Seg[],
    readonly length: number,
  ) {}

  put(at: number, bytes: Uint8Array): boolean {
    const n = Math.max(0, Math.min(bytes.length, this.length - at));
    return eachPiece(this.segs, at, n, (addr, off, k) => copyOut(this.mem, addr, bytes, off, k));
  }
}
