/**
 * The inode of anon_inodefs (fs/anon_inodes.c): files made by anon_inode_getfd — timerfd, signalfd
 * and the like — have no inode of their own and all share this one. fstat shows mode 0600 without a
 * file type bit, owner root, the boot time; /proc/self/fd names them "anon_inode:[name]".
 */
import type { Kernel } from '../kernel.js';
import type { FileStat } from './host-fs.js';
import { makedev } from './node-stat.js';
import { vfsOf } from './vfs.js';

/** anon_inodefs's device: the next unnamed device after pipefs (0:13). */
const ANON_INODE_DEV = makedev(0, 14);

const inoByKernel = new WeakMap<Kernel, number>();

/** The path an anonymous file shows in /proc/self/fd and traces. */
export function anonInodePath(name: string): string {
  return `anon_inode:${name}`;
}

/** fstat of any anonymous-inode file of this kernel. */
export function anonInodeStat(kernel: Kernel): FileStat {
  let ino = inoByKernel.get(kernel);
  if (ino === undefined) {
    ino = vfsOf(kernel).anonIno();
    inoByKernel.set(kernel, ino);
  }
  const boot = {
    sec: kernel.host.realtime().sec - Math.floor((kernel.host.monotonicNs() - kernel.bootNs) / 1e9),
    nsec: 0,
  };
  return {
    dev: ANON_INODE_DEV,
    ino,
    mode: 0o600,
    nlink: 1,
    uid: 0,
    gid: 0,
    rdev: 0,
    size: 0,
    blksize: 4096,
    blocks: 0,
    atime: boot,
    mtime: boot,
    ctime: boot,
  };
}
