/**
 * System instructions reachable from EL0 under Linux: hints, barriers, CLREX, MRS/MSR of the
 * registers user code may touch, and the cache-maintenance SYS instructions Linux enables for EL0
 * (SCTLR_EL1.UCI and DZE set). Everything else in the system space has no row, so it is undefined
 * (SIGILL), as Linux leaves it: MSR (immediate) to DAIF/SPSel/…, EL1 registers, PMU and debug
 * registers, other SYS/SYSL operations.
 */
import type { Cpu } from './cpu.js';
import { type Encoding, enc } from './encoding.js';
import { Exit } from './exits.js';
import { CTR_EL0_VALUE, DC_ZVA_BYTES, DCZID_EL0_VALUE, idRegisterRead, sysreg } from './id-registers.js';
import { dataAddr, rz, setAddr, wz } from './registers.js';

/** FPCR bits that hold a value: AHP, DN, FZ, RMode, Stride, Len (no FP16, no trapped exceptions). */
export const FPCR_MASK = 0x07f70000;
/** FPSR bits that hold a value: N, Z, C, V, QC and the cumulative IDC, IXC, UFC, OFC, DZC, IOC. */
export const FPSR_MASK = 0xf800009f;

const NZCV = sysreg(3, 3, 4, 2, 0);
const FPCR = sysreg(3, 3, 4, 4, 0);
const FPSR = sysreg(3, 3, 4, 4, 1);
const TPIDR_EL0 = sysreg(3, 3, 13, 0, 2);
const TPIDRRO_EL0 = sysreg(3, 3, 13, 0, 3);
const CTR_EL0 = sysreg(3, 3, 0, 0, 1);
const DCZID_EL0 = sysreg(3, 3, 0, 0, 7);
const CNTFRQ_EL0 = sysreg(3, 3, 14, 0, 0);
const CNTVCT_EL0 = sysreg(3, 3, 14, 0, 2);

// ---- Hints ----
// Every hint without a row of its own executes as NOP, as the architecture requires for unallocated
// hints: SEV, SEVL, ESB, PSB, CSDB, and the pointer-authentication and BTI hints (PACIASP, AUTIASP,
// XPACLRI, BTI…), which are NOPs on a CPU without FEAT_PAuth/FEAT_BTI, as compat64 advertises.

function NOP(_cpu: Cpu, _insn: number): void {}

/** YIELD, WFE, WFI: the task could give up its time slice. */
function YIELD(cpu: Cpu, _insn: number): void {
  cpu.exit = Exit.Yield;
}

// ---- Barriers and CLREX ----
// One interpreter thread runs guest code in program order, so barriers have nothing to order.

/** CLREX: clears the local exclusive monitor. */
function CLREX(cpu: Cpu, _insn: number): void {
  cpu.exclAddr = -1;
}

// ---- System register moves ----

/** MRS TPIDR_EL0 (thread pointer reads are frequent in libc code: a row of their own). */
function MRS_tpidr(cpu: Cpu, insn: number): void {
  const d = wz(insn & 31);
  cpu.x[d] = cpu.tpidrLo;
  cpu.x[d + 1] = cpu.tpidrHi;
}

/** MSR TPIDR_EL0. */
function MSR_tpidr(cpu: Cpu, insn: number): void {
  const t = rz(insn & 31);
  cpu.tpidrLo = cpu.x[t]!;
  cpu.tpidrHi = cpu.x[t + 1]!;
}

/** MRS Xt, <sysreg>: the readable registers; anything else is undefined. */
function MRS(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  const key = (insn >>> 5) & 0xffff;
  let lo = 0;
  let hi = 0;
  switch (key) {
    case NZCV:
      lo = cpu.nzcv | 0;
      break;
    case FPCR:
      lo = cpu.fpcr | 0;
      break;
    case FPSR:
      lo = cpu.fpsr | 0;
      break;
    case TPIDR_EL0:
      lo = cpu.tpidrLo;
      hi = cpu.tpidrHi;
      break;
    case TPIDRRO_EL0:
      break;
    case CTR_EL0:
      lo = CTR_EL0_VALUE | 0;
      break;
    case DCZID_EL0:
      lo = DCZID_EL0_VALUE;
      break;
    case CNTFRQ_EL0:
      lo = cpu.cntfrq | 0;
      break;
    case CNTVCT_EL0:
      setAddr(x, d, Math.floor(cpu.counter()));
      return;
    default: {
      const v = idRegisterRead(key);
      if (v < 0) {
        cpu.undefined();
        return;
      }
      lo = v | 0;
    }
  }
  x[d] = lo;
  x[d + 1] = hi;
}

/** MSR <sysreg>, Xt: NZCV, FPCR, FPSR and TPIDR_EL0 are writable at EL0; anything else is undefined. */
function MSR(cpu: Cpu, insn: number): void {
  const t = rz(insn & 31);
  const v = cpu.x[t]!;
  switch ((insn >>> 5) & 0xffff) {
    case NZCV:
      cpu.nzcv = v;
      return;
    case FPCR:
      cpu.fpcr = (v & FPCR_MASK) >>> 0;
      return;
    case FPSR:
      cpu.fpsr = (v & FPSR_MASK) >>> 0;
      return;
    case TPIDR_EL0:
      cpu.tpidrLo = v;
      cpu.tpidrHi = cpu.x[t + 1]!;
      return;
    default:
      cpu.undefined();
  }
}

// ---- Cache maintenance (SYS) ----

/** DC ZVA: zeroes the 64-byte block holding the address in Xt; faults like a store. */
function DC_ZVA(cpu: Cpu, insn: number): void {
  const a = dataAddr(cpu.x, rz(insn & 31));
  const start = a - (a % DC_ZVA_BYTES);
  // The block never crosses a page, so starting at the register's address makes a fault report that
  // address (the FAR of a DC ZVA abort, as qemu-aarch64 reports it), not the block's start.
  cpu.mem.fill(a, 0, start + DC_ZVA_BYTES - a);
  if (a !== start) cpu.mem.fill(start, 0, a - start);
}

/**
 * DC CVAU/CVAC/CIVAC/CVAP and IC IVAU: no caches to maintain (the decode cache follows writes by
 * itself). Linux can fault on an unmapped address here; compat64 does not check.
 */
function CACHE_NOP(_cpu: Cpu, _insn: number): void {}

export const SYSTEM_ENCODINGS: readonly Encoding[] = [
  // Hints: 1101010100 0 00 011 0010 CRm op2 11111.
  enc('HINT', 'NOP and the other hints', '1101010100 0 00 011 0010 mmmm ooo 11111', NOP),
  enc('YIELD', 'YIELD', '1101010100 0 00 011 0010 0000 001 11111', YIELD),
  enc('WFE', 'WFE', '1101010100 0 00 011 0010 0000 010 11111', YIELD),
  enc('WFI', 'WFI', '1101010100 0 00 011 0010 0000 011 11111', YIELD),

  // Barriers: 1101010100 0 00 011 0011 CRm op2 11111.
  enc('CLREX', 'CLREX', '1101010100 0 00 011 0011 mmmm 010 11111', CLREX),
  enc('DSB', 'DSB (and SSBB, PSSBB)', '1101010100 0 00 011 0011 mmmm 100 11111', NOP),
  enc('DMB', 'DMB', '1101010100 0 00 011 0011 mmmm 101 11111', NOP),
  enc('ISB', 'ISB', '1101010100 0 00 011 0011 mmmm 110 11111', NOP),
  // SB (FEAT_SB, ARMv8.5) has no row: compat64 does not advertise it (no HWCAP_SB), so it is undefined
  // as on an ARMv8.0 CPU.

  // System register moves: 1101010100 L 1 o0 op1 CRn CRm op2 Rt.
  enc('MRS', 'MRS', '1101010100 1 1 rrrrrrrrrrrrrrr ttttt', MRS),
  enc('MSR_reg', 'MSR (register)', '1101010100 0 1 rrrrrrrrrrrrrrr ttttt', MSR),
  enc('MRS_tpidr', 'MRS Xt, TPIDR_EL0', '1101010100 1 1 1 011 1101 0000 010 ttttt', MRS_tpidr),
  enc('MSR_tpidr', 'MSR TPIDR_EL0, Xt', '1101010100 0 1 1 011 1101 0000 010 ttttt', MSR_tpidr),

  // SYS: 1101010100 0 01 op1 CRn CRm op2 Rt, the EL0 cache operations only.
  enc('DC_ZVA', 'DC ZVA', '1101010100 0 01 011 0111 0100 001 ttttt', DC_ZVA),
  enc('DC_CVAC', 'DC CVAC', '1101010100 0 01 011 0111 1010 001 ttttt', CACHE_NOP),
  enc('DC_CVAU', 'DC CVAU', '1101010100 0 01 011 0111 1011 001 ttttt', CACHE_NOP),
  // DC CVAP (FEAT_DPB, ARMv8.2) has no row: not advertised (no HWCAP_DCPOP), so undefined as on ARMv8.0.
  enc('DC_CIVAC', 'DC CIVAC', '1101010100 0 01 011 0111 1110 001 ttttt', CACHE_NOP),
  enc('IC_IVAU', 'IC IVAU', '1101010100 0 01 011 0111 0101 001 ttttt', CACHE_NOP),
];
