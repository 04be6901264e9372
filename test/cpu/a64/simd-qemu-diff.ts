/**
 * Differential testing of single AdvSIMD instructions against qemu-aarch64 (tests only).
 *
 * Each case is one instruction word run with chosen V0–V31 and X0–X30 (FPSR cleared). runSimdOnQemu()
 * builds one static program that, for every case, loads the registers, executes the word and stores
 * X0–X30, FPSR and V0–V31; a SIGILL handler records undefined instructions and skips them.
 * runSimdOnCpu() runs the same cases on compat64's interpreter.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Exit } from '../../../src/cpu/a64/exits.js';
import { CODE_BASE, machineWith, runToExit, setX, xreg } from '../../support/asm-harness.js';

export interface SimdDiffCase {
  readonly insn: number;
  /** X0..X30. */
  readonly x: readonly bigint[];
  /** V0..V31 as 512 bytes. */
  readonly v: Uint8Array;
}

export interface SimdDiffResult {
  readonly undefined: boolean;
  readonly x: readonly bigint[];
  readonly fpsr: number;
  readonly v: Uint8Array;
}

// Output record: X0-X30, FPSR, SIGILL flag, V0-V31.
const RECORD = 31 * 8 + 8 + 8 + 512;

function quad(v: bigint): string {
  return `0x${BigInt.asUintN(64, v).toString(16)}`;
}

/** Runs the cases under qemu-aarch64 as an ARMv8.0 CPU (Cortex-A72: AdvSIMD, CRC, crypto). */
export function runSimdOnQemu(cases: readonly SimdDiffCase[]): SimdDiffResult[] {
  const text: string[] = [];
  const data: string[] = [];
  const vloads: string[] = [];
  const vstores: string[] = [];
  for (let r = 0; r < 32; r += 4) {
    vloads.push(`ld1 {v${r}.16b-v${r + 3}.16b}, [x30], #64`);
    vstores.push(`st1 {v${r}.16b-v${r + 3}.16b}, [x0], #64`);
  }
  const xloads: string[] = [];
  const xstores: string[] = [];
  for (let r = 0; r < 30; r += 2) {
    xloads.push(`ldp x${r}, x${r + 1}, [x30, #${r * 8}]`);
    xstores.push(`stp x${r}, x${r + 1}, [x30, #${r * 8}]`);
  }
  cases.forEach((c, k) => {
    text.push(`
  adrp x30, vin${k}
  add x30, x30, :lo12:vin${k}
  ${vloads.join('\n  ')}
  msr fpsr, xzr
  adrp x30, xin${k}
  add x30, x30, :lo12:xin${k}
  ${xloads.join('\n  ')}
  ldr x30, [x30, #240]
  .inst 0x${(c.insn >>> 0).toString(16)}
  msr tpidr_el0, x30
  adrp x30, out${k}
  add x30, x30, :lo12:out${k}
  ${xstores.join('\n  ')}
  mrs x0, tpidr_el0
  str x0, [x30, #240]
  mrs x0, fpsr
  str x0, [x30, #248]
  adrp x0, sigill_flag
  ldr x1, [x0, :lo12:sigill_flag]
  str x1, [x30, #256]
  str xzr, [x0, :lo12:sigill_flag]
  add x0, x30, #264
  ${vstores.join('\n  ')}`);
    data.push(`.balign 16\nvin${k}: .byte ${Array.from(c.v).join(',')}`);
    data.push(`xin${k}: .quad ${c.x.map(quad).join(', ')}`);
  });
  const src = `
.text
.global _start
_start:
  adrp x0, ss
  add x0, x0, :lo12:ss
  mov x1, #0
  mov x8, #132
  svc #0
  mov x0, #4
  adrp x1, act
  add x1, x1, :lo12:act
  mov x2, #0
  mov x3, #8
  mov x8, #134
  svc #0
${text.join('\n')}
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
act: .quad on_sigill, 0x0c000004, restorer, 0
ss: .quad altstack, 0, 65536
sigill_flag: .quad 0
${data.join('\n')}
.bss
.balign 16
altstack: .skip 65536
outbuf: .skip ${cases.length * RECORD}
`;
  const labels = cases.map((_, k) => `.set out${k}, outbuf + ${k * RECORD}`).join('\n');
  const dir = mkdtempSync(join(tmpdir(), 'c64simddiff-'));
  try {
    writeFileSync(join(dir, 'a.s'), `${src}\n${labels}\n`);
    execFileSync('aarch64-linux-gnu-as', ['-o', join(dir, 'a.o'), join(dir, 'a.s')]);
    execFileSync('aarch64-linux-gnu-ld', ['-static', '-o', join(dir, 'a'), join(dir, 'a.o')]);
    const out = execFileSync('qemu-aarch64', [join(dir, 'a')], {
      env: { ...process.env, QEMU_CPU: 'cortex-a72' },
      maxBuffer: cases.length * RECORD + 4096,
    });
    if (out.length !== cases.length * RECORD) throw new Error(`qemu wrote ${out.length} bytes`);
    return cases.map((_, k) => {
      const base = k * RECORD;
      const x: bigint[] = [];
      for (let r = 0; r < 31; r++) x.push(out.readBigUInt64LE(base + r * 8));
      return {
        undefined: out.readBigUInt64LE(base + 256) !== 0n,
        x,
        fpsr: Number(out.readBigUInt64LE(base + 248)),
        v: new Uint8Array(out.subarray(base + 264, base + 264 + 512)),
      };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the cases on compat64's interpreter, one instruction each. */
export function runSimdOnCpu(cases: readonly SimdDiffCase[]): SimdDiffResult[] {
  const code = new Uint8Array(cases.length * 8);
  const dv = new DataView(code.buffer);
  cases.forEach((c, k) => {
    dv.setUint32(k * 8, c.insn >>> 0, true);
    dv.setUint32(k * 8 + 4, 0xd4200000, true); // brk #0
  });
  const cpu = machineWith(code);
  return cases.map((c, k) => {
    for (let r = 0; r < 31; r++) setX(cpu, r, c.x[r]!);
    cpu.v8.set(c.v, 0);
    cpu.fpsr = 0;
    cpu.pc = CODE_BASE + k * 8;
    const e = runToExit(cpu, 10);
    if (e !== Exit.Undefined && e !== Exit.Breakpoint) throw new Error(`case ${k}: exit ${e}`);
    const x: bigint[] = [];
    for (let r = 0; r < 31; r++) x.push(xreg(cpu, r));
    return { undefined: e === Exit.Undefined, x, fpsr: cpu.fpsr, v: cpu.v8.slice(0, 512) };
  });
}

const SPECIAL_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xff, 0xfe, 0x81, 0x40];

/** Register contents that exercise saturation, signs and shift counts: random, extreme and small bytes. */
export function randomVregs(next: () => number): Uint8Array {
  const v = new Uint8Array(512);
  for (let r = 0; r < 32; r++) {
    const style = next() % 4;
    for (let i = 0; i < 16; i++) {
      const kind = style === 3 ? next() % 3 : style;
      let b: number;
      if (kind === 0) b = next() & 0xff;
      else if (kind === 1) b = SPECIAL_BYTES[next() % SPECIAL_BYTES.length]!;
      else b = ((next() % 81) - 40) & 0xff;
      v[r * 16 + i] = b;
    }
  }
  return v;
}
