/**
 * The compat64 side of the differential tester: one Cpu with the code page at CODE_ADDR and the
 * sandbox at SANDBOX_ADDR (the addresses the guest harness uses under qemu), reused for every case.
 * Each exit is mapped to the signal Linux would deliver, with the pc and si_addr Linux reports, so
 * the result compares directly with the harness's record.
 */
import { Cpu, HOT_THRESHOLD } from '../../src/cpu/a64/cpu.js';
import { Exit } from '../../src/cpu/a64/exits.js';
import { AddressSpace, PTE_R, PTE_W, PTE_X } from '../../src/memory/address-space.js';
import { PhysicalMemory } from '../../src/memory/physical-memory.js';
import {
  BRK0,
  type CaseResult,
  CODE_ADDR,
  CODE_SIZE,
  type DiffCase,
  SANDBOX_ADDR,
  SANDBOX_SIZE,
  SIGBUS,
  SIGILL,
  SIGSEGV,
  SIGTRAP,
  ST_FPCR,
  ST_FPSR,
  ST_NZCV,
  ST_SP,
  ST_TPIDR,
  ST_V,
  ST_X,
  STATE_SIZE,
} from './layout.js';

const PAGE = 4096;
/**
 * Cpu.run compiles a block when a start address's hit counter reaches HOT_THRESHOLD; priming every
 * counter one below makes the first visit of each address compile its block.
 */
const PRIMED_HITS = HOT_THRESHOLD - 1;
/** More than any sequence can run (forward branches and loops of at most 40 rounds). */
const BUDGET = 100_000;

export class CompatMachine {
  readonly cpu: Cpu;
  private readonly phys: PhysicalMemory;
  private readonly as: AddressSpace;
  private readonly codeFrame: number;
  /** Cases run with at least one compiled block (checks the jit tier really ran). */
  jitCases = 0;

  constructor() {
    this.phys = new PhysicalMemory(16 * 1024 * 1024);
    this.as = new AddressSpace(this.phys);
    this.codeFrame = this.phys.alloc();
    this.as.setPte(CODE_ADDR / PAGE, this.codeFrame, PTE_R | PTE_X);
    for (let p = 0; p < SANDBOX_SIZE / PAGE; p++)
      this.as.setPte(SANDBOX_ADDR / PAGE + p, this.phys.alloc(), PTE_R | PTE_W);
    // Watch the code frame from the start, so its decode cache exists to be reset for each case.
    this.phys.watchCode(this.codeFrame);
    this.cpu = new Cpu(this.as);
    this.cpu.compileBatch = 1;
  }

  /** Runs one case with the compiled-block tier on or off. */
  run(c: DiffCase, jit: boolean): CaseResult {
    const cpu = this.cpu;
    this.loadCode(c.code, jit);
    if (c.sandbox.length > 0) this.as.writeBytes(SANDBOX_ADDR, c.sandbox, 0, SANDBOX_SIZE);
    this.loadState(c.state);
    cpu.jit = jit;
    cpu.pc = CODE_ADDR;
    let e: Exit;
    const start = cpu.retired;
    for (;;) {
      e = cpu.run(BUDGET);
      // WFE/WFI/YIELD only offer the time slice: carry on, as the kernel would.
      if ((e !== Exit.Yield && e !== Exit.Quantum) || cpu.retired - start >= BUDGET) break;
    }
    const code = this.phys.codeCache(this.codeFrame);
    if (jit && code?.hasBlocks) this.jitCases++;
    let signo = 0;
    let pc = cpu.pc;
    let addr = 0;
    switch (e) {
      case Exit.Breakpoint:
        signo = SIGTRAP;
        break;
      case Exit.Undefined:
      case Exit.Halt:
        signo = SIGILL;
        break;
      case Exit.Fault:
        signo = SIGSEGV;
        addr = this.as.faultAddr;
        break;
      case Exit.DataAlign:
        signo = SIGBUS;
        addr = cpu.exitInfo;
        break;
      case Exit.PcAlign:
        // Linux takes the fault at the misaligned target: pc and si_addr are the target.
        signo = SIGBUS;
        pc = cpu.exitInfo;
        addr = cpu.exitInfo;
        break;
      default:
        signo = 0;
    }
    const sandbox = new Uint8Array(c.sandbox.length);
    if (c.sandbox.length > 0) this.as.readBytes(SANDBOX_ADDR, sandbox, 0, SANDBOX_SIZE);
    return { signo, pc, addr, state: this.saveState(), sandbox };
  }

  /**
   * Whether an exit inside a compiled block reports the wrong pc: runs NOP, NOP, BRK #0 as one block
   * and checks that SIGTRAP names the BRK (a self-test of the tier the tester relies on).
   */
  jitExitPcBroken(): boolean {
    const state = new Uint8Array(STATE_SIZE);
    const probe: DiffCase = {
      cls: 'self-test',
      code: Int32Array.of(0xd503201f | 0, 0xd503201f | 0),
      state,
      sandbox: new Uint8Array(0),
      model: 'cortex-a72',
      rows: ['HINT', 'HINT'],
    };
    const r = this.run(probe, true);
    return r.signo !== SIGTRAP || r.pc !== CODE_ADDR + 8;
  }

  /** Writes the sequence and BRK #0 into the code frame and resets its decode cache and blocks. */
  private loadCode(words: Int32Array, jit: boolean): void {
    const dv = this.phys.dv;
    const base = this.codeFrame * PAGE;
    this.phys.u8.fill(0, base, base + CODE_SIZE);
    for (let i = 0; i < words.length; i++) dv.setInt32(base + 4 * i, words[i]!, true);
    dv.setInt32(base + 4 * words.length, BRK0, true);
    const page = this.phys.codeCache(this.codeFrame);
    if (page !== undefined) {
      page.invalidate(0, PAGE);
      page.hits.fill(jit ? PRIMED_HITS : 0);
    }
  }

  private loadState(st: Uint8Array): void {
    const cpu = this.cpu;
    const dv = new DataView(st.buffer, st.byteOffset, STATE_SIZE);
    const x = cpu.x;
    x.fill(0);
    for (let r = 0; r < 31; r++) {
      x[2 * r] = dv.getInt32(ST_X + 8 * r, true);
      x[2 * r + 1] = dv.getInt32(ST_X + 8 * r + 4, true);
    }
    x[62] = dv.getInt32(ST_SP, true);
    x[63] = dv.getInt32(ST_SP + 4, true);
    cpu.nzcv = dv.getUint32(ST_NZCV, true);
    cpu.fpcr = dv.getUint32(ST_FPCR, true);
    cpu.fpsr = dv.getUint32(ST_FPSR, true);
    cpu.tpidrLo = dv.getInt32(ST_TPIDR, true);
    cpu.tpidrHi = dv.getInt32(ST_TPIDR + 4, true);
    cpu.v8.fill(0);
    cpu.v8.set(st.subarray(ST_V, ST_V + 512), 0);
    cpu.exclAddr = -1;
    cpu.exit = Exit.None;
  }

  private saveState(): Uint8Array {
    const cpu = this.cpu;
    const st = new Uint8Array(STATE_SIZE);
    const dv = new DataView(st.buffer);
    const x = cpu.x;
    for (let r = 0; r < 31; r++) {
      dv.setInt32(ST_X + 8 * r, x[2 * r]!, true);
      dv.setInt32(ST_X + 8 * r + 4, x[2 * r + 1]!, true);
    }
    dv.setInt32(ST_SP, x[62]!, true);
    dv.setInt32(ST_SP + 4, x[63]!, true);
    dv.setUint32(ST_NZCV, cpu.nzcv, true);
    dv.setUint32(ST_FPCR, cpu.fpcr >>> 0, true);
    dv.setUint32(ST_FPSR, cpu.fpsr >>> 0, true);
    dv.setInt32(ST_TPIDR, cpu.tpidrLo, true);
    dv.setInt32(ST_TPIDR + 4, cpu.tpidrHi, true);
    st.set(cpu.v8.subarray(0, 512), ST_V);
    return st;
  }
}
