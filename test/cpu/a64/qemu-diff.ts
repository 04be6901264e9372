/**
 * Differential testing of single instructions against qemu-aarch64 (tests only; BigInt is fine here).
 *
 * Each case is one instruction word run with chosen values in X0-X30, SP and NZCV. runOnQemu()
 * builds one static program that, for every case, loads the registers, executes the word and stores
 * X0-X30, SP and NZCV; a SIGILL handler (on an alternate stack, since SP holds test data) records
 * undefined instructions and skips them. runOnCpu() runs the same cases on compat64's interpreter.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Exit } from '../../../src/cpu/a64/exits.js';
import { CODE_BASE, machineWith, runToExit, setX, xreg } from '../../support/asm-harness.js';

export interface DiffCase {
  readonly insn: number;
  /** X0..X30 (31 values). */
  readonly regs: readonly bigint[];
  readonly sp: bigint;
  /** Flags as the 4-bit NZCV value. */
  readonly nzcv: number;
}

export interface DiffResult {
  readonly undefined: boolean;
  readonly regs: readonly bigint[];
  readonly sp: bigint;
  readonly nzcv: number;
}

const RECORD = 272;

export function hasQemu(): boolean {
  try {
    execFileSync('qemu-aarch64', ['--version'], { stdio: 'ignore' });
    execFileSync('aarch64-linux-gnu-ld', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function quad(v: bigint): string {
  return `0x${BigInt.asUintN(64, v).toString(16)}`;
}

/** Runs the cases under qemu-aarch64 (an ARMv8.0 CPU model: Cortex-A72). */
export function runOnQemu(cases: readonly DiffCase[]): DiffResult[] {
  const text: string[] = [];
  const data: string[] = [];
  cases.forEach((c, k) => {
    const loads: string[] = [];
    for (let r = 0; r < 30; r += 2) loads.push(`ldp x${r}, x${r + 1}, [x30, #${r * 8}]`);
    const stores: string[] = [];
    for (let r = 0; r < 30; r += 2) stores.push(`stp x${r}, x${r + 1}, [x30, #${r * 8}]`);
    text.push(`
  adrp x30, in${k}
  add x30, x30, :lo12:in${k}
  ldr x0, [x30, #248]
  mov sp, x0
  ldr x0, [x30, #256]
  msr nzcv, x0
  ${loads.join('\n  ')}
  ldr x30, [x30, #240]
  .inst 0x${(c.insn >>> 0).toString(16)}
  msr tpidr_el0, x30
  adrp x30, out${k}
  add x30, x30, :lo12:out${k}
  ${stores.join('\n  ')}
  mrs x0, tpidr_el0
  str x0, [x30, #240]
  mov x0, sp
  str x0, [x30, #248]
  mrs x0, nzcv
  str x0, [x30, #256]
  adrp x0, sigill_flag
  ldr x1, [x0, :lo12:sigill_flag]
  str x1, [x30, #264]
  str xzr, [x0, :lo12:sigill_flag]`);
    data.push(`in${k}: .quad ${[...c.regs, c.sp, BigInt(c.nzcv) << 28n].map(quad).join(', ')}`);
  });
  const src = `
.text
.global _start
_start:
  // sigaltstack(&ss, NULL)
  adrp x0, ss
  add x0, x0, :lo12:ss
  mov x1, #0
  mov x8, #132
  svc #0
  // rt_sigaction(SIGILL, &act, NULL, 8)
  mov x0, #4
  adrp x1, act
  add x1, x1, :lo12:act
  mov x2, #0
  mov x3, #8
  mov x8, #134
  svc #0
${text.join('\n')}
  // write(1, outbuf, n * RECORD); exit(0)
  mov x0, #1
  adrp x1, outbuf
  add x1, x1, :lo12:outbuf
  ldr x2, =${cases.length * RECORD}
  mov x8, #64
  svc #0
  mov x0, #0
  mov x8, #93
  svc #0
  .ltorg

on_sigill:
  // x2 = ucontext; uc_mcontext.pc is at offset 440 on arm64.
  ldr x3, [x2, #440]
  add x3, x3, #4
  str x3, [x2, #440]
  adrp x4, sigill_flag
  mov x5, #1
  str x5, [x4, :lo12:sigill_flag]
  ret
restorer:
  mov x8, #139
  svc #0

.data
.balign 8
// struct sigaction: handler, flags (SA_SIGINFO | SA_ONSTACK | SA_RESTORER), restorer, mask
act: .quad on_sigill, 0x0c000004, restorer, 0
ss: .quad altstack, 0, 65536
sigill_flag: .quad 0
${data.join('\n')}
.bss
.balign 16
altstack: .skip 65536
outbuf: .skip ${cases.length * RECORD}
`;
  // Every case stores to its own label inside the output block.
  const labels = cases.map((_, k) => `.set out${k}, outbuf + ${k * RECORD}`).join('\n');
  const dir = mkdtempSync(join(tmpdir(), 'c64diff-'));
  try {
    writeFileSync(join(dir, 'a.s'), `${src}\n${labels}\n`);
    execFileSync('aarch64-linux-gnu-as', ['-o', join(dir, 'a.o'), join(dir, 'a.s')]);
    execFileSync('aarch64-linux-gnu-ld', ['-static', '-o', join(dir, 'a'), join(dir, 'a.o')]);
    const out = execFileSync('qemu-aarch64', [join(dir, 'a')], {
      env: { ...process.env, QEMU_CPU: 'cortex-a72' },
      maxBuffer: cases.length * RECORD + 4096,
    });
    if (out.length !== cases.length * RECORD) throw new Error(`qemu wrote ${out.length} bytes`);
    const results: DiffResult[] = [];
    for (let k = 0; k < cases.length; k++) {
      const q = (i: number) => out.readBigUInt64LE(k * RECORD + i * 8);
      const regs: bigint[] = [];
      for (let r = 0; r < 31; r++) regs.push(q(r));
      results.push({ undefined: q(33) !== 0n, regs, sp: q(31), nzcv: Number(q(32) >> 28n) });
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the cases on compat64's interpreter, one instruction each. */
export function runOnCpu(cases: readonly DiffCase[]): DiffResult[] {
  const code = new Uint8Array(cases.length * 8);
  const dv = new DataView(code.buffer);
  cases.forEach((c, k) => {
    dv.setUint32(k * 8, c.insn >>> 0, true);
    dv.setUint32(k * 8 + 4, 0xd4200000, true); // brk #0
  });
  const cpu = machineWith(code);
  return cases.map((c, k) => {
    for (let r = 0; r < 31; r++) setX(cpu, r, c.regs[r]!);
    setX(cpu, 31, c.sp);
    cpu.nzcv = c.nzcv << 28;
    cpu.pc = CODE_BASE + k * 8;
    const e = runToExit(cpu, 10);
    const regs: bigint[] = [];
    for (let r = 0; r < 31; r++) regs.push(xreg(cpu, r));
    const result = { undefined: e === Exit.Undefined, regs, sp: xreg(cpu, 31), nzcv: cpu.nzcv >>> 28 };
    if (!result.undefined && e !== Exit.Breakpoint) throw new Error(`case ${k}: exit ${e}`);
    return result;
  });
}

/** A deterministic generator (mulberry32) so failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

const SPECIAL: readonly bigint[] = [
  0n,
  1n,
  2n,
  0xffffffffffffffffn,
  0x8000000000000000n,
  0x7fffffffffffffffn,
  0xffffffffn,
  0x80000000n,
  0x7fffffffn,
  0xffffffff80000000n,
  0x100000000n,
  0xfffffffffffffffen,
  0xaaaaaaaaaaaaaaaan,
  0x0123456789abcdefn,
];

/** An interesting 64-bit register value: special, small, 32-bit or random. */
export function randomValue(next: () => number): bigint {
  const kind = next() % 6;
  if (kind === 0) return SPECIAL[next() % SPECIAL.length]!;
  if (kind === 1) return BigInt(next() % 70);
  if (kind === 2) return BigInt(next());
  if (kind === 3) return BigInt.asUintN(64, BigInt(next() | 0));
  if (kind === 4) return BigInt.asUintN(64, -BigInt(next() % 1000));
  return (BigInt(next()) << 32n) | BigInt(next());
}

/** A random word matching a table pattern (0/1 fixed, anything else random). */
export function randomWord(pattern: string, next: () => number): number {
  let w = 0;
  const r = next();
  for (let i = 0; i < 32; i++) {
    const ch = pattern[i];
    const bit = 31 - i;
    const v = ch === '0' ? 0 : ch === '1' ? 1 : (r >>> bit) & 1;
    w |= v << bit;
  }
  return w | 0;
}

/** A case for the word with random registers and flags. */
export function randomCase(insn: number, next: () => number): DiffCase {
  const regs: bigint[] = [];
  for (let r = 0; r < 31; r++) regs.push(randomValue(next));
  return { insn, regs, sp: randomValue(next), nzcv: next() & 15 };
}
