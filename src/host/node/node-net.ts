/**
 * HostNet over node:net and node:dgram: the guest's TCP and UDP sockets become host sockets, and an
 * AF_UNIX bind leaves a real socket inode in the host directory.
 *
 * Policy (kernel/net/README.md): by default every address is reachable, as with qemu-aarch64. With
 * `policy: 'loopback'` only the loopback addresses are: a connect or send elsewhere fails with
 * ENETUNREACH, a bind to a wildcard address binds loopback, a bind to another address EADDRNOTAVAIL.
 *
 * Socket inodes: libuv can only make one by binding a listening socket, and it unlinks the path when
 * that socket closes. So the inode is made under a temporary name in the same directory (a short
 * relative name after a chdir when the full path would not fit in sun_path), renamed into place,
 * and the listening socket closed: what stays is an inode nobody listens on, as Linux leaves after
 * bind(2).
 */
import type * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import type * as net from 'node:net';
import { ERRNO } from '../../kernel/abi/errno.js';
import type {
  HostInetAddr,
  HostNet,
  HostTcpConnection,
  HostTcpEvents,
  HostTcpListener,
  HostTcpOptions,
  HostTcpStream,
  HostUdpEvents,
  HostUdpSocket,
} from '../../kernel/net/host-net.js';
import { lazyBuiltin } from './lazy-builtin.js';
import { errnoOf } from './node-fs.js';

/** Loaded by the first socket: most programs never open one (lazy-builtin.ts). */
const netModule = lazyBuiltin<typeof net>('node:net');
const dgramModule = lazyBuiltin<typeof dgram>('node:dgram');

const EEXIST = -ERRNO.EEXIST;
const EISCONN = -ERRNO.EISCONN;
const ENAMETOOLONG = -ERRNO.ENAMETOOLONG;
const ENETUNREACH = -ERRNO.ENETUNREACH;
const EADDRNOTAVAIL = -ERRNO.EADDRNOTAVAIL;
const EACCES = -ERRNO.EACCES;

/** sun_path holds 108 bytes including the terminating NUL. */
const SUN_PATH_MAX = 107;

export type NetPolicy = 'all' | 'loopback';

export interface NodeNetOptions {
  readonly policy?: NetPolicy;
}

function isLoopback(a: HostInetAddr): boolean {
  const s = a.address.toLowerCase();
  if (a.family === 4 || s.startsWith('::ffff:')) return s.replace(/^::ffff:/, '').startsWith('127.');
  return s === '::1';
}

function isWildcard(a: HostInetAddr): boolean {
  return a.address === '0.0.0.0' || a.address === '::' || a.address === '::ffff:0.0.0.0';
}

function familyOf(f: unknown): 4 | 6 {
  return f === 'IPv6' || f === 6 ? 6 : 4;
}

function copy(b: Buffer): Uint8Array {
  return Uint8Array.prototype.slice.call(b);
}

/** A connected net.Socket as a HostTcpStream reporting to ev. */
function wrapStream(sock: net.Socket, ev: HostTcpEvents): HostTcpStream {
  sock.on('data', (b: Buffer) => ev.data(copy(b)));
  sock.on('end', () => ev.end());
  sock.on('error', (e) => ev.error(errnoOf(e)));
  sock.on('close', () => ev.closed());
  return {
    write(data) {
      // Every flushed write reports: the kernel waits for the queue to shrink below its own limit.
      sock.write(data, () => ev.drain());
    },
    get queued() {
      return sock.writableLength;
    },
    shutdownWrite() {
      sock.end();
    },
    close(reset) {
      if (reset) {
        sock.resetAndDestroy();
        return;
      }
      sock.end();
      if (sock.writableFinished) sock.destroy();
      else sock.once('finish', () => sock.destroy());
    },
    pause: () => sock.pause(),
    resume: () => sock.resume(),
    setNoDelay: (on) => sock.setNoDelay(on),
    setKeepAlive: (on, idleSec) => sock.setKeepAlive(on, idleSec * 1000),
    localAddress() {
      if (sock.localAddress === undefined || sock.localPort === undefined) return undefined;
      return { family: familyOf(sock.localFamily), address: sock.localAddress, port: sock.localPort };
    },
    remoteAddress() {
      if (sock.remoteAddress === undefined || sock.remotePort === undefined) return undefined;
      return { family: familyOf(sock.remoteFamily), address: sock.remoteAddress, port: sock.remotePort };
    },
  };
}

export class NodeNet implements HostNet {
  private readonly policy: NetPolicy;
  private tmpCounter = 0;

  constructor(opts: NodeNetOptions = {}) {
    this.policy = opts.policy ?? 'all';
  }

  /** A destination the policy allows (0 or -ENETUNREACH). */
  private reachable(a: HostInetAddr): number {
    return this.policy === 'all' || isLoopback(a) || isWildcard(a) ? 0 : ENETUNREACH;
  }

  /** A local address the policy allows, with wildcards narrowed to loopback under 'loopback'. */
  private bindable(a: HostInetAddr): HostInetAddr | number {
    if (this.policy === 'all' || isLoopback(a)) return a;
    if (isWildcard(a)) return { ...a, address: a.family === 4 || a.address.includes('.') ? '127.0.0.1' : '::1' };
    return EADDRNOTAVAIL;
  }

  makeSocketNode(hostPath: string): number {
    const target = Buffer.from(hostPath, 'latin1');
    try {
      fs.lstatSync(target);
      return EEXIST;
    } catch (e) {
      if ((e as { code?: unknown }).code !== 'ENOENT') return errnoOf(e);
    }
    const slash = hostPath.lastIndexOf('/');
    const dir = slash <= 0 ? '/' : hostPath.slice(0, slash);
    const name = `.compat64-sock-${process.pid}-${this.tmpCounter++}`;
    const tmpAbs = `${dir === '/' ? '' : dir}/${name}`;
    const dirText = Buffer.from(dir, 'latin1').toString('utf8');
    const useChdir = Buffer.byteLength(tmpAbs, 'latin1') > SUN_PATH_MAX;
    if (useChdir && Buffer.from(dirText, 'utf8').toString('latin1') !== dir) return ENAMETOOLONG;
    const oldCwd = process.cwd();
    const server = netModule().createServer();
    server.on('error', () => {});
    try {
      if (useChdir) process.chdir(dirText);
      server.listen(useChdir ? name : Buffer.from(tmpAbs, 'latin1').toString('utf8'));
      if (!server.listening) {
        try {
          fs.accessSync(Buffer.from(dir, 'latin1'), fs.constants.W_OK | fs.constants.X_OK);
        } catch (e) {
          return errnoOf(e);
        }
        return EACCES;
      }
      try {
        fs.renameSync(Buffer.from(tmpAbs, 'latin1'), target);
      } catch (e) {
        return errnoOf(e);
      }
      return 0;
    } catch (e) {
      return errnoOf(e);
    } finally {
      // Closing unlinks the temporary name (relative to the cwd we are still in), gone after the rename.
      server.close();
      if (useChdir) process.chdir(oldCwd);
    }
  }

  tcpListen(local: HostInetAddr, opts: HostTcpOptions): Promise<HostTcpListener | number> {
    const at = this.bindable(local);
    if (typeof at === 'number') return Promise.resolve(at);
    return new Promise((resolve) => {
      let handler: HostTcpConnection | undefined;
      const server = netModule().createServer({ allowHalfOpen: true });
      server.on('connection', (sock) => {
        if (handler === undefined) {
          sock.resetAndDestroy();
          return;
        }
        handler((ev) => wrapStream(sock, ev));
      });
      const failed = (e: unknown): void => resolve(errnoOf(e));
      server.once('error', failed);
      const listener: HostTcpListener = {
        localAddress() {
          const a = server.address();
          if (a === null || typeof a === 'string') return { family: at.family, address: at.address, port: 0 };
          return { family: familyOf(a.family), address: a.address, port: a.port };
        },
        onConnection(h) {
          handler = h;
        },
        close() {
          server.close();
        },
      };
      server.listen({ host: at.address, port: at.port, ipv6Only: opts.ipv6Only, exclusive: true, backlog: 511 }, () => {
        server.off('error', failed);
        server.on('error', () => {});
        resolve(listener);
      });
    });
  }

  tcpConnect(
    remote: HostInetAddr,
    local: HostInetAddr | undefined,
    _opts: HostTcpOptions,
    events: HostTcpEvents,
  ): HostTcpStream | number {
    const ok = this.reachable(remote);
    if (ok < 0) return ok;
    let from = local;
    if (from !== undefined) {
      const b = this.bindable(from);
      if (typeof b === 'number') return b;
      from = b;
    }
    let sock: net.Socket;
    try {
      sock = netModule().connect({
        host: remote.address,
        port: remote.port,
        family: remote.family,
        localAddress: from?.address,
        localPort: from?.port || undefined,
        allowHalfOpen: true,
      });
    } catch (e) {
      return errnoOf(e);
    }
    sock.once('connect', () => events.connected());
    return wrapStream(sock, events);
  }

  udpBind(
    local: HostInetAddr,
    opts: HostTcpOptions & { readonly reuseAddr: boolean },
    events: HostUdpEvents,
  ): Promise<HostUdpSocket | number> {
    const at = this.bindable(local);
    if (typeof at === 'number') return Promise.resolve(at);
    const reachable = (a: HostInetAddr): number => this.reachable(a);
    return new Promise((resolve) => {
      let sock: dgram.Socket;
      try {
        sock = dgramModule().createSocket({
          type: at.family === 4 ? 'udp4' : 'udp6',
          ipv6Only: opts.ipv6Only,
          reuseAddr: opts.reuseAddr,
        });
      } catch (e) {
        resolve(errnoOf(e));
        return;
      }
      let peer: HostInetAddr | undefined;
      const failed = (e: unknown): void => {
        sock.close();
        resolve(errnoOf(e));
      };
      sock.once('error', failed);
      sock.on('message', (msg, rinfo) =>
        events.message(copy(msg), { family: familyOf(rinfo.family), address: rinfo.address, port: rinfo.port }),
      );
      const handle: HostUdpSocket = {
        localAddress() {
          const a = sock.address();
          return { family: familyOf(a.family), address: a.address, port: a.port };
        },
        send(data, to) {
          return new Promise((done) => {
            const cb = (err: Error | null, bytes?: number): void => done(err ? errnoOf(err) : (bytes ?? data.length));
            try {
              if (to === undefined) {
                sock.send(data, cb);
                return;
              }
              const r = reachable(to);
              if (r < 0) {
                done(r);
                return;
              }
              if (peer !== undefined) {
                // A connected host socket sends only to its peer.
                if (to.address === peer.address && to.port === peer.port) sock.send(data, cb);
                else done(EISCONN);
                return;
              }
              sock.send(data, to.port, to.address, cb);
            } catch (e) {
              done(errnoOf(e));
            }
          });
        },
        connect(to) {
          const r = reachable(to);
          if (r < 0) return Promise.resolve(r);
          return new Promise((done) => {
            try {
              sock.connect(to.port, to.address, (err?: Error) => {
                if (err === undefined || err === null) peer = to;
                done(err ? errnoOf(err) : 0);
              });
            } catch (e) {
              done(errnoOf(e));
            }
          });
        },
        disconnect() {
          if (peer === undefined) return;
          peer = undefined;
          try {
            sock.disconnect();
          } catch {
            // not connected after all
          }
        },
        setBroadcast(on) {
          try {
            sock.setBroadcast(on);
          } catch {
            // the host refuses: the option stays recorded in the kernel only
          }
        },
        setTtl(ttl) {
          try {
            sock.setTTL(ttl);
          } catch {
            // out of the host's range
          }
        },
        close() {
          try {
            sock.close();
          } catch {
            // already closed
          }
        },
      };
      sock.bind({ address: at.address, port: at.port, exclusive: true }, () => {
        sock.off('error', failed);
        sock.on('error', (e) => events.error(errnoOf(e)));
        resolve(handle);
      });
    });
  }
}
