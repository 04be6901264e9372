import { EmulatorBug } from '../../base/emulator-bug.js';
import type { AddressSpace } from '../../memory/address-space.js';
import type { CodePage } from '../../memory/code-page.js';
import { GUEST_FAULT } from '../../memory/guest-fault.js';
import { type BlockSource, blockLength, blockSource, compileBlocks } from './block-compiler.js';
import { decode, HANDLERS } from './decoder.js';
import { Exit } from './exits.js';
import { GPR_SLOTS } from './registers.js';

const PAGE = 4096;
/**
 * Executions of a start address before its block is compiled. Compiling costs ~0.3 ms a block
 * (new Function, then V8's own tiers): at 16, `busybox true` compiled 30 blocks that ran a few
 * dozen times each; at 64 it compiles 5 (start-up ~4 ms faster). Main-thread time of the
 * benchmark's sha256 moved +4% and gzip -5% (3 runs each on a loaded machine: within noise).
 */
export const HOT_THRESHOLD = 64;

/**
 * The state of one AArch64 hardware thread (user mode) and its interpreter loop.
 * Every field has a fixed type so V8 keeps the object monomorphic; handlers read and write it directly.
 */
export class Cpu {
  /** General registers as 32-bit halves (see registers.ts). */
  readonly x = new Int32Array(GPR_SLOTS);
  /** Address of the instruction being executed (a plain number, exact: user addresses are below 2^48). */
  pc = 0;
  /** Address of the next instruction; branch handlers set it. */
  npc = 0;
  /** NZCV flags, each 0 or 1. */
  nf = 0;
  zf = 0;
  cf = 0;
  vf = 0;

  /** The 32 SIMD&FP registers, 16 bytes each, with views of every lane width. */
  readonly vbuf = new ArrayBuffer(32 * 16 + 32);
  readonly v8 = new Uint8Array(this.vbuf);
  readonly v16 = new Uint16Array(this.vbuf);
  readonly v32 = new Int32Array(this.vbuf);
  readonly vf32 = new Float32Array(this.vbuf);
  readonly vf64 = new Float64Array(this.vbuf);
  readonly vdv = new DataView(this.vbuf);
  fpcr = 0;
  fpsr = 0;

  /** TPIDR_EL0 (read-write thread pointer) as halves; TPIDRRO_EL0 is 0 on Linux for user tasks. */
  tpidrLo = 0;
  tpidrHi = 0;

  /** Local exclusive monitor: address of the last load-exclusive (-1 = open) and its size in bytes. */
  exclAddr = -1;
  exclSize = 0;
  /** The value loaded by the last load-exclusive (low and high word of the first register), for STXR's check. */
  exclLo = 0;
  exclHi = 0;

  /** Why run() stopped, and its detail (SVC/BRK immediate, misaligned address). */
  exit: Exit = Exit.None;
  exitInfo = 0;

  /** Instructions retired, for CNTVCT-free accounting and statistics. */
  retired = 0;

  /** Host hook for the generic timer (CNTVCT_EL0), in ticks of cntfrq. */
  counter: () => number = () => 0;
  /** CNTFRQ_EL0 as Linux/arm64 reports it on typical hardware (set by the kernel). */
  cntfrq = 62500000;

  /** Whether hot blocks are compiled and run (the second tier); off for single-stepping and tests of the interpreter. */
  jit = true;
  /**
   * Hot blocks compiled together in one `new Function` (block-compiler.ts compileBlocks); 1 compiles
   * each block as soon as it is hot (tests that prime hit counters to compile on the first visit).
   */
  compileBatch = 32;
  /** Hot block starts waiting for the next batch compile (queueBlock): code page, word, pc, frame base. */
  private readonly pendingCode: CodePage[] = [];
  private readonly pendingWord: number[] = [];
  private readonly pendingEnd: number[] = [];
  private readonly pendingPc: number[] = [];
  private readonly pendingBase: number[] = [];

  constructor(public mem: AddressSpace) {}

  /**
   * Runs up to budget instructions. Returns the exit reason; on Svc the pc is already past the SVC,
   * on faults and undefined instructions pc is the faulting instruction.
   */
  run(budget: number): Exit {
    const mem = this.mem;
    let pc = this.pc;
    this.exit = Exit.None;
    let n = 0;
    try {
      while (n < budget) {
        let off = pc - mem.fetchPage;
        if (!(off >= 0 && off < PAGE)) {
          this.pc = pc;
          this.refillFetch(pc);
          off = pc - mem.fetchPage;
        }
        const code = mem.fetchCode;
        const wi = off >>> 2;
        const blk = code.blocks[wi];
        if (blk !== undefined && this.jit) {
          // Compiled tier: the block sets pc/npc itself.
          n += (blk as (c: Cpu, start: number) => number)(this, pc);
          if (this.exit !== Exit.None) {
            // The block left pc on the instruction that exited.
            pc = this.exit === Exit.Svc || this.exit === Exit.Yield ? this.npc : this.pc;
            break;
          }
          pc = this.npc;
          continue;
        }
        if (++code.hits[wi]! >= HOT_THRESHOLD && this.jit) {
          this.pc = pc;
          if (this.queueBlock(pc, code, wi)) continue;
        }
        const w = mem.dv.getInt32(mem.fetchBase + off, true);
        let id = code.ids[wi]!;
        if (id === 0) {
          id = decode(w);
          code.ids[wi] = id;
        }
        this.pc = pc;
        this.npc = pc + 4;
        HANDLERS[id]!(this, w);
        n++;
        if (this.exit !== Exit.None) {
          // Svc/Yield complete the instruction; every other exit leaves pc on the instruction.
          if (this.exit === Exit.Svc || this.exit === Exit.Yield) pc = this.npc;
          break;
        }
        pc = this.npc;
      }
    } catch (e) {
      this.retired += n;
      if (e === GUEST_FAULT) {
        // pc was stored before the handler ran, so it names the faulting instruction.
        this.exit = Exit.Fault;
        return Exit.Fault;
      }
      if (e instanceof EmulatorBug) throw e;
      const insn = this.peekInsn(this.pc);
      throw new EmulatorBug(`interpreter error: ${e instanceof Error ? e.message : String(e)}`, this.pc, insn);
    }
    this.retired += n;
    this.pc = pc;
    if (this.exit === Exit.None) this.exit = Exit.Quantum;
    return this.exit;
  }

  /**
   * A block start became hot: queue it; the queue is compiled in one batch when it is full or when a
   * queued block gets hot a second time before that (so a program with few hot blocks does not wait).
   * True when the block at wi is compiled now.
   */
  private queueBlock(pc: number, code: CodePage, wi: number): boolean {
    code.hits[wi] = 0;
    const q = this.pendingCode;
    let again = false;
    for (let i = 0; i < q.length; i++) {
      if (q[i] !== code) continue;
      const start = this.pendingWord[i]!;
      if (start === wi) again = true;
      // An instruction inside a queued block is hot only because that block still runs in the
      // interpreter: it is not a block start of its own.
      else if (start < wi && wi < this.pendingEnd[i]!) return false;
    }
    if (!again) {
      const base = this.mem.fetchBase;
      const dv = this.mem.dv;
      const n = blockLength(pc, (off) => dv.getInt32(base + off, true));
      if (n === 0) return false;
      q.push(code);
      this.pendingWord.push(wi);
      this.pendingEnd.push(wi + n);
      this.pendingPc.push(pc);
      this.pendingBase.push(base);
    }
    if (again || q.length >= this.compileBatch) this.compilePending();
    return code.blocks[wi] !== undefined;
  }

  /**
   * Compiles the queued blocks. Each is read from its frame now: a write to the frame since it was
   * queued has invalidated the code page, and what is compiled is what the frame holds now, which any
   * later write invalidates again.
   */
  private compilePending(): void {
    const dv = this.mem.dv;
    const codes = this.pendingCode;
    const sources: BlockSource[] = [];
    const at: number[] = [];
    for (let i = 0; i < codes.length; i++) {
      const code = codes[i]!;
      const wi = this.pendingWord[i]!;
      if (code.blocks[wi] !== undefined) continue;
      const base = this.pendingBase[i]!;
      const src = blockSource(this.pendingPc[i]!, (off) => dv.getInt32(base + off, true));
      if (src === undefined) continue;
      sources.push(src);
      at.push(i);
    }
    if (sources.length > 0) {
      const fns = compileBlocks(sources);
      for (let k = 0; k < fns.length; k++) {
        const i = at[k]!;
        const code = codes[i]!;
        code.setBlock(this.pendingWord[i]!, fns[k]!);
      }
    }
    codes.length = 0;
    this.pendingWord.length = 0;
    this.pendingEnd.length = 0;
    this.pendingPc.length = 0;
    this.pendingBase.length = 0;
  }

  /** Executes exactly one instruction (single-step for ptrace and tests). */
  step(): Exit {
    const jit = this.jit;
    this.jit = false;
    try {
      return this.run(1);
    } finally {
      this.jit = jit;
    }
  }

  private refillFetch(pc: number): void {
    if (pc % 4 !== 0) {
      // Linux delivers SIGBUS BUS_ADRALN for a misaligned pc.
      this.exitInfo = pc;
      throw new EmulatorBug('misaligned pc reached the fetch (branch handlers must check)', pc);
    }
    const mem = this.mem;
    const page = Math.floor(pc / PAGE) * PAGE;
    const base = mem.translateExec(pc);
    mem.fetchPage = page;
    mem.fetchBase = base;
    mem.fetchCode = mem.phys.watchCode(base / PAGE);
  }

  private peekInsn(pc: number): number | undefined {
    try {
      return this.mem.read32(pc);
    } catch {
      return undefined;
    }
  }

  /** Condition check for B.cond, CSEL, CCMP…: cond is the 4-bit field. */
  cond(c: number): boolean {
    let r: boolean;
    switch (c >>> 1) {
      case 0:
        r = this.zf === 1;
        break;
      case 1:
        r = this.cf === 1;
        break;
      case 2:
        r = this.nf === 1;
        break;
      case 3:
        r = this.vf === 1;
        break;
      case 4:
        r = this.cf === 1 && this.zf === 0;
        break;
      case 5:
        r = this.nf === this.vf;
        break;
      case 6:
        r = this.nf === this.vf && this.zf === 0;
        break;
      default:
        return true; // AL and NV both mean always
    }
    return (c & 1) === 1 ? !r : r;
  }

  /** NZCV as the 32-bit value MRS returns (flags in bits 31:28). */
  get nzcv(): number {
    return ((this.nf << 31) | (this.zf << 30) | (this.cf << 29) | (this.vf << 28)) >>> 0;
  }

  set nzcv(v: number) {
    this.nf = (v >>> 31) & 1;
    this.zf = (v >>> 30) & 1;
    this.cf = (v >>> 29) & 1;
    this.vf = (v >>> 28) & 1;
  }

  /** Raises the Undefined exit (SIGILL at pc); handlers call this for reserved or unimplemented forms. */
  undefined(): void {
    this.exit = Exit.Undefined;
  }
}
