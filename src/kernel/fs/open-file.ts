import type { FileBacking } from '../mm/vma.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import type { WaitQueue } from '../task/wait-queue.js';
import type { FileStat, HostStatfs, Timespec } from './host-fs.js';
import type { Loc } from './vnode.js';

/** Attribute changes through an fd (fchmod, fchown, futimens); absent members stay as they are. */
export interface SetAttr {
  mode?: number;
  /** -1 or absent: unchanged. */
  uid?: number;
  gid?: number;
  atime?: Timespec;
  mtime?: Timespec;
}

/**
 * An open file description (Linux's struct file): shared by every fd that dup() or fork() made from
 * the same open(). Operations return a count or a negative errno, or a promise when they may block.
 * Optional operations that a kind of file lacks are absent; callers return Linux's errno for that
 * case (e.g. -ESPIPE for lseek on a pipe, -ENOTTY for ioctl, -ENOTDIR for getdents).
 */
export interface OpenFile {
  /** O_ACCMODE and status flags (O_APPEND, O_NONBLOCK, …) as arm64 defines them. */
  flags: number;
  /** The path shown by /proc/self/fd and in traces. */
  readonly path: string;
  read?(ctx: SyscallContext, dst: Uint8Array, pos: number | undefined): number | Promise<number>;
  write?(ctx: SyscallContext, src: Uint8Array, pos: number | undefined): number | Promise<number>;
  /** The current file position is owned by the description. */
  pos: number;
  /** Returns the new position or a negative errno; ctx is the calling ABI (directory cookies depend on it). */
  lseek?(offset: number, whence: number, ctx?: SyscallContext): number;
  ioctl?(ctx: SyscallContext, cmd: number, arg: number): number | Promise<number>;
  /** A file's own check of an mmap request (offset, length) before any mapping is made: 0 or -errno. */
  mmapCheck?(offset: number, len: number): number;
  /** Backing for mmap of this file, when it can be mapped. */
  mapping?(): FileBacking | undefined;
  /** Called when the last fd referring to the description is closed. */
  release?(): void;
  /** Where the file is in the guest tree, for files opened by path: *at() lookups, fchdir, /proc/self/fd. */
  readonly loc?: Loc;
  /** fstat. */
  stat?(): FileStat | number;
  /** getdents64: records filling at most count bytes, as ctx.abi lays them out; empty at the end. */
  getdents?(ctx: SyscallContext, count: number): Uint8Array | number;
  truncate?(len: number): number;
  fsync?(dataOnly: boolean): number;
  setattr?(attr: SetAttr): number;
  statfs?(): HostStatfs | number;
  /** Bytes a read would return now without blocking (FIONREAD). */
  readable?(): number;
  /**
   * Readiness for poll/select/epoll: the POLL* bits (POLLIN 1, POLLOUT 4, POLLERR 8, POLLHUP 16) that
   * hold now. Absent: always ready for what the access mode allows, as Linux's default for files
   * without a poll method.
   */
  poll?(): number;
  /**
   * Woken whenever poll()'s answer may have changed (task/wait-queue.ts); poll, select and epoll
   * subscribe to it. Absent for files whose readiness never changes.
   */
  readonly waitQueue?: WaitQueue;
  /** References held by fd tables. */
  refs: number;
}

/** Base with the bookkeeping every description has. */
export abstract class OpenFileBase implements OpenFile {
  pos = 0;
  refs = 0;
  constructor(
    public flags: number,
    readonly path: string,
  ) {}
}
