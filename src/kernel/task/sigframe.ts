/**
 * Building the arm64 rt_sigframe on the user stack (Linux's setup_rt_frame: get_sigframe,
 * setup_sigframe, setup_return) and taking it down again (rt_sigreturn: restore_sigframe,
 * parse_user_sigframe, restore_fpsimd_context, restore_altstack).
 *
 * The frame: a 16-byte frame record (interrupted x29, x30) just below the stack top, then the
 * 4688-byte rt_sigframe 16-byte aligned below it: siginfo (only written with SA_SIGINFO), the
 * ucontext (uc_flags 0, uc_link NULL, uc_stack, uc_sigmask = the mask to restore) and the
 * sigcontext (fault_address, x0–x30, sp, pc, pstate) whose __reserved area holds fpsimd_context,
 * then esr_context when the thread has a fault code, then the zero terminator. Linux writes only
 * those fields; the rest of the frame keeps whatever the stack held, and so does compat64.
 */

import { setAddr, u64At } from '../../cpu/a64/registers.js';
import { FPCR_MASK, FPSR_MASK } from '../../cpu/a64/system.js';
import * as S from '../abi/signal.js';
import { copyIn, copyOut } from '../syscalls/uaccess.js';
import {
  ESR_CONTEXT_SIZE,
  ESR_MAGIC,
  ESR_OFFSET,
  EXTRA,
  EXTRA_CONTEXT_SIZE,
  EXTRA_MAGIC,
  FPSIMD,
  FPSIMD_CONTEXT_SIZE,
  FPSIMD_MAGIC,
  FRAME,
  FRAME_RECORD_SIZE,
  RT_SIGFRAME_SIZE,
  SIGFRAME_MAXSZ,
  STACK_T,
  TERMINATOR_SIZE,
} from './sigframe-layout.js';
import type { SigInfo } from './siginfo.js';
import { doSigaltstack, sasSsFlags } from './signal-altstack.js';
import type { SigSet } from './signal-set.js';
import type { SigAction } from './signal-state.js';
import { sigtrampAddress } from './sigtramp.js';
import type { Task } from './task.js';

/** TASK_SIZE for a 64-bit task (48-bit VA): access_ok's limit. */
const TASK_SIZE = 2 ** 48;
const TWO32 = 4294967296;

/** A signal ready to be handled (Linux's struct ksignal). */
export interface KSignal {
  readonly sig: number;
  readonly info: SigInfo;
  /** A copy of the action as it was when the signal was taken (SA_RESETHAND may change the live one). */
  readonly action: SigAction;
}

function put64(dv: DataView, at: number, lo: number, hi: number): void {
  dv.setInt32(at, lo, true);
  dv.setInt32(at + 4, hi, true);
}

function putNum64(dv: DataView, at: number, v: number): void {
  put64(dv, at, v | 0, Math.floor(v / TWO32) | 0);
}

function get64(dv: DataView, at: number): number {
  return dv.getUint32(at + 4, true) * TWO32 + dv.getUint32(at, true);
}

/**
 * setup_rt_frame + setup_return. `oldset` is the mask sigreturn restores (sigmask_to_save). On failure
 * (the stack cannot be written, no room for the trampoline) nothing in the registers changes and the
 * caller forces SIGSEGV, as signal_setup_done does.
 */
export function setupRtFrame(task: Task, ksig: KSignal, oldset: SigSet): boolean {
  const cpu = task.cpu;
  const x = cpu.x;
  const st = task.signals;
  const mem = task.mm.as;
  const sp = u64At(x, 62);
  const { flags } = ksig.action;

  // get_sigframe: sigsp(), then the frame record, then the frame, each 16-byte aligned.
  let top = sp;
  if (flags & S.SA_ONSTACK && sasSsFlags(st.altStack, sp) === 0) top = st.altStack.sp + st.altStack.size;
  const record = Math.floor((top - FRAME_RECORD_SIZE) / 16) * 16;
  const frame = record - RT_SIGFRAME_SIZE;
  if (frame < 0 || top > TASK_SIZE) return false;

  let restorer: number | undefined = ksig.action.restorer;
  if (!(flags & S.SA_RESTORER)) restorer = sigtrampAddress(task.mm);
  if (restorer === undefined) return false;

  // The frame record: what the interrupted code's x29 and x30 were.
  const rec = new DataView(new ArrayBuffer(FRAME_RECORD_SIZE));
  put64(rec, 0, x[58]!, x[59]!);
  put64(rec, 8, x[60]!, x[61]!);

  // uc_flags, uc_link, uc_stack (__save_altstack writes the flags as set), uc_sigmask.
  const ucHead = new DataView(new ArrayBuffer(FRAME.ucSigmask + 8 - FRAME.ucFlags));
  const u = (o: number): number => o - FRAME.ucFlags;
  putNum64(ucHead, u(FRAME.ucStack) + STACK_T.sp, st.altStack.sp);
  ucHead.setInt32(u(FRAME.ucStack) + STACK_T.flags, st.altStack.flags, true);
  putNum64(ucHead, u(FRAME.ucStack) + STACK_T.ssSize, st.altStack.size);
  put64(ucHead, u(FRAME.ucSigmask), oldset.lo, oldset.hi);

  // sigcontext: fault_address, regs[31], sp, pc, pstate.
  const sc = new DataView(new ArrayBuffer(FRAME.pstate + 8 - FRAME.faultAddress));
  const c = (o: number): number => o - FRAME.faultAddress;
  putNum64(sc, c(FRAME.faultAddress), st.faultAddress);
  for (let i = 0; i < 31; i++) put64(sc, c(FRAME.regs) + i * 8, x[2 * i]!, x[2 * i + 1]!);
  put64(sc, c(FRAME.sp), x[62]!, x[63]!);
  putNum64(sc, c(FRAME.pc), cpu.pc);
  put64(sc, c(FRAME.pstate), cpu.nzcv | 0, 0);

  // __reserved: fpsimd_context, esr_context (while the thread has a fault code), terminator.
  const withEsr = st.faultCode !== 0;
  const records = new DataView(new ArrayBuffer(FPSIMD_CONTEXT_SIZE + (withEsr ? ESR_CONTEXT_SIZE : 0) + 8));
  records.setUint32(0, FPSIMD_MAGIC, true);
  records.setUint32(4, FPSIMD_CONTEXT_SIZE, true);
  records.setUint32(FPSIMD.fpsr, cpu.fpsr >>> 0, true);
  records.setUint32(FPSIMD.fpcr, cpu.fpcr >>> 0, true);
  new Uint8Array(records.buffer, FPSIMD.vregs, 512).set(cpu.v8.subarray(0, 512));
  if (withEsr) {
    records.setUint32(FPSIMD_CONTEXT_SIZE, ESR_MAGIC, true);
    records.setUint32(FPSIMD_CONTEXT_SIZE + 4, ESR_CONTEXT_SIZE, true);
    putNum64(records, FPSIMD_CONTEXT_SIZE + ESR_OFFSET, st.faultCode);
  }
  // The terminator (magic 0, size 0) is the last 8 bytes, already zero.

  const bytes = (dv: DataView): Uint8Array => new Uint8Array(dv.buffer);
  const ok =
    copyOut(mem, record, bytes(rec)) &&
    copyOut(mem, frame + FRAME.ucFlags, bytes(ucHead)) &&
    copyOut(mem, frame + FRAME.faultAddress, bytes(sc)) &&
    copyOut(mem, frame + FRAME.reserved, bytes(records)) &&
    (!(flags & S.SA_SIGINFO) || copyOut(mem, frame + FRAME.info, ksig.info));
  if (!ok) return false;

  // setup_return: the handler is entered like a call, with the sigreturn trampoline as return address.
  x[0] = ksig.sig;
  x[1] = 0;
  if (flags & S.SA_SIGINFO) {
    setAddr(x, 2, frame + FRAME.info);
    setAddr(x, 4, frame + FRAME.uc);
  }
  setAddr(x, 62, frame);
  setAddr(x, 58, record);
  setAddr(x, 60, restorer);
  cpu.pc = ksig.action.handler;
  return true;
}

/** valid_native_regs: EL0t, AArch64, no D/A/I/F masked; the RES0 bits are simply dropped. */
function validPstate(lo: number): boolean {
  return (lo & 0x1f) === 0 && (lo & 0x3c0) === 0;
}

interface UserContexts {
  fpsimd: number | undefined;
  fpsimdSize: number;
}

/** parse_user_sigframe: walks the records of __reserved (and an extra_context's area); undefined = invalid or unreadable. */
function parseUserSigframe(task: Task, frame: number): UserContexts | undefined {
  const mem = task.mm.as;
  let base = frame + FRAME.reserved;
  let offset = 0;
  let limit = FRAME.reservedSize;
  let haveExtra = false;
  const user: UserContexts = { fpsimd: undefined, fpsimdSize: 0 };
  const read = (addr: number, len: number): DataView | undefined => {
    const b = copyIn(mem, addr, len);
    return b === null ? undefined : new DataView(b.buffer);
  };
  for (;;) {
    if (limit - offset < 8 || offset % 16 !== 0) return undefined;
    const head = base + offset;
    const h = read(head, 8);
    if (h === undefined) return undefined;
    const magic = h.getUint32(0, true);
    const size = h.getUint32(4, true);
    if (limit - offset < size) return undefined;
    switch (magic) {
      case 0:
        return size === 0 ? user : undefined;
      case FPSIMD_MAGIC:
        if (user.fpsimd !== undefined) return undefined;
        user.fpsimd = head;
        user.fpsimdSize = size;
        break;
      case ESR_MAGIC:
        break;
      case EXTRA_MAGIC: {
        if (haveExtra || size < EXTRA_CONTEXT_SIZE) return undefined;
        const ex = read(head, EXTRA_CONTEXT_SIZE);
        if (ex === undefined) return undefined;
        const datap = get64(ex, EXTRA.datap);
        const extraSize = ex.getUint32(EXTRA.size, true);
        if (limit - offset - size < TERMINATOR_SIZE) return undefined;
        const end = read(head + size, 8);
        if (end === undefined) return undefined;
        if (end.getUint32(0, true) !== 0 || end.getUint32(4, true) !== 0) return undefined;
        haveExtra = true;
        const userp = head + size + TERMINATOR_SIZE;
        if (datap % 16 !== 0 || extraSize % 16 !== 0 || datap !== userp) return undefined;
        if (extraSize > frame + SIGFRAME_MAXSZ - userp) return undefined;
        base = datap;
        offset = 0;
        limit = extraSize;
        if (base + limit > TASK_SIZE) return undefined;
        continue;
      }
      default:
        // SVE, SME, FPMR, POE, GCS records name features compat64 does not have.
        return undefined;
    }
    if (size < 8 || limit - offset < size) return undefined;
    offset += size;
  }
}

/**
 * rt_sigreturn's work after the checks on sp: restore_sigframe and restore_altstack, in Linux's
 * order (the mask is set first, so it stays set when a later step finds the frame bad). Returns false
 * for a bad frame.
 */
export function restoreSigframe(task: Task, frame: number, setBlocked: (lo: number, hi: number) => void): boolean {
  const cpu = task.cpu;
  const x = cpu.x;
  const mem = task.mm.as;
  let ok = true;
  const mask = copyIn(mem, frame + FRAME.ucSigmask, 8);
  if (mask !== null) {
    const dv = new DataView(mask.buffer);
    setBlocked(dv.getInt32(0, true), dv.getInt32(4, true));
  } else ok = false;

  const regs = copyIn(mem, frame + FRAME.regs, FRAME.pstate + 8 - FRAME.regs);
  if (regs !== null) {
    const dv = new DataView(regs.buffer);
    for (let i = 0; i < 31; i++) {
      x[2 * i] = dv.getInt32(i * 8, true);
      x[2 * i + 1] = dv.getInt32(i * 8 + 4, true);
    }
    const r = (o: number): number => o - FRAME.regs;
    x[62] = dv.getInt32(r(FRAME.sp), true);
    x[63] = dv.getInt32(r(FRAME.sp) + 4, true);
    cpu.pc = get64(dv, r(FRAME.pc));
    const pstate = dv.getInt32(r(FRAME.pstate), true);
    // valid_native_regs keeps only NZCV of an invalid pstate, and compat64 models nothing else.
    cpu.nzcv = pstate & 0xf0000000;
    if (!validPstate(pstate)) ok = false;
  } else ok = false;
  task.inSyscall = false;
  task.syscallNo = -1;
  if (!ok) return false;

  const user = parseUserSigframe(task, frame);
  if (user === undefined || user.fpsimd === undefined || user.fpsimdSize !== FPSIMD_CONTEXT_SIZE) return false;
  const fp = copyIn(mem, user.fpsimd, FPSIMD_CONTEXT_SIZE);
  if (fp === null) return false;
  const fdv = new DataView(fp.buffer);
  cpu.v8.set(fp.subarray(FPSIMD.vregs, FPSIMD.vregs + 512));
  cpu.fpsr = (fdv.getUint32(FPSIMD.fpsr, true) & FPSR_MASK) >>> 0;
  cpu.fpcr = (fdv.getUint32(FPSIMD.fpcr, true) & FPCR_MASK) >>> 0;

  // restore_altstack: only a fault reading uc_stack counts; do_sigaltstack's own errors are ignored.
  const ss = copyIn(mem, frame + FRAME.ucStack, STACK_T.size);
  if (ss === null) return false;
  const sdv = new DataView(ss.buffer);
  doSigaltstack(
    task.signals,
    { sp: get64(sdv, STACK_T.sp), flags: sdv.getInt32(STACK_T.flags, true), size: get64(sdv, STACK_T.ssSize) },
    u64At(x, 62),
  );
  return true;
}
