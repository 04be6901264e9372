import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Exit } from '../../../src/cpu/a64/exits.js';
import { assemble, DATA_BASE, hasAssembler, machineWith, runToExit, setX, xreg } from '../../support/asm-harness.js';

const LOOP = `
  mov x2, #0
  mov x3, #0
1:
  add x2, x2, x1
  eor x3, x3, x2, lsl #3
  str x3, [x0], #8
  subs x4, x4, #1
  b.ne 1b
  brk #0
`;

function run(jit: boolean, iterations: number) {
  const cpu = machineWith(assemble(LOOP));
  cpu.jit = jit;
  setX(cpu, 0, BigInt(DATA_BASE));
  setX(cpu, 1, 0x123456789n);
  setX(cpu, 4, BigInt(iterations));
  const exit = runToExit(cpu);
  const mem: number[] = [];
  for (let i = 0; i < iterations * 2; i++) mem.push(cpu.mem.read32(DATA_BASE + 4 * i));
  return { exit, x0: xreg(cpu, 0), x2: xreg(cpu, 2), x3: xreg(cpu, 3), mem, retired: cpu.retired, pc: cpu.pc };
}

test('compiled blocks give the interpreter’s registers, memory and instruction count', {
  skip: !hasAssembler(),
}, () => {
  const interp = run(false, 5000);
  const jit = run(true, 5000);
  assert.equal(interp.exit, Exit.Breakpoint);
  assert.deepEqual(jit, interp);
});

test('a fault inside a compiled block stops on the faulting instruction with registers unchanged', {
  skip: !hasAssembler(),
}, () => {
  const cpu = machineWith(assemble(LOOP));
  // 16 data pages of 4096 bytes hold 8192 stores; the 8193rd faults at the first unmapped page.
  setX(cpu, 0, BigInt(DATA_BASE));
  setX(cpu, 1, 1n);
  setX(cpu, 4, 100000n);
  const exit = cpu.run(10_000_000);
  assert.equal(exit, Exit.Fault);
  assert.equal(cpu.mem.faultAddr, DATA_BASE + 16 * 4096);
  assert.equal(xreg(cpu, 0), BigInt(DATA_BASE + 16 * 4096));
  assert.equal(xreg(cpu, 4), 100000n - 8192n);
  const strPc = 0x400000 + 4 * 4;
  assert.equal(cpu.pc, strPc);
});

/** The compiled blocks of the first code page, by word index. */
function compiledStarts(cpu: ReturnType<typeof machineWith>): number[] {
  const frame = Math.floor(cpu.mem.pte(0x400000 / 4096) / 8);
  const code = cpu.mem.phys.codeCache(frame);
  const starts: number[] = [];
  code?.blocks.forEach((b, i) => {
    if (b !== undefined) starts.push(i);
  });
  return starts;
}

test('batched compilation: a queued block compiles when it gets hot again, and only its start is a block', {
  skip: !hasAssembler(),
}, () => {
  const cpu = machineWith(assemble(LOOP));
  assert.equal(cpu.compileBatch, 32);
  setX(cpu, 0, BigInt(DATA_BASE));
  setX(cpu, 4, 100n);
  assert.equal(runToExit(cpu), Exit.Breakpoint);
  // The loop body (word 2: `add`, after the two movs) is queued at its 64th round and compiled at
  // its 128th visit as a start is never reached (100 rounds): nothing compiled, the interpreter ran.
  assert.deepEqual(compiledStarts(cpu), []);
  const again = machineWith(assemble(LOOP));
  setX(again, 0, BigInt(DATA_BASE));
  setX(again, 4, 1000n);
  assert.equal(runToExit(again), Exit.Breakpoint);
  // Hot a second time while queued: compiled; the body's later instructions, as hot as its start
  // while it waited, did not become block starts of their own.
  assert.deepEqual(compiledStarts(again), [2]);
});

test('step() runs one instruction even where a compiled block starts (ptrace single-step in hot code)', {
  skip: !hasAssembler(),
}, () => {
  const cpu = machineWith(assemble(LOOP));
  setX(cpu, 0, BigInt(DATA_BASE));
  setX(cpu, 4, 1000n);
  assert.equal(runToExit(cpu), Exit.Breakpoint);
  assert.deepEqual(compiledStarts(cpu), [2]);
  const loopStart = 0x400000 + 8;
  cpu.pc = loopStart;
  const x2 = xreg(cpu, 2);
  setX(cpu, 1, 5n);
  assert.equal(cpu.step(), Exit.Quantum);
  assert.equal(cpu.pc, loopStart + 4);
  assert.equal(xreg(cpu, 2), x2 + 5n);
});
