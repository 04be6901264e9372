/**
 * The kernel's Host on Node: clocks, randomness, identity and the trace output.
 *
 * Realtime is process.hrtime.bigint() anchored to Date.now() at start, so it has nanosecond
 * resolution and never goes backwards within a run (it does not follow host clock steps).
 * Creating a NodeHost sets the emulator's umask to 0: the guest's umask is applied by the kernel
 * (open, mkdir), and the host's must not remove more bits on top.
 */
import type * as Crypto from 'node:crypto';
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import type * as Os from 'node:os';
import type { HostFs } from '../../kernel/fs/host-fs.js';
import type { Host } from '../../kernel/host.js';
import type { HostNet } from '../../kernel/net/host-net.js';
import { lazyBuiltin } from './lazy-builtin.js';
import { NodeFs } from './node-fs.js';
import { NodeNet } from './node-net.js';

const NS_PER_S = 1_000_000_000n;
const sleepCell = new Int32Array(new SharedArrayBuffer(4));
/** Loaded only where /dev/urandom cannot be read, and for uname: see lazy-builtin.ts. */
const cryptoModule = lazyBuiltin<typeof Crypto>('node:crypto');
const osModule = lazyBuiltin<typeof Os>('node:os');

export class NodeHost implements Host {
  readonly fs: HostFs;
  /** Host sockets (node:net, node:dgram); every address reachable, as with qemu-aarch64. */
  readonly net: HostNet = new NodeNet();
  private hostNodename: string | undefined;
  /** The host's /dev/urandom, opened by the first randomBytes; -1 when it cannot be read. */
  private urandomFd: number | undefined;
  readonly uid: number;
  readonly gid: number;
  private readonly originHr: bigint;
  private readonly originEpochNs: bigint;

  constructor(fs: HostFs = new NodeFs()) {
    this.fs = fs;
    this.uid = process.getuid?.() ?? 0;
    this.gid = process.getgid?.() ?? 0;
    this.originHr = process.hrtime.bigint();
    this.originEpochNs = BigInt(Date.now()) * 1_000_000n;
    process.umask(0);
  }

  get nodename(): string {
    this.hostNodename ??= osModule().hostname();
    return this.hostNodename;
  }

  realtime(): { sec: number; nsec: number } {
    const ns = this.originEpochNs + (process.hrtime.bigint() - this.originHr);
    return { sec: Number(ns / NS_PER_S), nsec: Number(ns % NS_PER_S) };
  }

  monotonicNs(): number {
    return Number(process.hrtime.bigint() - this.originHr);
  }

  cpuTimeNs(): number {
    const u = process.cpuUsage();
    return (u.user + u.system) * 1000;
  }

  /**
   * The host kernel's random bytes: /dev/urandom where there is one (every start needs AT_RANDOM's
   * 16 bytes, and node:crypto costs ~3 ms of CPU to load), else node:crypto.
   */
  randomBytes(dst: Uint8Array): void {
    if (this.urandomFd === undefined) {
      try {
        this.urandomFd = openSync('/dev/urandom', 'r');
      } catch {
        this.urandomFd = -1;
      }
    }
    if (this.urandomFd >= 0) {
      try {
        let done = 0;
        while (done < dst.length) {
          const n = readSync(this.urandomFd, dst, done, dst.length - done, null);
          if (n <= 0) throw new Error('short read from /dev/urandom');
          done += n;
        }
        return;
      } catch {
        const fd = this.urandomFd;
        this.urandomFd = -1;
        try {
          closeSync(fd);
        } catch {
          // the descriptor is not used again either way
        }
      }
    }
    cryptoModule().randomFillSync(dst);
  }

  yieldToHost(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
  }

  traceWrite(text: string): void {
    const b = Buffer.from(text);
    let done = 0;
    while (done < b.length) {
      try {
        done += writeSync(2, b, done, b.length - done);
      } catch (e) {
        // stderr made non-blocking by someone else (a terminal stream): wait and retry.
        if ((e as { code?: unknown }).code !== 'EAGAIN') return;
        Atomics.wait(sleepCell, 0, 0, 5);
      }
    }
  }
}
