/**
 * Table-driven SIMD instruction tests: each case is a snippet, its inputs and the registers/memory it
 * must produce. Registers not given start from a fixed pattern (the same one the qemu-aarch64 reference
 * runs used, so expected values were recorded from real semantics); memory at DATA_BASE likewise.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Cpu } from '../../../src/cpu/a64/cpu.js';
import { Exit } from '../../../src/cpu/a64/exits.js';
import {
  CODE_BASE,
  DATA_BASE,
  hasAssembler,
  machineWith,
  runToExit,
  STACK_TOP,
  setX,
} from '../../support/asm-harness.js';

export interface SimdCase {
  readonly asm: string;
  /** Initial vector registers as 32 hex digits, lane-0 byte first. */
  readonly v?: Readonly<Record<number, string>>;
  /** Initial X registers; 'M+off' is an address DATA_BASE + off. */
  readonly x?: Readonly<Record<number, bigint | string>>;
  /** Initial memory at DATA_BASE (hex), replacing the default pattern. */
  readonly mem?: string;
  /** Expected results: vN (hex), xN ('0x…' or 'M+off'), qc (0/1), 'mem:off:len' (hex). */
  readonly expect: Readonly<Record<string, string | number>>;
}

export const MEM_SIZE = 512;

function defaultV(r: number, i: number): number {
  return ((r * 16 + i) * 0x9d + 0x35) & 0xff;
}

function defaultMem(j: number): number {
  return (j * 0x3b + 0x11) & 0xff;
}

function hexToBytes(h: string): Uint8Array {
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function toHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

function xValue(v: bigint | string): bigint {
  if (typeof v === 'bigint') return v;
  if (v.startsWith('M')) return BigInt(DATA_BASE + Number(v.slice(2) || '0'));
  return BigInt(v);
}

function setup(cpu: Cpu, c: SimdCase): void {
  for (let r = 0; r < 32; r++) {
    const given = c.v?.[r];
    const bytes = given === undefined ? undefined : hexToBytes(given);
    for (let i = 0; i < 16; i++) cpu.v8[r * 16 + i] = bytes ? bytes[i]! : defaultV(r, i);
  }
  for (const [k, v] of Object.entries(c.x ?? {})) setX(cpu, Number(k), xValue(v));
  const mem = c.mem === undefined ? undefined : hexToBytes(c.mem);
  for (let j = 0; j < MEM_SIZE; j++) cpu.mem.write8(DATA_BASE + j, mem ? (mem[j] ?? 0) : defaultMem(j));
}

/** All cases of a group assembled together: the code, and each case's offset in it. */
interface Program {
  readonly code: Uint8Array;
  readonly offsets: number[];
}

/**
 * Assembles every snippet in one assembler run (thousands of cases would otherwise spend their time
 * starting the assembler): each snippet, followed by a BRK, sits at its own label. Snippets must not
 * branch outside themselves.
 */
function assembleAll(snippets: readonly string[]): Program {
  const dir = mkdtempSync(join(tmpdir(), 'c64simd-'));
  try {
    const src = snippets.map((s, i) => `case_${i}:\n${s}\nbrk #0\n`).join('');
    writeFileSync(join(dir, 'a.s'), `.text\n.arch armv8-a+crc+crypto+lse+fp16\n${src}`);
    execFileSync('aarch64-linux-gnu-as', ['-o', join(dir, 'a.o'), join(dir, 'a.s')]);
    execFileSync('aarch64-linux-gnu-objcopy', ['-O', 'binary', '-j', '.text', join(dir, 'a.o'), join(dir, 'a.bin')]);
    const syms = execFileSync('aarch64-linux-gnu-nm', [join(dir, 'a.o')], { encoding: 'utf8' });
    const offsets = new Array<number>(snippets.length).fill(-1);
    for (const line of syms.split('\n')) {
      const [addr, , name] = line.split(' ');
      if (name?.startsWith('case_')) offsets[Number(name.slice(5))] = Number.parseInt(addr!, 16);
    }
    return { code: new Uint8Array(readFileSync(join(dir, 'a.bin'))), offsets };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs one case on a machine holding the group's code (registers and memory are reset first). */
export function checkCase(c: SimdCase, cpu: Cpu, offset: number): void {
  cpu.x.fill(0);
  cpu.x[62] = STACK_TOP;
  cpu.fpsr = 0;
  cpu.fpcr = 0;
  cpu.pc = CODE_BASE + offset;
  setup(cpu, c);
  const e = runToExit(cpu);
  assert.equal(e, Exit.Breakpoint, `${c.asm}: stopped with exit ${e} at pc=0x${cpu.pc.toString(16)}`);
  for (const [key, want] of Object.entries(c.expect)) {
    if (key === 'qc') {
      assert.equal((cpu.fpsr >>> 27) & 1, want, `${c.asm}: FPSR.QC`);
    } else if (key.startsWith('v')) {
      const r = Number(key.slice(1));
      assert.equal(toHex(cpu.v8.slice(r * 16, r * 16 + 16)), want, `${c.asm}: ${key}`);
    } else if (key.startsWith('x')) {
      const r = Number(key.slice(1));
      const got = (BigInt(cpu.x[2 * r + 1]! >>> 0) << 32n) | BigInt(cpu.x[2 * r]! >>> 0);
      assert.equal(got, xValue(want as string), `${c.asm}: ${key}`);
    } else if (key.startsWith('mem:')) {
      const [, off, len] = key.split(':');
      const bytes = new Uint8Array(Number(len));
      for (let i = 0; i < bytes.length; i++) bytes[i] = cpu.mem.read8(DATA_BASE + Number(off) + i);
      assert.equal(toHex(bytes), want, `${c.asm}: ${key}`);
    } else {
      throw new Error(`unknown expectation ${key}`);
    }
  }
}

/** Declares one node:test test per case, named by its snippet. */
export function simdCases(group: string, cases: readonly SimdCase[]): void {
  const skip = !hasAssembler();
  let program: Program | undefined;
  let cpu: Cpu | undefined;
  cases.forEach((c, i) => {
    test(`${group}: ${c.asm.replace(/\n/g, '; ')}`, { skip }, () => {
      program ??= assembleAll(cases.map((k) => k.asm));
      cpu ??= machineWith(program.code);
      checkCase(c, cpu, program.offsets[i]!);
    });
  });
}
