/** File types and stat records of VFS nodes. */
import {
  DT_BLK,
  DT_CHR,
  DT_DIR,
  DT_FIFO,
  DT_LNK,
  DT_REG,
  DT_SOCK,
  DT_UNKNOWN,
  S_IFBLK,
  S_IFCHR,
  S_IFDIR,
  S_IFIFO,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
  S_IFSOCK,
} from '../abi/fcntl.js';
import type { FileStat, Timespec } from './host-fs.js';
import type { FsEnv, SynthNode, VNode } from './vnode.js';

const EBADF = -9;

export function modeOfSynth(s: SynthNode): number {
  const type = s.type === 'dir' ? S_IFDIR : s.type === 'link' ? S_IFLNK : s.type === 'chr' ? S_IFCHR : S_IFREG;
  return type | s.perm;
}

/** The S_IFMT type of a node (0 when an open file cannot say). */
export function typeOfNode(n: VNode): number {
  switch (n.kind) {
    case 'host':
      return n.st.mode & S_IFMT;
    case 'synth':
      return modeOfSynth(n.s) & S_IFMT;
    case 'file': {
      const st = n.file.stat?.();
      return st === undefined || typeof st === 'number' ? 0 : st.mode & S_IFMT;
    }
  }
}

export function isDirNode(n: VNode): boolean {
  return typeOfNode(n) === S_IFDIR;
}

export function isLinkNode(n: VNode): boolean {
  return typeOfNode(n) === S_IFLNK;
}

/** The realtime clock at boot, for the times of synthetic files (Linux shows procfs mount-ish times). */
export function bootTime(env: FsEnv): Timespec {
  const k = env.kernel;
  const now = k.host.realtime();
  const upNs = k.host.monotonicNs() - k.bootNs;
  let sec = now.sec - Math.floor(upNs / 1e9);
  let nsec = now.nsec - (upNs % 1e9);
  if (nsec < 0) {
    nsec += 1e9;
    sec--;
  }
  return { sec, nsec: Math.floor(nsec) };
}

export function statOfSynth(env: FsEnv, s: SynthNode): FileStat {
  const t = bootTime(env);
  const c = env.task.creds;
  return {
    dev: s.dev,
    ino: s.ino,
    mode: modeOfSynth(s),
    nlink: s.type === 'dir' ? 2 : 1,
    uid: s.rootOwned ? 0 : c.euid,
    gid: s.rootOwned ? 0 : c.egid,
    rdev: s.rdev ?? 0,
    size: s.size ?? 0,
    blksize: 1024,
    blocks: 0,
    atime: t,
    mtime: t,
    ctime: t,
  };
}

/** stat of a node: host nodes carry their lstat, synthetic ones are made up, open files are asked. */
export function statOfNode(env: FsEnv, n: VNode): FileStat | number {
  switch (n.kind) {
    case 'host':
      return n.st;
    case 'synth':
      return statOfSynth(env, n.s);
    case 'file':
      return n.file.stat?.() ?? EBADF;
  }
}

export function dtypeOfMode(mode: number): number {
  switch (mode & S_IFMT) {
    case S_IFREG:
      return DT_REG;
    case S_IFDIR:
      return DT_DIR;
    case S_IFLNK:
      return DT_LNK;
    case S_IFCHR:
      return DT_CHR;
    case S_IFBLK:
      return DT_BLK;
    case S_IFIFO:
      return DT_FIFO;
    case S_IFSOCK:
      return DT_SOCK;
    default:
      return DT_UNKNOWN;
  }
}

/** Linux's dev_t encoding (glibc makedev) of major:minor. */
export function makedev(major: number, minor: number): number {
  return (
    (minor & 0xff) + (major & 0xfff) * 0x100 + (minor & ~0xff) * 0x1000 + Math.floor(major / 0x1000) * 0x100000000000
  );
}

export function major(dev: number): number {
  return (Math.floor(dev / 0x100) & 0xfff) | (Math.floor(dev / 0x100000000) & ~0xfff);
}

export function minor(dev: number): number {
  return (dev & 0xff) | (Math.floor(dev / 0x1000) & ~0xff);
}
