import type { Cpu } from './cpu.js';

/** An instruction handler: gets the CPU and the raw word, extracts its own fields with shifts and masks. */
export type Handler = (cpu: Cpu, insn: number) => void;

/**
 * One row of the encodings table: the handler's name (the manual's mnemonic plus form, e.g. ADD_imm),
 * the manual's title, and a 32-character pattern, most significant bit first: `0`/`1` must match,
 * `-` and letters (named fields, for the reader and the table checks) match anything.
 */
export interface Encoding {
  readonly name: string;
  readonly title: string;
  readonly pattern: string;
  readonly handler: Handler;
}

export function enc(name: string, title: string, pattern: string, handler: Handler): Encoding {
  return { name, title, pattern: pattern.replace(/ /g, ''), handler };
}

/** mask (high byte) and value (low byte) of 8-character pattern pieces already seen. */
const pieceBits = new Map<string, number>();

function piece(chars: string): number {
  let bits = pieceBits.get(chars);
  if (bits === undefined) {
    let mask = 0;
    let value = 0;
    for (let i = 0; i < 8; i++) {
      const ch = chars[i];
      mask <<= 1;
      value <<= 1;
      if (ch === '0') mask |= 1;
      else if (ch === '1') {
        mask |= 1;
        value |= 1;
      }
    }
    bits = (mask << 8) | value;
    pieceBits.set(chars, bits);
  }
  return bits;
}

/**
 * mask/value of a pattern: bits that must be 1 in mask, their required values in value (both as uint32).
 * Every start computes all rows' (the decoder's table); patterns share most of their 8-bit pieces
 * (register fields, opcode prefixes), so pieces are decoded once each: half the interpreted work.
 */
export function patternBits(pattern: string): { mask: number; value: number } {
  let mask = 0;
  let value = 0;
  for (let i = 0; i < 32; i += 8) {
    // A short pattern reads as '-' past its end, like a don't-care bit.
    const bits = piece(pattern.slice(i, i + 8).padEnd(8, '-'));
    mask = mask * 256 + (bits >>> 8);
    value = value * 256 + (bits & 0xff);
  }
  return { mask, value };
}
