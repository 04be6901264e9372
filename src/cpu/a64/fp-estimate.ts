/**
 * Reciprocal and reciprocal-square-root estimates and steps (Arm ARM FPRecipEstimate, FPRSqrtEstimate,
 * FPRecpX, FPRecipStepFused, FPRSqrtStepFused, UnsignedRecipEstimate, UnsignedRSqrtEstimate). The
 * estimates are the architecture's bit-exact 8-bit tables (RecipEstimate/RecipSqrtEstimate, without
 * FEAT_RPRES), built on first use. Element indices as in fp-ops.ts.
 */
import type { Cpu } from './cpu.js';
import { fusedValue } from './fp-fma.js';
import { INF, nanResult, processNaNs2, put, putDefaultNaN, QNAN, uNeg, unpack, uValue, ZERO } from './fp-ops.js';
import { DZC, F64, FPCR_FZ, fpcrMode, IOC, IXC, MAX_NORMAL, OFC, RM, RN, RP, UFC } from './fp-round.js';

const TWO44 = 17592186044416;
const TWO51 = 2251799813685248;
const TWO52 = 4503599627370496;
const TWO32 = 4294967296;

/** RecipEstimate(a) for a in 256..511, indexed by a - 256: 2^19 / (2a + 1) rounded to nearest. */
const RECIP = new Uint16Array(256);

/**
 * RecipSqrtEstimate(a) for a in 128..511, indexed by a - 128. The pseudocode counts b up from 512
 * while a * (b + 1)^2 < 2^28; b is found from the square root and corrected by exact integer steps
 * instead (the count took ~100k interpreted iterations at every start). Products stay below 2^32.
 */
const RSQRT = new Uint16Array(384);

/** Whether RECIP and RSQRT are filled: on the first estimate, not at every start. */
let tablesReady = false;

function fillTables(): void {
  for (let a = 256; a < 512; a++) {
    const b = Math.floor(2 ** 19 / (a * 2 + 1));
    RECIP[a - 256] = (b + 1) >> 1;
  }
  for (let a0 = 128; a0 < 512; a0++) {
    const a = a0 < 256 ? a0 * 2 + 1 : ((a0 >> 1) << 1) * 2 + 2;
    let b = Math.max(512, Math.ceil(Math.sqrt(2 ** 28 / a)) - 1);
    while (b > 512 && a * b * b >= 2 ** 28) b--;
    while (a * (b + 1) * (b + 1) < 2 ** 28) b++;
    RSQRT[a0 - 128] = (b + 1) >> 1;
  }
  tablesReady = true;
}

/** Biased exponent and 52-bit fraction (as an exact double) of element n, for the estimates. */
let eExp = 0;
let eFrac = 0;
function fields(cpu: Cpu, fmt: number, n: number): void {
  if (fmt === F64) {
    const hi = cpu.v32[2 * n + 1];
    eExp = (hi >>> 20) & 0x7ff;
    eFrac = (hi & 0xfffff) * TWO32 + (cpu.v32[2 * n] >>> 0);
  } else {
    const b = cpu.v32[n];
    eExp = (b >>> 23) & 0xff;
    eFrac = (b & 0x7fffff) * 536870912; // << 29
  }
}

/** Writes sign : exp : fraction52 (truncated to the format's fraction width) to element d. */
function putFields(cpu: Cpu, fmt: number, d: number, neg: boolean, exp: number, frac52: number): void {
  if (fmt === F64) {
    const fhi = Math.floor(frac52 / TWO32);
    cpu.v32[2 * d] = frac52 - fhi * TWO32;
    cpu.v32[2 * d + 1] = (neg ? 0x80000000 : 0) | (exp << 20) | fhi;
  } else cpu.v32[d] = (neg ? 0x80000000 : 0) | (exp << 23) | Math.floor(frac52 / 536870912);
}

/** FRECPE: reciprocal estimate of element n into d. */
export function frecpe(cpu: Cpu, fmt: number, d: number, n: number): void {
  const t = unpack(cpu, fmt, n);
  const neg = uNeg;
  if (t >= QNAN) {
    nanResult(cpu, fmt, d, n, t, 0);
    return;
  }
  if (t === INF) {
    put(cpu, fmt, d, neg ? -0 : 0);
    return;
  }
  if (t === ZERO) {
    cpu.fpsr |= DZC;
    put(cpu, fmt, d, neg ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY);
    return;
  }
  const av = Math.abs(uValue[0]);
  if (av < (fmt === F64 ? 2 ** -1024 : 2 ** -128)) {
    const mode = fpcrMode(cpu);
    const toInf = mode === RN || (mode === RP && !neg) || (mode === RM && neg);
    const r = toInf ? Number.POSITIVE_INFINITY : MAX_NORMAL[fmt];
    put(cpu, fmt, d, neg ? -r : r);
    cpu.fpsr |= OFC | IXC;
    return;
  }
  if ((cpu.fpcr & FPCR_FZ) !== 0 && av >= (fmt === F64 ? 2 ** 1022 : 2 ** 126)) {
    put(cpu, fmt, d, neg ? -0 : 0);
    cpu.fpsr |= UFC;
    return;
  }
  fields(cpu, fmt, n);
  let exp = eExp;
  let frac = eFrac;
  if (exp === 0) {
    if (frac < TWO51) {
      exp = -1;
      frac = (frac * 4) % TWO52;
    } else frac = (frac * 2) % TWO52;
  }
  if (!tablesReady) fillTables();
  const est = RECIP[Math.floor(frac / TWO44)];
  let resExp = (fmt === F64 ? 2045 : 253) - exp;
  frac = (est & 0xff) * TWO44;
  if (resExp === 0) frac = TWO51 + frac / 2;
  else if (resExp === -1) {
    frac = TWO51 / 2 + frac / 4;
    resExp = 0;
  }
  putFields(cpu, fmt, d, neg, resExp, frac);
}

/** FRSQRTE: reciprocal square root estimate of element n into d. */
export function frsqrte(cpu: Cpu, fmt: number, d: number, n: number): void {
  const t = unpack(cpu, fmt, n);
  const neg = uNeg;
  if (t >= QNAN) {
    nanResult(cpu, fmt, d, n, t, 0);
    return;
  }
  if (t === ZERO) {
    cpu.fpsr |= DZC;
    put(cpu, fmt, d, neg ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY);
    return;
  }
  if (neg) {
    cpu.fpsr |= IOC;
    putDefaultNaN(cpu, fmt, d);
    return;
  }
  if (t === INF) {
    put(cpu, fmt, d, 0);
    return;
  }
  fields(cpu, fmt, n);
  let exp = eExp;
  let frac = eFrac;
  if (exp === 0) {
    while (frac < TWO51) {
      frac *= 2;
      exp -= 1;
    }
    frac = (frac * 2) % TWO52;
  }
  // An odd biased exponent is an even power of two: the value scales to [0.25, 0.5), else [0.5, 1).
  const scaled = (exp & 1) !== 0 ? 128 + Math.floor(frac / (TWO44 * 2)) : 256 + Math.floor(frac / TWO44);
  const resExp = Math.floor(((fmt === F64 ? 3068 : 380) - exp) / 2);
  if (!tablesReady) fillTables();
  putFields(cpu, fmt, d, false, resExp, (RSQRT[scaled - 128] & 0xff) * TWO44);
}

/** FRECPX: reciprocal exponent (sign kept, exponent inverted, fraction cleared). */
export function frecpx(cpu: Cpu, fmt: number, d: number, n: number): void {
  const t = unpack(cpu, fmt, n);
  if (t >= QNAN) {
    nanResult(cpu, fmt, d, n, t, 0);
    return;
  }
  fields(cpu, fmt, n);
  const max = fmt === F64 ? 0x7ff : 0xff;
  putFields(cpu, fmt, d, uNeg, eExp === 0 ? max - 1 : ~eExp & max, 0);
}

/**
 * FRECPS (2 - n*m) and FRSQRTS ((3 - n*m) / 2), fused: FPRecipStepFused/FPRSqrtStepFused negate the
 * first operand before NaN processing; 0 * Inf gives exactly 2.0 or 1.5.
 */
export function frecps(cpu: Cpu, fmt: number, d: number, n: number, m: number, rsqrt: boolean): void {
  const t1 = unpack(cpu, fmt, n);
  const a = -uValue[0];
  const s1 = !uNeg;
  const t2 = unpack(cpu, fmt, m);
  const b = uValue[0];
  if (t1 >= QNAN || t2 >= QNAN) {
    processNaNs2(cpu, fmt, d, n, t1, m, t2, 1 << 31);
    return;
  }
  if ((t1 === INF && t2 === ZERO) || (t1 === ZERO && t2 === INF)) {
    put(cpu, fmt, d, rsqrt ? 1.5 : 2);
    return;
  }
  if (t1 === INF || t2 === INF) {
    put(cpu, fmt, d, s1 !== uNeg ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY);
    return;
  }
  put(cpu, fmt, d, fusedValue(cpu, fmt, rsqrt ? 3 : 2, a, b, rsqrt ? -1 : 0, fpcrMode(cpu)));
}

/** URECPE on a 32-bit element (as int32): all ones below 0.5, else the 9-bit estimate in the top bits. */
export function urecpe(x: number): number {
  if (x >= 0) return -1;
  if (!tablesReady) fillTables();
  return RECIP[(x >>> 23) - 256] << 23;
}

/** URSQRTE on a 32-bit element: all ones below 0.25, else the 9-bit estimate in the top bits. */
export function ursqrte(x: number): number {
  if (x >>> 30 === 0) return -1;
  if (!tablesReady) fillTables();
  return RSQRT[(x >>> 23) - 128] << 23;
}
