/**
 * Building blocks of /proc: its device, inode numbers, directories made of functions, links, and
 * files that take writes (comm, oom_score_adj, the writable sysctls).
 */
import { O_ACCMODE, O_RDONLY, O_WRONLY } from '../abi/fcntl.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import { byteStringToBytes } from './byte-string.js';
import type { FileStat } from './host-fs.js';
import { makedev, statOfSynth } from './node-stat.js';
import { OpenFileBase } from './open-file.js';
import { BufferFile } from './synthetic-file.js';
import type { DirEntry, FsEnv, SynthDir, SynthFile, SynthLink, SynthNode, VNode } from './vnode.js';

/** procfs's device number as a typical system shows it. */
export const PROC_DEV = makedev(0, 22);

const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const S_IFREG = 0o100000;
const DT_DIR = 4;
const DT_LNK = 10;
const DT_REG = 8;
const EACCES = -13;

export function dtypeOf(n: SynthNode): number {
  return n.type === 'dir' ? DT_DIR : n.type === 'link' ? DT_LNK : DT_REG;
}

export function modeTypeOf(n: SynthNode): number {
  return n.type === 'dir' ? S_IFDIR : n.type === 'link' ? S_IFLNK : S_IFREG;
}

/** Where an inode number of a per-process /proc node comes from. */
export const enum InoSpace {
  /** /proc/<pid>/… (the tgid-style directory, also reached as /proc/<tid>). */
  Pid = 0,
  /** /proc/<pid>/task/<tid>/… */
  Tid = 1,
  /** /proc/<pid>/fd/<n> */
  Fd = 2,
  /** /proc/<pid>/fdinfo/<n> */
  FdInfo = 3,
  /** /proc/<pid>/task/<tid>/fd/<n> */
  TidFd = 4,
  /** /proc/<pid>/task/<tid>/fdinfo/<n> */
  TidFdInfo = 5,
}

/**
 * Inode numbers of per-process nodes: unique per (space, pid, local), where local is a file's
 * index in its directory or an fd number (below 2^21, above NR_OPEN's 2^20). pids stay below 2^22.
 */
export function procIno(space: InoSpace, pid: number, local: number): number {
  return 0x10000000 + (space * 0x400000 + pid) * 0x200000 + local;
}

export function procDir(
  ino: number,
  perm: number,
  f: { entries(env: FsEnv): DirEntry[]; lookup(env: FsEnv, name: string): SynthNode | undefined },
  rootOwned = false,
): SynthDir {
  return {
    type: 'dir',
    ino,
    perm,
    dev: PROC_DEV,
    rootOwned,
    entries: f.entries,
    lookup(env, name): VNode | undefined {
      const s = f.lookup(env, name);
      return s === undefined ? undefined : { kind: 'synth', s };
    },
  };
}

/** A directory with a fixed set of children, listed in insertion order. */
export function staticDir(ino: number, children: Record<string, SynthNode>, rootOwned = true, perm = 0o555): SynthDir {
  return procDir(
    ino,
    perm,
    {
      entries: () => Object.entries(children).map(([name, n]) => ({ name, ino: n.ino, type: dtypeOf(n) })),
      lookup: (_env, name) => (Object.hasOwn(children, name) ? children[name] : undefined),
    },
    rootOwned,
  );
}

export function procLink(
  ino: number,
  target: (env: FsEnv) => string,
  rootOwned = false,
  follow?: (env: FsEnv) => VNode | undefined,
): SynthLink {
  return follow === undefined
    ? { type: 'link', ino, perm: 0o777, dev: PROC_DEV, rootOwned, target }
    : { type: 'link', ino, perm: 0o777, dev: PROC_DEV, rootOwned, target, follow };
}

/** What a write to a /proc file does with the bytes written: the count it reports, or a negative errno. */
export type ProcWriter = (env: FsEnv, data: Uint8Array) => number;

/**
 * An open /proc file that takes writes: reads see the text made at open, each write(2) is handed
 * to the writer whole (Linux's proc write handlers parse one buffer per call and ignore the
 * position).
 */
class ProcWriteFile extends OpenFileBase {
  private readonly reader: BufferFile | undefined;

  constructor(
    private readonly env: FsEnv,
    private readonly node: SynthFile,
    data: Uint8Array | undefined,
    private readonly writer: ProcWriter,
    flags: number,
    path: string,
  ) {
    super(flags, path);
    this.reader = data === undefined ? undefined : new BufferFile(env, node, data, O_RDONLY, path);
  }

  read(ctx: SyscallContext, dst: Uint8Array, pos: number | undefined): number {
    if (this.reader === undefined) return -9; // EBADF: opened write-only
    this.reader.pos = this.pos;
    const n = this.reader.read(ctx, dst, pos);
    this.pos = this.reader.pos;
    return n;
  }

  write(_ctx: SyscallContext, src: Uint8Array): number {
    const n = this.writer(this.env, src.slice());
    if (n > 0) this.pos += n;
    return n;
  }

  lseek(offset: number, whence: number): number {
    if (this.reader === undefined) return whence === 0 && offset >= 0 ? (this.pos = offset) : -22;
    this.reader.pos = this.pos;
    const r = this.reader.lseek(offset, whence);
    if (r >= 0) this.pos = r;
    return r;
  }

  stat(): FileStat {
    return statOfSynth(this.env, this.node);
  }
}

/**
 * A /proc file read as generated text and written through `write`. Write access needs the owner's
 * w bit of perm (root always has it), as the permission check at open does.
 */
export function writableFile(
  ino: number,
  perm: number,
  read: (env: FsEnv) => string | Uint8Array | number,
  write: ProcWriter,
  rootOwned = false,
): SynthFile {
  const node: SynthFile = {
    type: 'file',
    ino,
    perm,
    dev: PROC_DEV,
    rootOwned,
    open(env, flags, path) {
      const mode = flags & O_ACCMODE;
      if (mode !== O_RDONLY) {
        const owner = rootOwned ? 0 : env.task.creds.euid;
        const euid = env.task.creds.euid;
        if (euid !== 0 && (euid !== owner || !(perm & 0o200))) return EACCES;
      }
      let data: Uint8Array | undefined;
      if (mode !== O_WRONLY) {
        const g = read(env);
        if (typeof g === 'number') return g;
        data = typeof g === 'string' ? byteStringToBytes(g) : g;
      }
      return new ProcWriteFile(env, node, data, write, flags, path);
    },
  };
  return node;
}

/** The decimal integer a proc write handler accepts (kstrtoint after trimming a newline): NaN when malformed. */
export function parseProcInt(data: Uint8Array): number {
  let s = '';
  for (const b of data) s += String.fromCharCode(b);
  s = s.replace(/\0+$/, '').trim();
  return /^[+-]?[0-9]+$/.test(s) ? Number(s) : Number.NaN;
}
