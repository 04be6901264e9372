/**
 * The signal frame's layout as the layout engine computes it, against Linux's numbers for arm64
 * (offsetof/sizeof from the uapi headers compiled for aarch64: asm/sigcontext.h, asm/ucontext.h).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LP64, layoutOf, offsetOf } from '../../../src/kernel/abi/layout.js';
import {
  ESR_CONTEXT_SIZE,
  EXTRA_CONTEXT_SIZE,
  FPSIMD,
  FPSIMD_CONTEXT_SIZE,
  FRAME,
  FRAME_RECORD_SIZE,
  RT_SIGFRAME_SIZE,
  STACK_T,
  sigcontext,
  ucontext,
} from '../../../src/kernel/task/sigframe-layout.js';

test('struct sigcontext: 4384 bytes, __reserved 16-byte aligned at 288', () => {
  const L = layoutOf(sigcontext, LP64);
  assert.equal(L.size, 4384);
  assert.equal(L.align, 16);
  const off = (p: string) => offsetOf(L, p).offset;
  assert.deepEqual(
    [off('fault_address'), off('regs'), off('regs[30]'), off('sp'), off('pc'), off('pstate'), off('__reserved')],
    [0, 8, 248, 256, 264, 272, 288],
  );
});

test('struct ucontext: 4560 bytes, uc_mcontext at 176 after glibc-sized sigmask padding', () => {
  const L = layoutOf(ucontext, LP64);
  assert.equal(L.size, 4560);
  const off = (p: string) => offsetOf(L, p).offset;
  assert.deepEqual(
    [off('uc_flags'), off('uc_link'), off('uc_stack'), off('uc_sigmask'), off('__unused'), off('uc_mcontext')],
    [0, 8, 16, 40, 48, 176],
  );
});

test('struct rt_sigframe: siginfo then ucontext, 4688 bytes (a multiple of 16)', () => {
  assert.equal(RT_SIGFRAME_SIZE, 4688);
  assert.equal(FRAME.info, 0);
  assert.equal(FRAME.uc, 128);
  assert.equal(FRAME.ucSigmask, 168);
  assert.equal(FRAME.mcontext, 304);
  assert.equal(FRAME.regs, 312);
  assert.equal(FRAME.pc, 568);
  assert.equal(FRAME.reserved, 592);
  assert.equal(FRAME.reservedSize, 4096);
  assert.equal(FRAME_RECORD_SIZE, 16);
});

test('context records: fpsimd_context 528 (fpsr 8, fpcr 12, vregs 16), esr_context 16, extra_context 32', () => {
  assert.equal(FPSIMD_CONTEXT_SIZE, 528);
  assert.deepEqual([FPSIMD.fpsr, FPSIMD.fpcr, FPSIMD.vregs], [8, 12, 16]);
  assert.equal(ESR_CONTEXT_SIZE, 16);
  assert.equal(EXTRA_CONTEXT_SIZE, 32);
});

test('stack_t inside the frame: ss_sp 0, ss_flags 8, ss_size 16 (24 bytes)', () => {
  assert.deepEqual([STACK_T.sp, STACK_T.flags, STACK_T.ssSize, STACK_T.size], [0, 8, 16, 24]);
});
