/**
 * Classic BPF instructions (linux/filter.h, linux/bpf_common.h): `struct sock_filter` is 8 bytes —
 * u16 code, u8 jt, u8 jf, u32 k — little-endian as arm64 stores it. A program is kept as four
 * parallel typed arrays, decoded once when it is attached; validation and compilation read those.
 */

/** Instruction classes (code & 0x07). */
export const BPF_LD = 0x00;
export const BPF_LDX = 0x01;
export const BPF_ST = 0x02;
export const BPF_STX = 0x03;
export const BPF_ALU = 0x04;
export const BPF_JMP = 0x05;
export const BPF_RET = 0x06;
export const BPF_MISC = 0x07;

/** Load sizes (code & 0x18). */
export const BPF_W = 0x00;
export const BPF_H = 0x08;
export const BPF_B = 0x10;

/** Load modes (code & 0xe0). */
export const BPF_IMM = 0x00;
export const BPF_ABS = 0x20;
export const BPF_IND = 0x40;
export const BPF_MEM = 0x60;
export const BPF_LEN = 0x80;
export const BPF_MSH = 0xa0;

/** ALU and jump operations (code & 0xf0). */
export const BPF_ADD = 0x00;
export const BPF_SUB = 0x10;
export const BPF_MUL = 0x20;
export const BPF_DIV = 0x30;
export const BPF_OR = 0x40;
export const BPF_AND = 0x50;
export const BPF_LSH = 0x60;
export const BPF_RSH = 0x70;
export const BPF_NEG = 0x80;
export const BPF_MOD = 0x90;
export const BPF_XOR = 0xa0;

export const BPF_JA = 0x00;
export const BPF_JEQ = 0x10;
export const BPF_JGT = 0x20;
export const BPF_JGE = 0x30;
export const BPF_JSET = 0x40;

/** Operand source (code & 0x08): the constant k or the X register. */
export const BPF_K = 0x00;
export const BPF_X = 0x08;

/** RET operand (code & 0x18): k or A. */
export const BPF_A = 0x10;

/** BPF_MISC operations (code & 0xf8). */
export const BPF_TAX = 0x00;
export const BPF_TXA = 0x80;

/** BPF_MAXINSNS: the longest classic program. */
export const BPF_MAXINSNS = 4096;
/** BPF_MEMWORDS: scratch memory cells M[0..15]. */
export const BPF_MEMWORDS = 16;
/** sizeof(struct sock_filter). */
export const SOCK_FILTER_SIZE = 8;

export const bpfClass = (code: number): number => code & 0x07;

/** A decoded program: instruction i is (code[i], jt[i], jf[i], k[i]). */
export interface ClassicProgram {
  readonly len: number;
  readonly code: Uint16Array;
  readonly jt: Uint8Array;
  readonly jf: Uint8Array;
  readonly k: Uint32Array;
}

/** Decodes len sock_filter records from their bytes (len * 8 of them). */
export function decodeProgram(bytes: Uint8Array, len: number): ClassicProgram {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const code = new Uint16Array(len);
  const jt = new Uint8Array(len);
  const jf = new Uint8Array(len);
  const k = new Uint32Array(len);
  for (let i = 0; i < len; i++) {
    const o = i * SOCK_FILTER_SIZE;
    code[i] = dv.getUint16(o, true);
    jt[i] = dv.getUint8(o + 2);
    jf[i] = dv.getUint8(o + 3);
    k[i] = dv.getUint32(o + 4, true);
  }
  return { len, code, jt, jf, k };
}

/** One instruction, for building programs in tests and tools (BPF_STMT / BPF_JUMP). */
export interface Insn {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

export const stmt = (code: number, k: number): Insn => ({ code, jt: 0, jf: 0, k: k >>> 0 });
export const jump = (code: number, k: number, jt: number, jf: number): Insn => ({ code, jt, jf, k: k >>> 0 });

/** The sock_filter bytes of a list of instructions. */
export function encodeProgram(insns: readonly Insn[]): Uint8Array {
  const out = new Uint8Array(insns.length * SOCK_FILTER_SIZE);
  const dv = new DataView(out.buffer);
  insns.forEach((ins, i) => {
    const o = i * SOCK_FILTER_SIZE;
    dv.setUint16(o, ins.code, true);
    dv.setUint8(o + 2, ins.jt);
    dv.setUint8(o + 3, ins.jf);
    dv.setUint32(o + 4, ins.k >>> 0, true);
  });
  return out;
}
