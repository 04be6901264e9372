/**
 * /dev: the character devices programs expect (null, zero, full, random, urandom, tty), the
 * stdin/stdout/stderr/fd links into /proc/self/fd, /dev/shm passed through to the guest root's
 * own /dev/shm (POSIX shared memory and semaphores live there) when it has one, /dev/pts
 * passed through to the host's (the terminals the emulator's stdio may be), and the hugetlbfs
 * mount /dev/hugepages (hugetlbfs.ts).
 */
import type { FileBacking } from '../mm/vma.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import type { FileStat } from './host-fs.js';
import { openHostTty } from './host-stream.js';
import { makeHugetlbFs } from './hugetlbfs.js';
import { dtypeOfMode, makedev, statOfSynth } from './node-stat.js';
import { OpenFileBase } from './open-file.js';
import { vfsOf } from './vfs.js';
import type { DirEntry, FsEnv, SynthDir, SynthFile, SynthLink, SynthNode, VNode } from './vnode.js';

const ENOSPC = -28;
const S_IFDIR = 0o040000;
const S_IFCHR = 0o020000;
const S_IFLNK = 0o120000;

/** devtmpfs's device number as a typical system shows it. */
export const DEVTMPFS_DEV = makedev(0, 5);

type ReadFn = (ctx: SyscallContext, dst: Uint8Array) => number;
type WriteFn = (ctx: SyscallContext, src: Uint8Array) => number;

/** A character device opened: reads and writes by function, no position (lseek succeeds and returns 0, as Linux's). */
class CharDevice extends OpenFileBase {
  constructor(
    private readonly env: FsEnv,
    private readonly node: SynthFile,
    flags: number,
    path: string,
    private readonly rd: ReadFn,
    private readonly wr: WriteFn,
    private readonly backing: FileBacking | undefined,
  ) {
    super(flags, path);
  }

  read(ctx: SyscallContext, dst: Uint8Array): number {
    return this.rd(ctx, dst);
  }

  write(ctx: SyscallContext, src: Uint8Array): number {
    return this.wr(ctx, src);
  }

  lseek(): number {
    return 0;
  }

  stat(): FileStat {
    return statOfSynth(this.env, this.node);
  }

  mapping(): FileBacking | undefined {
    return this.backing;
  }
}

/** /dev/zero mapped: zero pages (a MAP_PRIVATE mapping is what programs use it for); writes back are dropped. */
const ZERO_BACKING: FileBacking = {
  path: '/dev/zero',
  dev: DEVTMPFS_DEV,
  ino: 5,
  readAt(_pos, dst, at, len) {
    dst.fill(0, at, at + len);
    return len;
  },
  writeAt(_pos, _src, _at, len) {
    return len;
  },
  size() {
    return Number.MAX_SAFE_INTEGER;
  },
};

function chrdev(ino: number, major: number, minor: number, rd: ReadFn, wr: WriteFn, backing?: FileBacking): SynthFile {
  const node: SynthFile = {
    type: 'chr',
    ino,
    perm: 0o666,
    dev: DEVTMPFS_DEV,
    rdev: makedev(major, minor),
    rootOwned: true,
    open(env, flags, path) {
      return new CharDevice(env, node, flags, path, rd, wr, backing);
    },
  };
  return node;
}

function link(ino: number, text: string): SynthLink {
  return { type: 'link', ino, perm: 0o777, dev: DEVTMPFS_DEV, rootOwned: true, size: text.length, target: () => text };
}

const zeros: ReadFn = (_ctx, dst) => {
  dst.fill(0);
  return dst.length;
};
const random: ReadFn = (ctx, dst) => {
  ctx.kernel.random.fill(dst);
  return dst.length;
};
const sink: WriteFn = (_ctx, src) => src.length;

const TTY: SynthFile = {
  type: 'chr',
  ino: 11,
  perm: 0o666,
  dev: DEVTMPFS_DEV,
  rdev: makedev(5, 0),
  rootOwned: true,
  open(env, flags) {
    return openHostTty(env.kernel, flags, env.task);
  },
};

function entries(): Map<string, SynthNode> {
  return new Map<string, SynthNode>([
    ['null', chrdev(4, 1, 3, () => 0, sink)],
    ['zero', chrdev(5, 1, 5, zeros, sink, ZERO_BACKING)],
    ['full', chrdev(6, 1, 7, zeros, () => ENOSPC)],
    ['random', chrdev(7, 1, 8, random, sink)],
    ['urandom', chrdev(8, 1, 9, random, sink)],
    ['tty', TTY],
    ['fd', link(12, '/proc/self/fd')],
    ['stdin', link(13, '/proc/self/fd/0')],
    ['stdout', link(14, '/proc/self/fd/1')],
    ['stderr', link(15, '/proc/self/fd/2')],
    ['hugepages', makeHugetlbFs()],
  ]);
}

/**
 * The host's own /dev/pts (not the guest root's): the emulator's stdio terminals live there, and
 * ttyname() finds them by stat'ing /dev/pts/N and comparing with fstat of the fd.
 */
function hostPts(env: FsEnv): VNode | undefined {
  const st = vfsOf(env.kernel).host.lstat('/dev/pts');
  if (typeof st === 'number' || (st.mode & 0o170000) !== S_IFDIR) return undefined;
  return { kind: 'host', hostPath: '/dev/pts', st };
}

/** The guest root's /dev/shm on the host, if it is a directory. */
function hostShm(env: FsEnv): VNode | undefined {
  const vfs = vfsOf(env.kernel);
  const hostPath = `${vfs.hostRoot === '/' ? '' : vfs.hostRoot}/dev/shm`;
  const st = vfs.host.lstat(hostPath);
  if (typeof st === 'number' || (st.mode & 0o170000) !== S_IFDIR) return undefined;
  return { kind: 'host', hostPath, st };
}

function typeOf(n: SynthNode): number {
  return n.type === 'dir' ? S_IFDIR : n.type === 'link' ? S_IFLNK : S_IFCHR;
}

export function makeDevFs(): SynthDir {
  const table = entries();
  return {
    type: 'dir',
    ino: 1,
    perm: 0o755,
    dev: DEVTMPFS_DEV,
    rootOwned: true,
    entries(env): DirEntry[] {
      const out: DirEntry[] = [...table].map(([name, n]) => ({ name, ino: n.ino, type: dtypeOfMode(typeOf(n)) }));
      for (const [name, node] of [
        ['shm', hostShm(env)],
        ['pts', hostPts(env)],
      ] as const) {
        if (node?.kind === 'host') out.push({ name, ino: node.st.ino, type: dtypeOfMode(S_IFDIR) });
      }
      return out;
    },
    lookup(env, name): VNode | undefined {
      if (name === 'shm') return hostShm(env);
      if (name === 'pts') return hostPts(env);
      const n = table.get(name);
      return n === undefined ? undefined : { kind: 'synth', s: n };
    },
  };
}
