import { RLIMIT_STACK } from '../task/task.js';
import { utsFieldBytes } from './sys-uts.js';
import type { SyscallContext, SyscallSpec } from './syscall-types.js';
import { copyIn, copyOut } from './uaccess.js';

const EPERM = -1;
const ESRCH = -3;
const EFAULT = -14;
const EINVAL = -22;

export const UTS_RELEASE = '6.1.0-compat64';
export const UTS_VERSION = '#1 SMP PREEMPT compat64';

function sysUname(ctx: SyscallContext, a: readonly number[]): number {
  const b = new Uint8Array(65 * 6);
  const enc = new TextEncoder();
  const fields = ['Linux', ctx.kernel.host.nodename, UTS_RELEASE, UTS_VERSION, 'aarch64', '(none)'];
  fields.forEach((f, i) => {
    b.set(enc.encode(f).subarray(0, 64), i * 65);
  });
  // The names sethostname/setdomainname set (sys-uts.ts), byte for byte.
  b.set(utsFieldBytes(ctx.kernel, 'nodename'), 65);
  b.set(utsFieldBytes(ctx.kernel, 'domainname'), 5 * 65);
  return copyOut(ctx.mem, a[0]!, b) ? 0 : EFAULT;
}

function sysSysinfo(ctx: SyscallContext, a: readonly number[]): number {
  const dv = new DataView(new ArrayBuffer(112));
  const k = ctx.kernel;
  dv.setBigInt64(0, BigInt(Math.floor((k.host.monotonicNs() - k.bootNs) / 1e9)), true);
  const total = k.phys.maxFrames * 4096;
  const used = k.phys.framesInUse * 4096;
  dv.setBigUint64(32, BigInt(total), true);
  dv.setBigUint64(40, BigInt(Math.max(0, total - used)), true);
  dv.setUint16(80, k.tasks.size, true);
  dv.setUint32(104, 1, true);
  return copyOut(ctx.mem, a[0]!, new Uint8Array(dv.buffer)) ? 0 : EFAULT;
}

const GRND_NONBLOCK = 1;
const GRND_RANDOM = 2;
const GRND_INSECURE = 4;

function sysGetrandom(ctx: SyscallContext, a: readonly number[]): number {
  const [buf, len, flags] = a as [number, number, number];
  if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) return EINVAL;
  if ((flags & (GRND_RANDOM | GRND_INSECURE)) === (GRND_RANDOM | GRND_INSECURE)) return EINVAL;
  const n = Math.min(len, 33554431); // Linux caps one call at MAX_RW_COUNT-ish; 32 MiB - 1 is its getrandom cap
  const b = new Uint8Array(n);
  ctx.kernel.random.fill(b);
  return copyOut(ctx.mem, buf, b) ? n : EFAULT;
}

const RLIM_INFINITY = 2n ** 64n - 1n;

function rlimBytes(soft: number, hard: number): Uint8Array {
  const dv = new DataView(new ArrayBuffer(16));
  dv.setBigUint64(0, Number.isFinite(soft) ? BigInt(soft) : RLIM_INFINITY, true);
  dv.setBigUint64(8, Number.isFinite(hard) ? BigInt(hard) : RLIM_INFINITY, true);
  return new Uint8Array(dv.buffer);
}

function prlimit(ctx: SyscallContext, resource: number, newp: number, oldp: number): number {
  const lim = ctx.task.rlimits[resource];
  if (lim === undefined) return EINVAL;
  let next: [number, number] | undefined;
  if (newp !== 0) {
    const b = copyIn(ctx.mem, newp, 16);
    if (b === null) return EFAULT;
    const dv = new DataView(b.buffer);
    const conv = (v: bigint) => (v === RLIM_INFINITY ? Number.POSITIVE_INFINITY : Number(v));
    next = [conv(dv.getBigUint64(0, true)), conv(dv.getBigUint64(8, true))];
    if (next[0] > next[1]) return EINVAL;
    if (next[1] > lim[1] && ctx.task.creds.euid !== 0) return EPERM;
  }
  if (oldp !== 0 && !copyOut(ctx.mem, oldp, rlimBytes(lim[0], lim[1]))) return EFAULT;
  if (next) {
    ctx.task.rlimits[resource] = next;
    if (resource === RLIMIT_STACK) ctx.mm.stackLimit = next[0];
  }
  return 0;
}

function sysPrlimit64(ctx: SyscallContext, a: readonly number[]): number {
  const [pid, resource, newp, oldp] = a as [number, number, number, number];
  if (pid !== 0 && pid !== ctx.task.tgid) return ESRCH;
  return prlimit(ctx, resource, newp, oldp);
}

export const INFO_SYSCALLS: readonly SyscallSpec[] = [
  { name: 'uname', args: ['ptr'], handler: sysUname },
  { name: 'sysinfo', args: ['ptr'], handler: sysSysinfo },
  { name: 'getrandom', args: ['ptr', 'size', 'uint'], handler: sysGetrandom },
  { name: 'prlimit64', args: ['pid', 'int', 'ptr', 'ptr'], handler: sysPrlimit64 },
  { name: 'getrlimit', args: ['int', 'ptr'], handler: (c, a) => prlimit(c, a[0]!, 0, a[1]!) },
  { name: 'setrlimit', args: ['int', 'ptr'], handler: (c, a) => prlimit(c, a[0]!, a[1]!, 0) },
];
