/**
 * struct sigevent as timer_create and mq_notify read it: through ctx.abi.sigevent, and in a compat
 * call only the 16 bytes get_compat_sigevent copies (sival_int, signo, notify, thread id), the
 * value's upper word then 0.
 */
import { offsetOf, type StructLayout } from '../abi/layout.js';
import type { TimerEvent } from '../task/posix-timers.js';
import type { SyscallContext } from './syscall-types.js';
import { copyIn } from './uaccess.js';

/** The bytes of compat_sigevent that get_compat_sigevent reads. */
const COMPAT_SIGEVENT_READ = 16;

/** The sigevent at addr; null on a fault. */
export function readSigevent(ctx: SyscallContext, addr: number): TimerEvent | null {
  const L: StructLayout = ctx.abi.sigevent;
  const b = copyIn(ctx.mem, addr, ctx.compat ? COMPAT_SIGEVENT_READ : L.size);
  if (b === null) return null;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const value = offsetOf(L, 'sigev_value').offset;
  return {
    valueLo: dv.getInt32(value, true),
    valueHi: ctx.compat ? 0 : dv.getInt32(value + 4, true),
    signo: dv.getInt32(offsetOf(L, 'sigev_signo').offset, true),
    notify: dv.getInt32(offsetOf(L, 'sigev_notify').offset, true),
    tid: dv.getInt32(offsetOf(L, '_sigev_un._tid').offset, true),
  };
}
