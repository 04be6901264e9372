/**
 * The mount table the guest sees, for /proc/<pid>/mounts and /proc/<pid>/mountinfo (fs/proc_namespace.c):
 * the guest root (a host directory, shown as an ext4 root with the host directory's device
 * number so stat() and mountinfo agree), /proc, /dev (devtmpfs), and what passes through under
 * /dev: the root's own /dev/shm and the host's /dev/pts. Nothing else is mounted: /sys is whatever
 * the root holds.
 */

import { DEVTMPFS_DEV } from './devices.js';
import { major, minor } from './node-stat.js';
import { PROC_DEV } from './proc-nodes.js';
import { vfsOf } from './vfs.js';
import type { FsEnv } from './vnode.js';

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;

interface Mount {
  id: number;
  parent: number;
  dev: number;
  mountPoint: string;
  /** Per-mount options (rw, nosuid, nodev, noexec, relatime). */
  mntOpts: string;
  fsType: string;
  source: string;
  /** Per-superblock options as the file system shows them (after rw/ro). */
  superOpts: string;
}

/** Mount ids of the guest's mounts and of the kernel-internal ones fdinfo's mnt_id names. */
export const MNT_ROOT = 21;
export const MNT_PROC = 22;
export const MNT_DEV = 23;
export const MNT_SHM = 24;
export const MNT_PTS = 25;
const MNT_SOCKFS = 9;
const MNT_PIPEFS = 14;
const MNT_ANON_INODEFS = 15;

function hostDirDev(env: FsEnv, hostPath: string): number | undefined {
  const st = vfsOf(env.kernel).host.lstat(hostPath);
  return typeof st === 'number' || (st.mode & S_IFMT) !== S_IFDIR ? undefined : st.dev;
}

function mountTable(env: FsEnv): Mount[] {
  const vfs = vfsOf(env.kernel);
  const root = vfs.hostRoot;
  const rootDev = hostDirDev(env, root === '/' ? '/' : `${root}/.`) ?? 0;
  const mounts: Mount[] = [
    {
      id: MNT_ROOT,
      parent: 1,
      dev: rootDev,
      mountPoint: '/',
      mntOpts: 'rw,relatime',
      fsType: 'ext4',
      source: '/dev/root',
      superOpts: '',
    },
    {
      id: MNT_PROC,
      parent: MNT_ROOT,
      dev: PROC_DEV,
      mountPoint: '/proc',
      mntOpts: 'rw,nosuid,nodev,noexec,relatime',
      fsType: 'proc',
      source: 'proc',
      superOpts: '',
    },
    {
      id: MNT_DEV,
      parent: MNT_ROOT,
      dev: DEVTMPFS_DEV,
      mountPoint: '/dev',
      mntOpts: 'rw,nosuid,relatime',
      fsType: 'devtmpfs',
      source: 'udev',
      superOpts: ',mode=755',
    },
  ];
  const shm = hostDirDev(env, `${root === '/' ? '' : root}/dev/shm`);
  if (shm !== undefined) {
    mounts.push({
      id: MNT_SHM,
      parent: MNT_DEV,
      dev: shm,
      mountPoint: '/dev/shm',
      mntOpts: 'rw,nosuid,nodev',
      fsType: 'tmpfs',
      source: 'tmpfs',
      superOpts: '',
    });
  }
  const pts = hostDirDev(env, '/dev/pts');
  if (pts !== undefined) {
    mounts.push({
      id: MNT_PTS,
      parent: MNT_DEV,
      dev: pts,
      mountPoint: '/dev/pts',
      mntOpts: 'rw,nosuid,noexec,relatime',
      fsType: 'devpts',
      source: 'devpts',
      superOpts: ',gid=5,mode=620,ptmxmode=000',
    });
  }
  return mounts;
}

/** /proc/<pid>/mounts (and /proc/mounts): "source mountpoint type options 0 0". */
export function mountsText(env: FsEnv): string {
  return mountTable(env)
    .map((m) => `${m.source} ${m.mountPoint} ${m.fsType} ${m.mntOpts}${m.superOpts} 0 0\n`)
    .join('');
}

/** /proc/<pid>/mountinfo: "id parent major:minor root mountpoint options - type source super-options". */
export function mountinfoText(env: FsEnv): string {
  return mountTable(env)
    .map(
      (m) =>
        `${m.id} ${m.parent} ${major(m.dev)}:${minor(m.dev)} / ${m.mountPoint} ${m.mntOpts} - ${m.fsType} ${m.source} rw${m.superOpts}\n`,
    )
    .join('');
}

/** The mount an open file lives on, for fdinfo's mnt_id (told from the path /proc/<pid>/fd shows). */
export function mountIdOfPath(path: string): number {
  if (path.startsWith('pipe:')) return MNT_PIPEFS;
  if (path.startsWith('socket:')) return MNT_SOCKFS;
  if (path.startsWith('anon_inode:')) return MNT_ANON_INODEFS;
  if (path === '/proc' || path.startsWith('/proc/')) return MNT_PROC;
  if (path.startsWith('/dev/pts/')) return MNT_PTS;
  if (path.startsWith('/dev/shm/')) return MNT_SHM;
  if (path === '/dev' || path.startsWith('/dev/')) return MNT_DEV;
  return MNT_ROOT;
}
