/**
 * The integer and branch classes of the differential tester. Integer sequences are random words of
 * the data-processing rows (immediate and register), hints, barriers and MRS/MSR of the registers
 * EL0 may touch. Branch sequences mix those with branches whose targets lie forward within the
 * sequence (so every sequence ends): B, BL, B.cond, CB(N)Z, TB(N)Z, and BR/BLR/RET through a
 * register set by an ADR just before (now and then to a misaligned target), plus short counted
 * loops (the only backward branches).
 */
import { BRANCH_ENCODINGS } from '../../src/cpu/a64/branch.js';
import { DP_IMM_ENCODINGS } from '../../src/cpu/a64/dp-imm.js';
import { DP_REG_ENCODINGS } from '../../src/cpu/a64/dp-reg.js';
import { sysreg } from '../../src/cpu/a64/id-registers.js';
import { SYSTEM_ENCODINGS } from '../../src/cpu/a64/system.js';
import type { Rng } from '../support/fp-values.js';
import { randomState } from './initial-state.js';
import { type InsnClass, push, repeatUnits, type Sequence } from './insn-class.js';
import { randomWord, type Template, templateOf } from './templates.js';

/** System rows that need no memory and do not stop the sequence. */
const SYSTEM_ROWS = new Set(['HINT', 'YIELD', 'WFE', 'WFI', 'CLREX', 'DSB', 'DMB', 'ISB']);

const DP_TEMPLATES: readonly Template[] = [...DP_IMM_ENCODINGS, ...DP_REG_ENCODINGS].map(templateOf);
const SYSTEM_TEMPLATES: readonly Template[] = SYSTEM_ENCODINGS.filter((e) => SYSTEM_ROWS.has(e.name)).map(templateOf);

/** Registers MRS reads in the tests: EL0's own, and the ID registers Linux emulates (CNTVCT is time, so left out). */
const MRS_REGS: readonly number[] = [
  sysreg(3, 3, 4, 2, 0), // NZCV
  sysreg(3, 3, 4, 4, 0), // FPCR
  sysreg(3, 3, 4, 4, 1), // FPSR
  sysreg(3, 3, 13, 0, 2), // TPIDR_EL0
  sysreg(3, 3, 13, 0, 3), // TPIDRRO_EL0
  sysreg(3, 3, 0, 0, 1), // CTR_EL0
  sysreg(3, 3, 0, 0, 7), // DCZID_EL0
  sysreg(3, 3, 14, 0, 0), // CNTFRQ_EL0
  sysreg(3, 0, 0, 0, 0), // MIDR_EL1
  sysreg(3, 0, 0, 0, 5), // MPIDR_EL1
  sysreg(3, 0, 0, 0, 6), // REVIDR_EL1
  sysreg(3, 0, 0, 4, 0), // ID_AA64PFR0_EL1
  sysreg(3, 0, 0, 4, 1), // ID_AA64PFR1_EL1
  sysreg(3, 0, 0, 5, 0), // ID_AA64DFR0_EL1
  // ID_AA64ISAR0_EL1 is left out: compat64 advertises LSE (Atomic = 2), qemu's Cortex-A72 does not
  // (system.test.ts checks its value).
  sysreg(3, 0, 0, 6, 1), // ID_AA64ISAR1_EL1
  sysreg(3, 0, 0, 7, 0), // ID_AA64MMFR0_EL1
  sysreg(3, 0, 0, 7, 1), // ID_AA64MMFR1_EL1
  sysreg(3, 0, 0, 7, 2), // ID_AA64MMFR2_EL1
  sysreg(3, 0, 1, 0, 0), // SCTLR_EL1: not accessible at EL0 (SIGILL)
];

/** Registers MSR writes: EL0's writable ones, plus read-only ones (SIGILL). */
const MSR_REGS: readonly number[] = [
  sysreg(3, 3, 4, 2, 0), // NZCV
  sysreg(3, 3, 4, 4, 0), // FPCR
  sysreg(3, 3, 4, 4, 1), // FPSR
  sysreg(3, 3, 13, 0, 2), // TPIDR_EL0
  sysreg(3, 3, 13, 0, 3), // TPIDRRO_EL0: read-only at EL0
  sysreg(3, 3, 0, 0, 1), // CTR_EL0: read-only
];

const MRS_BASE = 0xd5200000;
const MSR_BASE = 0xd5000000;

/** Appends one integer-class instruction. */
export function emitInteger(rng: Rng, seq: Sequence): void {
  const r = rng.int(100);
  if (r < 2) {
    push(seq, MRS_BASE | (rng.pick(MRS_REGS) << 5) | rng.int(32), 'MRS');
  } else if (r < 4) {
    push(seq, MSR_BASE | (rng.pick(MSR_REGS) << 5) | rng.int(32), 'MSR_reg');
  } else if (r < 6) {
    const t = rng.pick(SYSTEM_TEMPLATES);
    push(seq, randomWord(t, rng), t.name);
  } else {
    const t = rng.pick(DP_TEMPLATES);
    push(seq, randomWord(t, rng), t.name);
  }
}

export const INTEGER_CLASS: InsnClass = {
  name: 'integer',
  summary: 'data processing (immediate, register), CRC32, hints, barriers, MRS/MSR',
  templates: [...DP_TEMPLATES, ...SYSTEM_TEMPLATES],
  build: repeatUnits(emitInteger),
  initial: (rng) => ({ state: randomState(rng, 'any', false), sandbox: new Uint8Array(0) }),
  model: () => 'cortex-a72',
};

// ---- Branches ----

const BRANCH_TEMPLATES: readonly Template[] = BRANCH_ENCODINGS.filter(
  (e) => !['SVC', 'BRK', 'HLT', 'BR', 'BLR', 'RET'].includes(e.name),
).map(templateOf);

/** ADR Xd, #imm (byte offset). */
function adr(rd: number, imm: number): number {
  return 0x10000000 | ((imm & 3) << 29) | (((imm >> 2) & 0x7ffff) << 5) | rd | 0;
}

/** A word with the pc-relative word offset of an immediate branch (field by the row's form) set. */
function withOffset(name: string, word: number, off: number): number {
  if (name === 'B' || name === 'BL') return (word & ~0x3ffffff) | (off & 0x3ffffff) | 0;
  if (name === 'TBZ' || name === 'TBNZ') return (word & ~(0x3fff << 5)) | ((off & 0x3fff) << 5) | 0;
  return (word & ~(0x7ffff << 5)) | ((off & 0x7ffff) << 5) | 0;
}

interface Fixup {
  readonly at: number;
  /** 'imm': an immediate branch at `at`; 'reg': ADR at `at`, BR/BLR/RET at `at + 1`. */
  readonly kind: 'imm' | 'reg';
}

/**
 * A counted loop: MOVZ Xk, #n; a body of integer instructions that leave Xk alone; SUBS Xk, Xk, #1;
 * B.NE back to the body. Its body becomes a compiled block that branches to its own start (the
 * block compiler's in-function loop). Returns the positions other branches must not jump to.
 */
function emitLoop(rng: Rng, seq: Sequence): number[] {
  const k = rng.int(29);
  push(seq, 0xd2800000 | ((1 + rng.int(40)) << 5) | k, 'MOVZ_x');
  const start = seq.words.length;
  const bodyLen = 1 + rng.int(6);
  while (seq.words.length < start + bodyLen) {
    emitInteger(rng, seq);
    if ((seq.words[seq.words.length - 1]! & 31) === k) {
      seq.words.pop();
      seq.rows.pop();
    }
  }
  push(seq, 0xf1000400 | (k << 5) | k, 'SUBS_imm_x');
  const back = start - seq.words.length;
  push(seq, 0x54000001 | ((back & 0x7ffff) << 5), 'B_ne');
  return Array.from({ length: seq.words.length - start }, (_, i) => start + i);
}

function buildBranches(rng: Rng, len: number): Sequence {
  const seq: Sequence = { words: [], rows: [] };
  const fixups: Fixup[] = [];
  // Positions no forward branch may target: register branches (reached only through their ADR)
  // and loop bodies (entering one past its MOVZ would count down from a random value).
  const forbidden = new Set<number>();
  while (seq.words.length < len) {
    const r = rng.int(100);
    if (r < 4) {
      for (const p of emitLoop(rng, seq)) forbidden.add(p);
    } else if (r < 20) {
      const t = rng.pick(BRANCH_TEMPLATES);
      fixups.push({ at: seq.words.length, kind: 'imm' });
      push(seq, randomWord(t, rng), t.name);
    } else if (r < 27 && seq.words.length + 2 <= len) {
      const rd = rng.int(31);
      const op = rng.pick([
        ['BR', 0xd61f0000],
        ['BLR', 0xd63f0000],
        ['RET', 0xd65f0000],
      ] as const);
      fixups.push({ at: seq.words.length, kind: 'reg' });
      push(seq, adr(rd, 0), 'ADR');
      push(seq, op[1] | (rd << 5), op[0]);
    } else emitInteger(rng, seq);
  }
  const end = seq.words.length; // index of the final BRK
  // A register branch is only reached through its ADR: jumping to it directly would branch to
  // whatever the register holds (the harness's own code, unmapped or non-canonical addresses).
  for (const f of fixups) if (f.kind === 'reg') forbidden.add(f.at + 1);
  for (const f of fixups) {
    if (f.kind === 'imm') {
      let target = f.at + 1 + rng.int(end - f.at);
      while (forbidden.has(target)) target++;
      seq.words[f.at] = withOffset(seq.rows[f.at]!, seq.words[f.at]!, target - f.at);
    } else {
      let target = f.at + 2 + rng.int(end - f.at - 1);
      while (forbidden.has(target)) target++;
      const rd = seq.words[f.at]! & 31;
      // Rarely a misaligned target: a PC alignment fault (SIGBUS) at the target.
      const skew = rng.chance(0.03) ? 1 + rng.int(3) : 0;
      seq.words[f.at] = adr(rd, (target - f.at) * 4 + skew);
    }
  }
  return seq;
}

export const BRANCH_CLASS: InsnClass = {
  name: 'branch',
  summary:
    'B, BL, B.cond, CBZ/CBNZ, TBZ/TBNZ, BR/BLR/RET (forward, within the sequence) and counted loops among integer instructions',
  templates: BRANCH_TEMPLATES,
  build: buildBranches,
  positional: true,
  initial: (rng) => ({ state: randomState(rng, 'any', false), sandbox: new Uint8Array(0) }),
  model: () => 'cortex-a72',
};
