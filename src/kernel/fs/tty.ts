/**
 * Terminal state and the terminal ioctls, for descriptions over a host terminal (the emulator's
 * stdio when it is a terminal, /dev/tty).
 *
 * The termios the guest sees is kept here, starting from Linux's defaults for a fresh terminal
 * (tty_std_termios). The host can only be switched between cooked and raw input (Node's
 * setRawMode), so a guest that clears ICANON or ECHO gets the host terminal in raw mode and one that
 * sets both back gets it cooked; finer settings (ISIG alone, output flags, speeds) are recorded and
 * reported back but not applied. In raw mode the host does not turn ^C into SIGINT: tty-jobctl.ts does,
 * from the input. The session, the foreground process group and the job-control ioctls are
 * tty-jobctl.ts's.
 */
import { writeField } from '../abi/marshal.js';
import type { Kernel } from '../kernel.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import { copyIn, copyOut, writeU32 } from '../syscalls/uaccess.js';
import type { HostFs } from './host-fs.js';
import { jobctlIoctl, ttyCheckChange } from './tty-jobctl.js';

const SIGTTOU = 22;
const EFAULT = -14;
const EINVAL = -22;
const ENOTTY = -25;

export const TCGETS = 0x5401;
export const TCSETS = 0x5402;
export const TCSETSW = 0x5403;
export const TCSETSF = 0x5404;
export const TCSBRK = 0x5409;
export const TCXONC = 0x540a;
export const TCFLSH = 0x540b;
export const TIOCEXCL = 0x540c;
export const TIOCNXCL = 0x540d;
export const TIOCSCTTY = 0x540e;
export const TIOCGPGRP = 0x540f;
export const TIOCSPGRP = 0x5410;
export const TIOCOUTQ = 0x5411;
export const TIOCGWINSZ = 0x5413;
export const TIOCSWINSZ = 0x5414;
export const TIOCNOTTY = 0x5422;
export const TIOCGSID = 0x5429;
export const TCGETS2 = 0x802c542a;
export const TCSETS2 = 0x402c542b;
export const TCSETSW2 = 0x402c542c;
export const TCSETSF2 = 0x402c542d;
export const TCSBRKP = 0x5425;

const ICANON = 0o2;
const ECHO = 0o10;
/** B38400, the speed tty_std_termios reports. */
const B38400 = 0o17;
const CBAUD = 0o10017;
const BAUD_38400 = 38400;

/** INIT_C_CC of include/linux/tty.h: ^C ^\ DEL ^U ^D, VTIME 0, VMIN 1, … */
const INIT_C_CC = [3, 0x1c, 0x7f, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0x0f, 0x17, 0x16, 0, 0, 0];

export class TtyState {
  iflag = 0o400 | 0o2000; // ICRNL | IXON
  oflag = 0o1 | 0o4; // OPOST | ONLCR
  cflag = B38400 | 0o60 | 0o200 | 0o2000; // CS8 | CREAD | HUPCL
  lflag = 0o1 | ICANON | ECHO | 0o20 | 0o40 | 0o1000 | 0o4000 | 0o100000; // ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN
  line = 0;
  cc = Uint8Array.from(INIT_C_CC);
  ispeed = BAUD_38400;
  ospeed = BAUD_38400;
  /** TIOCSWINSZ value; undefined: ask the host. */
  winsize: { rows: number; cols: number; xpixel: number; ypixel: number } | undefined;
  /** The session whose controlling terminal this is (its sid), 0 for none (tty->ctrl.session). */
  session = 0;
  /** The foreground process group, 0 for none (tty->ctrl.pgrp). */
  pgrp = 0;
  /** The machine whose session owns the terminal (set with the session; for signals from input). */
  kernel: Kernel | undefined;
  /** Stops the emulator itself (a ^Z nobody in the guest could act on; see tty-jobctl.ts). */
  stopHost: (() => void) | undefined;
  private raw = false;

  constructor(
    /** The host device number. */
    readonly rdev: number,
  ) {}

  /** The host terminal is in raw mode: it raises no signals and echoes nothing itself. */
  get hostRaw(): boolean {
    return this.raw;
  }

  /** Applies a new lflag to the host terminal as far as the host allows (cooked vs raw). */
  applyHost(host: HostFs, fd: number): void {
    const raw = (this.lflag & (ICANON | ECHO)) !== (ICANON | ECHO);
    if (raw !== this.raw && host.setRawMode(fd, raw) === 0) this.raw = raw;
  }
}

function getTermios(ctx: SyscallContext, t: TtyState, arg: number, two: boolean): number {
  const layout = two ? ctx.abi.termios2 : ctx.abi.termios;
  const b = new Uint8Array(layout.size);
  const v = new DataView(b.buffer);
  writeField(layout, v, 0, 'c_iflag', t.iflag);
  writeField(layout, v, 0, 'c_oflag', t.oflag);
  writeField(layout, v, 0, 'c_cflag', t.cflag);
  writeField(layout, v, 0, 'c_lflag', t.lflag);
  writeField(layout, v, 0, 'c_line', t.line);
  b.set(t.cc, layout.fields.c_cc.offset);
  if (two) {
    writeField(ctx.abi.termios2, v, 0, 'c_ispeed', t.ispeed);
    writeField(ctx.abi.termios2, v, 0, 'c_ospeed', t.ospeed);
  }
  return copyOut(ctx.mem, arg, b) ? 0 : EFAULT;
}

function setTermios(ctx: SyscallContext, t: TtyState, host: HostFs, fd: number, arg: number, two: boolean): number {
  const layout = two ? ctx.abi.termios2 : ctx.abi.termios;
  const b = copyIn(ctx.mem, arg, layout.size);
  if (b === null) return EFAULT;
  const v = new DataView(b.buffer);
  const f = layout.fields;
  t.iflag = v.getUint32(f.c_iflag.offset, true);
  t.oflag = v.getUint32(f.c_oflag.offset, true);
  t.cflag = v.getUint32(f.c_cflag.offset, true);
  t.lflag = v.getUint32(f.c_lflag.offset, true);
  t.line = v.getUint8(f.c_line.offset);
  t.cc = b.slice(f.c_cc.offset, f.c_cc.offset + t.cc.length);
  if (two) {
    t.ispeed = v.getUint32(ctx.abi.termios2.fields.c_ispeed.offset, true);
    t.ospeed = v.getUint32(ctx.abi.termios2.fields.c_ospeed.offset, true);
  } else if ((t.cflag & CBAUD) === B38400) {
    t.ispeed = t.ospeed = BAUD_38400;
  }
  t.applyHost(host, fd);
  return 0;
}

/** The ioctls that change the terminal: tty_check_change first (SIGTTOU for a background caller). */
const CHANGES = new Set([TCSETS, TCSETSW, TCSETSF, TCSETS2, TCSETSW2, TCSETSF2, TCSBRK, TCSBRKP, TCXONC, TCFLSH]);

/**
 * The terminal ioctls on a host terminal fd; -ENOTTY for anything else. `readable`: the description
 * was opened for reading.
 */
export function ttyIoctl(
  ctx: SyscallContext,
  t: TtyState,
  host: HostFs,
  fd: number,
  readable: boolean,
  cmd: number,
  arg: number,
): number {
  const job = jobctlIoctl(ctx, t, readable, cmd, arg);
  if (job !== undefined) return job;
  if (CHANGES.has(cmd)) {
    const r = ttyCheckChange(ctx.kernel, ctx.task, t, SIGTTOU);
    if (r !== 0) return r;
  }
  switch (cmd) {
    case TCGETS:
      return getTermios(ctx, t, arg, false);
    case TCGETS2:
      return getTermios(ctx, t, arg, true);
    case TCSETS:
    case TCSETSW:
    case TCSETSF:
      return setTermios(ctx, t, host, fd, arg, false);
    case TCSETS2:
    case TCSETSW2:
    case TCSETSF2:
      return setTermios(ctx, t, host, fd, arg, true);
    case TIOCGWINSZ: {
      const w = t.winsize ?? host.winsize(fd) ?? { rows: 0, cols: 0, xpixel: 0, ypixel: 0 };
      const layout = ctx.abi.winsize;
      const b = new Uint8Array(layout.size);
      const v = new DataView(b.buffer);
      writeField(layout, v, 0, 'ws_row', w.rows);
      writeField(layout, v, 0, 'ws_col', w.cols);
      writeField(layout, v, 0, 'ws_xpixel', w.xpixel);
      writeField(layout, v, 0, 'ws_ypixel', w.ypixel);
      return copyOut(ctx.mem, arg, b) ? 0 : EFAULT;
    }
    case TIOCSWINSZ: {
      const layout = ctx.abi.winsize;
      const b = copyIn(ctx.mem, arg, layout.size);
      if (b === null) return EFAULT;
      const v = new DataView(b.buffer);
      const f = layout.fields;
      t.winsize = {
        rows: v.getUint16(f.ws_row.offset, true),
        cols: v.getUint16(f.ws_col.offset, true),
        xpixel: v.getUint16(f.ws_xpixel.offset, true),
        ypixel: v.getUint16(f.ws_ypixel.offset, true),
      };
      return 0;
    }
    case TIOCOUTQ:
      return writeU32(ctx.mem, arg, 0) ? 0 : EFAULT;
    case TCSBRK:
    case TCSBRKP:
    case TCXONC:
    case TCFLSH:
      return arg < 0 ? EINVAL : 0;
    case TIOCEXCL:
    case TIOCNXCL:
      return 0;
    default:
      return ENOTTY;
  }
}
