/**
 * Branches, exception generation and (in system.ts) system instructions.
 * Exception generation ends the run loop with an Exit value; the kernel turns it into a syscall or a signal.
 */
import type { Cpu } from './cpu.js';
import { type Encoding, enc } from './encoding.js';
import { Exit } from './exits.js';
import { rz, setAddr } from './registers.js';

const LR = 30 << 1;

// ---- Unconditional branch (immediate) ----

/** The signed 26-bit word offset of B/BL, in bytes. */
function imm26(insn: number): number {
  return ((insn << 6) >> 6) * 4;
}

/** B: pc-relative jump. */
function B(cpu: Cpu, insn: number): void {
  cpu.npc = cpu.pc + imm26(insn);
}

/** BL: X30 = pc + 4, then jump. */
function BL(cpu: Cpu, insn: number): void {
  setAddr(cpu.x, LR, cpu.pc + 4);
  cpu.npc = cpu.pc + imm26(insn);
}

// ---- Conditional branch (immediate) ----
// One handler per condition, so the flag test is a direct field read rather than cpu.cond's switch.

/** The signed 19-bit word offset of B.cond/CBZ/CBNZ (bits 23:5), in bytes. */
function imm19(insn: number): number {
  return ((insn << 8) >> 13) * 4;
}

function B_eq(cpu: Cpu, insn: number): void {
  if (cpu.zf === 1) cpu.npc = cpu.pc + imm19(insn);
}
function B_ne(cpu: Cpu, insn: number): void {
  if (cpu.zf === 0) cpu.npc = cpu.pc + imm19(insn);
}
function B_cs(cpu: Cpu, insn: number): void {
  if (cpu.cf === 1) cpu.npc = cpu.pc + imm19(insn);
}
function B_cc(cpu: Cpu, insn: number): void {
  if (cpu.cf === 0) cpu.npc = cpu.pc + imm19(insn);
}
function B_mi(cpu: Cpu, insn: number): void {
  if (cpu.nf === 1) cpu.npc = cpu.pc + imm19(insn);
}
function B_pl(cpu: Cpu, insn: number): void {
  if (cpu.nf === 0) cpu.npc = cpu.pc + imm19(insn);
}
function B_vs(cpu: Cpu, insn: number): void {
  if (cpu.vf === 1) cpu.npc = cpu.pc + imm19(insn);
}
function B_vc(cpu: Cpu, insn: number): void {
  if (cpu.vf === 0) cpu.npc = cpu.pc + imm19(insn);
}
function B_hi(cpu: Cpu, insn: number): void {
  if (cpu.cf === 1 && cpu.zf === 0) cpu.npc = cpu.pc + imm19(insn);
}
function B_ls(cpu: Cpu, insn: number): void {
  if (!(cpu.cf === 1 && cpu.zf === 0)) cpu.npc = cpu.pc + imm19(insn);
}
function B_ge(cpu: Cpu, insn: number): void {
  if (cpu.nf === cpu.vf) cpu.npc = cpu.pc + imm19(insn);
}
function B_lt(cpu: Cpu, insn: number): void {
  if (cpu.nf !== cpu.vf) cpu.npc = cpu.pc + imm19(insn);
}
function B_gt(cpu: Cpu, insn: number): void {
  if (cpu.zf === 0 && cpu.nf === cpu.vf) cpu.npc = cpu.pc + imm19(insn);
}
function B_le(cpu: Cpu, insn: number): void {
  if (!(cpu.zf === 0 && cpu.nf === cpu.vf)) cpu.npc = cpu.pc + imm19(insn);
}
/** B.AL and B.NV: both always branch. */
function B_al(cpu: Cpu, insn: number): void {
  cpu.npc = cpu.pc + imm19(insn);
}

// ---- Compare and branch, test and branch ----

function CBZ_w(cpu: Cpu, insn: number): void {
  if (cpu.x[rz(insn & 31)] === 0) cpu.npc = cpu.pc + imm19(insn);
}

function CBNZ_w(cpu: Cpu, insn: number): void {
  if (cpu.x[rz(insn & 31)] !== 0) cpu.npc = cpu.pc + imm19(insn);
}

function CBZ_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const t = rz(insn & 31);
  if ((x[t]! | x[t + 1]!) === 0) cpu.npc = cpu.pc + imm19(insn);
}

function CBNZ_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const t = rz(insn & 31);
  if ((x[t]! | x[t + 1]!) !== 0) cpu.npc = cpu.pc + imm19(insn);
}

/** Bit b5:b40 of Rt (bits 31 and 23:19), as 0 or 1. */
function testedBit(cpu: Cpu, insn: number): number {
  const bit = ((insn >>> 26) & 32) | ((insn >>> 19) & 31);
  return (cpu.x[rz(insn & 31) + (bit >>> 5)]! >>> (bit & 31)) & 1;
}

/** The signed 14-bit word offset of TBZ/TBNZ (bits 18:5), in bytes. */
function imm14(insn: number): number {
  return ((insn << 13) >> 18) * 4;
}

function TBZ(cpu: Cpu, insn: number): void {
  if (testedBit(cpu, insn) === 0) cpu.npc = cpu.pc + imm14(insn);
}

function TBNZ(cpu: Cpu, insn: number): void {
  if (testedBit(cpu, insn) !== 0) cpu.npc = cpu.pc + imm14(insn);
}

// ---- Unconditional branch (register) ----
// The PAC forms (BRAA, RETAA…), ERET and DRPS have no row: undefined at EL0 without FEAT_PAuth.

/**
 * Jumps to the 64-bit target at register index i. Linux enables top-byte-ignore for EL0, which
 * applies to branch targets too: the architecture's BranchAddr replaces bits 63:56 with copies of
 * bit 55, so a tagged target runs at its untagged address. A target that is not a multiple of 4 is
 * a PC alignment fault (SIGBUS BUS_ADRALN at the target); npc stays on the next instruction.
 */
function jumpTo(cpu: Cpu, i: number): void {
  const x = cpu.x;
  const lo = x[i]!;
  const hi = (x[i + 1]! << 8) >> 8;
  const target = (hi >>> 0) * 4294967296 + (lo >>> 0);
  if ((lo & 3) !== 0) {
    cpu.exit = Exit.PcAlign;
    cpu.exitInfo = target;
    return;
  }
  cpu.npc = target;
}

/** BR Xn. */
function BR(cpu: Cpu, insn: number): void {
  jumpTo(cpu, rz((insn >>> 5) & 31));
}

/** BLR Xn: the target is read before X30 is written (BLR X30 jumps to the old X30). */
function BLR(cpu: Cpu, insn: number): void {
  jumpTo(cpu, rz((insn >>> 5) & 31));
  // Written even when the target is misaligned: the branch completes and the fault is taken on
  // the fetch at the target, as on hardware.
  setAddr(cpu.x, LR, cpu.pc + 4);
}

/** RET Xn (X30 by default): BR with a return hint. */
function RET(cpu: Cpu, insn: number): void {
  jumpTo(cpu, rz((insn >>> 5) & 31));
}

// ---- Exception generation ----
// HVC, SMC, DCPS1-3 and the other encodings of this group have no row: at EL0 they are undefined.

/** SVC #imm16: the system call; the run loop leaves pc after it. */
function SVC(cpu: Cpu, insn: number): void {
  cpu.exit = Exit.Svc;
  cpu.exitInfo = (insn >>> 5) & 0xffff;
}

/** BRK #imm16: SIGTRAP (TRAP_BRKPT) at the instruction. */
function BRK(cpu: Cpu, insn: number): void {
  cpu.exit = Exit.Breakpoint;
  cpu.exitInfo = (insn >>> 5) & 0xffff;
}

/** HLT #imm16: halting debug is not enabled for user tasks, so Linux raises SIGILL. */
function HLT(cpu: Cpu, insn: number): void {
  cpu.exit = Exit.Halt;
  cpu.exitInfo = (insn >>> 5) & 0xffff;
}

export const BRANCH_ENCODINGS: readonly Encoding[] = [
  enc('B', 'B', '0 00101 iiiiiiiiiiiiiiiiiiiiiiiiii', B),
  enc('BL', 'BL', '1 00101 iiiiiiiiiiiiiiiiiiiiiiiiii', BL),

  enc('B_eq', 'B.EQ', '0101010 0 iiiiiiiiiiiiiiiiiii 0 0000', B_eq),
  enc('B_ne', 'B.NE', '0101010 0 iiiiiiiiiiiiiiiiiii 0 0001', B_ne),
  enc('B_cs', 'B.CS', '0101010 0 iiiiiiiiiiiiiiiiiii 0 0010', B_cs),
  enc('B_cc', 'B.CC', '0101010 0 iiiiiiiiiiiiiiiiiii 0 0011', B_cc),
  enc('B_mi', 'B.MI', '0101010 0 iiiiiiiiiiiiiiiiiii 0 0100', B_mi),
  enc('B_pl', 'B.PL', '0101010 0 iiiiiiiiiiiiiiiiiii 0 0101', B_pl),
  enc('B_vs', 'B.VS', '0101010 0 iiiiiiiiiiiiiiiiiii 0 0110', B_vs),
  enc('B_vc', 'B.VC', '0101010 0 iiiiiiiiiiiiiiiiiii 0 0111', B_vc),
  enc('B_hi', 'B.HI', '0101010 0 iiiiiiiiiiiiiiiiiii 0 1000', B_hi),
  enc('B_ls', 'B.LS', '0101010 0 iiiiiiiiiiiiiiiiiii 0 1001', B_ls),
  enc('B_ge', 'B.GE', '0101010 0 iiiiiiiiiiiiiiiiiii 0 1010', B_ge),
  enc('B_lt', 'B.LT', '0101010 0 iiiiiiiiiiiiiiiiiii 0 1011', B_lt),
  enc('B_gt', 'B.GT', '0101010 0 iiiiiiiiiiiiiiiiiii 0 1100', B_gt),
  enc('B_le', 'B.LE', '0101010 0 iiiiiiiiiiiiiiiiiii 0 1101', B_le),
  enc('B_al', 'B.AL, B.NV', '0101010 0 iiiiiiiiiiiiiiiiiii 0 111c', B_al),

  enc('CBZ_w', 'CBZ, 32-bit', '0 011010 0 iiiiiiiiiiiiiiiiiii ttttt', CBZ_w),
  enc('CBNZ_w', 'CBNZ, 32-bit', '0 011010 1 iiiiiiiiiiiiiiiiiii ttttt', CBNZ_w),
  enc('CBZ_x', 'CBZ, 64-bit', '1 011010 0 iiiiiiiiiiiiiiiiiii ttttt', CBZ_x),
  enc('CBNZ_x', 'CBNZ, 64-bit', '1 011010 1 iiiiiiiiiiiiiiiiiii ttttt', CBNZ_x),
  enc('TBZ', 'TBZ', 'h 011011 0 bbbbb iiiiiiiiiiiiii ttttt', TBZ),
  enc('TBNZ', 'TBNZ', 'h 011011 1 bbbbb iiiiiiiiiiiiii ttttt', TBNZ),

  enc('BR', 'BR', '1101011 0000 11111 000000 nnnnn 00000', BR),
  enc('BLR', 'BLR', '1101011 0001 11111 000000 nnnnn 00000', BLR),
  enc('RET', 'RET', '1101011 0010 11111 000000 nnnnn 00000', RET),

  enc('SVC', 'SVC', '11010100 000 iiiiiiiiiiiiiiii 000 01', SVC),
  enc('BRK', 'BRK', '11010100 001 iiiiiiiiiiiiiiii 000 00', BRK),
  enc('HLT', 'HLT', '11010100 010 iiiiiiiiiiiiiiii 000 00', HLT),
];
