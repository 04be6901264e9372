/** Building blocks of /proc: its device, directories made of functions, links, and the mount table text. */
import { makedev } from './node-stat.js';
import type { DirEntry, FsEnv, SynthDir, SynthLink, SynthNode, VNode } from './vnode.js';

/** procfs's device number as a typical system shows it. */
export const PROC_DEV = makedev(0, 22);

const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const S_IFREG = 0o100000;
const DT_DIR = 4;
const DT_LNK = 10;
const DT_REG = 8;

export function dtypeOf(n: SynthNode): number {
  return n.type === 'dir' ? DT_DIR : n.type === 'link' ? DT_LNK : DT_REG;
}

export function modeTypeOf(n: SynthNode): number {
  return n.type === 'dir' ? S_IFDIR : n.type === 'link' ? S_IFLNK : S_IFREG;
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

/** A directory with a fixed set of children. */
export function staticDir(ino: number, children: Record<string, SynthNode>, rootOwned = true): SynthDir {
  return procDir(
    ino,
    0o555,
    {
      entries: () => Object.entries(children).map(([name, n]) => ({ name, ino: n.ino, type: dtypeOf(n) })),
      lookup: (_env, name) => (Object.hasOwn(children, name) ? children[name] : undefined),
    },
    rootOwned,
  );
}

export function procLink(ino: number, target: (env: FsEnv) => string, rootOwned = false): SynthLink {
  return { type: 'link', ino, perm: 0o777, dev: PROC_DEV, rootOwned, target };
}

/** /proc/mounts and /proc/<pid>/mounts: the guest root, the synthetic file systems, and what passes through. */
export function mountsText(): string {
  return (
    '/dev/root / ext4 rw,relatime 0 0\n' +
    'proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n' +
    'sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0\n' +
    'udev /dev devtmpfs rw,nosuid,relatime,mode=755 0 0\n' +
    'tmpfs /dev/shm tmpfs rw,nosuid,nodev 0 0\n'
  );
}
