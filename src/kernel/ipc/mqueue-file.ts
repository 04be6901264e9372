/**
 * An open message queue (mqueue_file_operations): the description mq_open installs. read() returns
 * the queue's status line ("QSIZE:… NOTIFY:… SIGNO:… NOTIFY_PID:…"), seekable like any small file;
 * there is no write method (EINVAL); poll reports POLLIN with a message and POLLOUT with room; fstat
 * shows a regular file of 80 bytes (FILENT_SIZE) on the mqueue file system.
 *
 * The access mode becomes FMODE_READ/FMODE_WRITE as dentry_open makes them: O_RDONLY reads,
 * O_WRONLY writes, O_RDWR both, and the invalid mode 3 (accepted when the queue is created) neither.
 */
import { O_ACCMODE, O_RDONLY, O_RDWR, O_WRONLY } from '../abi/fcntl.js';
import { seekPosition } from '../fs/host-file.js';
import type { FileStat } from '../fs/host-fs.js';
import { makedev } from '../fs/node-stat.js';
import type { OpenFile } from '../fs/open-file.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import type { WaitQueue } from '../task/wait-queue.js';
import type { MessageQueue } from './mqueue-queue.js';
import type { MqNamespace } from './mqueue-ns.js';

const EBADF = -9;
const EINVAL = -22;
const S_IFREG = 0o100000;
/** FILENT_SIZE: the inode size Linux gives every queue. */
const FILENT_SIZE = 80;
/** The mqueue superblock's anonymous device (mounted early, before most pseudo file systems). */
export const MQUEUE_DEV = makedev(0, 19);

export class MqFile implements OpenFile {
  readonly waitQueue: WaitQueue;
  pos = 0;
  refs = 0;

  constructor(
    private readonly ns: MqNamespace,
    readonly queue: MessageQueue,
    public flags: number,
  ) {
    this.waitQueue = queue.waitQueue;
    queue.opens++;
  }

  /** The name under the mqueue mount, as d_path shows it ("/name", " (deleted)" once unlinked). */
  get path(): string {
    return `/${this.queue.name}${this.queue.nlink === 0 ? ' (deleted)' : ''}`;
  }

  /** FMODE_READ. */
  get mayRead(): boolean {
    const acc = this.flags & O_ACCMODE;
    return acc === O_RDONLY || acc === O_RDWR;
  }

  /** FMODE_WRITE. */
  get mayWrite(): boolean {
    const acc = this.flags & O_ACCMODE;
    return acc === O_WRONLY || acc === O_RDWR;
  }

  private line(): Uint8Array {
    const s = this.queue.statusLine();
    const b = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
    return b;
  }

  /** mqueue_read_file: simple_read_from_buffer over the status line at the file position. */
  read(_ctx: SyscallContext, dst: Uint8Array, pos: number | undefined): number {
    if (!this.mayRead) return EBADF;
    const data = this.line();
    const at = pos ?? this.pos;
    if (at >= data.length || dst.length === 0) return 0;
    const n = Math.min(dst.length, data.length - at);
    dst.set(data.subarray(at, at + n));
    if (pos === undefined) this.pos += n;
    this.queue.touch('ac');
    return n;
  }

  /** No write method: EINVAL for a writable description (vfs_write's FMODE_CAN_WRITE), EBADF otherwise. */
  write(_ctx: SyscallContext, _src: Uint8Array, _pos: number | undefined): number {
    return this.mayWrite ? EINVAL : EBADF;
  }

  /** default_llseek over an 80-byte file. */
  lseek(offset: number, whence: number): number {
    const next = seekPosition(this.pos, FILENT_SIZE, offset, whence);
    if (next >= 0) this.pos = next;
    return next;
  }

  poll(): number {
    return this.queue.pollMask();
  }

  stat(): FileStat {
    const q = this.queue;
    return {
      dev: MQUEUE_DEV,
      ino: q.ino,
      mode: S_IFREG | q.mode,
      nlink: q.nlink,
      uid: q.uid,
      gid: q.gid,
      rdev: 0,
      size: FILENT_SIZE,
      blksize: 4096,
      blocks: 0,
      atime: q.atime,
      mtime: q.mtime,
      ctime: q.ctime,
    };
  }

  /**
   * The last fd of the description is gone. Linux's mqueue_flush_file drops the closing process's
   * registration at every close; here it goes when no description of the queue is left open (and at
   * the owner's exit, mqueue-ns.ts).
   */
  release(): void {
    const q = this.queue;
    q.opens--;
    if (q.opens === 0) q.notification = undefined;
    this.ns.evictIfUnused(q);
  }
}
