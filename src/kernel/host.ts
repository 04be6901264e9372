import type { HostFs } from './fs/host-fs.js';
import type { HostNet } from './net/host-net.js';

/**
 * Everything the emulated kernel needs from the machine it runs on. host/node/ implements it with
 * node:*; nothing under kernel/ imports Node.
 */
export interface Host {
  readonly fs: HostFs;
  /** Host sockets for AF_INET/AF_INET6 and AF_UNIX socket inodes (kernel/net/); absent: those calls fail. */
  readonly net?: HostNet;
  /** CLOCK_REALTIME as whole seconds and nanoseconds. */
  realtime(): { sec: number; nsec: number };
  /** CLOCK_MONOTONIC in nanoseconds since an arbitrary start (exact below 2^53 ns ≈ 104 days). */
  monotonicNs(): number;
  /** CPU time used by the emulator process, in nanoseconds (for the CPU-time clocks). */
  cpuTimeNs(): number;
  /** Fills dst with cryptographically random bytes (when no --seed was given). */
  randomBytes(dst: Uint8Array): void;
  /** Host facts uname() reports (release, nodename) and the user's ids. */
  readonly nodename: string;
  readonly uid: number;
  readonly gid: number;
  /** Resolves after the host's event loop has run pending events (timers, I/O): the scheduler's host turn. */
  yieldToHost(): Promise<void>;
  /** Writes diagnostic text (the trace) to the emulator's stderr. */
  traceWrite(text: string): void;
}
