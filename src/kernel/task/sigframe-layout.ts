/**
 * The arm64 signal frame as data (arch/arm64/include/uapi/asm/sigcontext.h, asm/ucontext.h and
 * arch/arm64/kernel/signal.c's struct rt_sigframe and struct frame_record), laid out by the layout
 * engine under LP64. Member attributes the engine has no syntax for are written as wrapper structs
 * with the alignment they imply: `__u8 __reserved[4096] __attribute__((__aligned__(16)))` and
 * `__uint128_t` (16-byte aligned on AArch64).
 */
import { array, defineStruct, LP64, layoutOf, offsetOf, u8, u32, u64 } from '../abi/layout.js';
import { siginfo, sigset_t, stack_t } from '../abi/structs-signal.js';

const reserved = defineStruct('sigcontext.__reserved', { bytes: array(u8, 4096) }, { align: 16 });
const uint128 = defineStruct('__uint128_t', { lo: u64, hi: u64 }, { align: 16 });

export const sigcontext = defineStruct('sigcontext', {
  fault_address: u64,
  regs: array(u64, 31),
  sp: u64,
  pc: u64,
  pstate: u64,
  __reserved: reserved,
});

export const _aarch64_ctx = defineStruct('_aarch64_ctx', { magic: u32, size: u32 });

export const fpsimd_context = defineStruct('fpsimd_context', {
  head: _aarch64_ctx,
  fpsr: u32,
  fpcr: u32,
  vregs: array(uint128, 32),
});

export const esr_context = defineStruct('esr_context', { head: _aarch64_ctx, esr: u64 });

export const extra_context = defineStruct('extra_context', {
  head: _aarch64_ctx,
  datap: u64,
  size: u32,
  __reserved: array(u32, 3),
});

/** arm64's struct ucontext: glibc's 1024-bit sigset_t is padded out before the machine context. */
export const ucontext = defineStruct('ucontext', {
  uc_flags: u64,
  uc_link: u64,
  uc_stack: stack_t,
  uc_sigmask: sigset_t,
  __unused: array(u8, 1024 / 8 - 8),
  uc_mcontext: sigcontext,
});

export const rt_sigframe = defineStruct('rt_sigframe', { info: siginfo, uc: ucontext });

/** The AAPCS64 frame record Linux pushes above the frame: the interrupted x29 and x30. */
export const frame_record = defineStruct('frame_record', { fp: u64, lr: u64 });

export const FPSIMD_MAGIC = 0x46508001;
export const ESR_MAGIC = 0x45535201;
export const EXTRA_MAGIC = 0x45585401;

const F = layoutOf(rt_sigframe, LP64);
const off = (path: string): number => offsetOf(F, path).offset;

/** sizeof(struct rt_sigframe), rounded to 16 as sigframe_size() does: 4688. */
export const RT_SIGFRAME_SIZE = Math.ceil(F.size / 16) * 16;
export const FRAME_RECORD_SIZE = layoutOf(frame_record, LP64).size;
export const FPSIMD_CONTEXT_SIZE = layoutOf(fpsimd_context, LP64).size;
export const ESR_CONTEXT_SIZE = layoutOf(esr_context, LP64).size;
export const EXTRA_CONTEXT_SIZE = layoutOf(extra_context, LP64).size;
/** Space reserved for the terminator record (TERMINATOR_SIZE: a _aarch64_ctx rounded to 16). */
export const TERMINATOR_SIZE = 16;
/** Largest frame sigreturn accepts when an extra_context points past __reserved (SIGFRAME_MAXSZ). */
export const SIGFRAME_MAXSZ = 256 * 1024;

/** Offsets from the start of the rt_sigframe. */
export const FRAME = {
  info: off('info'),
  uc: off('uc'),
  ucFlags: off('uc.uc_flags'),
  ucLink: off('uc.uc_link'),
  ucStack: off('uc.uc_stack'),
  ucSigmask: off('uc.uc_sigmask'),
  mcontext: off('uc.uc_mcontext'),
  faultAddress: off('uc.uc_mcontext.fault_address'),
  regs: off('uc.uc_mcontext.regs'),
  sp: off('uc.uc_mcontext.sp'),
  pc: off('uc.uc_mcontext.pc'),
  pstate: off('uc.uc_mcontext.pstate'),
  reserved: off('uc.uc_mcontext.__reserved'),
  reservedSize: offsetOf(F, 'uc.uc_mcontext.__reserved').size,
} as const;

const FP = layoutOf(fpsimd_context, LP64);
/** Offsets inside a fpsimd_context record. */
export const FPSIMD = {
  fpsr: offsetOf(FP, 'fpsr').offset,
  fpcr: offsetOf(FP, 'fpcr').offset,
  vregs: offsetOf(FP, 'vregs').offset,
} as const;

const EX = layoutOf(extra_context, LP64);
export const EXTRA = { datap: offsetOf(EX, 'datap').offset, size: offsetOf(EX, 'size').offset } as const;
export const ESR_OFFSET = offsetOf(layoutOf(esr_context, LP64), 'esr').offset;

const ST = layoutOf(stack_t, LP64);
/** stack_t members (uc_stack). */
export const STACK_T = {
  size: ST.size,
  sp: offsetOf(ST, 'ss_sp').offset,
  flags: offsetOf(ST, 'ss_flags').offset,
  ssSize: offsetOf(ST, 'ss_size').offset,
} as const;
