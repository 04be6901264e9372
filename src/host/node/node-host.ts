/**
 * The kernel's Host on Node: clocks, randomness, identity and the trace output.
 *
 * Realtime is process.hrtime.bigint() anchored to Date.now() at start, so it has nanosecond
 * resolution and never goes backwards within a run (it does not follow host clock steps).
 * Creating a NodeHost sets the emulator's umask to 0: the guest's umask is applied by the kernel
 * (open, mkdir), and the host's must not remove more bits on top.
 */
import { randomFillSync } from 'node:crypto';
import { writeSync } from 'node:fs';
import { hostname } from 'node:os';
import type { HostFs } from '../../kernel/fs/host-fs.js';
import type { Host } from '../../kernel/host.js';
import type { HostNet } from '../../kernel/net/host-net.js';
import { NodeFs } from './node-fs.js';
import { NodeNet } from './node-net.js';

const NS_PER_S = 1_000_000_000n;
const sleepCell = new Int32Array(new SharedArrayBuffer(4));

export class NodeHost implements Host {
  readonly fs: HostFs;
  /** Host sockets (node:net, node:dgram); every address reachable, as with qemu-aarch64. */
  readonly net: HostNet = new NodeNet();
  readonly nodename: string;
  readonly uid: number;
  readonly gid: number;
  private readonly originHr: bigint;
  private readonly originEpochNs: bigint;

  constructor(fs: HostFs = new NodeFs()) {
    this.fs = fs;
    this.nodename = hostname();
    this.uid = process.getuid?.() ?? 0;
    this.gid = process.getgid?.() ?? 0;
    this.originHr = process.hrtime.bigint();
    this.originEpochNs = BigInt(Date.now()) * 1_000_000n;
    process.umask(0);
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

  randomBytes(dst: Uint8Array): void {
    randomFillSync(dst);
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
