/**
 * Branches, exception generation and (in system.ts) system instructions.
 * Exception generation ends the run loop with an Exit value; the kernel turns it into a syscall or a signal.
 */
import type { Cpu } from './cpu.js';
import { type Encoding, enc } from './encoding.js';
import { Exit } from './exits.js';

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
  enc('SVC', 'SVC', '11010100 000 iiiiiiiiiiiiiiii 000 01', SVC),
  enc('BRK', 'BRK', '11010100 001 iiiiiiiiiiiiiiii 000 00', BRK),
  enc('HLT', 'HLT', '11010100 010 iiiiiiiiiiiiiiii 000 00', HLT),
];
