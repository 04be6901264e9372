/**
 * Runs one compiled torture test under qemu-aarch64 (the reference) and under compat64 (the CLI
 * bundle), asynchronously so several run at once, and compares what a test shows: its exit status
 * (death by signal N counts as 128 + N, as compat64's CLI reports it), standard output and standard
 * error (without qemu's own "qemu: uncaught target signal" lines).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Command, compat64Command, GUEST_ENV, qemuCommand, signalNumber } from '../support/guest-run.js';

export interface GuestRun {
  /** Shell-style status: the exit code, or 128 + signal; -1 after a timeout. */
  status: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  ms: number;
}

export const QEMU_TIMEOUT_MS = 60_000;
export const COMPAT64_TIMEOUT_MS = 300_000;
const MAX_OUTPUT = 1 << 20;

export function runUnderQemu(binary: string, timeoutMs = QEMU_TIMEOUT_MS): Promise<GuestRun> {
  const q = qemuCommand([binary]);
  // No guest core files from qemu in the working directory.
  return runGuest({ file: '/bin/sh', args: ['-c', 'ulimit -c 0 && exec "$@"', 'sh', q.file, ...q.args] }, timeoutMs);
}

export function runUnderCompat64(binary: string, timeoutMs = COMPAT64_TIMEOUT_MS): Promise<GuestRun> {
  return runGuest(compat64Command([binary]), timeoutMs);
}

/** Runs a command in a fresh empty directory (tests may create files) with the fixed guest environment. */
function runGuest(cmd: Command, timeoutMs: number): Promise<GuestRun> {
  const cwd = mkdtempSync(join(tmpdir(), 'torture-'));
  const start = performance.now();
  return new Promise<GuestRun>((resolve, reject) => {
    const child = spawn(cmd.file, cmd.args, { cwd, env: { ...GUEST_ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outLen = 0;
    let errLen = 0;
    child.stdout.on('data', (b: Buffer) => {
      if ((outLen += b.length) <= MAX_OUTPUT) out.push(b);
    });
    child.stderr.on('data', (b: Buffer) => {
      if ((errLen += b.length) <= MAX_OUTPUT) err.push(b);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      rmSync(cwd, { recursive: true, force: true });
      const status = timedOut ? -1 : code !== null ? code : 128 + signalNumber(signal as NodeJS.Signals);
      resolve({
        status,
        stdout: Buffer.concat(out).toString('latin1'),
        stderr: Buffer.concat(err).toString('latin1'),
        timedOut,
        ms: performance.now() - start,
      });
    });
  });
}

/** qemu's own report of a guest's fatal signal, which is not the guest's output. */
const QEMU_NOTE = /^qemu: uncaught target signal .*\n?/gm;

/** How two runs differ, as one line, or undefined when they agree (in exit status alone if statusOnly). */
export function difference(qemu: GuestRun, compat64: GuestRun, statusOnly = false): string | undefined {
  if (compat64.timedOut) return `compat64 timed out (qemu: status ${qemu.status} in ${Math.round(qemu.ms)} ms)`;
  if (qemu.timedOut) return 'qemu timed out';
  const parts: string[] = [];
  if (qemu.status !== compat64.status) parts.push(`status: qemu ${qemu.status}, compat64 ${compat64.status}`);
  if (statusOnly) return parts[0];
  if (qemu.stdout !== compat64.stdout) {
    parts.push(`stdout: qemu ${JSON.stringify(clip(qemu.stdout))}, compat64 ${JSON.stringify(clip(compat64.stdout))}`);
  }
  const qerr = qemu.stderr.replace(QEMU_NOTE, '');
  if (qerr !== compat64.stderr) {
    parts.push(`stderr: qemu ${JSON.stringify(clip(qerr))}, compat64 ${JSON.stringify(clip(compat64.stderr))}`);
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}

function clip(s: string): string {
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}
