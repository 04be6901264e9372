/**
 * Running a seccomp program (one that passed bpfCheckClassic and seccompCheckFilter) on a
 * `struct seccomp_data` held as 16 little-endian u32 words: nr, arch, instruction_pointer (low,
 * high), args[0..5] (low, high each). Word 16 of the same array is an output: the program sets it
 * to 1 when it loads a word at offset 8 or above (instruction_pointer or an argument) — a result
 * reached without such a load depends only on nr and arch, and the caller may cache it.
 *
 * Semantics are Linux's (the classic program as bpf_convert_filter translates it): A, X and M[] are
 * 32-bit unsigned and start at 0, ALU is modulo 2^32, shifts by X use X & 31, a division by X = 0
 * ends the program with 0, jumps compare unsigned, LD|W|LEN and LDX|W|LEN load 64.
 *
 * `interpretSeccomp` is the reference (a plain loop); `compileSeccomp` turns a program into a JS
 * function once, at attach time, so that the per-syscall run is straight-line code without
 * allocation: forward-only jumps become `break` out of nested labelled blocks.
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
  BPF_LD,
  BPF_LDX,
  BPF_LEN,
  BPF_LSH,
  BPF_MEM,
  BPF_MISC,
  BPF_MOD,
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
import { SECCOMP_DATA_SIZE } from './seccomp-check.js';

/** Index of the "loaded instruction_pointer or args" flag in the data array. */
export const SECCOMP_DATA_TOUCHED = 16;
/** Words of a seccomp data array: the 16 words of seccomp_data and the flag. */
export const SECCOMP_DATA_WORDS = 17;
/** Loads below this offset (nr, arch) do not make a result argument-dependent. */
const FIRST_VARIABLE_OFFSET = 8;

/** A compiled (or interpreted) seccomp program: the 32-bit return value, as an unsigned number. */
export type SeccompProgram = (d: Uint32Array) => number;

/** The reference interpreter (bpf_prog_run on the converted program, in effect); M is the scratch memory. */
export function interpretSeccomp(p: ClassicProgram, d: Uint32Array, M = new Uint32Array(16)): number {
  let A = 0;
  let X = 0;
  for (let pc = 0; pc < p.len; pc++) {
    const code = p.code[pc]!;
    const k = p.k[pc]!;
    const cls = code & 0x07;
    switch (cls) {
      case BPF_LD:
      case BPF_LDX: {
        let v: number;
        switch (code & 0xe0) {
          case BPF_ABS:
            if (k >= FIRST_VARIABLE_OFFSET) d[SECCOMP_DATA_TOUCHED] = 1;
            v = d[k >>> 2]!;
            break;
          case BPF_LEN:
            v = SECCOMP_DATA_SIZE;
            break;
          case BPF_MEM:
            v = M[k]!;
            break;
          default:
            v = k;
        }
        if (cls === BPF_LD) A = v;
        else X = v;
        break;
      }
      case BPF_ST:
        M[k] = A;
        break;
      case BPF_STX:
        M[k] = X;
        break;
      case BPF_ALU: {
        const src = code & BPF_X ? X : k;
        switch (code & 0xf0) {
          case BPF_ADD:
            A = (A + src) >>> 0;
            break;
          case BPF_SUB:
            A = (A - src) >>> 0;
            break;
          case BPF_MUL:
            A = Math.imul(A, src) >>> 0;
            break;
          case BPF_DIV:
            if (src === 0) return 0;
            A = Math.floor(A / src) >>> 0;
            break;
          case BPF_MOD:
            if (src === 0) return 0;
            A = (A % src) >>> 0;
            break;
          case BPF_AND:
            A = (A & src) >>> 0;
            break;
          case BPF_OR:
            A = (A | src) >>> 0;
            break;
          case BPF_XOR:
            A = (A ^ src) >>> 0;
            break;
          case BPF_LSH:
            A = (A << (src & 31)) >>> 0;
            break;
          case BPF_RSH:
            A = A >>> (src & 31);
            break;
          case BPF_NEG:
            A = -A >>> 0;
            break;
        }
        break;
      }
      case BPF_JMP: {
        const op = code & 0xf0;
        if (op === BPF_JA) {
          pc += k;
          break;
        }
        const src = code & BPF_X ? X : k;
        let taken: boolean;
        if (op === BPF_JEQ) taken = A === src;
        else if (op === BPF_JGT) taken = A > src;
        else if (op === BPF_JGE) taken = A >= src;
        else taken = (A & src) !== 0;
        pc += taken ? p.jt[pc]! : p.jf[pc]!;
        break;
      }
      case BPF_RET:
        return (code & 0x18) === BPF_A ? A : k;
      case BPF_MISC:
        if ((code & 0xf8) === BPF_TXA) A = X;
        else X = A;
        break;
    }
  }
  // Unreachable for a validated program (it ends in RET).
  return 0;
}

/** The JS statement for one non-jump instruction. */
function statement(code: number, k: number): string {
  switch (code) {
    case BPF_LD | BPF_W | BPF_ABS:
      return k >= FIRST_VARIABLE_OFFSET ? `d[${SECCOMP_DATA_TOUCHED}]=1;A=d[${k >>> 2}];` : `A=d[${k >>> 2}];`;
    case BPF_LD | BPF_W | BPF_LEN:
      return `A=${SECCOMP_DATA_SIZE};`;
    case BPF_LDX | BPF_W | BPF_LEN:
      return `X=${SECCOMP_DATA_SIZE};`;
    case BPF_LD | BPF_IMM:
      return `A=${k};`;
    case BPF_LDX | BPF_IMM:
      return `X=${k};`;
    case BPF_LD | BPF_MEM:
      return `A=m${k};`;
    case BPF_LDX | BPF_MEM:
      return `X=m${k};`;
    case BPF_ST:
      return `m${k}=A;`;
    case BPF_STX:
      return `m${k}=X;`;
    case BPF_MISC | BPF_TAX:
      return 'X=A;';
    case BPF_MISC | BPF_TXA:
      return 'A=X;';
    case BPF_RET | BPF_A:
      return 'return A;';
    case BPF_ALU | BPF_NEG:
      return 'A=-A>>>0;';
  }
  if ((code & 0x07) === BPF_RET) return `return ${k};`;
  // ALU with k or X.
  const s = code & BPF_X ? 'X' : String(k);
  switch (code & 0xf0) {
    case BPF_ADD:
      return `A=(A+${s})>>>0;`;
    case BPF_SUB:
      return `A=(A-${s})>>>0;`;
    case BPF_MUL:
      return `A=Math.imul(A,${s})>>>0;`;
    case BPF_DIV:
      return code & BPF_X ? 'if(X===0)return 0;A=Math.floor(A/X)>>>0;' : `A=Math.floor(A/${s})>>>0;`;
    case BPF_MOD:
      return code & BPF_X ? 'if(X===0)return 0;A=A%X>>>0;' : `A=A%${s}>>>0;`;
    case BPF_AND:
      return `A=(A&${s})>>>0;`;
    case BPF_OR:
      return `A=(A|${s})>>>0;`;
    case BPF_XOR:
      return `A=(A^${s})>>>0;`;
    case BPF_LSH:
      return code & BPF_X ? 'A=(A<<(X&31))>>>0;' : `A=(A<<${k})>>>0;`;
    case BPF_RSH:
      return code & BPF_X ? 'A=A>>>(X&31);' : `A=A>>>${k};`;
  }
  throw new Error(`seccomp compile: unvalidated opcode 0x${code.toString(16)}`);
}

/** The condition of a conditional jump. */
function condition(code: number, k: number): string {
  const s = code & BPF_X ? 'X' : String(k);
  switch (code & 0xf0) {
    case BPF_JEQ:
      return `A===${s}`;
    case BPF_JGT:
      return `A>${s}`;
    case BPF_JGE:
      return `A>=${s}`;
    default:
      return `(A&${s})!==0`;
  }
}

/**
 * More distinct jump targets than this nest too deeply for comfortable parsing; such programs run
 * in the interpreter (libseccomp's filters stay far below it).
 */
const MAX_LABELS = 1024;

/** JS source of the program's body (the parameter is `d`), or undefined when it is too branchy. */
export function seccompSource(p: ClassicProgram): string | undefined {
  const targets = new Set<number>();
  const targetOf = (pc: number, off: number): number => pc + 1 + off;
  for (let pc = 0; pc < p.len; pc++) {
    const code = p.code[pc]!;
    if ((code & 0x07) !== BPF_JMP) continue;
    if ((code & 0xf0) === BPF_JA) {
      if (p.k[pc] !== 0) targets.add(targetOf(pc, p.k[pc]!));
    } else {
      if (p.jt[pc] !== 0) targets.add(targetOf(pc, p.jt[pc]!));
      if (p.jf[pc] !== 0) targets.add(targetOf(pc, p.jf[pc]!));
    }
  }
  if (targets.size > MAX_LABELS) return undefined;
  const used = new Set<number>();
  for (let pc = 0; pc < p.len; pc++) {
    const code = p.code[pc]!;
    if (code === (BPF_LD | BPF_MEM) || code === (BPF_LDX | BPF_MEM) || code === BPF_ST || code === BPF_STX)
      used.add(p.k[pc]!);
  }
  const out: string[] = ['let A=0,X=0'];
  for (const m of used) out.push(`,m${m}=0`);
  out.push(';');
  // Every block opens at the top, the one ending at the highest target outermost: a forward jump to
  // t is `break Lt`, and block t closes right before instruction t.
  for (const t of [...targets].sort((a, b) => b - a)) out.push(`L${t}:{`);
  const go = (t: number, next: number): string => (t === next ? '' : `break L${t};`);
  for (let pc = 0; pc < p.len; pc++) {
    if (targets.has(pc)) out.push('}');
    const code = p.code[pc]!;
    const k = p.k[pc]!;
    if ((code & 0x07) !== BPF_JMP) {
      out.push(statement(code, k));
      continue;
    }
    const next = pc + 1;
    if ((code & 0xf0) === BPF_JA) {
      out.push(go(targetOf(pc, k), next));
      continue;
    }
    const t = targetOf(pc, p.jt[pc]!);
    const f = targetOf(pc, p.jf[pc]!);
    if (t === f) out.push(go(t, next));
    else if (f === next) out.push(`if(${condition(code, k)}){${go(t, next)}}`);
    else if (t === next) out.push(`if(!(${condition(code, k)})){${go(f, next)}}`);
    else out.push(`if(${condition(code, k)}){${go(t, next)}}else{${go(f, next)}}`);
  }
  out.push('return 0;');
  return out.join('');
}

/** Compiles a validated seccomp program once (at attach time); the interpreter when it is too branchy. */
export function compileSeccomp(p: ClassicProgram): SeccompProgram {
  const src = seccompSource(p);
  if (src !== undefined) {
    try {
      return new Function('d', src) as SeccompProgram;
    } catch (e) {
      // A parser limit (deep nesting) is not a property of the program: run it interpreted.
      if (!(e instanceof RangeError)) throw e;
    }
  }
  const scratch = new Uint32Array(16);
  return (d) => interpretSeccomp(p, d, scratch);
}
