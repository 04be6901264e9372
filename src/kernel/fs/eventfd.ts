/**
 * eventfd (fs/eventfd.c): a 64-bit counter behind an anon-inode file.
 *
 * A read of at least 8 bytes takes the whole counter (or 1 with EFD_SEMAPHORE) and blocks while it
 * is 0; a write of at least 8 bytes adds a value and blocks while the sum would reach 2^64 - 1
 * (writing 2^64 - 1 itself is -EINVAL). poll reports POLLIN while the counter is above 0 and
 * POLLOUT while another 1 fits. Both ends of the counter wake one queue, `waitQueue`.
 */
import { O_CLOEXEC, O_NONBLOCK, O_RDWR } from '../abi/fcntl.js';
import type { Kernel } from '../kernel.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import { WaitQueue } from '../task/wait-queue.js';
import { anonInodeStat } from './anon-inode.js';
import type { FileStat } from './host-fs.js';
import { OpenFileBase } from './open-file.js';
import { POLLERR, POLLIN, POLLOUT } from './poll-mask.js';
import { waitOnFile } from './poll-wait.js';

const EAGAIN = -11;
const EINVAL = -22;
const ERESTARTSYS = -512;

export const EFD_SEMAPHORE = 1;
export const EFD_CLOEXEC = O_CLOEXEC;
export const EFD_NONBLOCK = O_NONBLOCK;
/** EFD_FLAGS_SET: what eventfd2 accepts. */
const EFD_FLAGS_SET = EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK;

const ULLONG_MAX = 0xffff_ffff_ffff_ffffn;

/** The eventfd ids in use per machine (Linux's eventfd_ida: the smallest free id is taken). */
const idsInUse = new WeakMap<Kernel, Set<number>>();

function allocId(kernel: Kernel): number {
  let ids = idsInUse.get(kernel);
  if (ids === undefined) {
    ids = new Set();
    idsInUse.set(kernel, ids);
  }
  let id = 0;
  while (ids.has(id)) id++;
  ids.add(id);
  return id;
}

export class EventFd extends OpenFileBase {
  readonly waitQueue = new WaitQueue();
  /** The counter (ctx->count). */
  count: bigint;
  readonly semaphore: boolean;
  /** ctx->id, shown by fdinfo. */
  readonly id: number;

  constructor(
    private readonly kernel: Kernel,
    initval: number,
    flags: number,
  ) {
    super(O_RDWR | (flags & O_NONBLOCK), 'anon_inode:[eventfd]');
    this.count = BigInt(initval >>> 0);
    this.semaphore = (flags & EFD_SEMAPHORE) !== 0;
    this.id = allocId(kernel);
  }

  read(ctx: SyscallContext, dst: Uint8Array, _pos: number | undefined): number | Promise<number> {
    if (dst.length < 8) return EINVAL;
    if (this.count === 0n) {
      if (this.flags & O_NONBLOCK) return EAGAIN;
      return waitOnFile(ctx, this.waitQueue, 'an eventfd', 'write to').then((woken) =>
        woken ? this.read(ctx, dst, undefined) : ERESTARTSYS,
      );
    }
    const taken = this.semaphore ? 1n : this.count;
    this.count -= taken;
    new DataView(dst.buffer, dst.byteOffset, 8).setBigUint64(0, taken, true);
    this.waitQueue.wakeAll();
    return 8;
  }

  write(ctx: SyscallContext, src: Uint8Array, _pos: number | undefined): number | Promise<number> {
    if (src.length < 8) return EINVAL;
    const add = new DataView(src.buffer, src.byteOffset, 8).getBigUint64(0, true);
    if (add === ULLONG_MAX) return EINVAL;
    return this.add(ctx, add);
  }

  private add(ctx: SyscallContext, add: bigint): number | Promise<number> {
    if (ULLONG_MAX - this.count <= add) {
      if (this.flags & O_NONBLOCK) return EAGAIN;
      return waitOnFile(ctx, this.waitQueue, 'an eventfd', 'read from').then((woken) =>
        woken ? this.add(ctx, add) : ERESTARTSYS,
      );
    }
    this.count += add;
    this.waitQueue.wakeAll();
    return 8;
  }

  /** eventfd_poll. */
  poll(): number {
    const c = this.count;
    return (c > 0n ? POLLIN : 0) | (c === ULLONG_MAX ? POLLERR : 0) | (ULLONG_MAX - 1n > c ? POLLOUT : 0);
  }

  stat(): FileStat {
    return anonInodeStat(this.kernel);
  }

  /** eventfd_show_fdinfo (6.x): the counter in hex padded to 16 columns, the id, the semaphore flag. */
  fdinfo(): string {
    const count = this.count.toString(16).padStart(16, ' ');
    return `eventfd-count: ${count}\neventfd-id: ${this.id}\neventfd-semaphore: ${this.semaphore ? 1 : 0}\n`;
  }

  release(): void {
    idsInUse.get(this.kernel)?.delete(this.id);
  }
}

/** eventfd2(initval, flags): the new file, or -EINVAL for unknown flags. The caller installs it (O_CLOEXEC). */
export function makeEventFd(kernel: Kernel, initval: number, flags: number): EventFd | number {
  if (flags & ~EFD_FLAGS_SET) return EINVAL;
  return new EventFd(kernel, initval, flags);
}
