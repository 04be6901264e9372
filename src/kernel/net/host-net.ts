/**
 * What the socket layer needs from the host (implemented by host/node/node-net.ts with node:net and
 * node:dgram): TCP and UDP sockets on the host's network stack, and socket inodes in the host file
 * system for AF_UNIX sockets bound to a path.
 *
 * The interface is small and event-driven: the host calls the kernel back (data arrived, connected,
 * an error) and the kernel queues what it is told and wakes its wait queues. Nothing here blocks:
 * operations that take a round trip through the host's event loop (bind, UDP send) return promises.
 * Errors are negative Linux errno values (-ECONNREFUSED, -EADDRINUSE, …), as everywhere in the kernel.
 *
 * Which addresses may be reached is the host's policy (docs in kernel/net/README.md): an operation
 * the policy refuses fails with -ENETUNREACH (connect, send) or -EADDRNOTAVAIL (bind).
 */

/** An IP endpoint in the host socket API's terms. */
export interface HostInetAddr {
  readonly family: 4 | 6;
  /** Numeric text: "127.0.0.1", "::1", "::ffff:127.0.0.1" (no zone suffix). */
  readonly address: string;
  readonly port: number;
}

/** What a host TCP connection reports, in the order it happens. */
export interface HostTcpEvents {
  /** An outgoing connection is established (never called for accepted connections). */
  connected(): void;
  /** Bytes arrived (the kernel owns the array). */
  data(bytes: Uint8Array): void;
  /** The peer closed its sending side (FIN): no more data after what was delivered. */
  end(): void;
  /** The connection failed or broke: -ECONNREFUSED, -ECONNRESET, -ETIMEDOUT, -EPIPE, -ENETUNREACH… */
  error(errno: number): void;
  /** The host's write queue shrank (after write() made it grow past what the kernel allows). */
  drain(): void;
  /** The host socket is closed for good (after end/error, or after close()). */
  closed(): void;
}

export interface HostTcpStream {
  /** Queues bytes for sending (the host keeps the array until it is sent). */
  write(data: Uint8Array): void;
  /** Bytes given to write() that the host has not yet handed to its own kernel. */
  readonly queued: number;
  /** shutdown(SHUT_WR): a FIN after the queued bytes. */
  shutdownWrite(): void;
  /** Closes the connection: after the queued bytes (FIN), or at once with a reset (RST). */
  close(reset: boolean): void;
  /** Stops and restarts reading from the host (flow control while the guest does not read). */
  pause(): void;
  resume(): void;
  setNoDelay(on: boolean): void;
  setKeepAlive(on: boolean, idleSec: number): void;
  localAddress(): HostInetAddr | undefined;
  remoteAddress(): HostInetAddr | undefined;
}

/** Called for each connection a listener takes; `open` attaches the kernel's event handlers at once. */
export type HostTcpConnection = (open: (events: HostTcpEvents) => HostTcpStream) => void;

export interface HostTcpListener {
  localAddress(): HostInetAddr;
  /** Where connections go from now on; before the first call they are refused (reset). */
  onConnection(handler: HostTcpConnection | undefined): void;
  close(): void;
}

export interface HostTcpOptions {
  /** IPV6_V6ONLY for a family-6 endpoint. */
  readonly ipv6Only: boolean;
}

export interface HostUdpEvents {
  message(data: Uint8Array, from: HostInetAddr): void;
  /** An asynchronous error (ICMP port unreachable on a connected socket: -ECONNREFUSED). */
  error(errno: number): void;
}

export interface HostUdpSocket {
  localAddress(): HostInetAddr;
  /** Sends one datagram to `to`, or to the connected peer when undefined; bytes sent or -errno. */
  send(data: Uint8Array, to: HostInetAddr | undefined): Promise<number>;
  /** Fixes the peer (the host then filters what it receives); 0 or -errno. */
  connect(to: HostInetAddr): Promise<number>;
  disconnect(): void;
  setBroadcast(on: boolean): void;
  setTtl(ttl: number): void;
  close(): void;
}

export interface HostNet {
  /**
   * Creates a socket inode (S_IFSOCK) at hostPath, as bind(2) of an AF_UNIX socket leaves one, with
   * no host process listening on it. 0, or -EEXIST, -EACCES, -ENOENT, -ENAMETOOLONG…
   */
  makeSocketNode(hostPath: string): number;
  /** A TCP socket bound to local and listening (SO_REUSEADDR on); port 0 picks a free port. */
  tcpListen(local: HostInetAddr, opts: HostTcpOptions): Promise<HostTcpListener | number>;
  /** Starts a TCP connection (from local when given); the outcome arrives as connected or error. */
  tcpConnect(
    remote: HostInetAddr,
    local: HostInetAddr | undefined,
    opts: HostTcpOptions,
    events: HostTcpEvents,
  ): HostTcpStream | number;
  /** A UDP socket bound to local (port 0: any free port). */
  udpBind(
    local: HostInetAddr,
    opts: HostTcpOptions & { readonly reuseAddr: boolean },
    events: HostUdpEvents,
  ): Promise<HostUdpSocket | number>;
}
