/**
 * capget/capset (kernel/capability.c, security/commoncap.c; Linux 6.1, CAP_LAST_CAP 40).
 *
 * compat64 models privilege as "euid 0" (sys-creds.ts, sys-priority.ts… test euid === 0), so the
 * permitted and effective sets are derived from the ids as Linux's cap_emulate_setxuid leaves them
 * for a process without file capabilities: permitted is the full set while any of uid/euid/suid is
 * 0, effective is the full set while euid is 0 (and permitted). The inheritable set is kept per
 * thread (it only matters at exec, where it is preserved; compat64 has no file capabilities).
 *
 * capset follows Linux's rules (version, pid, then cap_capset's subset checks → EPERM). A request
 * that passes them but changes the effective or permitted set cannot be enforced — the rest of the
 * kernel would still treat euid 0 as all-powerful — so it is refused with EPERM instead of being
 * reported as done ('partial'). Changing only the inheritable set works.
 */
import type { Task } from '../task/task.js';
import type { SyscallArgs, SyscallContext, SyscallSpec } from './syscall-types.js';
import { copyIn, copyOut, readU32, writeU32 } from './uaccess.js';

const EPERM = -1;
const ESRCH = -3;
const EFAULT = -14;
const EINVAL = -22;

export const _LINUX_CAPABILITY_VERSION_1 = 0x19980330;
export const _LINUX_CAPABILITY_VERSION_2 = 0x20071026;
export const _LINUX_CAPABILITY_VERSION_3 = 0x20080522;
/** What an unknown version is answered with (_KERNEL_CAPABILITY_VERSION). */
const KERNEL_CAPABILITY_VERSION = _LINUX_CAPABILITY_VERSION_3;
/** CAP_LAST_CAP 40: the valid bits of the second word. */
const CAP_LAST_U32_VALID_MASK = 0x1ff;
const CAP_SETPCAP = 8;

/** A capability set as its two 32-bit words. */
export type CapSet = readonly [number, number];
export const CAP_EMPTY: CapSet = [0, 0];
export const CAP_FULL: CapSet = [0xffffffff, CAP_LAST_U32_VALID_MASK];

const inheritable = new WeakMap<Task, CapSet>();

export interface Caps {
  effective: CapSet;
  permitted: CapSet;
  inheritable: CapSet;
}

/** The thread's capability sets. */
export function capsOf(task: Task): Caps {
  const c = task.creds;
  const permitted = c.uid === 0 || c.euid === 0 || c.suid === 0 ? CAP_FULL : CAP_EMPTY;
  return {
    effective: c.euid === 0 ? permitted : CAP_EMPTY,
    permitted,
    inheritable: inheritable.get(task) ?? CAP_EMPTY,
  };
}

/** A set as /proc/PID/status shows it (CapInh/CapPrm/CapEff): 16 hex digits. */
export function capSetHex(s: CapSet): string {
  return s[1].toString(16).padStart(8, '0') + s[0].toString(16).padStart(8, '0');
}

/** copy_creds: a new thread or process starts with its creator's inheritable set. task/clone.ts calls this. */
export function capsFork(parent: Task, child: Task): void {
  const i = inheritable.get(parent);
  if (i !== undefined) inheritable.set(child, i);
}

const isSubset = (a: CapSet, b: CapSet): boolean => (a[0] & ~b[0]) === 0 && (a[1] & ~b[1]) === 0;
const combine = (a: CapSet, b: CapSet): CapSet => [(a[0] | b[0]) >>> 0, (a[1] | b[1]) >>> 0];
const same = (a: CapSet, b: CapSet): boolean => a[0] === b[0] && a[1] === b[1];
const raised = (s: CapSet, cap: number): boolean => ((s[cap >> 5]! >>> (cap & 31)) & 1) !== 0;

/** cap_validate_magic: how many 32-bit words the version carries, or an errno (the kernel's version written back). */
function validateMagic(ctx: SyscallContext, header: number): number {
  const version = readU32(ctx.mem, header);
  if (version === null) return EFAULT;
  switch (version) {
    case _LINUX_CAPABILITY_VERSION_1:
      return 1;
    case _LINUX_CAPABILITY_VERSION_2:
    case _LINUX_CAPABILITY_VERSION_3:
      return 2;
    default:
      return writeU32(ctx.mem, header, KERNEL_CAPABILITY_VERSION) ? EINVAL : EFAULT;
  }
}

function sysCapget(ctx: SyscallContext, a: SyscallArgs): number {
  const [header, data] = [a[0]!, a[1]!];
  const words = validateMagic(ctx, header);
  // A NULL data pointer probes the version: 0 once the kernel's version is written back.
  if (data === 0) return words === EINVAL || words > 0 ? 0 : words;
  if (words < 0) return words;
  const pid = readU32(ctx.mem, header + 4);
  if (pid === null) return EFAULT;
  if ((pid | 0) < 0) return EINVAL;
  const target = pid === 0 || pid === ctx.task.tid ? ctx.task : ctx.kernel.tasks.get(pid);
  if (target === undefined) return ESRCH;
  const caps = capsOf(target);
  // struct __user_cap_data_struct { effective, permitted, inheritable } per word.
  const b = new Uint8Array(12 * words);
  const v = new DataView(b.buffer);
  for (let i = 0; i < words; i++) {
    v.setUint32(12 * i, caps.effective[i]!, true);
    v.setUint32(12 * i + 4, caps.permitted[i]!, true);
    v.setUint32(12 * i + 8, caps.inheritable[i]!, true);
  }
  return copyOut(ctx.mem, data, b) ? 0 : EFAULT;
}

/** cap_capset's checks for the new sets against the old ones: 0 or EPERM. */
export function capsetAllowed(old: Caps, effective: CapSet, permitted: CapSet, inh: CapSet): number {
  // Without CAP_SETPCAP the new inheritable set stays within the old inheritable and permitted sets.
  const capped = !raised(old.effective, CAP_SETPCAP);
  if (capped && !isSubset(inh, combine(old.inheritable, old.permitted))) return EPERM;
  // The bounding set is full in compat64: no limit from it.
  if (!isSubset(permitted, old.permitted)) return EPERM;
  if (!isSubset(effective, permitted)) return EPERM;
  return 0;
}

function sysCapset(ctx: SyscallContext, a: SyscallArgs): number {
  const [header, data] = [a[0]!, a[1]!];
  const words = validateMagic(ctx, header);
  if (words < 0) return words;
  const pid = readU32(ctx.mem, header + 4);
  if (pid === null) return EFAULT;
  // Only the calling thread may be changed.
  if (pid !== 0 && pid !== ctx.task.tid) return EPERM;
  const b = copyIn(ctx.mem, data, 12 * words);
  if (b === null) return EFAULT;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const set = (field: number): CapSet => [
    v.getUint32(field, true),
    words > 1 ? v.getUint32(12 + field, true) & CAP_LAST_U32_VALID_MASK : 0,
  ];
  const effective = set(0);
  const permitted = set(4);
  const inh = set(8);
  const old = capsOf(ctx.task);
  const r = capsetAllowed(old, effective, permitted, inh);
  if (r !== 0) return r;
  // Not enforceable: dropping (or, for a root saved id, raising) effective/permitted capabilities.
  if (!same(effective, old.effective) || !same(permitted, old.permitted)) return EPERM;
  if (same(inh, CAP_EMPTY)) inheritable.delete(ctx.task);
  else inheritable.set(ctx.task, inh);
  return 0;
}

export const CAPS_SYSCALLS: readonly SyscallSpec[] = [
  { name: 'capget', args: ['ptr', 'ptr'], handler: sysCapget },
  {
    name: 'capset',
    args: ['ptr', 'ptr'],
    handler: sysCapset,
    level: 'partial',
    note: 'capabilities are "euid 0": a capset that would change the effective or permitted set (allowed by Linux) returns EPERM; the inheritable set works',
  },
];
