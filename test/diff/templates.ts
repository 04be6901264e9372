/**
 * Instruction templates for the differential tester: an encodings-table row with its fixed bits and
 * named fields, from which random words are drawn. Fields are runs of one letter in the row pattern
 * (e.g. `nnnnn` = Rn); a class may give a field of a given letter and width a value of its choosing
 * (a register role, a bounded immediate), every other free bit is random.
 */
import { Cpu } from '../../src/cpu/a64/cpu.js';
import { decode, HANDLERS, UNDEFINED_ID } from '../../src/cpu/a64/decoder.js';
import type { Encoding } from '../../src/cpu/a64/encoding.js';
import { patternBits } from '../../src/cpu/a64/encoding.js';
import { Exit } from '../../src/cpu/a64/exits.js';
import { AddressSpace } from '../../src/memory/address-space.js';
import { PhysicalMemory } from '../../src/memory/physical-memory.js';
import type { Rng } from '../support/fp-values.js';

export interface Field {
  readonly letter: string;
  readonly lsb: number;
  readonly width: number;
}

export interface Template {
  readonly name: string;
  readonly mask: number;
  readonly value: number;
  readonly fields: readonly Field[];
}

/** The template of a row; fixed bits become mask/value, letter runs become fields. */
export function templateOf(e: Encoding): Template {
  const { mask, value } = patternBits(e.pattern);
  const fields: Field[] = [];
  let i = 0;
  while (i < 32) {
    const ch = e.pattern[i]!;
    if (/[a-zA-Z]/.test(ch)) {
      let j = i;
      while (j < 32 && e.pattern[j] === ch) j++;
      fields.push({ letter: ch, lsb: 31 - (j - 1), width: j - i });
      i = j;
    } else i++;
  }
  return { name: e.name, mask, value, fields };
}

/** A word with the template's fixed bits and random free bits. */
export function randomWord(t: Template, rng: Rng): number {
  return (rng.u32() & ~t.mask) | t.value | 0;
}

/** The word with field f set to v. */
export function setField(w: number, f: Field, v: number): number {
  const m = f.width === 32 ? -1 : ((1 << f.width) - 1) << f.lsb;
  return (w & ~m) | ((v << f.lsb) & m) | 0;
}

export function getField(w: number, f: Field): number {
  return (w >>> f.lsb) & ((1 << f.width) - 1);
}

/** The field of the template with this letter and width, if any. */
export function field(t: Template, letter: string, width?: number): Field | undefined {
  return t.fields.find((f) => f.letter === letter && (width === undefined || f.width === width));
}

/**
 * A word near the class's rows that compat64 decodes as UNDEFINED: a random word of a row with 1 to 4
 * of its fixed bits flipped, retried until it decodes to no row. Undefined when none was found.
 */
export function undefinedNear(templates: readonly Template[], rng: Rng): number | undefined {
  for (let tries = 0; tries < 64; tries++) {
    const t = rng.pick(templates);
    let w = randomWord(t, rng);
    const flips = 1 + rng.int(4);
    for (let k = 0; k < flips; k++) {
      let bit = rng.int(32);
      for (let s = 0; s < 32 && ((t.mask >>> bit) & 1) === 0; s++) bit = (bit + 1) & 31;
      w ^= 1 << bit;
    }
    if (decode(w) === UNDEFINED_ID) return w | 0;
  }
  return undefined;
}

let scratch: Cpu | undefined;

/**
 * Whether compat64 treats the word as undefined: no row, or a reserved encoding inside its row (the
 * handler raises the Undefined exit). The handler runs once on a scratch CPU with no memory mapped;
 * a memory access faults there, which is not undefined-ness.
 */
export function undefinedInCompat64(w: number): boolean {
  const id = decode(w);
  if (id === UNDEFINED_ID) return true;
  if (scratch === undefined) scratch = new Cpu(new AddressSpace(new PhysicalMemory(1 << 20)));
  const cpu = scratch;
  cpu.exit = Exit.None;
  cpu.pc = 0x400000;
  cpu.npc = cpu.pc + 4;
  try {
    HANDLERS[id]!(cpu, w | 0);
  } catch {
    return false;
  }
  return (cpu.exit as Exit) === Exit.Undefined;
}
