/**
 * The reference side of the differential tester: builds the guest harness (harness/*.c, *.S) with
 * the aarch64 cross compiler, once per source hash, and runs batches of cases through it under
 * qemu-aarch64, one process per batch and CPU model.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CASE_MAGIC,
  CODE_ADDR,
  type CaseResult,
  type CpuModel,
  type DiffCase,
  HEADER_SIZE,
  RESULT_SIZE,
  STATE_SIZE,
} from './layout.js';

const HARNESS_FILES = ['layout.h', 'harness.c', 'harness.S'];

/** The harness source directory: test/diff/harness (tests run from dist/test/diff, sources stay in test/). */
function harnessDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const cand of [resolve(here, 'harness'), resolve(here, '../../../test/diff/harness')]) {
    if (existsSync(join(cand, 'harness.c'))) return cand;
  }
  throw new Error('test/diff/harness not found');
}

/** What is missing to run the reference side, or undefined when qemu-aarch64 and the cross tools are there. */
export function missingTools(): string | undefined {
  for (const [tool, arg] of [
    ['qemu-aarch64', '--version'],
    ['aarch64-linux-gnu-gcc', '--version'],
    ['aarch64-linux-gnu-objdump', '--version'],
  ] as const) {
    try {
      execFileSync(tool, [arg], { stdio: 'ignore' });
    } catch {
      return tool;
    }
  }
  return undefined;
}

let built: string | undefined;

/** Path of the harness binary, building it into the temp directory when its sources changed. */
export function harnessBinary(): string {
  if (built !== undefined) return built;
  const dir = harnessDir();
  const h = createHash('sha256');
  for (const f of HARNESS_FILES) h.update(readFileSync(join(dir, f)));
  const out = join(tmpdir(), `compat64-diff-harness-${h.digest('hex').slice(0, 16)}`);
  if (!existsSync(out)) {
    const tmp = `${out}.${process.pid}`;
    execFileSync('aarch64-linux-gnu-gcc', [
      '-O2',
      '-static',
      '-nostdlib',
      '-ffreestanding',
      '-fno-builtin',
      '-mgeneral-regs-only',
      '-fno-stack-protector',
      '-fno-pie',
      '-no-pie',
      `-Wl,--defsym=diff_code=${CODE_ADDR}`,
      '-o',
      tmp,
      join(dir, 'harness.c'),
      join(dir, 'harness.S'),
    ]);
    renameSync(tmp, out);
  }
  built = out;
  return out;
}

/** The bytes the harness reads for a case. */
export function encodeCase(c: DiffCase): Buffer {
  const buf = Buffer.alloc(HEADER_SIZE + STATE_SIZE + c.sandbox.length + c.code.length * 4);
  buf.writeUInt32LE(CASE_MAGIC, 0);
  buf.writeUInt32LE(c.code.length, 4);
  buf.writeUInt32LE(c.sandbox.length, 8);
  buf.set(c.state, HEADER_SIZE);
  buf.set(c.sandbox, HEADER_SIZE + STATE_SIZE);
  let o = HEADER_SIZE + STATE_SIZE + c.sandbox.length;
  for (const w of c.code) {
    buf.writeInt32LE(w, o);
    o += 4;
  }
  return buf;
}

function decodeResults(out: Buffer, cases: readonly DiffCase[]): CaseResult[] {
  const results: CaseResult[] = [];
  let o = 0;
  for (const c of cases) {
    const need = RESULT_SIZE + STATE_SIZE + c.sandbox.length;
    if (o + need > out.length)
      throw new Error(`qemu harness output ended after ${results.length} of ${cases.length} cases`);
    results.push({
      signo: out.readUInt32LE(o),
      pc: Number(out.readBigUInt64LE(o + 8)),
      addr: Number(out.readBigUInt64LE(o + 16)),
      state: new Uint8Array(out.subarray(o + RESULT_SIZE, o + RESULT_SIZE + STATE_SIZE)),
      sandbox: new Uint8Array(out.subarray(o + RESULT_SIZE + STATE_SIZE, o + need)),
    });
    o += need;
  }
  if (o !== out.length) throw new Error(`qemu harness wrote ${out.length - o} unexpected bytes`);
  return results;
}

/** Runs the cases (all of one CPU model) in one qemu-aarch64 process. */
export function runOnQemu(cases: readonly DiffCase[], model: CpuModel, timeoutMs = 60_000): Promise<CaseResult[]> {
  if (cases.length === 0) return Promise.resolve([]);
  const input = Buffer.concat(cases.map(encodeCase));
  return new Promise((resolvePromise, reject) => {
    const child = spawn('qemu-aarch64', ['-cpu', model, harnessBinary()], { stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    const errs: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stderr.on('data', (d: Buffer) => errs.push(d));
    child.stdin.on('error', () => {
      // The exit handler reports the failure.
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`qemu-aarch64 harness exited with ${code ?? signal}: ${Buffer.concat(errs).toString()}`));
        return;
      }
      try {
        resolvePromise(decodeResults(Buffer.concat(chunks), cases));
      } catch (e) {
        reject(e);
      }
    });
    child.stdin.end(input);
  });
}
