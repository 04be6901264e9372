/**
 * Differential instruction testing: the same single instruction word runs on a register state in the
 * interpreter (its handler called directly) and in test/diff/fp-oracle (a static aarch64 program run
 * under qemu-aarch64, the reference), and the resulting states are compared.
 * Instructions may use general and vector registers 0..3 only.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Cpu } from '../../src/cpu/a64/cpu.js';
import { decode, HANDLERS } from '../../src/cpu/a64/decoder.js';
import { Exit } from '../../src/cpu/a64/exits.js';
import { AddressSpace } from '../../src/memory/address-space.js';
import { PhysicalMemory } from '../../src/memory/physical-memory.js';

export interface InsnState {
  insn: number;
  fpcr: number;
  /** NZCV in bits 31:28. */
  nzcv: number;
  fpsr: number;
  /** x0..x3 as 8 int32 halves (lo, hi). */
  x: Int32Array;
  /** q0..q3, 64 bytes. */
  q: Uint8Array;
}

export interface InsnResult {
  undefined: boolean;
  x: Int32Array;
  q: Uint8Array;
  fpsr: number;
  nzcv: number;
}

const REC = 128;

/** The test/diff/fp-oracle source directory (tests run from dist/test/..., sources live in test/). */
function oracleDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const cand of [resolve(here, '../diff/fp-oracle'), resolve(here, '../../../test/diff/fp-oracle')]) {
    if (existsSync(join(cand, 'oracle.c'))) return cand;
  }
  throw new Error('test/diff/fp-oracle not found');
}

let binary: string | undefined;
let available: boolean | undefined;

/** True when the cross compiler and qemu-aarch64 are installed. */
export function oracleAvailable(): boolean {
  if (available !== undefined) return available;
  try {
    execFileSync('qemu-aarch64', ['--version'], { stdio: 'ignore' });
    execFileSync('aarch64-linux-gnu-gcc', ['--version'], { stdio: 'ignore' });
    available = true;
  } catch {
    available = false;
  }
  return available;
}

function oracleBinary(): string {
  if (binary) return binary;
  const dir = oracleDir();
  const c = readFileSync(join(dir, 'oracle.c'));
  const s = readFileSync(join(dir, 'trampoline.S'));
  const hash = createHash('sha256').update(c).update(s).digest('hex').slice(0, 16);
  const out = join(tmpdir(), `compat64-fp-oracle-${hash}`);
  if (!existsSync(out)) {
    execFileSync('aarch64-linux-gnu-gcc', [
      '-O1',
      '-static',
      '-o',
      out,
      join(dir, 'oracle.c'),
      join(dir, 'trampoline.S'),
    ]);
  }
  binary = out;
  return out;
}

/** Runs the cases under qemu-aarch64 and returns the reference results. */
export function runOracle(cases: readonly InsnState[]): InsnResult[] {
  const input = Buffer.alloc(cases.length * REC);
  cases.forEach((c, i) => {
    const o = i * REC;
    input.writeUInt32LE(c.insn >>> 0, o);
    input.writeUInt32LE(c.fpcr >>> 0, o + 4);
    input.writeUInt32LE(c.nzcv >>> 0, o + 8);
    input.writeUInt32LE(c.fpsr >>> 0, o + 12);
    for (let k = 0; k < 8; k++) input.writeInt32LE(c.x[k]!, o + 16 + 4 * k);
    input.set(c.q, o + 48);
  });
  // The modelled CPU (id-registers.ts): qemu's default "max" would also accept ARMv8.2+ encodings.
  const out = execFileSync('qemu-aarch64', [oracleBinary()], {
    input,
    maxBuffer: input.length + 1024,
    env: { ...process.env, QEMU_CPU: 'cortex-a72' },
  });
  if (out.length !== input.length) throw new Error(`oracle returned ${out.length} bytes for ${input.length}`);
  return cases.map((_, i) => {
    const o = i * REC;
    const x = new Int32Array(8);
    for (let k = 0; k < 8; k++) x[k] = out.readInt32LE(o + 16 + 4 * k);
    return {
      undefined: out.readUInt32LE(o + 12) !== 0,
      x,
      q: new Uint8Array(out.subarray(o + 48, o + 112)),
      fpsr: out.readUInt32LE(o + 112),
      nzcv: out.readUInt32LE(o + 116),
    };
  });
}

let cpu: Cpu | undefined;

/** Runs one case on the interpreter (decode + handler, no memory accesses expected). */
export function runInterp(c: InsnState): InsnResult {
  if (!cpu) cpu = new Cpu(new AddressSpace(new PhysicalMemory(1 << 20)));
  const k = cpu;
  k.x.fill(0);
  k.v8.fill(0);
  k.x.set(c.x, 0);
  k.v8.set(c.q, 0);
  k.fpcr = c.fpcr >>> 0;
  k.fpsr = c.fpsr >>> 0;
  k.nzcv = c.nzcv >>> 0;
  k.exit = Exit.None;
  k.pc = 0x400000;
  k.npc = k.pc + 4;
  HANDLERS[decode(c.insn)]!(k, c.insn | 0);
  return {
    undefined: (k.exit as Exit) === Exit.Undefined,
    x: k.x.slice(0, 8),
    q: k.v8.slice(0, 64),
    fpsr: k.fpsr >>> 0,
    nzcv: k.nzcv >>> 0,
  };
}

function hex32(v: number): string {
  return (v >>> 0).toString(16).padStart(8, '0');
}

/** Registers as text: x0..x3 and q0..q3 (lane 0 first, 32-bit words in hex). */
export function formatState(r: { x: Int32Array; q: Uint8Array; fpsr?: number; nzcv?: number }): string {
  const xs = [0, 1, 2, 3].map((i) => `x${i}=${hex32(r.x[2 * i + 1]!)}${hex32(r.x[2 * i]!)}`).join(' ');
  const dv = new DataView(r.q.buffer, r.q.byteOffset, 64);
  const qs = [0, 1, 2, 3]
    .map((i) => `q${i}=${[0, 1, 2, 3].map((w) => hex32(dv.getUint32(16 * i + 4 * w, true))).join('_')}`)
    .join(' ');
  const extra = r.fpsr === undefined ? '' : ` fpsr=${hex32(r.fpsr)} nzcv=${hex32(r.nzcv ?? 0)}`;
  return `${xs} ${qs}${extra}`;
}

/** Disassembles instruction words with objdump (for failure messages). */
export function disassemble(words: readonly number[]): string[] {
  try {
    const out = execFileSync(
      'sh',
      [
        '-c',
        'f=$(mktemp) && cat > "$f" && aarch64-linux-gnu-objdump -D -b binary -m aarch64 "$f" | tail -n +8; rm -f "$f"',
      ],
      { input: Buffer.from(new Uint32Array(words.map((w) => w >>> 0)).buffer) },
    ).toString();
    return out
      .split('\n')
      .filter((l) => /^\s*[0-9a-f]+:/.test(l))
      .map((l) => l.split('\t').slice(2).join(' ').trim());
  } catch {
    return words.map((w) => `.inst 0x${hex32(w)}`);
  }
}

/** Compares two results; returns a description of the first difference, or undefined. */
export function diffResults(a: InsnResult, b: InsnResult): string | undefined {
  if (a.undefined !== b.undefined) return `undefined: ${a.undefined} vs ${b.undefined}`;
  if (a.undefined) return undefined;
  for (let k = 0; k < 8; k++) if (a.x[k] !== b.x[k]) return 'x registers differ';
  for (let k = 0; k < 64; k++) if (a.q[k] !== b.q[k]) return `q${k >> 4} differs`;
  if (a.fpsr !== b.fpsr) return 'fpsr differs';
  if (a.nzcv !== b.nzcv) return 'nzcv differs';
  return undefined;
}
