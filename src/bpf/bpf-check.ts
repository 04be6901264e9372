/**
 * Classic BPF validation as Linux does it for every classic program (net/core/filter.c:
 * bpf_check_basics_ok, bpf_check_classic, check_load_and_stores). Every rejection is -EINVAL:
 * a length of 0 or above BPF_MAXINSNS, an opcode outside the classic set, a constant division or
 * modulo by 0, a constant shift of 32 or more, a scratch cell index of 16 or more, a jump past the
 * end, an unknown ancillary load, a last instruction that is not RET, and a scratch cell read on a
 * path where it was never written.
 */
import {
  BPF_A,
  BPF_ABS,
  BPF_ADD,
  BPF_ALU,
  BPF_AND,
  BPF_B,
  BPF_DIV,
  BPF_H,
  BPF_IMM,
  BPF_IND,
  BPF_JA,
  BPF_JEQ,
  BPF_JGE,
  BPF_JGT,
  BPF_JMP,
  BPF_JSET,
  BPF_K,
  BPF_LD,
  BPF_LDX,
  BPF_LEN,
  BPF_LSH,
  BPF_MAXINSNS,
  BPF_MEM,
  BPF_MEMWORDS,
  BPF_MISC,
  BPF_MOD,
  BPF_MSH,
  BPF_MUL,
  BPF_NEG,
  BPF_OR,
  BPF_RET,
  BPF_RSH,
  BPF_ST,
  BPF_STX,
  BPF_SUB,
  BPF_TAX,
  BPF_TXA,
  BPF_W,
  BPF_X,
  BPF_XOR,
  type ClassicProgram,
} from './bpf-insn.js';

const EINVAL = -22;

/** SKF_AD_OFF: loads at (u32)-4096 + n are the socket filters' ancillary data. */
const SKF_AD_OFF = 0xfffff000;
/** SKF_AD_PROTOCOL (0) … SKF_AD_VLAN_TPID (60): the ancillary offsets bpf_anc_helper knows. */
const SKF_AD_MAX = 64;

/** chk_code_allowed: the classic opcodes (filter.c's codes[] table). */
const CLASSIC_CODES: ReadonlySet<number> = new Set([
  ...[BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_MOD, BPF_AND, BPF_OR, BPF_XOR, BPF_LSH, BPF_RSH].flatMap((op) => [
    BPF_ALU | op | BPF_K,
    BPF_ALU | op | BPF_X,
  ]),
  BPF_ALU | BPF_NEG,
  BPF_LD | BPF_W | BPF_ABS,
  BPF_LD | BPF_H | BPF_ABS,
  BPF_LD | BPF_B | BPF_ABS,
  BPF_LD | BPF_W | BPF_LEN,
  BPF_LD | BPF_W | BPF_IND,
  BPF_LD | BPF_H | BPF_IND,
  BPF_LD | BPF_B | BPF_IND,
  BPF_LD | BPF_IMM,
  BPF_LD | BPF_MEM,
  BPF_LDX | BPF_W | BPF_LEN,
  BPF_LDX | BPF_B | BPF_MSH,
  BPF_LDX | BPF_IMM,
  BPF_LDX | BPF_MEM,
  BPF_ST,
  BPF_STX,
  BPF_MISC | BPF_TAX,
  BPF_MISC | BPF_TXA,
  BPF_RET | BPF_K,
  BPF_RET | BPF_A,
  BPF_JMP | BPF_JA,
  ...[BPF_JEQ, BPF_JGE, BPF_JGT, BPF_JSET].flatMap((op) => [BPF_JMP | op | BPF_K, BPF_JMP | op | BPF_X]),
]);

/** The conditional jumps (both targets checked, both carry the scratch-cell mask). */
export function isConditionalJump(code: number): boolean {
  return (code & 0x07) === BPF_JMP && (code & 0xf0) !== BPF_JA && CLASSIC_CODES.has(code);
}

/** bpf_check_basics_ok + bpf_check_classic: 0, or -EINVAL. */
export function bpfCheckClassic(p: ClassicProgram): number {
  const flen = p.len;
  if (flen === 0 || flen > BPF_MAXINSNS) return EINVAL;
  for (let pc = 0; pc < flen; pc++) {
    const code = p.code[pc]!;
    const k = p.k[pc]!;
    if (!CLASSIC_CODES.has(code)) return EINVAL;
    switch (code) {
      case BPF_ALU | BPF_DIV | BPF_K:
      case BPF_ALU | BPF_MOD | BPF_K:
        if (k === 0) return EINVAL;
        break;
      case BPF_ALU | BPF_LSH | BPF_K:
      case BPF_ALU | BPF_RSH | BPF_K:
        if (k >= 32) return EINVAL;
        break;
      case BPF_LD | BPF_MEM:
      case BPF_LDX | BPF_MEM:
      case BPF_ST:
      case BPF_STX:
        if (k >= BPF_MEMWORDS) return EINVAL;
        break;
      case BPF_JMP | BPF_JA:
        // Unconditional jumps have a 32-bit offset: it must land inside the program.
        if (k >= flen - pc - 1) return EINVAL;
        break;
      case BPF_LD | BPF_W | BPF_ABS:
      case BPF_LD | BPF_H | BPF_ABS:
      case BPF_LD | BPF_B | BPF_ABS:
        if (k >= SKF_AD_OFF && !isAncillary(k)) return EINVAL;
        break;
      default:
        if (isConditionalJump(code) && (pc + p.jt[pc]! + 1 >= flen || pc + p.jf[pc]! + 1 >= flen)) return EINVAL;
    }
  }
  const last = p.code[flen - 1]!;
  if (last !== (BPF_RET | BPF_K) && last !== (BPF_RET | BPF_A)) return EINVAL;
  return checkLoadAndStores(p);
}

/** bpf_anc_helper's known ancillary offsets: SKF_AD_OFF + a multiple of 4 below SKF_AD_MAX. */
function isAncillary(k: number): boolean {
  const off = k - SKF_AD_OFF;
  return off < SKF_AD_MAX && (off & 3) === 0;
}

/**
 * check_load_and_stores: a scratch cell may be read only where every path to the read stored it. One
 * bit per cell; a jump hands its mask to its targets and the fall-through after it starts from "all
 * valid" (it is reached only through a jump to it, whose mask is ANDed in).
 */
function checkLoadAndStores(p: ClassicProgram): number {
  const flen = p.len;
  const masks = new Uint16Array(flen).fill(0xffff);
  let memvalid = 0;
  for (let pc = 0; pc < flen; pc++) {
    memvalid &= masks[pc]!;
    const code = p.code[pc]!;
    const k = p.k[pc]!;
    switch (code) {
      case BPF_ST:
      case BPF_STX:
        memvalid |= 1 << k;
        break;
      case BPF_LD | BPF_MEM:
      case BPF_LDX | BPF_MEM:
        if ((memvalid & (1 << k)) === 0) return EINVAL;
        break;
      case BPF_JMP | BPF_JA:
        masks[pc + 1 + k] &= memvalid;
        memvalid = 0xffff;
        break;
      default:
        if (isConditionalJump(code)) {
          masks[pc + 1 + p.jt[pc]!] &= memvalid;
          masks[pc + 1 + p.jf[pc]!] &= memvalid;
          memvalid = 0xffff;
        }
    }
  }
  return 0;
}
