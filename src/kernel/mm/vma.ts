/** A virtual memory area: a run of pages with one protection, one backing and one name. */

/** What backs a file mapping: the open file's data, read and written at byte positions. */
export interface FileBacking {
  /** Reads up to len bytes at pos into dst[at…]; returns the count (short at end of file). */
  readAt(pos: number, dst: Uint8Array, at: number, len: number): number;
  writeAt(pos: number, src: Uint8Array, at: number, len: number): number;
  size(): number;
  /** The path shown in /proc/self/maps. */
  readonly path: string;
  readonly dev: number;
  readonly ino: number;
}

export interface Vma {
  /** First page (vpn) and one past the last page. */
  start: number;
  end: number;
  /** PROT_* bits. */
  prot: number;
  /** MAP_SHARED / MAP_PRIVATE and MAP_GROWSDOWN etc. as given. */
  flags: number;
  file: FileBacking | undefined;
  /** Byte offset in the file of page `start`. */
  offset: number;
  /** [heap], [stack], [anon:…] or undefined. */
  name: string | undefined;
}

export function cloneVma(v: Vma, start: number, end: number): Vma {
  return { ...v, start, end, offset: v.file ? v.offset + (start - v.start) * 4096 : 0 };
}
