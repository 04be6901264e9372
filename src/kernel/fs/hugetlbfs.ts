/**
 * /dev/hugepages: a hugetlbfs mount (fs/hugetlbfs/inode.c, Linux 6.12) with the default 2 MiB page
 * size, as systemd mounts it on Debian (nosuid, nodev, relatime). Files created here are ShmemObjects
 * drawing on the kernel's default hugetlb pool (--hugepages), so Linux's rules follow from mm/:
 * sizes are whole huge pages (ftruncate to anything else is EINVAL), mmap offsets must be huge-page
 * aligned and lengths are rounded up to huge pages, MAP_FIXED addresses must be huge-page aligned,
 * a mapping reserves its huge pages unless MAP_NORESERVE (ENOMEM when the pool cannot), a writable
 * mapping beyond the end grows the file, a touch that finds the pool empty is SIGBUS; write(2) is
 * EINVAL, read(2) works. Files start sealed with F_SEAL_SEAL.
 *
 * One flat directory per kernel (no subdirectories, no rename): create by open(O_CREAT), unlink.
 * The directory is world-writable with the sticky bit (as mounted with mode=1777), so unprivileged
 * guests can use it; systemd's own mount is 0755 root. Files keep their pages until the last
 * reference (the name, an open file, a mapping) goes.
 */

import type { Kernel } from '../kernel.js';
import { HPAGE_2M, hugetlbPoolsOf } from '../mm/hugetlb.js';
import { F_SEAL_SEAL, ShmemObject } from '../mm/shmem.js';
import { type ShmemAttrs, ShmemFile, statfsOfShmem } from '../mm/shmem-file.js';
import type { HostStatfs } from './host-fs.js';
import { dtypeOfMode, makedev } from './node-stat.js';
import type { OpenFile } from './open-file.js';
import { vfsOf } from './vfs.js';
import type { DirEntry, FsEnv, SynthDir, SynthFile } from './vnode.js';

const EPERM = -1;
const ENOENT = -2;
const S_IFREG = 0o100000;

/** The mount's anonymous device number (0:N, as `stat -c %d` shows an unnamed super block). */
export const HUGEPAGES_DEV = makedev(0, 46);
export const HUGEPAGES_PATH = '/dev/hugepages';

/** One file on the mount: the object, the attributes fstat shows, its node for lookups. */
interface HugeInode {
  readonly obj: ShmemObject;
  readonly attrs: ShmemAttrs;
  readonly node: SynthFile;
}

/** The mount's directory contents, per kernel. */
class HugetlbfsState {
  readonly files = new Map<string, HugeInode>();
  private nextIno = 2;

  constructor(private readonly kernel: Kernel) {}

  create(env: FsEnv, name: string, flags: number, mode: number): OpenFile | number {
    const k = this.kernel;
    const pool = hugetlbPoolsOf(k).default;
    const vfs = vfsOf(k);
    if (vfs.phys === undefined) return EPERM;
    const path = `${HUGEPAGES_PATH}/${name}`;
    const obj = new ShmemObject(vfs.phys, path, HUGEPAGES_DEV, this.nextIno++, 0, {
      hugetlb: pool,
      seals: F_SEAL_SEAL,
    });
    obj.mode = mode & 0o7777;
    // The directory entry is a reference: the object lives until it is unlinked and let go.
    obj.get();
    const now = k.host.realtime();
    const c = env.task.creds;
    const attrs: ShmemAttrs = { uid: c.euid, gid: c.egid, nlink: 1, atime: now, mtime: now, ctime: now };
    const inode: HugeInode = { obj, attrs, node: fileNode(obj, attrs) };
    this.files.set(name, inode);
    return openInode(inode, flags, path);
  }

  /** unlink: the sticky directory lets only the file's owner (or root) remove it. */
  unlink(env: FsEnv, name: string): number {
    const inode = this.files.get(name);
    if (inode === undefined) return ENOENT;
    const euid = env.task.creds.euid;
    if (euid !== 0 && euid !== inode.attrs.uid) return EPERM;
    this.files.delete(name);
    inode.attrs.nlink = 0;
    inode.obj.path = `${inode.obj.path} (deleted)`;
    inode.obj.put();
    return 0;
  }
}

function openInode(inode: HugeInode, flags: number, path: string): ShmemFile {
  const f = new ShmemFile(inode.obj, inode.attrs, flags, path);
  f.onMount = true;
  return f;
}

/** The lookup node of a file: stat by path reads the object's mode and size. */
function fileNode(obj: ShmemObject, attrs: ShmemAttrs): SynthFile {
  const node: SynthFile = {
    type: 'file',
    ino: obj.ino,
    get perm() {
      return obj.mode;
    },
    dev: HUGEPAGES_DEV,
    get size() {
      return obj.size();
    },
    open(_env, flags, path) {
      return openInode({ obj, attrs, node }, flags, path);
    },
    statfs: () => mountStatfs(),
  };
  return node;
}

function mountStatfs(): HostStatfs {
  return statfsOfShmem(HPAGE_2M, true);
}

const states = new WeakMap<Kernel, HugetlbfsState>();

function stateOf(kernel: Kernel): HugetlbfsState {
  let s = states.get(kernel);
  if (s === undefined) {
    s = new HugetlbfsState(kernel);
    states.set(kernel, s);
  }
  return s;
}

/** The /dev/hugepages directory (one node for every kernel; each kernel has its own files). */
export function makeHugetlbFs(): SynthDir {
  return {
    type: 'dir',
    ino: 1,
    perm: 0o1777,
    dev: HUGEPAGES_DEV,
    rootOwned: true,
    entries(env): DirEntry[] {
      return [...stateOf(env.kernel).files].map(([name, f]) => ({
        name,
        ino: f.obj.ino,
        type: dtypeOfMode(S_IFREG),
      }));
    },
    lookup(env, name) {
      const f = stateOf(env.kernel).files.get(name);
      return f === undefined ? undefined : { kind: 'synth', s: f.node };
    },
    create(env, name, flags, mode) {
      return stateOf(env.kernel).create(env, name, flags, mode);
    },
    unlink(env, name) {
      return stateOf(env.kernel).unlink(env, name);
    },
    statfs: () => mountStatfs(),
  };
}
