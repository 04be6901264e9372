/**
 * Descriptions of synthetic files: a text generated into a buffer when the file is opened (/proc),
 * and directories listed from a synthetic tree.
 */
import { O_ACCMODE, O_RDONLY } from '../abi/fcntl.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import { byteStringToBytes } from './byte-string.js';
import { DirCursor } from './dirents.js';
import { seekPosition } from './host-file.js';
import type { FileStat } from './host-fs.js';
import { dtypeOfMode, statOfNode, statOfSynth } from './node-stat.js';
import { OpenFileBase } from './open-file.js';
import { type DirEntry, type FsEnv, guestPathOf, type Loc, type SynthDir, type SynthFile } from './vnode.js';

const EACCES = -13;
const EISDIR = -21;
const S_IFDIR = 0o040000;

/** Read-only contents made at open time; lseek anywhere, reads past the end return 0. */
export class BufferFile extends OpenFileBase {
  constructor(
    private readonly env: FsEnv,
    private readonly node: SynthFile,
    private readonly data: Uint8Array,
    flags: number,
    path: string,
  ) {
    super(flags, path);
  }

  read(_ctx: SyscallContext, dst: Uint8Array, pos: number | undefined): number {
    const at = pos ?? this.pos;
    if (at >= this.data.length) return 0;
    const n = Math.min(dst.length, this.data.length - at);
    dst.set(this.data.subarray(at, at + n));
    if (pos === undefined) this.pos += n;
    return n;
  }

  lseek(offset: number, whence: number): number {
    const next = seekPosition(this.pos, this.data.length, offset, whence);
    if (next >= 0) this.pos = next;
    return next;
  }

  stat(): FileStat {
    return statOfSynth(this.env, this.node);
  }

  readable(): number {
    return Math.max(0, this.data.length - this.pos);
  }
}

/**
 * A read-only synthetic file whose text is generated at each open. gen returns a byte string (file
 * names and argv are bytes; Unicode text must be converted with unicodeToByteString), raw bytes,
 * or a negative errno.
 */
export function textFile(
  ino: number,
  dev: number,
  gen: (env: FsEnv) => string | Uint8Array | number,
  perm = 0o444,
): SynthFile {
  const node: SynthFile = {
    type: 'file',
    ino,
    perm,
    dev,
    open(env, flags, path) {
      if ((flags & O_ACCMODE) !== O_RDONLY) return EACCES;
      const g = gen(env);
      if (typeof g === 'number') return g;
      const data = typeof g === 'string' ? byteStringToBytes(g) : g;
      return new BufferFile(env, node, data, flags, path);
    },
  };
  return node;
}

/** A directory of a synthetic tree, opened: getdents64 lists it with "." and "..". */
export class SynthDirFile extends OpenFileBase {
  private readonly cursor: DirCursor;

  constructor(
    private readonly env: FsEnv,
    private readonly dir: SynthDir,
    flags: number,
    readonly loc: Loc,
  ) {
    super(flags, guestPathOf(loc));
    this.cursor = new DirCursor(() => this.list());
  }

  private list(): DirEntry[] {
    const parent = this.loc.parent;
    const up = parent ? statOfNode(this.env, parent.node) : undefined;
    return [
      { name: '.', ino: this.dir.ino, type: dtypeOfMode(S_IFDIR) },
      {
        name: '..',
        ino: up === undefined || typeof up === 'number' ? this.dir.ino : up.ino,
        type: dtypeOfMode(S_IFDIR),
      },
      ...this.dir.entries(this.env),
    ];
  }

  read(): number {
    return EISDIR;
  }

  getdents(ctx: SyscallContext, count: number): Uint8Array | number {
    const r = this.cursor.read(ctx, this.pos, count);
    if (typeof r === 'number') return r;
    this.pos = r.next;
    return r.bytes;
  }

  /** ext4_dir_llseek over hash cookies (dirents.ts); ctx, when the caller passes it, says the ABI. */
  lseek(offset: number, whence: number, ctx?: SyscallContext): number {
    const next = this.cursor.seek(this.pos, offset, whence, ctx);
    if (next < 0) return next;
    this.pos = next;
    return next;
  }

  stat(): FileStat {
    return statOfSynth(this.env, this.dir);
  }
}
