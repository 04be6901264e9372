/**
 * Random initial machine states for the differential tester: interesting integer values in the
 * general registers, FP-interesting lanes in the vector registers, random flags, FPCR modes and
 * cumulative FPSR bits; for memory classes, pointers into the sandbox and small index registers.
 */
import { type Rng, randomInt64, randomVector } from '../support/fp-values.js';
import {
  SANDBOX_ADDR,
  SANDBOX_SIZE,
  ST_FPCR,
  ST_FPSR,
  ST_NZCV,
  ST_SP,
  ST_TPIDR,
  ST_V,
  ST_X,
  STATE_SIZE,
} from './layout.js';

/**
 * FPCR values: round-to-nearest with nothing else a quarter of the time, then every combination of
 * the four rounding modes (RMode, bits 23:22) with FZ (24), DN (25) and AHP (26).
 */
const FPCRS: readonly number[] = (() => {
  const v: number[] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (let m = 0; m < 32; m++) v.push(((m & 3) << 22) | ((m >> 2) << 24));
  return v;
})();

/** FPSR values: clear, QC alone, some cumulative flags. */
const FPSRS: readonly number[] = [0, 0, 0, 1 << 27, 0x10, 0x9f, 0x0800009f, 0x01];

export interface InitialState {
  state: Uint8Array;
  sandbox: Uint8Array;
}

function put64(dv: DataView, off: number, lo: number, hi: number): void {
  dv.setUint32(off, lo >>> 0, true);
  dv.setUint32(off + 4, hi >>> 0, true);
}

/**
 * A random state. lanes picks the preferred vector lane format; fpModes says whether FPCR takes
 * random rounding modes and FZ/DN/AHP (FP classes) or is mostly 0.
 */
export function randomState(rng: Rng, lanes: 'd' | 's' | 'h' | 'any', fpModes: boolean): Uint8Array {
  const st = new Uint8Array(STATE_SIZE);
  const dv = new DataView(st.buffer);
  for (let r = 0; r < 31; r++) {
    const [lo, hi] = randomInt64(rng);
    put64(dv, ST_X + 8 * r, lo, hi);
  }
  const [slo, shi] = randomInt64(rng);
  put64(dv, ST_SP, slo, shi);
  dv.setUint32(ST_NZCV, (rng.u32() & 0xf0000000) >>> 0, true);
  dv.setUint32(ST_FPCR, fpModes || rng.chance(0.1) ? rng.pick(FPCRS) : 0, true);
  dv.setUint32(ST_FPSR, rng.pick(FPSRS), true);
  put64(dv, ST_TPIDR, rng.u32(), rng.chance(0.5) ? 0 : rng.u32());
  for (let v = 0; v < 32; v++) randomVector(rng, st, ST_V + 16 * v, lanes);
  return st;
}

/** Pointer registers of the memory class: X24-X29 and SP point into the sandbox. */
export const POINTER_REGS: readonly number[] = [24, 25, 26, 27, 28, 29, 31];
/** Pointers that start 16-byte aligned (for exclusives and atomics, which fault when misaligned). */
export const ALIGNED_POINTER_REGS: readonly number[] = [24, 25, 31];
/** Index registers of the memory class: small offsets, non-negative and negative. */
export const INDEX_REGS: readonly number[] = [20, 21, 22, 23];
/** Registers loads may write in the memory class (never a pointer or an index). */
export const DATA_REGS: readonly number[] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19];

/** A pointer into the middle half of the sandbox, with the given alignment. */
function sandboxPointer(rng: Rng, align: number): number {
  const off = SANDBOX_SIZE / 4 + rng.int(SANDBOX_SIZE / 2);
  return SANDBOX_ADDR + off - (off % align);
}

/** A random state for load/store sequences, plus random sandbox contents. */
export function memoryState(rng: Rng): InitialState {
  const state = randomState(rng, 'any', false);
  const dv = new DataView(state.buffer);
  const aligns = [16, 16, 1, 8, 4, 2];
  POINTER_REGS.forEach((r, k) => {
    let p = sandboxPointer(rng, r === 31 ? 16 : aligns[k]!);
    // Now and then X29 starts at an edge of the sandbox, so accesses cross into unmapped pages.
    if (r === 29 && rng.chance(0.3))
      p = rng.chance(0.5) ? SANDBOX_ADDR + SANDBOX_SIZE - rng.int(40) : SANDBOX_ADDR - 8 + rng.int(16);
    // X28 sometimes carries a tag in its top byte: Linux enables top-byte-ignore for data accesses.
    const hi = r === 28 && rng.chance(0.3) ? (rng.int(256) << 24) >>> 0 : 0;
    put64(dv, r === 31 ? ST_SP : ST_X + 8 * r, p, hi);
  });
  put64(dv, ST_X + 8 * 20, rng.int(64), 0);
  put64(dv, ST_X + 8 * 21, rng.int(256), 0);
  put64(dv, ST_X + 8 * 22, -1 - rng.int(64), -1);
  // Negative as a W register, large as an X register: exercises SXTW against UXTW/LSL.
  put64(dv, ST_X + 8 * 23, -1 - rng.int(64), 0);
  const sandbox = new Uint8Array(SANDBOX_SIZE);
  for (let i = 0; i < SANDBOX_SIZE; i += 4) {
    const w = rng.chance(0.1) ? 0 : rng.u32();
    sandbox[i] = w & 255;
    sandbox[i + 1] = (w >>> 8) & 255;
    sandbox[i + 2] = (w >>> 16) & 255;
    sandbox[i + 3] = w >>> 24;
  }
  return { state, sandbox };
}
