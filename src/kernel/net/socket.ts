/**
 * A socket (Linux's struct socket + struct sock, reached through a struct file of sockfs): the open
 * file description every socket family shares, with the state and options of net/core/sock.c. The
 * families (unix-socket.ts, tcp-socket.ts, udp-socket.ts) implement the protocol operations.
 *
 * read(2) and write(2) on a socket are recvmsg/sendmsg with no address and no control data, as
 * sock_read_iter/sock_write_iter make them.
 */
import { ERRNO } from '../abi/errno.js';
import { O_NONBLOCK, O_RDWR } from '../abi/fcntl.js';
import type { FileStat } from '../fs/host-fs.js';
import { makedev } from '../fs/node-stat.js';
import type { OpenFile } from '../fs/open-file.js';
import { OpenFileBase } from '../fs/open-file.js';
import { vfsOf } from '../fs/vfs.js';
import type { Kernel } from '../kernel.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import { writeU32 } from '../syscalls/uaccess.js';
import { sendSigpipe as sendTaskSigpipe } from '../task/signal-send.js';
import type { Task } from '../task/task.js';
import { WaitQueue } from '../task/wait-queue.js';
import { BufferSink, BufferSource, type MsgSink, type MsgSource } from './msg-io.js';
import { dropRights, type ScmSend, type Ucred } from './scm.js';
import { FOREVER } from './sock-wait.js';
import {
  MSG_DONTWAIT,
  MSG_EOR,
  SIOCOUTQ,
  SOCK_SEQPACKET,
  SYSCTL_RMEM_DEFAULT,
  SYSCTL_WMEM_DEFAULT,
} from './socket-abi.js';

const ESPIPE = -ERRNO.ESPIPE;
const EOPNOTSUPP = -ERRNO.EOPNOTSUPP;
const ENOPROTOOPT = -ERRNO.ENOPROTOOPT;
const EFAULT = -ERRNO.EFAULT;
const ENOTTY = -ERRNO.ENOTTY;

/** sockfs's device (an anonymous super block). */
const SOCKFS_DEV = makedev(0, 8);
const S_IFSOCK = 0o140000;

/** What sendmsg hands a protocol. */
export interface SendArgs {
  readonly src: MsgSource;
  /** The destination (msg_name / sendto's address) as the guest gave it; undefined without one. */
  readonly name: Uint8Array | undefined;
  readonly scm: ScmSend;
  /** MSG_* with MSG_DONTWAIT added for an O_NONBLOCK description. */
  readonly flags: number;
}

/** What recvmsg hands a protocol. */
export interface RecvArgs {
  readonly sink: MsgSink;
  /** MSG_* with MSG_DONTWAIT added for an O_NONBLOCK description. */
  readonly flags: number;
}

/** What a protocol's recvmsg found. */
export interface RecvResult {
  /** Bytes copied, or the whole datagram's length under MSG_TRUNC. */
  readonly n: number;
  /** MSG_TRUNC, MSG_EOR… for msg_flags. */
  readonly flags: number;
  /** The sender's address (a datagram's source; a peer's name), when the protocol gives one. */
  readonly name?: Uint8Array;
  /** SCM_CREDENTIALS to deliver (the receiving socket has SO_PASSCRED). */
  readonly creds?: Ucred;
  /** Descriptions received, each holding an in-flight reference the caller takes over. */
  readonly rights?: OpenFile[];
}

export type Maybe<T> = T | Promise<T>;

/** Who makes a socket: the kernel, and the task whose ids own its inode. */
export interface SocketEnv {
  readonly kernel: Kernel;
  readonly task: Task;
}

/** Options every socket has (struct sock's fields behind SOL_SOCKET). Timeouts in jiffies. */
export class SockOptions {
  sndbuf = SYSCTL_WMEM_DEFAULT;
  rcvbuf = SYSCTL_RMEM_DEFAULT;
  rcvtimeo = FOREVER;
  sndtimeo = FOREVER;
  reuseaddr = false;
  reuseport = false;
  keepalive = false;
  broadcast = false;
  dontroute = false;
  oobinline = false;
  debug = false;
  passcred = false;
  passsec = false;
  timestamp = false;
  rxqOvfl = false;
  noCheck = false;
  priority = 0;
  mark = 0;
  rcvlowat = 1;
  /** SO_LINGER: undefined when off, else the linger time in seconds. */
  linger: number | undefined;
  bindToDevice = '';
}

let nextCookie = 1;

export abstract class Socket extends OpenFileBase {
  readonly waitQueue = new WaitQueue();
  readonly opts = new SockOptions();
  readonly ino: number;
  /** sk_err: an error to report once (SO_ERROR, or the next call). Positive errno, 0 for none. */
  err = 0;
  /** sk_shutdown: RCV_SHUTDOWN | SEND_SHUTDOWN */
  shutdownBits = 0;
  /** SO_COOKIE */
  readonly cookie = nextCookie++;
  private readonly owner: { uid: number; gid: number };
  private readonly ctimeSec: number;

  constructor(
    env: SocketEnv,
    readonly family: number,
    readonly type: number,
    readonly protocol: number,
    flags: number,
  ) {
    const ino = vfsOf(env.kernel).anonIno();
    super((flags & O_NONBLOCK) | O_RDWR, `socket:[${ino}]`);
    this.ino = ino;
    this.owner = { uid: env.task.creds.euid, gid: env.task.creds.egid };
    this.ctimeSec = env.kernel.host.realtime().sec;
  }

  /** Takes the pending error (sock_error): a negative errno, or 0. */
  takeError(): number {
    const e = this.err;
    this.err = 0;
    return -e;
  }

  /** Something a waiter or poller might care about changed. */
  wake(): void {
    this.waitQueue.wakeAll();
  }

  /** MSG_DONTWAIT when the description is non-blocking. */
  ioFlags(flags: number): number {
    return this.flags & O_NONBLOCK ? flags | MSG_DONTWAIT : flags;
  }

  abstract bind(ctx: SyscallContext, addr: Uint8Array): Maybe<number>;
  abstract connect(ctx: SyscallContext, addr: Uint8Array): Maybe<number>;
  abstract sendmsg(ctx: SyscallContext, m: SendArgs): Maybe<number>;
  abstract recvmsg(ctx: SyscallContext, m: RecvArgs): Maybe<RecvResult | number>;
  abstract shutdown(ctx: SyscallContext, how: number): number;
  /** getsockname (peer false) / getpeername (peer true): the address bytes or -ENOTCONN. */
  abstract getname(peer: boolean): Uint8Array | number;
  /** poll's answer now (the POLL* bits). */
  abstract poll(): number;
  /** The protocol's part of close. */
  protected abstract destroy(): void;

  listen(_ctx: SyscallContext, _backlog: number): Maybe<number> {
    return EOPNOTSUPP;
  }

  /** accept4: the new connected socket (its flags already set) or an errno. */
  accept(_ctx: SyscallContext, _flags: number): Maybe<Socket | number> {
    return EOPNOTSUPP;
  }

  /** Options of levels other than SOL_SOCKET (ops->getsockopt); `len` is the caller's buffer size. */
  protoGetsockopt(_ctx: SyscallContext, _level: number, _name: number, _len: number): Uint8Array | number {
    return EOPNOTSUPP;
  }

  protoSetsockopt(_ctx: SyscallContext, _level: number, _name: number, _val: Uint8Array): Maybe<number> {
    return EOPNOTSUPP;
  }

  /** SO_PEERCRED: the peer's credentials, or undefined. */
  peerCred(): Ucred | undefined {
    return undefined;
  }

  /** Whether the socket is listening (SO_ACCEPTCONN). */
  get listening(): boolean {
    return false;
  }

  /** Bytes queued for reading (SIOCINQ/FIONREAD) and not yet sent (SIOCOUTQ). */
  abstract inq(): number;
  outq(): number {
    return 0;
  }

  /** A SOL_SOCKET option changed that the protocol applies to its host socket. */
  optionChanged(_name: number): void {}

  read(ctx: SyscallContext, dst: Uint8Array, pos: number | undefined): Maybe<number> {
    if (pos !== undefined) return ESPIPE;
    if (dst.length === 0) return 0;
    const r = this.recvmsg(ctx, { sink: new BufferSink(dst), flags: this.ioFlags(0) });
    const done = (x: RecvResult | number): number => {
      if (typeof x === 'number') return x;
      dropRights(x.rights);
      return x.n;
    };
    return r instanceof Promise ? r.then(done) : done(r);
  }

  write(ctx: SyscallContext, src: Uint8Array, pos: number | undefined): Maybe<number> {
    if (pos !== undefined) return ESPIPE;
    const eor = this.type === SOCK_SEQPACKET ? MSG_EOR : 0;
    return this.sendmsg(ctx, {
      src: new BufferSource(src),
      name: undefined,
      scm: { rights: undefined, creds: undefined },
      flags: this.ioFlags(eor),
    });
  }

  readable(): number {
    return this.inq();
  }

  ioctl(ctx: SyscallContext, cmd: number, arg: number): number {
    if (cmd === SIOCOUTQ) return writeU32(ctx.mem, arg, this.outq()) ? 0 : EFAULT;
    return ENOTTY;
  }

  stat(): FileStat {
    const t = { sec: this.ctimeSec, nsec: 0 };
    return {
      dev: SOCKFS_DEV,
      ino: this.ino,
      mode: S_IFSOCK | 0o777,
      nlink: 1,
      uid: this.owner.uid,
      gid: this.owner.gid,
      rdev: 0,
      size: 0,
      blksize: 4096,
      blocks: 0,
      atime: t,
      mtime: t,
      ctime: t,
    };
  }

  release(): void {
    this.destroy();
    this.wake();
  }
}

/** Options the generic SOL_SOCKET code does not know fall to the protocol or are ENOPROTOOPT. */
export const NO_OPTION = ENOPROTOOPT;

/** send_sig(SIGPIPE, current, 0): what a stream send into a closed connection raises unless MSG_NOSIGNAL. */
export function sendSigpipe(ctx: SyscallContext): void {
  sendTaskSigpipe(ctx.kernel, ctx.task);
}

/** Whether a value is a Socket (the syscalls' sockfd_lookup: -ENOTSOCK otherwise). */
export function isSocket(f: OpenFile | undefined): f is Socket {
  return f instanceof Socket;
}
