/**
 * Directory positions and records, as ext4 hands them out for a hashed (dir_index) directory
 * (compat-abi.md §7; fs/ext4/dir.c, hash.c, namei.c). Every directory description lists a snapshot
 * of its entries ("." and ".." first, then the host's order, which compat64 keeps so that listings
 * match qemu-aarch64 on the host); each entry has a hash and the position of the entry is a cookie
 * made from that hash by the ABI of the call:
 *
 *   native calls  ((major >> 1) << 32) | minor        end of directory 0x7fffffffffffffff
 *   compat calls   major >> 1          (31 bits)      end of directory 0x7fffffff
 *
 * The hash is compat64's own (ext4 uses half-MD4 with a per-file-system seed): two 32-bit
 * murmur3-style hashes of the name bytes with a per-kernel random seed (--seed makes it
 * deterministic). As in ext4 the major hash is even and never 0xfffffffe (made 0xfffffffc), "." has
 * hash (0, 0) and ".." (2, 0) (ext4_htree_fill_tree); other names never get a major below 4, so
 * cookie 0 always means "rewind". The minor hash keeps its upper 22 bits only, so that every native
 * cookie below the end value is exact as a JS number (≤ 53 significant bits); the native end value
 * 0x7fffffffffffffff itself is not, and stands as 2^63 (what the guest's value becomes as an offset
 * argument) inside compat64.
 *
 * d_off of a record is the cookie of the entry after it (the end value after the last); the file
 * position after a call is the cookie of the first entry not returned. A later call that finds the
 * position where the previous call left it continues exactly there, whatever the ABI (ext4's
 * dir_private_info.last_pos); a position set by lseek resumes at the first entry of the snapshot
 * whose cookie (in the ABI of the call) it is. Two names whose 31-bit cookies collide: a seek to the
 * cookie returns the first of them again (ext4 too restarts at the hash and returns both; its
 * extra_fname continuation is what the "position unchanged" rule above models). A cookie that no
 * entry has (forged, or from the other ABI) reads as the end of the directory; ext4 would list the
 * entries hashing above it, which has no meaning in host order. The snapshot is retaken when the
 * position goes back to 0 (rewinddir), so a directory re-read from the start sees new entries.
 */
import type { AbiSet } from '../abi/abi-set.js';
import { writeField } from '../abi/marshal.js';
import type { Kernel } from '../kernel.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import type { DirEntry } from './vnode.js';

const EINVAL = -22;
const ENXIO = -6;
const EOVERFLOW = -75;
const SEEK_SET = 0;
const SEEK_CUR = 1;
const SEEK_END = 2;
const SEEK_DATA = 3;
const SEEK_HOLE = 4;
const TWO32 = 4294967296;

/** EXT4_HTREE_EOF_32BIT: the end of a directory, and the largest position, in compat calls. */
export const COMPAT_DIR_EOF = 0x7fffffff;
/** EXT4_HTREE_EOF_64BIT (0x7fffffffffffffff) as a JS number: 2^63, the nearest double. */
export const NATIVE_DIR_EOF = 2 ** 63;

/** The end-of-directory position (and lseek's maximum) for one ABI. */
export function dirEof(compat: boolean): number {
  return compat ? COMPAT_DIR_EOF : NATIVE_DIR_EOF;
}

/** An entry's hash, split as ext4 splits its dx hash. */
export interface DirHash {
  major: number;
  minor: number;
}

const seeds = new WeakMap<Kernel, number>();

/** The per-kernel seed of directory hashes (ext4's s_hash_seed), drawn on first use. */
export function dirHashSeedOf(kernel: Kernel): number {
  let s = seeds.get(kernel);
  if (s === undefined) {
    s = kernel.random.u32();
    seeds.set(kernel, s);
  }
  return s;
}

/** murmur3's 32-bit hash over the name's bytes (the name is a byte string). */
function murmur32(name: string, seed: number): number {
  let h = seed >>> 0;
  const n = name.length;
  for (let i = 0; i < n; i += 4) {
    let k = 0;
    for (let j = 0; j < 4 && i + j < n; j++) k |= (name.charCodeAt(i + j) & 0xff) << (8 * j);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    if (i + 4 <= n) {
      h = (h << 13) | (h >>> 19);
      h = (Math.imul(h, 5) + 0xe6546b64) | 0;
    }
  }
  h ^= n;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The hash of a name other than "." and "..": see the module comment for its rules. */
export function nameHash(name: string, seed: number): DirHash {
  let major = murmur32(name, seed) & 0xfffffffe;
  if (major === 0xfffffffe) major = 0xfffffffc;
  if (major < 4) major += 4;
  const minor = murmur32(name, (seed ^ 0x9e3779b9) >>> 0) & 0xfffffc00;
  return { major: major >>> 0, minor: minor >>> 0 };
}

/** The position of a hash in one ABI (ext4's hash2pos). */
export function hashToPos(h: DirHash, compat: boolean): number {
  return compat ? h.major >>> 1 : (h.major >>> 1) * TWO32 + h.minor;
}

/**
 * lseek on a directory, ext4_dir_llseek → generic_file_llseek_size(file, offset, whence, max, max)
 * with max the end value of the ABI: SEEK_END counts from it, SEEK_CUR 0 reports the position as it
 * is, SEEK_DATA/SEEK_HOLE give -ENXIO at or beyond it (SEEK_HOLE moves to it), and vfs_setpos
 * refuses a negative position or one above max (-EINVAL). Returns the new position.
 */
export function dirLlseek(pos: number, offset: number, whence: number, compat: boolean): number {
  const max = dirEof(compat);
  let to = offset;
  switch (whence) {
    case SEEK_END:
      to = offset + max;
      break;
    case SEEK_CUR:
      if (offset === 0) return pos;
      to = pos + offset;
      break;
    case SEEK_DATA:
      // The comparison is unsigned in Linux: a negative offset is huge.
      if (offset < 0 || offset >= max) return ENXIO;
      break;
    case SEEK_HOLE:
      if (offset < 0 || offset >= max) return ENXIO;
      to = max;
      break;
    case SEEK_SET:
      break;
    default:
      return EINVAL;
  }
  if (to < 0 || to > max) return EINVAL;
  return to;
}

/** The record format a call wants. */
type RecordFormat = 'dirent64' | 'compat_dirent';

/** Calls of compat getdents (141): their ctx asks the cursor for compat_linux_dirent records. */
const compatRecordCalls = new WeakMap<SyscallContext, { honoured: boolean }>();

/**
 * Runs a directory's getdents for compat getdents (141): the directory's cursor packs
 * `compat_linux_dirent` records instead of linux_dirent64. Returns the result and whether the
 * directory honoured the request (every DirCursor does).
 */
export function withCompatRecords<T>(ctx: SyscallContext, read: () => T): { result: T; honoured: boolean } {
  const req = { honoured: false };
  compatRecordCalls.set(ctx, req);
  try {
    return { result: read(), honoured: req.honoured };
  } finally {
    compatRecordCalls.delete(ctx);
  }
}

/** offsetof(struct compat_linux_dirent, d_name) */
const COMPAT_DIRENT_NAME = 10;

/** Writes one record at `at` of out; the caller checked that reclen bytes fit. */
function putRecord(
  format: RecordFormat,
  abi: AbiSet,
  out: Uint8Array,
  view: DataView,
  at: number,
  reclen: number,
  e: DirEntry,
  off: number,
  compat: boolean,
): void {
  out.fill(0, at, at + reclen);
  if (format === 'compat_dirent') {
    view.setUint32(at, e.ino, true);
    view.setUint32(at + 4, off >>> 0, true);
    view.setUint16(at + 8, reclen, true);
    for (let j = 0; j < e.name.length; j++) out[at + COMPAT_DIRENT_NAME + j] = e.name.charCodeAt(j) & 0xff;
    out[at + reclen - 1] = e.type;
    return;
  }
  const layout = abi.linux_dirent64;
  const nameAt = layout.fields.d_name.offset;
  writeField(layout, view, at, 'd_ino', e.ino);
  // d_off as two words: the native end value is not a double.
  const offAt = at + layout.fields.d_off.offset;
  if (!compat && off >= NATIVE_DIR_EOF) {
    view.setUint32(offAt, 0xffffffff, true);
    view.setUint32(offAt + 4, 0x7fffffff, true);
  } else {
    view.setUint32(offAt, off % TWO32, true);
    view.setUint32(offAt + 4, Math.floor(off / TWO32), true);
  }
  writeField(layout, view, at, 'd_reclen', reclen);
  writeField(layout, view, at, 'd_type', e.type);
  for (let j = 0; j < e.name.length; j++) out[at + nameAt + j] = e.name.charCodeAt(j) & 0xff;
}

function reclenOf(format: RecordFormat, abi: AbiSet, name: string): number {
  if (format === 'compat_dirent') return (COMPAT_DIRENT_NAME + name.length + 2 + 3) & ~3;
  return (abi.linux_dirent64.fields.d_name.offset + name.length + 1 + 7) & ~7;
}

/** What one getdents call produced: the records and the file position to store. */
export interface DirRead {
  bytes: Uint8Array;
  next: number;
}

/** The position bookkeeping every directory description shares (ext4's dir_private_info). */
export class DirCursor {
  private entries: DirEntry[] | undefined;
  private hashes: DirHash[] = [];
  /** The position the last call left, and the entry it stands for (collisions included). */
  private lastPos = -1;
  private lastIndex = 0;
  /** The ABI of the last getdents, for an lseek that is not told the calling ABI. */
  private lastCompat = false;

  constructor(private readonly list: () => DirEntry[] | number) {}

  /**
   * getdents64 (or compat getdents under withCompatRecords) from file position pos: at most count
   * bytes of records; -EINVAL when not even the first fits ("result buffer too small"), and for
   * compat records -EOVERFLOW at an inode number above 32 bits when no record precedes it.
   */
  read(ctx: SyscallContext, pos: number, count: number): DirRead | number {
    const compat = ctx.compat;
    const req = compatRecordCalls.get(ctx);
    const format: RecordFormat = req !== undefined ? 'compat_dirent' : 'dirent64';
    if (req !== undefined) req.honoured = true;
    this.lastCompat = compat;
    if (this.entries === undefined || pos === 0) {
      const l = this.list();
      if (typeof l === 'number') return l;
      this.snapshot(l, dirHashSeedOf(ctx.kernel));
    }
    const entries = this.entries!;
    const start = this.startIndex(pos, compat);
    const out = new Uint8Array(Math.min(count, 1 << 20));
    const view = new DataView(out.buffer);
    let used = 0;
    let i = start;
    let error = 0;
    for (; i < entries.length; i++) {
      const e = entries[i]!;
      const reclen = reclenOf(format, ctx.abi, e.name);
      if (used + reclen > out.length) {
        error = EINVAL;
        break;
      }
      if (format === 'compat_dirent' && e.ino > 0xffffffff) {
        error = EOVERFLOW;
        break;
      }
      putRecord(format, ctx.abi, out, view, used, reclen, e, this.posOf(i + 1, compat), compat);
      used += reclen;
    }
    const next = this.posOf(i, compat);
    this.lastPos = next;
    this.lastIndex = i;
    if (used === 0 && error !== 0) return error;
    return { bytes: out.subarray(0, used), next };
  }

  /** lseek on the directory; ctx says the calling ABI (else the ABI of the last getdents). */
  seek(pos: number, offset: number, whence: number, ctx?: SyscallContext): number {
    return dirLlseek(pos, offset, whence, ctx?.compat ?? this.lastCompat);
  }

  private snapshot(entries: DirEntry[], seed: number): void {
    this.entries = entries;
    this.hashes = entries.map((e, i) => {
      if (i === 0 && e.name === '.') return { major: 0, minor: 0 };
      if (i === 1 && e.name === '..') return { major: 2, minor: 0 };
      return nameHash(e.name, seed);
    });
    this.lastPos = -1;
    this.lastIndex = 0;
  }

  /** The cookie of entry i, or the end value past the last. */
  private posOf(i: number, compat: boolean): number {
    return i < this.hashes.length ? hashToPos(this.hashes[i]!, compat) : dirEof(compat);
  }

  /** Where a call at position pos starts (see the module comment). */
  private startIndex(pos: number, compat: boolean): number {
    if (pos === this.lastPos) return this.lastIndex;
    if (pos === dirEof(compat)) return this.hashes.length;
    for (let i = 0; i < this.hashes.length; i++) if (hashToPos(this.hashes[i]!, compat) === pos) return i;
    return this.hashes.length;
  }
}
