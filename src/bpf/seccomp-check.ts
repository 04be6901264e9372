/**
 * seccomp's own pass over a classic program (kernel/seccomp.c: seccomp_check_filter), after
 * bpfCheckClassic: only a whitelist of opcodes, and every absolute load is a 32-bit word of
 * `struct seccomp_data` — 4-aligned and below its 64 bytes. Linux rewrites the program in place
 * (LD|W|ABS to its internal seccomp-data load, LD|LEN to an immediate 64); compat64 keeps the
 * original instructions and gives them those meanings when it runs them (seccomp-run.ts).
 */
import {
  BPF_A,
  BPF_ABS,
  BPF_ADD,
  BPF_ALU,
  BPF_AND,
  BPF_DIV,
  BPF_IMM,
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
  BPF_MEM,
  BPF_MISC,
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

/** sizeof(struct seccomp_data): nr, arch, instruction_pointer, args[6]. */
export const SECCOMP_DATA_SIZE = 64;

/** The opcodes seccomp accepts besides the three it rewrites (no MOD, no IND/MSH, no H/B loads). */
const SECCOMP_CODES: ReadonlySet<number> = new Set([
  BPF_RET | BPF_K,
  BPF_RET | BPF_A,
  ...[BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_AND, BPF_OR, BPF_XOR, BPF_LSH, BPF_RSH].flatMap((op) => [
    BPF_ALU | op | BPF_K,
    BPF_ALU | op | BPF_X,
  ]),
  BPF_ALU | BPF_NEG,
  BPF_LD | BPF_IMM,
  BPF_LDX | BPF_IMM,
  BPF_MISC | BPF_TAX,
  BPF_MISC | BPF_TXA,
  BPF_LD | BPF_MEM,
  BPF_LDX | BPF_MEM,
  BPF_ST,
  BPF_STX,
  BPF_JMP | BPF_JA,
  ...[BPF_JEQ, BPF_JGE, BPF_JGT, BPF_JSET].flatMap((op) => [BPF_JMP | op | BPF_K, BPF_JMP | op | BPF_X]),
]);

/** seccomp_check_filter: 0, or -EINVAL. */
export function seccompCheckFilter(p: ClassicProgram): number {
  for (let pc = 0; pc < p.len; pc++) {
    const code = p.code[pc]!;
    if (code === (BPF_LD | BPF_W | BPF_ABS)) {
      const k = p.k[pc]!;
      if (k >= SECCOMP_DATA_SIZE || (k & 3) !== 0) return EINVAL;
      continue;
    }
    if (code === (BPF_LD | BPF_W | BPF_LEN) || code === (BPF_LDX | BPF_W | BPF_LEN)) continue;
    if (!SECCOMP_CODES.has(code)) return EINVAL;
  }
  return 0;
}
