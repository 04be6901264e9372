/**
 * AdvSIMD floating point against qemu-aarch64: random instances of every vector and scalar-SIMD FP
 * encoding (single and double lanes; half only in FCVTL/FCVTN) on operands rich in special values,
 * under every rounding mode and with FZ/DN, comparing all registers, FPSR and NZCV bit for bit.
 * Skipped when qemu-aarch64 or the cross compiler is missing (simd-fp.test.ts has fixed expectations).
 */
import { describe, it } from 'node:test';
import { oracleAvailable } from '../../support/insn-oracle.js';
import { fuzzTemplates, type Template } from '../../support/insn-fuzz.js';

const skip = !oracleAvailable();
const N = Number(process.env.FP_FUZZ_COUNT ?? 300);

/** FMLAL/FMLSL(2) (FEAT_FHM, half-precision sources) live in the three-same space and are not implemented. */
function fhm(w: number): boolean {
  const op = (w >>> 11) & 31;
  const u = (w >>> 29) & 1;
  return (op === 0b11101 && u === 0) || (op === 0b11001 && u === 1);
}

const VECTOR: Template[] = [
  { name: 'three-same (vector)', pattern: '0qu 01110 az 1 mmmmm 11ooo 1 nnnnn ddddd', lanes: 'any', skip: fhm },
  { name: 'three-same (vector, single)', pattern: '0qu 01110 a0 1 mmmmm 11ooo 1 nnnnn ddddd', lanes: 's', skip: fhm },
  { name: 'three-same (vector, double)', pattern: '01u 01110 a1 1 mmmmm 11ooo 1 nnnnn ddddd', lanes: 'd', skip: fhm },
  { name: 'three-same (scalar)', pattern: '01u 11110 az 1 mmmmm 11ooo 1 nnnnn ddddd', lanes: 'any', skip: fhm },
  { name: 'pairwise (scalar)', pattern: '011 11110 az 11000 011oo 10 nnnnn ddddd', lanes: 'any' },
  { name: 'across lanes', pattern: '0q1 01110 az 11000 011oo 10 nnnnn ddddd', lanes: 's' },
  {
    name: 'by element (vector)',
    pattern: '0qu 01111 1z lm mmmm ooo1 h 0 nnnnn ddddd',
    lanes: 'any',
    skip: (w) =>
      ((w >>> 12) & 15) === 0b1101 ||
      ((w >>> 12) & 15) === 0b0011 ||
      ((w >>> 12) & 15) === 0b0111 ||
      ((w >>> 12) & 15) === 0b1011 ||
      ((w >>> 12) & 15) === 0b1111 ||
      (((w >>> 29) & 1) === 1 && ((w >>> 12) & 15) !== 0b1001),
  },
  {
    name: 'by element (scalar)',
    pattern: '01u 11111 1z lm mmmm ooo1 h 0 nnnnn ddddd',
    lanes: 'any',
    skip: (w) =>
      ((w >>> 12) & 15) === 0b1101 ||
      ((w >>> 12) & 15) === 0b0011 ||
      ((w >>> 12) & 15) === 0b0111 ||
      ((w >>> 12) & 15) === 0b1011 ||
      ((w >>> 12) & 15) === 0b1111 ||
      (((w >>> 29) & 1) === 1 && ((w >>> 12) & 15) !== 0b1001),
  },
  {
    name: 'two-reg misc (vector)',
    pattern: '0qu 01110 1z 10000 ooooo 10 nnnnn ddddd',
    lanes: 'any',
    skip: (w) =>
      ((w >>> 12) & 31) < 0b01100 ||
      ((w >>> 12) & 31) === 0b11110 ||
      (((w >>> 12) & 31) === 0b11111 && ((w >>> 29) & 1) === 0) ||
      (((w >>> 12) & 31) >= 0b10000 && ((w >>> 12) & 31) < 0b11000),
  },
  {
    name: 'two-reg misc a=0 (vector)',
    pattern: '0qu 01110 0z 10000 1oooo 10 nnnnn ddddd',
    lanes: 'any',
    skip: (w) =>
      ((w >>> 12) & 15) < 0b0110 ||
      ((w >>> 12) & 15) >= 0b1110 ||
      (((w >>> 12) & 15) === 0b0111 && ((w >>> 29) & 1) === 1),
  },
  {
    name: 'two-reg misc (scalar)',
    pattern: '01u 11110 az 10000 ooooo 10 nnnnn ddddd',
    lanes: 'any',
    skip: (w) => {
      const o = (w >>> 12) & 31;
      const a = (w >>> 23) & 1;
      const u = (w >>> 29) & 1;
      if (a === 1)
        return !(
          o === 0b01100 ||
          o === 0b01101 ||
          (o === 0b01110 && u === 0) ||
          o === 0b11010 ||
          o === 0b11011 ||
          o === 0b11101 ||
          (o === 0b11111 && u === 0)
        );
      return !(o === 0b11010 || o === 0b11011 || o === 0b11100 || o === 0b11101 || (o === 0b10110 && u === 1));
    },
  },
  {
    name: 'fixed-point (vector)',
    pattern: '0qu 011110 1hhh bbb 111oo 1 nnnnn ddddd',
    lanes: 'any',
    skip: (w) => ((w >>> 11) & 31) !== 0b11100 && ((w >>> 11) & 31) !== 0b11111,
  },
  {
    name: 'fixed-point (vector, single)',
    pattern: '0qu 011110 01hh bbb 111oo 1 nnnnn ddddd',
    lanes: 's',
    skip: (w) => ((w >>> 11) & 31) !== 0b11100 && ((w >>> 11) & 31) !== 0b11111,
  },
  {
    name: 'fixed-point (scalar)',
    pattern: '01u 111110 hhhh bbb 111oo 1 nnnnn ddddd',
    lanes: 'any',
    skip: (w) => (((w >>> 11) & 31) !== 0b11100 && ((w >>> 11) & 31) !== 0b11111) || ((w >>> 19) & 15) < 4,
  },
  { name: 'FMOV (vector, immediate)', pattern: '0qo 0111100000 iii 1111 0 1 jjjjj ddddd', lanes: 'any' },
];

describe('AdvSIMD FP matches qemu-aarch64', { skip }, () => {
  for (const t of VECTOR) {
    it(t.name, () => fuzzTemplates([t], N, t.name.length * 104729 + 3));
  }
});
