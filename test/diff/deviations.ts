/**
 * Known places where qemu-aarch64 (7.2, the reference) departs from the architecture and from Linux
 * on hardware, and compat64 follows the architecture. A difference explained by one of these rules
 * is counted apart (as a deviation of the reference), not as a mismatch. Each rule is narrow: it
 * matches only when everything else about the two results agrees.
 */
import { decodeName } from '../../src/cpu/a64/decoder.js';
import { LDST_ENCODINGS } from '../../src/cpu/a64/ldst.js';
import { LDST_SIMD_ENCODINGS } from '../../src/cpu/a64/ldst-simd.js';
import { differences } from './compare.js';
import {
  CODE_ADDR,
  type CaseResult,
  type DiffCase,
  SANDBOX_ADDR,
  SIGBUS,
  SIGSEGV,
  ST_FPCR,
  ST_V,
  ST_X,
  STATE_SIZE,
} from './layout.js';

const LDST_ROWS = new Set([...LDST_ENCODINGS, ...LDST_SIMD_ENCODINGS].map((e) => e.name));

/**
 * Whether the results differ only in the given general registers, vector registers and sandbox
 * bytes [from, to) (sandbox offsets).
 */
function differOnlyIn(
  ref: CaseResult,
  got: CaseResult,
  xs: ReadonlySet<number>,
  vs: ReadonlySet<number>,
  from: number,
  to: number,
): boolean {
  for (let o = 0; o < STATE_SIZE; o++) {
    if (ref.state[o] === got.state[o]) continue;
    if (o < ST_X + 31 * 8) {
      if (!xs.has((o - ST_X) >> 3)) return false;
    } else if (o >= ST_V) {
      if (!vs.has((o - ST_V) >> 4)) return false;
    } else if (o < ST_FPCR || o >= ST_V) return false;
    else return false;
  }
  for (let i = 0; i < ref.sandbox.length; i++)
    if (ref.sandbox[i] !== got.sandbox[i] && (i < from || i >= to)) return false;
  return true;
}

export interface Deviation {
  readonly name: string;
  readonly why: string;
  applies(c: DiffCase, ref: CaseResult, got: CaseResult): boolean;
}

function wordAt(c: DiffCase, pc: number): number | undefined {
  const i = (pc - CODE_ADDR) / 4;
  return Number.isInteger(i) && i >= 0 && i < c.code.length ? c.code[i] : undefined;
}

export const DEVIATIONS: readonly Deviation[] = [
  {
    name: 'dc-zva-fault-pc',
    why:
      'qemu-aarch64 7.2 reports a faulting DC ZVA with a wrong si_addr and, unless the DC ZVA starts its ' +
      'translation block, the pc of the block start (its helper does not restore the guest state); Linux ' +
      'reports the DC ZVA and the address in its register (the architecture requires that address in FAR)',
    applies(c, ref, got) {
      if (ref.signo !== SIGSEGV || got.signo !== SIGSEGV) return false;
      if (ref.pc === got.pc && ref.addr === got.addr) return false;
      const w = wordAt(c, got.pc);
      if (w === undefined || decodeName(w) !== 'DC_ZVA') return false;
      return differences(ref, { ...got, pc: ref.pc, addr: ref.addr }).length === 0;
    },
  },
  {
    name: 'fault-partial-transfer',
    why:
      'a load/store of several elements or registers that faults part-way leaves its destination registers ' +
      'and memory UNKNOWN; qemu-aarch64 has transferred the elements before the fault, compat64 (like ' +
      'hardware, which takes the abort before any update) none',
    applies(c, ref, got) {
      if (ref.signo !== got.signo || (ref.signo !== SIGSEGV && ref.signo !== SIGBUS)) return false;
      if (ref.pc !== got.pc || ref.addr !== got.addr) return false;
      const w = wordAt(c, got.pc);
      if (w === undefined || !LDST_ROWS.has(decodeName(w))) return false;
      const t = w & 31;
      const t2 = (w >>> 10) & 31;
      const xs = new Set([t, t2]);
      const vs = new Set([t, (t + 1) & 31, (t + 2) & 31, (t + 3) & 31, t2]);
      const fault = ref.addr - SANDBOX_ADDR;
      return differOnlyIn(ref, got, xs, vs, fault - 64, fault);
    },
  },
];

/** The deviation explaining the difference between the results, if any. */
export function knownDeviation(c: DiffCase, ref: CaseResult, got: CaseResult): Deviation | undefined {
  return DEVIATIONS.find((d) => d.applies(c, ref, got));
}
