/**
 * What an instruction class of the differential tester provides: the rows it draws words from, how
 * it appends instructions to a sequence, and the initial state its sequences start from.
 */
import type { Rng } from '../support/fp-values.js';
import type { InitialState } from './initial-state.js';
import type { CpuModel } from './layout.js';
import type { Template } from './templates.js';

/** A sequence being built: instruction words and the row each came from. */
export interface Sequence {
  readonly words: number[];
  readonly rows: string[];
}

export interface InsnClass {
  readonly name: string;
  readonly summary: string;
  /** The rows words are drawn from; undefined-encoding samples are taken near them. */
  readonly templates: readonly Template[];
  /** Builds a sequence of about len instructions. */
  build(rng: Rng, len: number): Sequence;
  initial(rng: Rng): InitialState;
  /** Whether every word is undefined by design (no reserved-word filtering, no undefined probes). */
  readonly undefinedOnly?: boolean;
  /** Whether word positions matter (branch offsets): reserved words are then replaced by NOPs, not removed. */
  readonly positional?: boolean;
  /** The qemu CPU model for a sequence (cortex-a72 unless it needs an extension the A72 lacks). */
  model(seq: Sequence): CpuModel;
}

/** Appends a word to the sequence. */
export function push(seq: Sequence, word: number, row: string): void {
  seq.words.push(word | 0);
  seq.rows.push(row);
}

/** A builder that appends units from emit until the sequence has len words. */
export function repeatUnits(emit: (rng: Rng, seq: Sequence) => void): (rng: Rng, len: number) => Sequence {
  return (rng, len) => {
    const seq: Sequence = { words: [], rows: [] };
    while (seq.words.length < len) emit(rng, seq);
    return seq;
  };
}
