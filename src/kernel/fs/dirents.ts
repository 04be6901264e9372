/**
 * getdents64 records. A directory description lists a snapshot of its entries ("." and ".." first);
 * its position is the index of the next entry and each record's d_off is the index after it, so
 * telldir/seekdir/rewinddir (lseek with those cookies) work. The snapshot is retaken when the
 * position goes back to 0 (rewinddir), so a directory re-read from the start sees new entries.
 */
import type { AbiSet } from '../abi/abi-set.js';
import { writeField } from '../abi/marshal.js';
import type { DirEntry } from './vnode.js';

const EINVAL = -22;

/**
 * Packs entries[start…] into at most count bytes. Returns the bytes and the index after the last
 * packed entry; -EINVAL when not even the first entry fits (Linux's "result buffer too small").
 */
export function packDirents(
  abi: AbiSet,
  entries: readonly DirEntry[],
  start: number,
  count: number,
): { bytes: Uint8Array; next: number } | number {
  const layout = abi.linux_dirent64;
  const nameAt = layout.fields.d_name.offset;
  const out = new Uint8Array(Math.min(count, 1 << 20));
  const view = new DataView(out.buffer);
  let used = 0;
  let i = start;
  for (; i < entries.length; i++) {
    const e = entries[i]!;
    const reclen = (nameAt + e.name.length + 1 + 7) & ~7;
    if (used + reclen > out.length) {
      if (used === 0) return EINVAL;
      break;
    }
    out.fill(0, used, used + reclen);
    writeField(layout, view, used, 'd_ino', e.ino);
    writeField(layout, view, used, 'd_off', i + 1);
    writeField(layout, view, used, 'd_reclen', reclen);
    writeField(layout, view, used, 'd_type', e.type);
    for (let j = 0; j < e.name.length; j++) out[used + nameAt + j] = e.name.charCodeAt(j) & 0xff;
    used += reclen;
  }
  return { bytes: out.subarray(0, used), next: i };
}

/** The position bookkeeping every directory description shares. */
export class DirCursor {
  private entries: DirEntry[] | undefined;

  constructor(private readonly list: () => DirEntry[] | number) {}

  /** getdents64 from position pos; returns the records and the new position. */
  read(abi: AbiSet, pos: number, count: number): { bytes: Uint8Array; next: number } | number {
    if (this.entries === undefined || pos === 0) {
      const l = this.list();
      if (typeof l === 'number') return l;
      this.entries = l;
    }
    return packDirents(abi, this.entries, pos, count);
  }
}
