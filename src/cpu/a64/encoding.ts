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

/** mask/value of a pattern: bits that must be 1 in mask, their required values in value (both as uint32). */
export function patternBits(pattern: string): { mask: number; value: number } {
  let mask = 0;
  let value = 0;
  for (let i = 0; i < 32; i++) {
    const ch = pattern[i];
    const bit = 31 - i;
    if (ch === '0' || ch === '1') {
      mask |= 1 << bit;
      if (ch === '1') value |= 1 << bit;
    }
  }
  return { mask: mask >>> 0, value: value >>> 0 };
}
