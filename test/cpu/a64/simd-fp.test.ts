/**
 * AdvSIMD floating point: fixed cases with exact expected bits (recorded from qemu-aarch64, see
 * simd-fp-cases.generated.ts and test/diff/fp-oracle/simd-fp-specs.ts). The random differential
 * tests are in simd-fp-diff.test.ts.
 */
import { describe } from 'node:test';
import { runCases } from '../../support/fp-case.js';
import { CASES } from './simd-fp-cases.generated.js';

describe('AdvSIMD FP (recorded cases)', () => runCases(CASES));
