/**
 * System V message queues (ipc/msg.c, Linux 6.1): the namespace's queues, their messages, and the
 * hand-off rules the syscalls (syscalls/sys-sysv-msg.ts) build on. A message sent while a receiver
 * waits for a matching type goes straight to that receiver (pipelined_send), bypassing the queue, as
 * Linux does; a receiver whose buffer is too small (without MSG_NOERROR) gets -E2BIG instead.
 * Senders that find the queue full park on `senders` and re-check after every wake-up.
 *
 * Message types are JavaScript numbers: exact up to 2^53, which covers every type a program uses in
 * practice (Linux's are longs).
 */
import { ERRNO } from '../abi/errno.js';
import { WaitQueue } from '../task/wait-queue.js';
import { type IpcCaller, IpcIds, IpcPerm } from './ipc-ids.js';

/** Linux's defaults (include/uapi/linux/msg.h): MSGMAX, MSGMNB, MSGMNI. */
export const MSGMAX = 8192;
export const MSGMNB = 16384;
export const MSGMNI = 32000;
/** IPC_INFO's constants: MSGPOOL, MSGMAP, MSGTQL, MSGSSZ, MSGSEG. */
export const MSGPOOL = (MSGMNI * MSGMNB) / 1024;
export const MSGMAP = MSGMNB;
export const MSGTQL = MSGMNB;
export const MSGSSZ = 16;
export const MSGSEG = 0xffff;

export const MSG_NOERROR = 0o10000;
export const MSG_EXCEPT = 0o20000;
export const MSG_COPY = 0o40000;

const EIDRM = -ERRNO.EIDRM;
const EAGAIN = -ERRNO.EAGAIN;
const E2BIG = -ERRNO.E2BIG;

/** How msgrcv's type selects (convert_mode). */
export enum SearchMode {
  Any,
  Equal,
  NotEqual,
  LessEqual,
  Number,
}

export interface Message {
  readonly type: number;
  readonly text: Uint8Array;
}

/** A task parked in msgrcv (struct msg_receiver). */
export interface Receiver {
  type: number;
  readonly mode: SearchMode;
  /** INT_MAX with MSG_NOERROR, else the buffer size. */
  readonly maxSize: number;
  readonly pid: number;
  /** A message handed over, or an errno (-EAGAIN: search again; -EIDRM; -E2BIG). */
  result: Message | number | undefined;
  readonly wake: () => void;
}

/**
 * msgrcv's selection (convert_mode): type 0 takes the first message, a positive type the first of
 * that type (or of any other with MSG_EXCEPT), a negative one the lowest type ≤ |type|. MSG_COPY
 * counts messages instead.
 */
export function searchMode(type: number, flags: number): { mode: SearchMode; type: number } {
  if (flags & MSG_COPY) return { mode: SearchMode.Number, type };
  if (type === 0) return { mode: SearchMode.Any, type };
  if (type < 0) return { mode: SearchMode.LessEqual, type: -type };
  return { mode: flags & MSG_EXCEPT ? SearchMode.NotEqual : SearchMode.Equal, type };
}

/** testmsg. */
function matches(m: Message, type: number, mode: SearchMode): boolean {
  switch (mode) {
    case SearchMode.Any:
    case SearchMode.Number:
      return true;
    case SearchMode.LessEqual:
      return m.type <= type;
    case SearchMode.Equal:
      return m.type === type;
    case SearchMode.NotEqual:
      return m.type !== type;
  }
}

/** struct msg_queue. */
export class MsgQueue {
  readonly perm: IpcPerm;
  readonly messages: Message[] = [];
  stime = 0;
  rtime = 0;
  ctime: number;
  cbytes = 0;
  qbytes: number;
  lspid = 0;
  lrpid = 0;
  readonly receivers: Receiver[] = [];
  /** Senders waiting for room (q_senders): woken whenever room may have appeared. */
  readonly senders = new WaitQueue();

  constructor(
    private readonly ns: MsgNamespace,
    key: number,
    flags: number,
    who: IpcCaller,
    now: number,
  ) {
    this.perm = new IpcPerm(key, flags, who);
    this.ctime = now;
    this.qbytes = ns.ctlmnb;
  }

  get qnum(): number {
    return this.messages.length;
  }

  /** msg_fits_inqueue: the bytes and the message count are both bounded by q_qbytes. */
  fits(size: number): boolean {
    return size + this.cbytes <= this.qbytes && 1 + this.qnum <= this.qbytes;
  }

  /**
   * The send after the checks: pipelined_send to the first waiting receiver that wants it (those
   * whose buffer is too small get -E2BIG on the way), else the tail of the queue.
   */
  deliver(msg: Message, pid: number, now: number): void {
    this.lspid = pid;
    this.stime = now;
    for (let i = 0; i < this.receivers.length; i++) {
      const r = this.receivers[i]!;
      if (!matches(msg, r.type, r.mode)) continue;
      this.receivers.splice(i, 1);
      i--;
      if (r.maxSize < msg.text.length) {
        r.result = E2BIG;
        r.wake();
        continue;
      }
      this.lrpid = r.pid;
      this.rtime = now;
      r.result = msg;
      r.wake();
      return;
    }
    this.messages.push(msg);
    this.cbytes += msg.text.length;
    this.ns.bytes += msg.text.length;
    this.ns.headers++;
  }

  /**
   * find_msg: the index of the message msgrcv takes, or -1. For LessEqual the search narrows as it
   * goes (the lowest type wins, the first of equals); the receiver's type is updated as Linux does.
   */
  find(sel: { type: number; mode: SearchMode }): number {
    let found = -1;
    let count = 0;
    for (let i = 0; i < this.messages.length; i++) {
      const m = this.messages[i]!;
      if (!matches(m, sel.type, sel.mode)) continue;
      if (sel.mode === SearchMode.LessEqual && m.type !== 1) {
        sel.type = m.type - 1;
        found = i;
      } else if (sel.mode === SearchMode.Number) {
        if (sel.type === count) return i;
      } else return i;
      count++;
    }
    return found;
  }

  /** The receive of message i: it leaves the queue and waiting senders may find room. */
  take(i: number, pid: number, now: number): Message {
    const [m] = this.messages.splice(i, 1) as [Message];
    this.rtime = now;
    this.lrpid = pid;
    this.cbytes -= m.text.length;
    this.ns.bytes -= m.text.length;
    this.ns.headers--;
    this.senders.wakeAll();
    return m;
  }

  /** expunge_all: every waiting receiver gets err. */
  expunge(err: number): void {
    for (const r of this.receivers.splice(0)) {
      r.result = err;
      r.wake();
    }
  }

  removeReceiver(r: Receiver): void {
    const i = this.receivers.indexOf(r);
    if (i >= 0) this.receivers.splice(i, 1);
  }

  /**
   * IPC_SET's effect once allowed: new owner and mode, q_qbytes; receivers search again (they may be
   * excluded now), senders look for room again.
   */
  set(qbytes: number, now: number): void {
    this.qbytes = qbytes;
    this.ctime = now;
    this.expunge(EAGAIN);
    this.senders.wakeAll();
  }
}

/** The message queue part of an IPC namespace (msg_ids and the msg_ctl* sysctls). */
export class MsgNamespace {
  readonly ids = new IpcIds<MsgQueue>();
  ctlmax = MSGMAX;
  ctlmnb = MSGMNB;
  ctlmni = MSGMNI;
  /** percpu_msg_bytes and percpu_msg_hdrs: all queued messages. */
  bytes = 0;
  headers = 0;

  /** msgget. */
  get(key: number, flags: number, who: IpcCaller, now: number): number {
    return this.ids.get(key, flags, who, () => {
      const q = new MsgQueue(this, key, flags, who, now);
      const id = this.ids.add(q, this.ctlmni);
      return id < 0 ? id : q;
    });
  }

  /** freeque: receivers get -EIDRM, senders wake to find the queue gone, the messages are freed. */
  remove(q: MsgQueue): void {
    this.ids.remove(q);
    q.expunge(EIDRM);
    q.senders.wakeAll();
    for (const m of q.messages.splice(0)) {
      this.bytes -= m.text.length;
      this.headers--;
    }
    q.cbytes = 0;
  }
}

const namespaces = new WeakMap<object, MsgNamespace>();

/** The kernel's message queue namespace (made on first use). */
export function msgNamespaceOf(kernel: object): MsgNamespace {
  let ns = namespaces.get(kernel);
  if (ns === undefined) {
    ns = new MsgNamespace();
    namespaces.set(kernel, ns);
  }
  return ns;
}
