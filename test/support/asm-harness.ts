/**
 * Runs small A64 snippets on the interpreter without a kernel, for instruction tests.
 * assemble() uses binutils (aarch64-linux-gnu-as/objcopy); snippets end at a BRK, which stops the CPU.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cpu } from '../../src/cpu/a64/cpu.js';
import { Exit } from '../../src/cpu/a64/exits.js';
import { AddressSpace, PTE_R, PTE_W, PTE_X } from '../../src/memory/address-space.js';
import { PhysicalMemory } from '../../src/memory/physical-memory.js';

export const CODE_BASE = 0x400000;
export const DATA_BASE = 0x10000000;
export const DATA_PAGES = 16;
export const STACK_TOP = 0x7fff0000;

const cache = new Map<string, Uint8Array>();

export function hasAssembler(): boolean {
  try {
    execFileSync('aarch64-linux-gnu-as', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Assembles A64 source (GNU syntax) into raw bytes placed at CODE_BASE. */
export function assemble(src: string): Uint8Array {
  const hit = cache.get(src);
  if (hit) return hit;
  const dir = mkdtempSync(join(tmpdir(), 'c64asm-'));
  try {
    writeFileSync(join(dir, 'a.s'), `.text\n.arch armv8-a+crc+crypto+lse+fp16\n${src}\n`);
    execFileSync('aarch64-linux-gnu-as', ['-o', join(dir, 'a.o'), join(dir, 'a.s')]);
    execFileSync('aarch64-linux-gnu-objcopy', ['-O', 'binary', '-j', '.text', join(dir, 'a.o'), join(dir, 'a.bin')]);
    const bytes = new Uint8Array(readFileSync(join(dir, 'a.bin')));
    cache.set(src, bytes);
    return bytes;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A CPU with code at CODE_BASE (read+exec), DATA_PAGES of read-write data at DATA_BASE and a stack page. */
export function machineWith(code: Uint8Array): Cpu {
  const phys = new PhysicalMemory(64 * 1024 * 1024);
  const as = new AddressSpace(phys);
  const codePages = Math.ceil(code.length / 4096) + 1;
  for (let p = 0; p < codePages; p++) as.setPte(CODE_BASE / 4096 + p, phys.alloc(), PTE_R | PTE_X);
  // Write the code through the physical views (the pages are not writable to the guest).
  for (let i = 0; i < code.length; i++) {
    const vpn = Math.floor((CODE_BASE + i) / 4096);
    const frame = Math.floor(as.pte(vpn) / 8);
    phys.u8[frame * 4096 + ((CODE_BASE + i) % 4096)] = code[i]!;
  }
  for (let p = 0; p < DATA_PAGES; p++) as.setPte(DATA_BASE / 4096 + p, phys.alloc(), PTE_R | PTE_W);
  as.setPte(STACK_TOP / 4096 - 1, phys.alloc(), PTE_R | PTE_W);
  const cpu = new Cpu(as);
  cpu.pc = CODE_BASE;
  cpu.x[62] = STACK_TOP;
  return cpu;
}

/** Runs until an exit other than Quantum; returns it. Snippets should end with `brk #0`. */
export function runToExit(cpu: Cpu, maxInsns = 1_000_000): Exit {
  for (;;) {
    const e = cpu.run(maxInsns);
    if (e !== Exit.Quantum) return e;
    throw new Error(`snippet did not stop within ${maxInsns} instructions (pc=0x${cpu.pc.toString(16)})`);
  }
}

/** Assembles and runs a snippet (a `brk #0` is appended); returns the CPU for inspection. */
export function runAsm(src: string, setup?: (cpu: Cpu) => void): Cpu {
  const cpu = machineWith(assemble(`${src}\nbrk #0\n`));
  setup?.(cpu);
  const e = runToExit(cpu);
  if (e !== Exit.Breakpoint) throw new Error(`snippet stopped with exit ${e} at pc=0x${cpu.pc.toString(16)}`);
  return cpu;
}

/** Register n as an unsigned BigInt (tests only). */
export function xreg(cpu: Cpu, n: number): bigint {
  return (BigInt(cpu.x[2 * n + 1]! >>> 0) << 32n) | BigInt(cpu.x[2 * n]! >>> 0);
}

/** Sets register n from a BigInt (tests only). */
export function setX(cpu: Cpu, n: number, v: bigint): void {
  const u = BigInt.asUintN(64, v);
  cpu.x[2 * n] = Number(u & 0xffffffffn) | 0;
  cpu.x[2 * n + 1] = Number(u >> 32n) | 0;
}

/** Vector register n as 16 bytes. */
export function vreg(cpu: Cpu, n: number): Uint8Array {
  return cpu.v8.slice(n * 16, n * 16 + 16);
}

/** Vector register n's low 64 bits as BigInt. */
export function dreg(cpu: Cpu, n: number): bigint {
  return (BigInt(cpu.v32[n * 4 + 1]! >>> 0) << 32n) | BigInt(cpu.v32[n * 4]! >>> 0);
}
