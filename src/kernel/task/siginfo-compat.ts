/**
 * siginfo for compat calls (rt_sigtimedwait, rt_sigqueueinfo, waitid… issued through the AArch32
 * table): Linux's copy_siginfo_to_external32 and post_copy_siginfo_from_user32. The 128-byte
 * compat_siginfo has its union at 12 and 4-byte longs and pointers; only the members of the
 * (signal, si_code) pair's layout are carried over, so sival_ptr and si_band keep their low 32 bits.
 */
import { ILP32_EABI, LP64, layoutOf, offsetOf } from '../abi/layout.js';
import { siginfo } from '../abi/structs-signal.js';
import { SIGINFO_SIZE, type SigInfo, siginfoLayout } from './siginfo.js';

/** A member by its designator: offset and size in both layouts. */
interface Member {
  readonly n: number;
  readonly c: number;
  readonly nSize: number;
  readonly cSize: number;
}

interface Members {
  readonly HEAD: readonly Member[];
  readonly PID: Member;
  readonly UID: Member;
  readonly TIMER: Member[];
  readonly POLL: Member[];
  readonly ADDR: Member;
  readonly CHLD: readonly Member[];
  readonly RT_INT: Member;
  readonly SYS: Member[];
}

let members: Members | undefined;

/** The members, laid out on first use (both siginfo layouts were ~0.5 ms of every start). */
function M(): Members {
  if (members !== undefined) return members;
  const native = layoutOf(siginfo, LP64);
  const compat = layoutOf(siginfo, ILP32_EABI);
  const member = (path: string): Member => {
    const n = offsetOf(native, path);
    const c = offsetOf(compat, path);
    return { n: n.offset, c: c.offset, nSize: n.size, cSize: c.size };
  };
  members = {
    HEAD: ['si_signo', 'si_errno', 'si_code'].map(member),
    PID: member('_sifields._kill._pid'),
    UID: member('_sifields._kill._uid'),
    TIMER: ['_sifields._timer._tid', '_sifields._timer._overrun', '_sifields._timer._sigval.sival_int'].map(member),
    POLL: ['_sifields._sigpoll._band', '_sifields._sigpoll._fd'].map(member),
    ADDR: member('_sifields._sigfault._addr'),
    CHLD: ['_sifields._sigchld._status', '_sifields._sigchld._utime', '_sifields._sigchld._stime'].map(member),
    RT_INT: member('_sifields._rt._sigval.sival_int'),
    SYS: ['_sifields._sigsys._call_addr', '_sifields._sigsys._syscall', '_sifields._sigsys._arch'].map(member),
  };
  return members;
}

function membersOf(sig: number, code: number): readonly Member[] {
  const { PID, UID, TIMER, POLL, ADDR, CHLD, RT_INT, SYS } = M();
  switch (siginfoLayout(sig, code)) {
    case 'kill':
      return [PID, UID];
    case 'timer':
      return TIMER;
    case 'poll':
      return POLL;
    case 'fault':
      return [ADDR];
    case 'chld':
      return [PID, UID, ...CHLD];
    case 'rt':
      return [PID, UID, RT_INT];
    case 'sys':
      return SYS;
  }
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** Copies the low 32 bits (the whole member when it is 4 bytes); a wider destination is sign-extended. */
function move(from: DataView, at: number, to: DataView, dst: number, dstSize: number): void {
  const v = from.getInt32(at, true);
  to.setInt32(dst, v, true);
  if (dstSize === 8) to.setInt32(dst + 4, v < 0 ? -1 : 0, true);
}

/** copy_siginfo_to_external32: the compat_siginfo image of a queued siginfo. */
export function siginfoToCompat(info: SigInfo): Uint8Array {
  const out = new Uint8Array(SIGINFO_SIZE);
  const f = view(info);
  const t = view(out);
  const { HEAD } = M();
  for (const m of HEAD) move(f, m.n, t, m.c, m.cSize);
  for (const m of membersOf(f.getInt32(HEAD[0]!.n, true), f.getInt32(HEAD[2]!.n, true))) move(f, m.n, t, m.c, m.cSize);
  return out;
}

/**
 * __copy_siginfo_from_user32 after the copy: si_signo becomes sig, then the members of the layout are
 * widened into a native siginfo (pointers zero-extended, longs sign-extended as compat_ptr and the
 * compat long conversions do).
 */
export function siginfoFromCompat(sig: number, compat: Uint8Array): SigInfo {
  const out = new Uint8Array(SIGINFO_SIZE);
  const f = view(compat);
  const t = view(out);
  const { HEAD, ADDR, SYS } = M();
  for (const m of HEAD) move(f, m.c, t, m.n, 4);
  t.setInt32(HEAD[0]!.n, sig, true);
  for (const m of membersOf(sig, f.getInt32(HEAD[2]!.c, true))) {
    move(f, m.c, t, m.n, m.nSize);
    // Pointers (si_addr, si_call_addr) are unsigned: compat_ptr zero-extends.
    if ((m === ADDR || m === SYS[0]) && m.nSize === 8) t.setInt32(m.n + 4, 0, true);
  }
  return out;
}
