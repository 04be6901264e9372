/**
 * Fixed-expectation instruction cases for the FP tests: one instruction word (with its assembly text),
 * readable inputs and the exact register bits, FPSR and NZCV it must produce. The expectations were
 * recorded from qemu-aarch64 with test/diff/fp-oracle/record.ts; the cases run on the interpreter alone.
 *
 * Inputs: d<n>/s<n> take a number or raw hex (16/8 digits), h<n> raw hex (4 digits), q<n> 32 hex digits
 * (most significant first), v<n>.<k>s / v<n>.<k>d an array of lane values (numbers or hex), x<n> a bigint,
 * fpcr/fpsr/nzcv numbers. Outputs: q<n> (32 hex digits), x<n> (16 hex digits), fpsr and nzcv (hex).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { bits32, bits64 } from './fp-values.js';
import { type InsnState, runInterp } from './insn-oracle.js';

export type Lane = number | string;
export type Inputs = Readonly<Record<string, Lane | bigint | readonly Lane[]>>;

/** A case to record: the instruction and its inputs. */
export interface FpSpec {
  readonly name: string;
  readonly asm: string;
  readonly in: Inputs;
}

export interface FpCase extends FpSpec {
  readonly insn: number;
  readonly out: Readonly<Record<string, string>>;
}

/** FPCR values. */
export const RP = 1 << 22;
export const RM = 2 << 22;
export const RZ = 3 << 22;
export const FZ = 1 << 24;
export const DN = 1 << 25;
export const AHP = 1 << 26;

function setLane64(dv: DataView, at: number, v: Lane): void {
  if (typeof v === 'number') {
    const [lo, hi] = bits64(v);
    dv.setUint32(at, lo, true);
    dv.setUint32(at + 4, hi, true);
  } else dv.setBigUint64(at, BigInt(`0x${v}`), true);
}

function setLane32(dv: DataView, at: number, v: Lane): void {
  dv.setUint32(at, typeof v === 'number' ? bits32(v) : Number.parseInt(v, 16), true);
}

/** The register state of a case's inputs (everything not given is zero). */
export function caseState(c: Pick<FpCase, 'insn' | 'in'>): InsnState {
  const q = new Uint8Array(64);
  const dv = new DataView(q.buffer);
  const x = new Int32Array(8);
  const st: InsnState = { insn: c.insn, fpcr: 0, nzcv: 0, fpsr: 0, x, q };
  for (const [k, v] of Object.entries(c.in)) {
    if (k === 'fpcr') st.fpcr = Number(v);
    else if (k === 'fpsr') st.fpsr = Number(v);
    else if (k === 'nzcv') st.nzcv = Number(v);
    else if (k[0] === 'x') {
      const r = Number(k.slice(1));
      const u = BigInt.asUintN(64, BigInt(v as bigint));
      x[2 * r] = Number(u & 0xffffffffn) | 0;
      x[2 * r + 1] = Number(u >> 32n) | 0;
    } else if (k[0] === 'd') setLane64(dv, 16 * Number(k.slice(1)), v as Lane);
    else if (k[0] === 's') setLane32(dv, 16 * Number(k.slice(1)), v as Lane);
    else if (k[0] === 'h') dv.setUint16(16 * Number(k.slice(1)), Number.parseInt(v as string, 16), true);
    else if (k[0] === 'q') {
      const at = 16 * Number(k.slice(1));
      dv.setBigUint64(at, BigInt(`0x${(v as string).slice(16)}`), true);
      dv.setBigUint64(at + 8, BigInt(`0x${(v as string).slice(0, 16)}`), true);
    } else if (k[0] === 'v') {
      const m = /^v(\d)\.\d+([sd])$/.exec(k);
      if (!m) throw new Error(`bad input key ${k}`);
      const r = Number(m[1]);
      (v as readonly Lane[]).forEach((lane, i) => {
        if (m[2] === 'd') setLane64(dv, 16 * r + 8 * i, lane);
        else setLane32(dv, 16 * r + 4 * i, lane);
      });
    } else throw new Error(`bad input key ${k}`);
  }
  return st;
}

function hex(v: bigint, digits: number): string {
  return v.toString(16).padStart(digits, '0');
}

/** The observable outputs of a result, keyed like FpCase.out. */
export function outputsOf(r: { x: Int32Array; q: Uint8Array; fpsr: number; nzcv: number }): Record<string, string> {
  const dv = new DataView(r.q.buffer, r.q.byteOffset, 64);
  const out: Record<string, string> = {};
  for (let i = 0; i < 4; i++) {
    out[`q${i}`] = hex(dv.getBigUint64(16 * i + 8, true), 16) + hex(dv.getBigUint64(16 * i, true), 16);
    out[`x${i}`] = hex((BigInt(r.x[2 * i + 1]! >>> 0) << 32n) | BigInt(r.x[2 * i]! >>> 0), 16);
  }
  out.fpsr = (r.fpsr >>> 0).toString(16);
  out.nzcv = ((r.nzcv >>> 28) & 15).toString(16);
  return out;
}

/** Registers a node:test case per FpCase: runs it on the interpreter and checks every expected output. */
export function runCases(cases: readonly FpCase[]): void {
  for (const c of cases) {
    it(`${c.name} [${c.asm}]`, () => {
      const r = runInterp(caseState(c));
      assert.equal(r.undefined, false, 'instruction decoded as undefined');
      const got = outputsOf(r);
      const want: Record<string, string> = { nzcv: (caseState(c).nzcv >>> 28).toString(16), ...c.out };
      for (const k of Object.keys(want)) assert.equal(got[k], want[k], `${k} of ${c.asm}`);
      // fpsr is always checked: a case without it expects no flags.
      assert.equal(got.fpsr, c.out.fpsr ?? '0', `fpsr of ${c.asm}`);
    });
  }
}
