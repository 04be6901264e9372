/**
 * One POSIX message queue (ipc/mqueue.c's mqueue_inode_info): its messages, ordered by priority
 * (highest first, FIFO within one priority), the tasks parked to send or receive, the one
 * notification registration, and the inode's owner, mode and times.
 *
 * Senders and receivers hand messages over directly when the other side waits, as Linux's
 * pipelined_send/pipelined_receive do: a message given to a parked receiver never enters the queue
 * (so it triggers no notification), and a receiver that frees a slot moves the first parked
 * sender's message in. Waiters are served highest task priority first, FIFO among equals (wq_add).
 * `waitQueue` is info->wait_q: poll/epoll subscribe to it; it is woken when a message enters an
 * empty-or-not queue through msg_insert (__do_notify) and when a receive frees a slot nobody takes.
 */
import type { Kernel } from '../kernel.js';
import { WaitQueue } from '../task/wait-queue.js';
import type { Timespec } from '../fs/host-fs.js';

/** MQ_PRIO_MAX: priorities are 0 … 32767. */
export const MQ_PRIO_MAX = 32768;

export const SIGEV_SIGNAL = 0;
export const SIGEV_NONE = 1;
export const SIGEV_THREAD = 2;

export interface MqMessage {
  readonly prio: number;
  readonly data: Uint8Array;
}

/** An ext_wait_queue entry: a task parked in mq_timedsend or mq_timedreceive. */
export interface MqWaiter {
  /** task->prio (120 + nice): lower is served first. */
  readonly prio: number;
  /** The sender's message; for a receiver, the message handed to it. */
  msg: MqMessage | undefined;
  /** STATE_READY: the hand-over happened, the waiter returns success whatever else woke it. */
  ready: boolean;
  /** Wakes the parked task (replaced at every sleep). */
  wake: () => void;
}

/** A registration made by mq_notify (info->notify, notify_owner). */
export interface MqNotification {
  /** The registering process (notify_owner, a tgid). */
  readonly owner: number;
  readonly notify: number;
  readonly signo: number;
  /** sigev_value as two 32-bit halves (low, high). */
  readonly valueLo: number;
  readonly valueHi: number;
}

/** What the queue needs from its namespace when a notification fires. */
export type NotifySender = (n: MqNotification, senderTgid: number, senderUid: number) => void;

function now(kernel: Kernel): Timespec {
  return kernel.host.realtime();
}

export class MessageQueue {
  readonly waitQueue = new WaitQueue();
  /** Bytes of message text queued (info->qsize), shown by read(). */
  qsize = 0;
  curmsgs = 0;
  notification: MqNotification | undefined;
  /** Hard links: 1 while the name exists, 0 after mq_unlink. */
  nlink = 1;
  /** Open descriptions of the queue; the inode goes when both this and nlink reach 0. */
  opens = 0;
  atime: Timespec;
  mtime: Timespec;
  ctime: Timespec;
  /** Priorities present, highest first, each with its FIFO of messages. */
  private readonly prios: number[] = [];
  private readonly byPrio = new Map<number, MqMessage[]>();
  private readonly receivers: MqWaiter[] = [];
  private readonly senders: MqWaiter[] = [];

  constructor(
    private readonly kernel: Kernel,
    readonly name: string,
    readonly ino: number,
    /** Permission bits (S_IALLUGO); the type is S_IFREG. */
    public mode: number,
    public uid: number,
    public gid: number,
    readonly maxmsg: number,
    readonly msgsize: number,
    /** The bytes charged to the creator's RLIMIT_MSGQUEUE (mq_bytes), and whose they are. */
    readonly charge: { readonly uid: number; readonly bytes: number },
  ) {
    const t = now(kernel);
    this.atime = t;
    this.mtime = t;
    this.ctime = t;
  }

  touch(parts: 'amc' | 'ac'): void {
    const t = now(this.kernel);
    this.atime = t;
    this.ctime = t;
    if (parts === 'amc') this.mtime = t;
  }

  full(): boolean {
    return this.curmsgs >= this.maxmsg;
  }

  /** msg_insert. */
  private insert(m: MqMessage): void {
    let list = this.byPrio.get(m.prio);
    if (list === undefined) {
      list = [];
      this.byPrio.set(m.prio, list);
      let i = 0;
      while (i < this.prios.length && this.prios[i]! > m.prio) i++;
      this.prios.splice(i, 0, m.prio);
    }
    list.push(m);
    this.curmsgs++;
    this.qsize += m.data.length;
  }

  /** msg_get: the oldest message of the highest priority (the queue is not empty). */
  private take(): MqMessage {
    const prio = this.prios[0]!;
    const list = this.byPrio.get(prio)!;
    const m = list.shift()!;
    if (list.length === 0) {
      this.byPrio.delete(prio);
      this.prios.shift();
    }
    this.curmsgs--;
    this.qsize -= m.data.length;
    return m;
  }

  /**
   * Sends m if there is room (the caller checked O_NONBLOCK/blocking when full): to the first
   * parked receiver, else into the queue with __do_notify. Returns false when the queue is full.
   */
  trySend(m: MqMessage, senderTgid: number, senderUid: number, fire: NotifySender): boolean {
    if (this.full()) return false;
    const receiver = this.receivers.shift();
    if (receiver !== undefined) {
      receiver.msg = m;
      receiver.ready = true;
      receiver.wake();
    } else {
      this.insert(m);
      this.doNotify(senderTgid, senderUid, fire);
    }
    this.touch('amc');
    return true;
  }

  /**
   * __do_notify: a registration fires (and is dropped) when the queue went from empty to one
   * message; no receiver was parked, or the message would have gone to it. Pollers are woken.
   */
  private doNotify(senderTgid: number, senderUid: number, fire: NotifySender): void {
    const n = this.notification;
    if (n !== undefined && this.curmsgs === 1) {
      this.notification = undefined;
      fire(n, senderTgid, senderUid);
    }
    this.waitQueue.wakeAll();
  }

  /** Takes the next message, moving the first parked sender's message in (pipelined_receive); undefined when empty. */
  tryReceive(): MqMessage | undefined {
    if (this.curmsgs === 0) return undefined;
    const m = this.take();
    this.touch('amc');
    const sender = this.senders.shift();
    if (sender === undefined) {
      this.waitQueue.wakeAll();
    } else {
      this.insert(sender.msg!);
      sender.ready = true;
      sender.wake();
    }
    return m;
  }

  /** wq_add: parks w among the senders or receivers, before every waiter of lower priority. */
  addWaiter(kind: 'send' | 'receive', w: MqWaiter): void {
    const list = kind === 'send' ? this.senders : this.receivers;
    let i = 0;
    while (i < list.length && list[i]!.prio <= w.prio) i++;
    list.splice(i, 0, w);
  }

  removeWaiter(kind: 'send' | 'receive', w: MqWaiter): void {
    const list = kind === 'send' ? this.senders : this.receivers;
    const i = list.indexOf(w);
    if (i >= 0) list.splice(i, 1);
  }

  /** poll: POLLIN|POLLRDNORM with a message, POLLOUT|POLLWRNORM with room. */
  pollMask(): number {
    let m = 0;
    if (this.curmsgs > 0) m |= 0x1 | 0x40;
    if (this.curmsgs < this.maxmsg) m |= 0x4 | 0x100;
    return m;
  }

  /** mqueue_read_file's line (FILENT_SIZE 80 bytes at most). */
  statusLine(): string {
    const n = this.notification;
    const notify = n === undefined ? 0 : n.notify;
    const signo = n !== undefined && n.notify === SIGEV_SIGNAL ? n.signo : 0;
    const pid = n === undefined ? 0 : n.owner;
    const left = (v: number, w: number): string => String(v).padEnd(w, ' ');
    const line = `QSIZE:${left(this.qsize, 10)} NOTIFY:${left(notify, 5)} SIGNO:${left(signo, 5)} NOTIFY_PID:${left(pid, 6)}\n`;
    return line.length > 79 ? line.slice(0, 79) : line;
  }
}
