/**
 * Scalar floating point against qemu-aarch64: random instances of every scalar FP encoding on operands
 * rich in special values (signed zeros, subnormals, infinities, NaN payloads, rounding ties), under
 * every rounding mode and with FZ/DN, comparing all registers, FPSR and NZCV bit for bit.
 * Skipped when qemu-aarch64 or the cross compiler is missing (fp.test.ts has fixed expectations).
 */
import { describe, it } from 'node:test';
import { bits32, bits64, fromBits32, fromBits64, type Rng } from '../../support/fp-values.js';
import type { InsnState } from '../../support/insn-oracle.js';
import { oracleAvailable } from '../../support/insn-oracle.js';
import { fuzzTemplates, type Template } from '../../support/insn-fuzz.js';

const skip = !oracleAvailable();
const N = Number(process.env.FP_FUZZ_COUNT ?? 400);

/** Makes the addend of an FMADD-family instruction nearly cancel the product (exactness tests). */
function cancelAddend(st: InsnState, rng: Rng): void {
  if (!rng.chance(0.5)) return;
  const dv = new DataView(st.q.buffer);
  const d = (st.insn >>> 22) & 1;
  const n = (st.insn >>> 5) & 3;
  const m = (st.insn >>> 16) & 3;
  const a = (st.insn >>> 10) & 3;
  if (d) {
    const x = fromBits64(dv.getUint32(16 * n, true), dv.getUint32(16 * n + 4, true));
    const y = fromBits64(dv.getUint32(16 * m, true), dv.getUint32(16 * m + 4, true));
    const [lo, hi] = bits64(-(x * y));
    dv.setUint32(16 * a, (lo ^ rng.int(4)) >>> 0, true);
    dv.setUint32(16 * a + 4, hi, true);
  } else {
    const x = fromBits32(dv.getUint32(16 * n, true));
    const y = fromBits32(dv.getUint32(16 * m, true));
    dv.setUint32(16 * a, (bits32(-(x * y)) ^ rng.int(4)) >>> 0, true);
  }
}

/**
 * qemu before 9.1 sets Z for FJCVTZS of a denormal flushed by FPCR.FZ (qemu issue 2375); Arm's
 * FPToFixedJS clears it (fp.test.ts checks that case on its own).
 */
function fjcvtzsFz(st: InsnState): boolean {
  return (st.insn & 0xfffffc00) === 0x1e7e0000 && (st.fpcr & (1 << 24)) !== 0;
}

const SCALAR: Template[] = [
  { name: 'FP 2-source', pattern: '000 11110 0t 1 mmmmm oooo 10 nnnnn ddddd', lanes: 'any' },
  { name: 'FP 2-source (double)', pattern: '000 11110 01 1 mmmmm oooo 10 nnnnn ddddd', lanes: 'd' },
  { name: 'FP 2-source (single)', pattern: '000 11110 00 1 mmmmm oooo 10 nnnnn ddddd', lanes: 's' },
  { name: 'FMADD family', pattern: '000 11111 0t o mmmmm p aaaaa nnnnn ddddd', lanes: 'any', prep: cancelAddend },
  {
    name: 'FP 1-source',
    pattern: '000 11110 0t 1 00 oooo 10000 nnnnn ddddd',
    lanes: 'any',
    // FCVT to/from half is its own template; BFCVT (ftype 01, opcode 000110) is not implemented.
    skip: (w) => ((w >>> 15) & 0x3f) === 6,
  },
  {
    name: 'FCVT',
    pattern: '000 11110 tt 1 0001 oo 10000 nnnnn ddddd',
    lanes: 'any',
    skip: (w) => ((w >>> 15) & 3) === 2 || ((w >>> 22) & 3) === 2,
  },
  { name: 'FCMP', pattern: '000 11110 0t 1 mmmmm 00 1000 nnnnn ez 000', lanes: 'any' },
  { name: 'FCCMP', pattern: '000 11110 0t 1 mmmmm cccc 01 nnnnn e ffff', lanes: 'any' },
  { name: 'FCSEL', pattern: '000 11110 0t 1 mmmmm cccc 11 nnnnn ddddd', lanes: 'any' },
  { name: 'FMOV imm', pattern: '000 11110 0t 1 iiiiiiii 100 00000 ddddd', lanes: 'any' },
  { name: 'FP <-> int', pattern: 's00 11110 0t 1 rr ooo 000000 nnnnn ddddd', lanes: 'any', refBug: fjcvtzsFz },
  {
    name: 'FMOV general',
    pattern: 's00 11110 tt 1 rr 11o 000000 nnnnn ddddd',
    lanes: 'any',
    refBug: fjcvtzsFz,
  },
  { name: 'FP <-> fixed', pattern: 's00 11110 0t 0 rr ooo kkkkkk nnnnn ddddd', lanes: 'any' },
];

describe('scalar FP matches qemu-aarch64', { skip }, () => {
  for (const t of SCALAR) {
    it(t.name, () => fuzzTemplates([t], N, t.name.length * 7919 + 17));
  }
  it('FCVT with FPCR.AHP', () =>
    fuzzTemplates(
      [
        {
          name: 'FCVT AHP',
          pattern: '000 11110 tt 1 0001 oo 10000 nnnnn ddddd',
          lanes: 'any',
          skip: (w) => ((w >>> 15) & 3) === 2 || ((w >>> 22) & 3) === 2,
        },
      ],
      N,
      99,
      [1 << 26, (1 << 26) | (3 << 22), (1 << 26) | (1 << 25), (1 << 26) | (2 << 22)],
    ));
});
