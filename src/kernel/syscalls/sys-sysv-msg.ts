/**
 * System V message queues: msgget, msgsnd, msgrcv, msgctl (ipc/msg.c, Linux 6.1). The queues live
 * in kernel/ipc/msg-queue.ts. The handlers follow the calling ABI as Linux's compat entry points do:
 * a compat msgbuf starts with a 32-bit mtype (compat_long_t) and msgsz is a signed 32-bit
 * compat_ssize_t; compat msgctl is arm64's compat_sys_old_msgctl, so IPC_64 in cmd picks
 * compat_msqid64_ds and its absence the old compat_msqid_ds (16-bit ids and counters).
 */
import { ERRNO, KERNEL_ERRNO } from '../abi/errno.js';
import { type FieldSpecs, ILP32_EABI, LP64, layoutOf, type StructLayout } from '../abi/layout.js';
import { readStruct, structBytes } from '../abi/marshal.js';
import {
  IPC_64,
  IPC_INFO,
  IPC_NOWAIT,
  IPC_RMID,
  IPC_SET,
  IPC_STAT,
  type IpcCaller,
  ipcCaller,
} from '../ipc/ipc-ids.js';
import { compat_msqid_ds, compat_msqid64_ds, lowUid, msginfo, msqid64_ds } from '../ipc/ipc-layouts.js';
import {
  MSG_COPY,
  MSG_EXCEPT,
  MSG_NOERROR,
  MSGMAP,
  MSGPOOL,
  MSGSEG,
  MSGSSZ,
  MSGTQL,
  type Message,
  type MsgNamespace,
  type MsgQueue,
  msgNamespaceOf,
  type Receiver,
  SearchMode,
  searchMode,
} from '../ipc/msg-queue.js';
import { INTERRUPTED, waitInterruptible } from '../task/signal-wait.js';
import type { SyscallContext, SyscallSpec } from './syscall-types.js';
import { copyIn, copyOut } from './uaccess.js';

const EINVAL = -ERRNO.EINVAL;
const EFAULT = -ERRNO.EFAULT;
const EACCES = -ERRNO.EACCES;
const EPERM = -ERRNO.EPERM;
const EIDRM = -ERRNO.EIDRM;
const EAGAIN = -ERRNO.EAGAIN;
const ENOMSG = -ERRNO.ENOMSG;
const E2BIG = -ERRNO.E2BIG;
const ERESTARTNOHAND = -KERNEL_ERRNO.ERESTARTNOHAND;

const MSG_STAT = 11;
const MSG_INFO = 12;
const MSG_STAT_ANY = 13;
const INT_MAX = 0x7fffffff;
const S_IRUGO = 0o444;
const S_IWUGO = 0o222;

function now(ctx: SyscallContext): number {
  return ctx.kernel.host.realtime().sec;
}

/** mtype's width in a msgbuf: long (8 bytes natively, 4 in a compat call). */
function mtypeSize(ctx: SyscallContext): number {
  return ctx.compat ? 4 : 8;
}

/** msgsz/bufsz: size_t natively, compat_ssize_t (signed 32-bit) in a compat call. */
function signedSize(ctx: SyscallContext, v: number): number {
  return ctx.compat ? v | 0 : v >= 2 ** 63 ? -1 : v;
}

function sysMsgget(ctx: SyscallContext, a: readonly number[]): number {
  const [key, flags] = a as [number, number];
  return msgNamespaceOf(ctx.kernel).get(key, flags, ipcCaller(ctx.task), now(ctx));
}

/** msgsnd(msqid, msgp, msgsz, msgflg): ksys_msgsnd / compat_ksys_msgsnd, then do_msgsnd. */
function sysMsgsnd(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  const [msqid, msgp, size0, msgflg] = a as [number, number, number, number];
  const ns = msgNamespaceOf(ctx.kernel);
  const tsize = mtypeSize(ctx);
  const tb = copyIn(ctx.mem, msgp, tsize);
  if (tb === null) return EFAULT;
  const dv = new DataView(tb.buffer);
  const type = tsize === 4 ? dv.getInt32(0, true) : Number(dv.getBigInt64(0, true));
  const size = signedSize(ctx, size0);
  if (size > ns.ctlmax || size < 0 || msqid < 0) return EINVAL;
  if (type < 1) return EINVAL;
  const text = copyIn(ctx.mem, msgp + tsize, size);
  if (text === null) return EFAULT;
  const q = ns.ids.byId(msqid);
  if (q === undefined) return EINVAL;
  const who = ipcCaller(ctx.task);
  const r = trySend(q, who, size, msgflg);
  if (r === 'wait') return sendBlocking(ctx, q, who, { type, text }, msgflg);
  if (r === 0) q.deliver({ type, text }, who.pid, now(ctx));
  return r;
}

/** One pass of do_msgsnd's loop: 0 when the message fits, 'wait' when the sender must sleep. */
function trySend(q: MsgQueue, who: IpcCaller, size: number, msgflg: number): number | 'wait' {
  if (!q.perm.permits(who, S_IWUGO)) return EACCES;
  if (!q.perm.valid) return EIDRM;
  if (q.fits(size)) return 0;
  return msgflg & IPC_NOWAIT ? EAGAIN : 'wait';
}

async function sendBlocking(
  ctx: SyscallContext,
  q: MsgQueue,
  who: IpcCaller,
  msg: Message,
  msgflg: number,
): Promise<number> {
  for (;;) {
    const w = await waitInterruptible(ctx.task, q.senders.wait());
    if (!q.perm.valid) return EIDRM;
    // A signal ends the sleep: restarted when no handler runs (msgsnd is not SA_RESTART-able).
    if (w === INTERRUPTED) return ERESTARTNOHAND;
    const r = trySend(q, who, msg.text.length, msgflg);
    if (r === 'wait') continue;
    if (r === 0) q.deliver(msg, who.pid, now(ctx));
    return r;
  }
}

/** msgrcv(msqid, msgp, msgsz, msgtyp, msgflg): ksys_msgrcv / compat_ksys_msgrcv, then do_msgrcv. */
function sysMsgrcv(ctx: SyscallContext, a: readonly number[]): number | Promise<number> {
  const [msqid, msgp, size0, msgtyp, msgflg] = a as [number, number, number, number, number];
  const ns = msgNamespaceOf(ctx.kernel);
  const bufsz = signedSize(ctx, size0);
  if (msqid < 0 || bufsz < 0) return EINVAL;
  if (msgflg & MSG_COPY) {
    if (msgflg & MSG_EXCEPT || !(msgflg & IPC_NOWAIT)) return EINVAL;
    // prepare_copy: load_msg reads min(bufsz, msgmax) bytes from the user buffer.
    if (copyIn(ctx.mem, msgp, Math.min(bufsz, ns.ctlmax)) === null) return EFAULT;
  }
  const sel = searchMode(msgtyp, msgflg);
  const q = ns.ids.byId(msqid);
  if (q === undefined) return EINVAL;
  const who = ipcCaller(ctx.task);
  const r = tryReceive(ctx, q, who, sel, bufsz, msgflg);
  if (r !== 'wait') return typeof r === 'number' ? r : fill(ctx, msgp, r, bufsz);
  return receiveBlocking(ctx, q, who, sel, msgp, bufsz, msgflg);
}

/** One pass of do_msgrcv's loop: a message, an errno, or 'wait'. */
function tryReceive(
  ctx: SyscallContext,
  q: MsgQueue,
  who: IpcCaller,
  sel: { type: number; mode: SearchMode },
  bufsz: number,
  msgflg: number,
): Message | number | 'wait' {
  if (!q.perm.permits(who, S_IRUGO)) return EACCES;
  if (!q.perm.valid) return EIDRM;
  const i = q.find(sel);
  if (i >= 0) {
    const m = q.messages[i]!;
    if (bufsz < m.text.length && !(msgflg & MSG_NOERROR)) return E2BIG;
    // copy_msg: the copy buffer (bufsz bytes) must hold the whole message.
    if (sel.mode === SearchMode.Number) return bufsz < m.text.length ? EINVAL : m;
    return q.take(i, who.pid, now(ctx));
  }
  return msgflg & IPC_NOWAIT ? ENOMSG : 'wait';
}

async function receiveBlocking(
  ctx: SyscallContext,
  q: MsgQueue,
  who: IpcCaller,
  sel: { type: number; mode: SearchMode },
  msgp: number,
  bufsz: number,
  msgflg: number,
): Promise<number> {
  for (;;) {
    let wake!: () => void;
    const woken = new Promise<void>((resolve) => {
      wake = resolve;
    });
    const rcv: Receiver = {
      type: sel.type,
      mode: sel.mode,
      maxSize: msgflg & MSG_NOERROR ? INT_MAX : bufsz,
      pid: who.pid,
      result: undefined,
      wake,
    };
    q.receivers.push(rcv);
    const w = await waitInterruptible(ctx.task, woken);
    const got = rcv.result;
    if (got === undefined) {
      q.removeReceiver(rcv);
      if (w === INTERRUPTED) return ERESTARTNOHAND;
    } else if (typeof got !== 'number') return fill(ctx, msgp, got, bufsz);
    else if (got !== EAGAIN) return got;
    sel.type = rcv.type;
    const r = tryReceive(ctx, q, who, sel, bufsz, msgflg);
    if (r !== 'wait') return typeof r === 'number' ? r : fill(ctx, msgp, r, bufsz);
  }
}

/** do_msg_fill / compat_do_msg_fill: mtype (long or compat_long_t), then min(bufsz, size) bytes. */
function fill(ctx: SyscallContext, msgp: number, m: Message, bufsz: number): number {
  const tsize = mtypeSize(ctx);
  const tb = new Uint8Array(tsize);
  const dv = new DataView(tb.buffer);
  if (tsize === 4) dv.setInt32(0, m.type, true);
  else dv.setBigInt64(0, BigInt(m.type), true);
  if (!copyOut(ctx.mem, msgp, tb)) return EFAULT;
  const n = Math.min(bufsz, m.text.length);
  return copyOut(ctx.mem, msgp + tsize, m.text, 0, n) ? n : EFAULT;
}

/** msgctl: ksys_msgctl natively (always IPC_64), compat_ksys_old_msgctl in a compat call. */
function sysMsgctl(ctx: SyscallContext, a: readonly number[]): number {
  const [msqid, cmd0, buf] = a as [number, number, number];
  let cmd = cmd0;
  let version = IPC_64;
  if (ctx.compat) {
    version = cmd & IPC_64;
    cmd &= ~IPC_64;
  }
  if (msqid < 0 || cmd < 0) return EINVAL;
  const ns = msgNamespaceOf(ctx.kernel);
  const who = ipcCaller(ctx.task);
  switch (cmd) {
    case IPC_INFO:
    case MSG_INFO: {
      const b = infoBytes(ns, cmd);
      const max = ns.ids.maxIndex();
      return copyOut(ctx.mem, buf, b) ? Math.max(max, 0) : EFAULT;
    }
    case MSG_STAT:
    case MSG_STAT_ANY:
    case IPC_STAT: {
      const q = cmd === IPC_STAT ? ns.ids.byId(msqid) : ns.ids.byIndex(msqid);
      if (q === undefined) return EINVAL;
      if (cmd !== MSG_STAT_ANY && !q.perm.permits(who, S_IRUGO)) return EACCES;
      const b = statBytes(ctx, q, version);
      if (!copyOut(ctx.mem, buf, b)) return EFAULT;
      return cmd === IPC_STAT ? 0 : q.perm.id;
    }
    case IPC_SET: {
      const set = readSet(ctx, buf, version);
      if (set === null) return EFAULT;
      const q = ns.ids.byId(msqid);
      if (q === undefined) return EINVAL;
      if (!q.perm.ownedBy(who)) return EPERM;
      // CAP_SYS_RESOURCE (uid 0 here) may raise q_qbytes above msgmnb.
      if (set.qbytes > ns.ctlmnb && !who.privileged) return EPERM;
      const err = q.perm.update(set.uid, set.gid, set.mode);
      if (err < 0) return err;
      q.set(set.qbytes, now(ctx));
      return 0;
    }
    case IPC_RMID: {
      const q = ns.ids.byId(msqid);
      if (q === undefined) return EINVAL;
      if (!q.perm.ownedBy(who)) return EPERM;
      ns.remove(q);
      return 0;
    }
    default:
      return EINVAL;
  }
}

/** msgctl_info: struct msginfo (the same ints in both ABIs). */
function infoBytes(ns: MsgNamespace, cmd: number): Uint8Array {
  const full = cmd === MSG_INFO;
  return structBytes(layoutOf(msginfo, LP64), {
    msgpool: full ? ns.ids.inUse : MSGPOOL,
    msgmap: full ? Math.min(ns.headers, INT_MAX) : MSGMAP,
    msgmax: ns.ctlmax,
    msgmnb: ns.ctlmnb,
    msgmni: ns.ctlmni,
    msgssz: MSGSSZ,
    msgtql: full ? Math.min(ns.bytes, INT_MAX) : MSGTQL,
    msgseg: MSGSEG,
  });
}

/** msgctl_stat then copy_msqid_to_user / copy_compat_msqid_to_user. */
function statBytes(ctx: SyscallContext, q: MsgQueue, version: number): Uint8Array {
  const p = q.perm;
  const perm = {
    key: p.key | 0,
    uid: p.uid,
    gid: p.gid,
    cuid: p.cuid,
    cgid: p.cgid,
    mode: p.mode,
    seq: p.seq & 0xffff,
  };
  if (!ctx.compat) {
    return structBytes(layoutOf(msqid64_ds, LP64), {
      msg_perm: perm,
      msg_stime: q.stime,
      msg_rtime: q.rtime,
      msg_ctime: q.ctime,
      msg_cbytes: q.cbytes,
      msg_qnum: q.qnum,
      msg_qbytes: q.qbytes,
      msg_lspid: q.lspid,
      msg_lrpid: q.lrpid,
    });
  }
  if (version === IPC_64) {
    return structBytes(layoutOf(compat_msqid64_ds, ILP32_EABI), {
      msg_perm: perm,
      msg_stime: q.stime % 2 ** 32,
      msg_stime_high: Math.floor(q.stime / 2 ** 32),
      msg_rtime: q.rtime % 2 ** 32,
      msg_rtime_high: Math.floor(q.rtime / 2 ** 32),
      msg_ctime: q.ctime % 2 ** 32,
      msg_ctime_high: Math.floor(q.ctime / 2 ** 32),
      msg_cbytes: q.cbytes,
      msg_qnum: q.qnum,
      msg_qbytes: q.qbytes,
      msg_lspid: q.lspid,
      msg_lrpid: q.lrpid,
    });
  }
  return structBytes(layoutOf(compat_msqid_ds, ILP32_EABI), {
    msg_perm: { ...perm, uid: lowUid(p.uid), gid: lowUid(p.gid), cuid: lowUid(p.cuid), cgid: lowUid(p.cgid) },
    msg_stime: q.stime | 0,
    msg_rtime: q.rtime | 0,
    msg_ctime: q.ctime | 0,
    msg_cbytes: q.cbytes & 0xffff,
    msg_qnum: q.qnum & 0xffff,
    msg_qbytes: q.qbytes & 0xffff,
    msg_lspid: q.lspid & 0xffff,
    msg_lrpid: q.lrpid & 0xffff,
  });
}

/** copy_msqid_from_user / copy_compat_msqid_from_user: what IPC_SET takes (null on a fault). */
function readSet(
  ctx: SyscallContext,
  buf: number,
  version: number,
): { uid: number; gid: number; mode: number; qbytes: number } | null {
  const layout = !ctx.compat
    ? layoutOf(msqid64_ds, LP64)
    : version === IPC_64
      ? layoutOf(compat_msqid64_ds, ILP32_EABI)
      : layoutOf(compat_msqid_ds, ILP32_EABI);
  const raw = copyIn(ctx.mem, buf, layout.size);
  if (raw === null) return null;
  const v = readStruct(layout as StructLayout<FieldSpecs>, new DataView(raw.buffer), 0) as Record<string, unknown>;
  const perm = v.msg_perm as Record<string, number | bigint>;
  return {
    uid: Number(perm.uid),
    gid: Number(perm.gid),
    mode: Number(perm.mode),
    qbytes: Number(v.msg_qbytes as number | bigint),
  };
}

export const SYSV_MSG_SYSCALLS: readonly SyscallSpec[] = [
  { name: 'msgget', args: ['int', 'int'], handler: sysMsgget, compatAware: true },
  { name: 'msgsnd', args: ['int', 'ptr', 'size', 'int'], handler: sysMsgsnd, compatAware: true },
  { name: 'msgrcv', args: ['int', 'ptr', 'size', 'long', 'int'], handler: sysMsgrcv, compatAware: true },
  { name: 'msgctl', args: ['int', 'int', 'ptr'], handler: sysMsgctl, compatAware: true },
];
