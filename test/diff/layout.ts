/**
 * The differential tester's guest layout and record format (mirrors test/diff/harness/layout.h: keep
 * both in step). A machine state is kept as the 800 bytes the guest harness reads and writes, so the
 * compat64 side and the qemu side compare byte ranges, never re-encoded values.
 */

/** The sequence runs from CODE_ADDR (one page); the sandbox holds all data the loads and stores touch. */
export const CODE_ADDR = 0x4000000;
export const CODE_SIZE = 4096;
export const SANDBOX_ADDR = 0x5000000;
export const SANDBOX_SIZE = 8192;
/** The word that ends every sequence (and the harness's end-of-case signal, SIGTRAP). */
export const BRK0 = 0xd4200000 | 0;

export const CASE_MAGIC = 0x64696666;
export const HEADER_SIZE = 16;
export const STATE_SIZE = 800;
export const RESULT_SIZE = 32;

/** Offsets in a state: X0-X30, SP, NZCV (bits 31:28), FPCR, FPSR, TPIDR_EL0 (8 bytes each), V0-V31. */
export const ST_X = 0;
export const ST_SP = 248;
export const ST_NZCV = 256;
export const ST_FPCR = 264;
export const ST_FPSR = 272;
export const ST_TPIDR = 280;
export const ST_V = 288;

/** Signal numbers a case ends with (arm64 Linux). */
export const SIGILL = 4;
export const SIGTRAP = 5;
export const SIGBUS = 7;
export const SIGFPE = 8;
export const SIGSEGV = 11;

export const SIGNAL_NAMES: Readonly<Record<number, string>> = {
  [SIGILL]: 'SIGILL',
  [SIGTRAP]: 'SIGTRAP',
  [SIGBUS]: 'SIGBUS',
  [SIGFPE]: 'SIGFPE',
  [SIGSEGV]: 'SIGSEGV',
};

/** The qemu CPU models cases run on: ARMv8.0 + CRC + crypto, and one with LSE for the atomics. */
export type CpuModel = 'cortex-a72' | 'neoverse-n1';

/** One test case: a register state, optional sandbox contents and the sequence (BRK #0 is appended). */
export interface DiffCase {
  readonly cls: string;
  readonly code: Int32Array;
  /** STATE_SIZE bytes. */
  readonly state: Uint8Array;
  /** SANDBOX_SIZE bytes, or empty when the sequence touches no memory. */
  readonly sandbox: Uint8Array;
  readonly model: CpuModel;
  /** Encoding row each word was generated from (for statistics and reports). */
  readonly rows: readonly string[];
}

/** How a case ended and the state at that point. */
export interface CaseResult {
  /** The signal that ended the sequence (SIGTRAP at the final BRK), or 0 when it did not end. */
  signo: number;
  /** Address of the instruction that raised it. */
  pc: number;
  /** si_addr for SIGSEGV/SIGBUS, else 0. */
  addr: number;
  state: Uint8Array;
  sandbox: Uint8Array;
}

export function u64le(b: Uint8Array, off: number): bigint {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(off, true);
}

export function setU64le(b: Uint8Array, off: number, v: bigint): void {
  new DataView(b.buffer, b.byteOffset, b.byteLength).setBigUint64(off, BigInt.asUintN(64, v), true);
}

/** Index of the instruction at pc in a case's sequence (the final BRK is index code.length). */
export function insnIndex(pc: number): number {
  return (pc - CODE_ADDR) / 4;
}
