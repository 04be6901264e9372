/**
 * PTRACE_GETREGSET / PTRACE_SETREGSET (kernel/ptrace.c ptrace_regset, arch/arm64/kernel/ptrace.c's
 * aarch64 view). addr is the note type; data points to an iovec (a compat_iovec through the compat
 * ptrace). A length that is not a multiple of the regset's unit is -EINVAL; a longer one is cut to the
 * regset's size, and the length actually used is written back into iov_len (only on success).
 * A SETREGSET shorter than the set changes only the leading bytes (the rest keeps its value).
 *
 * The view is always AArch64: compat64 runs 64-bit tracees only, and a 64-bit tracee shows its 64-bit
 * registers even in the middle of a compat call and to a compat ptrace (compat-abi.md §5).
 *
 * - NT_PRSTATUS: struct user_pt_regs (x0–x30, sp, pc, pstate; 272 bytes). pstate carries NZCV (the
 *   other PSTATE bits of EL0t are 0 here); a written pstate must describe AArch64 EL0t with DAIF
 *   clear (valid_native_regs) or the request is -EINVAL.
 * - NT_PRFPREG: struct user_fpsimd_state (v0–v31, fpsr, fpcr, 8 reserved bytes; 528 bytes).
 * - NT_ARM_TLS: tpidr_el0 (8 bytes; tpidr2 would follow only on a CPU with SME, which compat64's is not).
 * - NT_ARM_SYSTEM_CALL: pt_regs' syscallno (int): what the entry path dispatches after the entry stop;
 *   -1 skips the call.
 * - NT_ARM_HW_BREAK / NT_ARM_HW_WATCH: struct user_hwdebug_state. compat64 does not implement hardware
 *   breakpoints or watchpoints (checking every pc and access would tax the hot path), so dbg_info
 *   reports the ARMv8 debug architecture (DebugVer 6, as ID_AA64DFR0_EL1 shows) with 0 slots, and
 *   every (address, control) pair reads as 0. gdb then uses software breakpoints and software
 *   watchpoints. Installing a breakpoint finds no slot: -ENOSPC, as perf's slot reservation would.
 * - Anything else (SVE, SME, PAC, MTE and tagged-address sets) does not exist on this CPU: -EINVAL.
 */
import { ERRNO } from '../../abi/errno.js';
import { copyIn, copyOut } from '../../syscalls/uaccess.js';
import type { Task } from '../../task/task.js';
import { PTRACE_GETREGSET, PTRACE_SETREGSET } from './ptrace-abi.js';
import type { PtraceCall, PtraceRequestHandler } from './ptrace-call.js';

const EINVAL = -ERRNO.EINVAL;
const EFAULT = -ERRNO.EFAULT;
const ENOSPC = -ERRNO.ENOSPC;

export const NT_PRSTATUS = 1;
export const NT_PRFPREG = 2;
export const NT_ARM_TLS = 0x401;
export const NT_ARM_HW_BREAK = 0x402;
export const NT_ARM_HW_WATCH = 0x403;
export const NT_ARM_SYSTEM_CALL = 0x404;

export const USER_PT_REGS_SIZE = 272;
export const USER_FPSIMD_STATE_SIZE = 528;
/** struct user_hwdebug_state: dbg_info, pad, 16 × (u64 addr, u32 ctrl, u32 pad). */
export const USER_HWDEBUG_STATE_SIZE = 8 + 16 * 16;
/** ID_AA64DFR0_EL1.DebugVer of compat64's CPU (debug_monitors_arch()). */
const DEBUG_ARCH = 6;
const HW_SLOTS = 0;

/** PSTATE bits valid_native_regs refuses for a 64-bit EL0 task: M[4:0] (mode, nRW) and DAIF. */
const PSTATE_MODE_BITS = 0x1f;
const PSTATE_DAIF_BITS = 0x3c0;

/** One register set: its size, the unit lengths must be a multiple of, and how to read and write it. */
interface Regset {
  readonly size: number;
  readonly unit: number;
  get(task: Task): Uint8Array;
  /** Stores a whole image (the current one with the user's prefix over it); a negative errno refuses. */
  set(task: Task, image: Uint8Array, userLen: number): number;
}

function dataView(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

const PRSTATUS: Regset = {
  size: USER_PT_REGS_SIZE,
  unit: 8,
  get(task) {
    const out = new Uint8Array(USER_PT_REGS_SIZE);
    const dv = dataView(out);
    const cpu = task.cpu;
    // x0–x30 then sp (slot 31): the register file's halves in order.
    for (let i = 0; i < 64; i++) dv.setInt32(i * 4, cpu.x[i]!, true);
    dv.setUint32(256, cpu.pc >>> 0, true);
    dv.setUint32(260, Math.floor(cpu.pc / 4294967296) >>> 0, true);
    dv.setUint32(264, cpu.nzcv, true);
    return out;
  },
  set(task, image) {
    const dv = dataView(image);
    // The upper half of pstate is RES0 (Linux clears it); only NZCV is kept of the rest.
    const pstateLo = dv.getUint32(264, true);
    if ((pstateLo & (PSTATE_MODE_BITS | PSTATE_DAIF_BITS)) !== 0) return EINVAL;
    const cpu = task.cpu;
    for (let i = 0; i < 64; i++) cpu.x[i] = dv.getInt32(i * 4, true);
    cpu.pc = dv.getUint32(260, true) * 4294967296 + dv.getUint32(256, true);
    cpu.nzcv = pstateLo;
    return 0;
  },
};

const PRFPREG: Regset = {
  size: USER_FPSIMD_STATE_SIZE,
  unit: 4,
  get(task) {
    const out = new Uint8Array(USER_FPSIMD_STATE_SIZE);
    out.set(task.cpu.v8.subarray(0, 512));
    const dv = dataView(out);
    dv.setUint32(512, task.cpu.fpsr >>> 0, true);
    dv.setUint32(516, task.cpu.fpcr >>> 0, true);
    return out;
  },
  set(task, image) {
    task.cpu.v8.set(image.subarray(0, 512));
    const dv = dataView(image);
    task.cpu.fpsr = dv.getUint32(512, true);
    task.cpu.fpcr = dv.getUint32(516, true);
    return 0;
  },
};

const TLS: Regset = {
  size: 8,
  unit: 8,
  get(task) {
    const out = new Uint8Array(8);
    const dv = dataView(out);
    dv.setInt32(0, task.cpu.tpidrLo, true);
    dv.setInt32(4, task.cpu.tpidrHi, true);
    return out;
  },
  set(task, image) {
    const dv = dataView(image);
    task.cpu.tpidrLo = dv.getInt32(0, true);
    task.cpu.tpidrHi = dv.getInt32(4, true);
    return 0;
  },
};

const SYSTEM_CALL: Regset = {
  size: 4,
  unit: 4,
  get(task) {
    const out = new Uint8Array(4);
    dataView(out).setInt32(0, task.syscallNo, true);
    return out;
  },
  set(task, image) {
    task.syscallNo = dataView(image).getInt32(0, true);
    return 0;
  },
};

/** A debug-register set with no slots: dbg_info, then (address, control) pairs that stay 0. */
const HWDEBUG: Regset = {
  size: USER_HWDEBUG_STATE_SIZE,
  unit: 4,
  get() {
    const out = new Uint8Array(USER_HWDEBUG_STATE_SIZE);
    dataView(out).setUint32(0, (DEBUG_ARCH << 8) | HW_SLOTS, true);
    return out;
  },
  set(_task, _image, userLen) {
    // hw_break_set skips dbg_info and its pad; each pair written asks for a slot this CPU lacks.
    return userLen > 8 ? ENOSPC : 0;
  },
};

const REGSETS: ReadonlyMap<number, Regset> = new Map([
  [NT_PRSTATUS, PRSTATUS],
  [NT_PRFPREG, PRFPREG],
  [NT_ARM_TLS, TLS],
  [NT_ARM_HW_BREAK, HWDEBUG],
  [NT_ARM_HW_WATCH, HWDEBUG],
  [NT_ARM_SYSTEM_CALL, SYSTEM_CALL],
]);

/** The user's iovec at data: native struct iovec (16 bytes) or compat_iovec (8). */
function readIov(call: PtraceCall): { base: number; len: number } | undefined {
  const size = call.compat ? 8 : 16;
  const raw = copyIn(call.mem, call.data, size);
  if (raw === null) return undefined;
  const dv = dataView(raw);
  if (call.compat) return { base: dv.getUint32(0, true), len: dv.getUint32(4, true) };
  const base = dv.getUint32(4, true) * 4294967296 + dv.getUint32(0, true);
  const len = dv.getUint32(12, true) * 4294967296 + dv.getUint32(8, true);
  return { base, len };
}

function writeIovLen(call: PtraceCall, len: number): boolean {
  const b = new Uint8Array(call.compat ? 4 : 8);
  dataView(b).setUint32(0, len, true);
  return copyOut(call.mem, call.data + (call.compat ? 4 : 8), b);
}

function regsetRequest(call: PtraceCall): number {
  const iov = readIov(call);
  if (iov === undefined) return EFAULT;
  const rs = REGSETS.get(call.addr);
  if (rs === undefined || iov.len % rs.unit !== 0) return EINVAL;
  const len = Math.min(iov.len, rs.size);
  if (call.request === PTRACE_GETREGSET) {
    if (!copyOut(call.mem, iov.base, rs.get(call.tracee), 0, len)) return EFAULT;
  } else {
    const image = rs.get(call.tracee);
    const user = copyIn(call.mem, iov.base, len);
    if (user === null) return EFAULT;
    image.set(user);
    const r = rs.set(call.tracee, image, len);
    if (r !== 0) return r;
  }
  return writeIovLen(call, len) ? 0 : EFAULT;
}

export const REGSET_REQUESTS: readonly [number, PtraceRequestHandler][] = [
  [PTRACE_GETREGSET, regsetRequest],
  [PTRACE_SETREGSET, regsetRequest],
];
