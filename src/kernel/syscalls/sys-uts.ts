/**
 * The UTS names (kernel/sys.c, kernel/utsname_sysctl.c): sethostname and setdomainname, and the
 * machine's nodename and domainname that uname(2) and /proc/sys/kernel/{hostname,domainname} show.
 *
 * compat64 has one UTS namespace per kernel (no CLONE_NEWUTS). The names are kept as Linux keeps
 * them: 65-byte fields, the bytes as given (no encoding), NUL-filled after the name. The nodename
 * starts as the host's name (UTF-8, cut at 64 bytes), the domainname as "(none)".
 */
import type { Kernel } from '../kernel.js';
import type { SyscallContext, SyscallSpec } from './syscall-types.js';
import { copyIn } from './uaccess.js';

const EPERM = -1;
const EFAULT = -14;
const EINVAL = -22;

/** __NEW_UTS_LEN: a name holds at most 64 bytes, the 65th is always NUL. */
export const NEW_UTS_LEN = 64;
const FIELD = NEW_UTS_LEN + 1;

export type UtsField = 'nodename' | 'domainname';

interface UtsNames {
  nodename: Uint8Array;
  domainname: Uint8Array;
}

const names = new WeakMap<Kernel, UtsNames>();

function field(text: Uint8Array): Uint8Array {
  const f = new Uint8Array(FIELD);
  f.set(text.subarray(0, NEW_UTS_LEN));
  return f;
}

function namesOf(kernel: Kernel): UtsNames {
  let n = names.get(kernel);
  if (n === undefined) {
    const enc = new TextEncoder();
    n = { nodename: field(enc.encode(kernel.host.nodename)), domainname: field(enc.encode('(none)')) };
    names.set(kernel, n);
  }
  return n;
}

/** The 65-byte field as struct new_utsname holds it (uname copies it whole). */
export function utsFieldBytes(kernel: Kernel, which: UtsField): Uint8Array {
  return namesOf(kernel)[which].slice();
}

/** The name up to its first NUL (what gethostname and the sysctl show). */
export function utsName(kernel: Kernel, which: UtsField): Uint8Array {
  const f = namesOf(kernel)[which];
  const end = f.indexOf(0);
  return f.slice(0, end < 0 ? NEW_UTS_LEN : end);
}

/** Replaces the name with these bytes (at most 64 are kept), NUL-filling the rest of the field. */
export function setUtsName(kernel: Kernel, which: UtsField, bytes: Uint8Array): void {
  namesOf(kernel)[which] = field(bytes);
}

/**
 * /proc/sys/kernel/{hostname,domainname} read (proc_do_uts_string): the name up to its NUL, then a
 * newline, as bytes.
 */
export function utsProcRead(kernel: Kernel, which: UtsField): Uint8Array {
  const name = utsName(kernel, which);
  const out = new Uint8Array(name.length + 1);
  out.set(name);
  out[name.length] = 0x0a;
  return out;
}

/**
 * /proc/sys/kernel/{hostname,domainname} write (proc_dostring at position 0): the bytes up to the
 * first newline or NUL, at most 64 of them, replace the name; the whole write is consumed.
 */
export function utsProcWrite(kernel: Kernel, which: UtsField, data: Uint8Array): number {
  let end = 0;
  while (end < data.length && data[end] !== 0x0a && data[end] !== 0) end++;
  setUtsName(kernel, which, data.subarray(0, Math.min(end, NEW_UTS_LEN)));
  return data.length;
}

/** CAP_SYS_ADMIN in the UTS namespace's user namespace: euid 0 in compat64's capability model. */
function capSysAdmin(ctx: SyscallContext): boolean {
  return ctx.task.creds.euid === 0;
}

/** sethostname / setdomainname: capability, then the length (0..64), then the copy. */
function setName(ctx: SyscallContext, a: readonly number[], which: UtsField): number {
  const addr = a[0]!;
  const len = a[1]! | 0;
  if (!capSysAdmin(ctx)) return EPERM;
  if (len < 0 || len > NEW_UTS_LEN) return EINVAL;
  const b = len === 0 ? new Uint8Array(0) : copyIn(ctx.mem, addr, len);
  if (b === null) return EFAULT;
  setUtsName(ctx.kernel, which, b);
  return 0;
}

export const UTS_SYSCALLS: readonly SyscallSpec[] = [
  { name: 'sethostname', args: ['str', 'int'], handler: (ctx, a) => setName(ctx, a, 'nodename') },
  { name: 'setdomainname', args: ['str', 'int'], handler: (ctx, a) => setName(ctx, a, 'domainname') },
];
