/**
 * SECCOMP_RET_USER_NOTIF (kernel/seccomp.c: seccomp_do_user_notification and the "seccomp notify"
 * file): a filter attached with SECCOMP_FILTER_FLAG_NEW_LISTENER comes with a listener fd. A call the
 * filter answers USER_NOTIF parks its task, and a supervisor holding the fd receives the call
 * (SECCOMP_IOCTL_NOTIF_RECV), may inject fds into the task (ADDFD), checks the task still waits
 * (ID_VALID) and answers (SEND): a result, an error, or "run the call" (FLAG_CONTINUE).
 *
 * A notification moves INIT → SENT (received) → REPLIED. A signal withdraws it (the call returns
 * -ERESTARTSYS); with WAIT_KILLABLE_RECV only a fatal signal does once it was received. Closing the
 * listener answers every open notification -ENOSYS, and later USER_NOTIF calls get -ENOSYS at once.
 * poll: POLLIN while a notification waits to be received, POLLOUT while one waits for an answer,
 * POLLHUP once no live task uses the filter.
 */
import { O_CLOEXEC, O_RDWR } from '../../abi/fcntl.js';
import { setResult } from '../../entry/syscall-entry.js';
import { EntryVerdict } from '../../entry/syscall-work.js';
import { anonInodeStat } from '../../fs/anon-inode.js';
import type { FileStat } from '../../fs/host-fs.js';
import type { OpenFile } from '../../fs/open-file.js';
import { OpenFileBase } from '../../fs/open-file.js';
import { POLLHUP, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM } from '../../fs/poll-mask.js';
import type { Kernel } from '../../kernel.js';
import type { SyscallContext } from '../../syscalls/syscall-types.js';
import { copyIn, copyOut } from '../../syscalls/uaccess.js';
import { exitHooksOf } from '../../task/exit.js';
import { fatalSignalPending } from '../../task/signal-send.js';
import { INTERRUPTED, type Interrupted, keepHostAlive, waitInterruptible } from '../../task/signal-wait.js';
import type { Task } from '../../task/task.js';
import { WaitQueue } from '../../task/wait-queue.js';
import { copySeccompData } from './seccomp-eval.js';
import type { SeccompFilter } from './seccomp-state.js';

const EBADF = -9;
const EFAULT = -14;
const EINVAL = -22;
const ENOENT = -2;
const EINTR = -4;
const E2BIG = -7;
const ENOSYS = -38;
const EINPROGRESS = -115;
const ERESTARTSYS = -512;

/** The ioctls (linux/seccomp.h, magic '!'); compat callers use the same numbers and layouts. */
export const SECCOMP_IOCTL_NOTIF_RECV = 0xc0502100;
export const SECCOMP_IOCTL_NOTIF_SEND = 0xc0182101;
export const SECCOMP_IOCTL_NOTIF_ID_VALID = 0x40082102;
/** The first published ID_VALID number had the wrong direction bits; Linux still accepts it. */
const SECCOMP_IOCTL_NOTIF_ID_VALID_WRONG_DIR = 0x80082102;
export const SECCOMP_IOCTL_NOTIF_ADDFD = 0x40182103;
/** _IOC_SIZE's bits: ADDFD is extensible, matched without them (EA_IOCTL). */
const IOC_SIZE_MASK = 0x3fff0000;

export const SECCOMP_USER_NOTIF_FLAG_CONTINUE = 1;
export const SECCOMP_ADDFD_FLAG_SETFD = 1;
export const SECCOMP_ADDFD_FLAG_SEND = 2;

/** struct seccomp_notif, seccomp_notif_resp, seccomp_notif_addfd (VER0) sizes. */
export const SECCOMP_NOTIF_SIZE = 80;
export const SECCOMP_NOTIF_RESP_SIZE = 24;
const SECCOMP_NOTIF_ADDFD_SIZE_VER0 = 24;
const PAGE_SIZE = 4096;

const enum NotifyState {
  Init = 0,
  Sent = 1,
  Replied = 2,
}

/** One parked call (struct seccomp_knotif). */
interface Notification {
  readonly id: number;
  readonly task: Task;
  readonly data: Uint32Array;
  state: NotifyState;
  error: number;
  /** The answer's 64-bit value as two halves (a u64 needs no BigInt here). */
  valLo: number;
  valHi: number;
  flags: number;
  /** Woken at every change the parked task must look at (an answer, the listener's release). */
  readonly ready: WaitQueue;
}

/** A filter's notification state (struct notification): what the listener file works on. */
export class SeccompListener {
  readonly notifications: Notification[] = [];
  /** The receive semaphore: notifications queued and not yet taken by a RECV. */
  requests = 0;
  nextId: number;
  /** Woken when a notification is queued, received, answered or withdrawn, and when a user of the filter exits. */
  readonly waitQueue = new WaitQueue();

  constructor(firstId: number) {
    this.nextId = firstId;
  }

  find(id: number): Notification | undefined {
    return this.notifications.find((n) => n.id === id);
  }
}

/** Whether a live task still runs under the filter (its "users" count is not zero). */
function filterInUse(kernel: Kernel, filter: SeccompFilter): boolean {
  for (const t of kernel.tasks.values()) {
    if (t.exitStatus !== undefined) continue;
    for (let f = t.seccomp.filter; f !== undefined; f = f.prev) if (f === filter) return true;
  }
  return false;
}

const hookedKernels = new WeakSet<Kernel>();

/** A task leaving wakes the listeners of its chain, so a poll can see POLLHUP. */
function hookExits(kernel: Kernel): void {
  if (hookedKernels.has(kernel)) return;
  hookedKernels.add(kernel);
  exitHooksOf(kernel).mmRelease.push((_k, task) => {
    for (let f = task.seccomp.filter; f !== undefined; f = f.prev) f.notif?.waitQueue.wakeAll();
  });
}

/** A killable wait: ends early only for a fatal signal (or the task's death). */
function waitKillable<T>(task: Task, event: Promise<T>): Promise<T | Interrupted> {
  const dying = (): boolean => fatalSignalPending(task) || task.exitStatus !== undefined;
  if (dying()) return Promise.resolve(INTERRUPTED);
  const st = task.signals;
  return new Promise<T | Interrupted>((resolve) => {
    const finish = (v: T | Interrupted): void => {
      if (st.wake === wake) st.wake = undefined;
      resolve(v);
    };
    const wake = (): void => {
      if (dying()) finish(INTERRUPTED);
    };
    st.wake = wake;
    void event.then(finish);
  });
}

function u64At(dv: DataView, off: number): number {
  return dv.getUint32(off + 4, true) * 4294967296 + dv.getUint32(off, true);
}

/** The "seccomp notify" anon-inode file (seccomp_notify_ops). */
export class SeccompNotifyFile extends OpenFileBase {
  readonly waitQueue: WaitQueue;

  constructor(
    private readonly kernel: Kernel,
    readonly filter: SeccompFilter,
    readonly listener: SeccompListener,
  ) {
    super(O_RDWR, 'anon_inode:seccomp notify');
    this.waitQueue = listener.waitQueue;
    hookExits(kernel);
  }

  poll(): number {
    let r = 0;
    for (const n of this.listener.notifications) {
      if (n.state === NotifyState.Init) r |= POLLIN | POLLRDNORM;
      if (n.state === NotifyState.Sent) r |= POLLOUT | POLLWRNORM;
    }
    if (!filterInUse(this.kernel, this.filter)) r |= POLLHUP;
    return r;
  }

  stat(): FileStat {
    return anonInodeStat(this.kernel);
  }

  /** seccomp_notify_detach: every open notification is answered -ENOSYS; the filter has no listener any more. */
  release(): void {
    for (const n of this.listener.notifications) {
      if (n.state === NotifyState.Replied) continue;
      n.state = NotifyState.Replied;
      n.error = ENOSYS;
      n.valLo = 0;
      n.valHi = 0;
      n.ready.wakeAll();
    }
    if (this.filter.notif === this.listener) this.filter.notif = undefined;
    this.listener.waitQueue.wakeAll();
  }

  ioctl(ctx: SyscallContext, cmd: number, arg: number): number | Promise<number> {
    switch (cmd >>> 0) {
      case SECCOMP_IOCTL_NOTIF_RECV:
        return this.recv(ctx, arg);
      case SECCOMP_IOCTL_NOTIF_SEND:
        return this.send(ctx, arg);
      case SECCOMP_IOCTL_NOTIF_ID_VALID:
      case SECCOMP_IOCTL_NOTIF_ID_VALID_WRONG_DIR:
        return this.idValid(ctx, arg);
    }
    if ((cmd & ~IOC_SIZE_MASK) >>> 0 === (SECCOMP_IOCTL_NOTIF_ADDFD & ~IOC_SIZE_MASK) >>> 0) {
      return this.addfd(ctx, arg, (cmd >>> 16) & 0x3fff);
    }
    return EINVAL;
  }

  /** seccomp_notify_recv: the buffer must be zeroed; waits for a notification (interruptibly: -EINTR). */
  private async recv(ctx: SyscallContext, arg: number): Promise<number> {
    const buf = copyIn(ctx.mem, arg, SECCOMP_NOTIF_SIZE);
    if (buf === null) return EFAULT;
    if (buf.some((b) => b !== 0)) return EINVAL;
    const l = this.listener;
    if (l.requests === 0) {
      const release = keepHostAlive();
      try {
        while (l.requests === 0) {
          if ((await waitInterruptible(ctx.task, l.waitQueue.wait())) === INTERRUPTED) return EINTR;
        }
      } finally {
        release();
      }
    }
    l.requests--;
    const n = l.notifications.find((c) => c.state === NotifyState.Init);
    // The task was withdrawn (a signal) between the wake-up and now.
    if (n === undefined) return ENOENT;
    const out = new Uint8Array(SECCOMP_NOTIF_SIZE);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, n.id >>> 0, true);
    dv.setUint32(4, Math.floor(n.id / 4294967296), true);
    dv.setUint32(8, n.task.tid, true);
    for (let i = 0; i < 16; i++) dv.setUint32(16 + 4 * i, n.data[i]!, true);
    n.state = NotifyState.Sent;
    l.waitQueue.wakeAll();
    if (copyOut(ctx.mem, arg, out)) return 0;
    // The supervisor's buffer went away: the notification goes back to the queue.
    if (l.find(n.id) === n) {
      if (this.filter.waitKillableRecv) n.ready.wakeAll();
      n.state = NotifyState.Init;
      l.requests++;
      l.waitQueue.wakeAll();
    }
    return EFAULT;
  }

  /** seccomp_notify_send: exactly one answer to a received notification. */
  private send(ctx: SyscallContext, arg: number): number {
    const buf = copyIn(ctx.mem, arg, SECCOMP_NOTIF_RESP_SIZE);
    if (buf === null) return EFAULT;
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const id = u64At(dv, 0);
    const valLo = dv.getInt32(8, true);
    const valHi = dv.getInt32(12, true);
    const error = dv.getInt32(16, true);
    const flags = dv.getUint32(20, true);
    if (flags & ~SECCOMP_USER_NOTIF_FLAG_CONTINUE) return EINVAL;
    if (flags & SECCOMP_USER_NOTIF_FLAG_CONTINUE && (error !== 0 || valLo !== 0 || valHi !== 0)) return EINVAL;
    const n = this.listener.find(id);
    if (n === undefined) return ENOENT;
    if (n.state !== NotifyState.Sent) return EINPROGRESS;
    n.state = NotifyState.Replied;
    n.error = error;
    n.valLo = valLo;
    n.valHi = valHi;
    n.flags = flags;
    n.ready.wakeAll();
    this.listener.waitQueue.wakeAll();
    return 0;
  }

  /** seccomp_notify_id_valid: 0 while the notification is received and unanswered. */
  private idValid(ctx: SyscallContext, arg: number): number {
    const buf = copyIn(ctx.mem, arg, 8);
    if (buf === null) return EFAULT;
    const n = this.listener.find(u64At(new DataView(buf.buffer, buf.byteOffset, 8), 0));
    return n !== undefined && n.state === NotifyState.Sent ? 0 : ENOENT;
  }

  /**
   * seccomp_notify_addfd: installs one of the supervisor's files in the notifying task's table (at
   * the lowest free fd, or at newfd with SETFD) and returns the number there. Linux lets the parked
   * task do the install; that task is asleep in the notification, so doing it here is the same.
   * With SEND the new fd is also the call's result.
   */
  private addfd(ctx: SyscallContext, arg: number, size: number): number {
    if (size < SECCOMP_NOTIF_ADDFD_SIZE_VER0 || size >= PAGE_SIZE) return EINVAL;
    const buf = copyIn(ctx.mem, arg, size);
    if (buf === null) return EFAULT;
    // copy_struct_from_user: a newer, longer struct is fine only if its extra bytes are zero.
    if (buf.subarray(SECCOMP_NOTIF_ADDFD_SIZE_VER0).some((b) => b !== 0)) return E2BIG;
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const id = u64At(dv, 0);
    const flags = dv.getUint32(8, true);
    const srcfd = dv.getInt32(12, true);
    const newfd = dv.getUint32(16, true);
    const newfdFlags = dv.getUint32(20, true);
    if (newfdFlags & ~O_CLOEXEC) return EINVAL;
    if (flags & ~(SECCOMP_ADDFD_FLAG_SETFD | SECCOMP_ADDFD_FLAG_SEND)) return EINVAL;
    if (newfd !== 0 && !(flags & SECCOMP_ADDFD_FLAG_SETFD)) return EINVAL;
    const file: OpenFile | undefined = ctx.task.files.get(srcfd);
    if (file === undefined) return EBADF;
    const n = this.listener.find(id);
    if (n === undefined) return ENOENT;
    if (n.state !== NotifyState.Sent) return EINPROGRESS;
    const files = n.task.files;
    const cloexec = (newfdFlags & O_CLOEXEC) !== 0;
    let fd: number;
    if (flags & SECCOMP_ADDFD_FLAG_SETFD) {
      if (newfd >= files.limit) fd = EBADF;
      else {
        files.put(newfd, file, cloexec);
        fd = newfd;
      }
    } else fd = files.install(file, cloexec);
    if (flags & SECCOMP_ADDFD_FLAG_SEND && fd >= 0) {
      n.state = NotifyState.Replied;
      n.flags = 0;
      n.error = 0;
      n.valLo = fd;
      n.valHi = 0;
      n.ready.wakeAll();
      this.listener.waitQueue.wakeAll();
    }
    return fd;
  }
}

/** Whether any filter in the chain still has a listener (has_duplicate_listener). */
export function chainHasListener(f: SeccompFilter | undefined): boolean {
  for (let c = f; c !== undefined; c = c.prev) if (c.notif !== undefined) return true;
  return false;
}

/**
 * seccomp_do_user_notification: queues the call for the filter's listener and parks the task until
 * it is answered. Run for FLAG_CONTINUE; otherwise Skip with x0 set (the answer, -ENOSYS without a
 * listener, -ERESTARTSYS when a signal withdrew the call).
 */
export async function userNotification(task: Task, compat: boolean, match: SeccompFilter): Promise<EntryVerdict> {
  const l = match.notif;
  if (l === undefined) {
    setResult(task, ENOSYS, compat);
    return EntryVerdict.Skip;
  }
  const n: Notification = {
    id: l.nextId,
    task,
    data: copySeccompData(),
    state: NotifyState.Init,
    error: 0,
    valLo: 0,
    valHi: 0,
    flags: 0,
    ready: new WaitQueue(),
  };
  l.nextId++;
  l.notifications.push(n);
  l.requests++;
  l.waitQueue.wakeAll();
  let interrupted = false;
  const release = keepHostAlive();
  try {
    while (n.state !== NotifyState.Replied) {
      const killable = match.waitKillableRecv && n.state !== NotifyState.Init;
      const r = killable ? await waitKillable(task, n.ready.wait()) : await waitInterruptible(task, n.ready.wait());
      // Received meanwhile under WAIT_KILLABLE_RECV: a non-fatal signal no longer withdraws the call.
      if (r === INTERRUPTED && !(!killable && match.waitKillableRecv && n.state !== NotifyState.Init)) {
        interrupted = true;
        break;
      }
    }
  } finally {
    release();
  }
  const i = l.notifications.indexOf(n);
  if (i >= 0) l.notifications.splice(i, 1);
  l.waitQueue.wakeAll();
  if (interrupted) {
    setResult(task, ERESTARTSYS, compat);
    return EntryVerdict.Skip;
  }
  if (n.flags & SECCOMP_USER_NOTIF_FLAG_CONTINUE) return EntryVerdict.Run;
  // syscall_set_return_value: the error if there is one, else the value (its low half for compat).
  if (n.error !== 0) setResult(task, n.error, compat);
  else if (compat) setResult(task, n.valLo, compat);
  else {
    task.cpu.x[0] = n.valLo;
    task.cpu.x[1] = n.valHi;
  }
  return EntryVerdict.Skip;
}

/** init_listener: the listener state for a filter being attached with NEW_LISTENER. */
export function newListener(kernel: Kernel): SeccompListener {
  // Linux starts the ids at a random u64; 48 random bits keep them exact as numbers.
  return new SeccompListener((kernel.random.u32() & 0xffff) * 4294967296 + kernel.random.u32());
}
