/**
 * The POSIX message queue namespace of one kernel (the ipc namespace's mqueue mount): names → queues,
 * the fs.mqueue sysctls, the queue count and the RLIMIT_MSGQUEUE bytes charged per user. State hangs
 * on the Kernel (a WeakMap), never in module globals.
 *
 * Names reach the kernel without glibc's leading '/': one path component, checked as getname and
 * lookup_one_len do (empty: ENOENT; '/', "." or "..": EACCES; over NAME_MAX: ENAMETOOLONG).
 */
import { O_ACCMODE, O_CREAT, O_EXCL, O_RDONLY, O_WRONLY } from '../abi/fcntl.js';
import { vfsOf } from '../fs/vfs.js';
import type { Kernel } from '../kernel.js';
import { exitHooksOf } from '../task/exit.js';
import { killInfo, SI_MESGQ, type SigInfo } from '../task/siginfo.js';
import { sendSignal } from '../task/signal-send.js';
import type { Task } from '../task/task.js';
import { MessageQueue, type MqNotification } from './mqueue-queue.js';

const ENOENT = -2;
const EPERM = -1;
const EACCES = -13;
const EEXIST = -17;
const EINVAL = -22;
const EMFILE = -24;
const ENOSPC = -28;
const ENAMETOOLONG = -36;

const NAME_MAX = 255;
/** HARD_MSGMAX, HARD_MSGSIZEMAX: what even CAP_SYS_RESOURCE may ask for. */
export const HARD_MSGMAX = 65536;
export const HARD_MSGSIZEMAX = 16 * 1024 * 1024;
const MQ_PRIO_MAX = 32768;
/** sizeof(struct msg_msg) and sizeof(struct posix_msg_tree_node) on arm64, charged per message slot. */
const MSG_MSG_SIZE = 48;
const TREE_NODE_SIZE = 48;
const RLIMIT_MSGQUEUE = 12;
/** si_value in the 64-bit siginfo (the _rt member: pid, uid, sigval). */
const SI_VALUE_OFFSET = 24;

/** fs.mqueue.* (DFLT_QUEUESMAX, DFLT_MSGMAX, DFLT_MSGSIZEMAX and the defaults of mq_open without attr). */
export interface MqSysctls {
  queuesMax: number;
  msgMax: number;
  msgsizeMax: number;
  msgDefault: number;
  msgsizeDefault: number;
}

export class MqNamespace {
  readonly sysctls: MqSysctls = {
    queuesMax: 256,
    msgMax: 10,
    msgsizeMax: 8192,
    msgDefault: 10,
    msgsizeDefault: 8192,
  };
  readonly queues = new Map<string, MessageQueue>();
  /** Queues whose inode is alive (mq_queues_count): named or still open. */
  count = 0;
  /** RLIMIT_MSGQUEUE bytes charged per real uid (ucounts). */
  private readonly charged = new Map<number, number>();

  constructor(private readonly kernel: Kernel) {}

  chargedTo(uid: number): number {
    return this.charged.get(uid) ?? 0;
  }

  /** inc_rlimit_ucounts against the soft limit: false (EMFILE) when it would pass it. */
  charge(uid: number, bytes: number, limit: number): boolean {
    const next = this.chargedTo(uid) + bytes;
    if (next > limit) return false;
    this.charged.set(uid, next);
    return true;
  }

  /** mqueue_evict_inode: the last open of an unlinked queue is gone. */
  evictIfUnused(q: MessageQueue): void {
    if (q.nlink !== 0 || q.opens !== 0) return;
    this.live.delete(q);
    this.count--;
    const left = this.chargedTo(q.charge.uid) - q.charge.bytes;
    if (left > 0) this.charged.set(q.charge.uid, left);
    else this.charged.delete(q.charge.uid);
  }

  /** __do_notify's SIGEV_SIGNAL: SI_MESGQ with the sender's tgid and uid, to the owning process. */
  fire(n: MqNotification, senderTgid: number, senderUid: number): void {
    if (n.notify !== 0 || n.signo === 0) return;
    const g = this.kernel.groups.get(n.owner);
    if (g === undefined || g.state !== 'live') return;
    const target = [...g.threads][0] ?? g.leader;
    const info: SigInfo = killInfo(n.signo, SI_MESGQ, senderTgid, senderUid);
    const dv = new DataView(info.buffer, info.byteOffset, info.byteLength);
    dv.setInt32(SI_VALUE_OFFSET, n.valueLo, true);
    dv.setInt32(SI_VALUE_OFFSET + 4, n.valueHi, true);
    sendSignal(this.kernel, target, n.signo, info, 'group');
  }

  /** A process has gone: its registrations go too (its files' flush at exit does that on Linux). */
  dropNotificationsOf(tgid: number): void {
    for (const q of this.live) if (q.notification?.owner === tgid) q.notification = undefined;
  }

  /** Every queue that may carry a registration: named ones and unlinked ones still open. */
  readonly live = new Set<MessageQueue>();
}

const namespaces = new WeakMap<Kernel, MqNamespace>();

export function mqNamespaceOf(kernel: Kernel): MqNamespace {
  let ns = namespaces.get(kernel);
  if (ns === undefined) {
    const made = new MqNamespace(kernel);
    namespaces.set(kernel, made);
    exitHooksOf(kernel).processDead.push((_k, g) => made.dropNotificationsOf(g.tgid));
    ns = made;
  }
  return ns;
}

/** getname + lookup_one_len + simple_lookup on the name bytes: 0 or the errno. */
export function checkMqName(name: Uint8Array): number {
  const len = name.length;
  if (len === 0) return ENOENT;
  if (name[0] === 0x2e && (len === 1 || (len === 2 && name[1] === 0x2e))) return EACCES;
  if (name.includes(0x2f)) return EACCES;
  if (len > NAME_MAX) return ENAMETOOLONG;
  return 0;
}

export function nameKey(name: Uint8Array): string {
  return String.fromCharCode(...name);
}

/** CAP_SYS_RESOURCE, CAP_DAC_OVERRIDE, CAP_FOWNER: compat64 grants capabilities to euid 0. */
function capable(task: Task): boolean {
  return task.creds.euid === 0;
}

/** generic_permission for MAY_READ (4) / MAY_WRITE (2) with the fs ids, and CAP_DAC_OVERRIDE. */
function permitted(task: Task, q: MessageQueue, want: number): boolean {
  const c = task.creds;
  if (c.fsuid === 0) return true;
  let bits: number;
  if (c.fsuid === q.uid) bits = q.mode >> 6;
  else if (c.fsgid === q.gid || c.groups.includes(q.gid)) bits = q.mode >> 3;
  else bits = q.mode;
  return (bits & want & 7) === want;
}

export interface MqCreateAttr {
  maxmsg: number;
  msgsize: number;
}

/** mqueue_get_inode's checks and charge: the queue's size and charge, or the errno. */
function sizeQueue(
  ns: MqNamespace,
  task: Task,
  attr: MqCreateAttr | undefined,
): { maxmsg: number; msgsize: number; bytes: number } | number {
  const s = ns.sysctls;
  const maxmsg = attr?.maxmsg ?? Math.min(s.msgMax, s.msgDefault);
  const msgsize = attr?.msgsize ?? Math.min(s.msgsizeMax, s.msgsizeDefault);
  if (maxmsg <= 0 || msgsize <= 0) return EINVAL;
  if (capable(task)) {
    if (maxmsg > HARD_MSGMAX || msgsize > HARD_MSGSIZEMAX) return EINVAL;
  } else if (maxmsg > s.msgMax || msgsize > s.msgsizeMax) {
    return EINVAL;
  }
  const bytes = maxmsg * msgsize + maxmsg * MSG_MSG_SIZE + Math.min(maxmsg, MQ_PRIO_MAX) * TREE_NODE_SIZE;
  const limit = task.rlimits[RLIMIT_MSGQUEUE]?.[0] ?? Number.POSITIVE_INFINITY;
  if (!ns.charge(task.creds.uid, bytes, limit)) return EMFILE;
  return { maxmsg, msgsize, bytes };
}

/**
 * prepare_open: the queue named `name` (already checked), created when O_CREAT asks for it. Returns
 * the queue or the errno.
 */
export function openQueue(
  kernel: Kernel,
  task: Task,
  name: Uint8Array,
  oflag: number,
  mode: number,
  attr: MqCreateAttr | undefined,
): MessageQueue | number {
  const ns = mqNamespaceOf(kernel);
  const key = nameKey(name);
  const existing = ns.queues.get(key);
  if (existing === undefined) {
    if (!(oflag & O_CREAT)) return ENOENT;
    if (ns.count >= ns.sysctls.queuesMax && !capable(task)) return ENOSPC;
    const size = sizeQueue(ns, task, attr);
    if (typeof size === 'number') return size;
    const q = new MessageQueue(
      kernel,
      key,
      vfsOf(kernel).anonIno(),
      mode & ~task.fs.umask & 0o7777,
      task.creds.fsuid,
      task.creds.fsgid,
      size.maxmsg,
      size.msgsize,
      { uid: task.creds.uid, bytes: size.bytes },
    );
    ns.count++;
    ns.queues.set(key, q);
    ns.live.add(q);
    return q;
  }
  if ((oflag & (O_CREAT | O_EXCL)) === (O_CREAT | O_EXCL)) return EEXIST;
  const acc = oflag & O_ACCMODE;
  if (acc === O_ACCMODE) return EINVAL;
  const want = acc === O_RDONLY ? 4 : acc === O_WRONLY ? 2 : 6;
  return permitted(task, existing, want) ? existing : EACCES;
}

/** mq_unlink after the name check: vfs_unlink in the sticky, root-owned mqueue root. */
export function unlinkQueue(kernel: Kernel, task: Task, name: Uint8Array): number {
  const ns = mqNamespaceOf(kernel);
  const key = nameKey(name);
  const q = ns.queues.get(key);
  if (q === undefined) return ENOENT;
  // check_sticky: the root is 01777 and root's; others may remove only their own queues.
  if (task.creds.fsuid !== 0 && task.creds.fsuid !== q.uid && !capable(task)) return EPERM;
  ns.queues.delete(key);
  q.nlink = 0;
  q.touch('ac');
  ns.evictIfUnused(q);
  return 0;
}
