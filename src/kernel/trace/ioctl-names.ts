/**
 * ioctl request names as arm64 numbers them (asm-generic/ioctls.h and the _IOC encodings with 64-bit long and
 * size_t), and strace's fallback for requests it cannot name: `_IOC(_IOC_READ, 0x54, 0x99, 0x4)`.
 */
import { hex32 } from './flag-names.js';

const IOC_NRBITS = 8;
const IOC_TYPEBITS = 8;
const IOC_SIZEBITS = 14;
const IOC_TYPESHIFT = IOC_NRBITS;
const IOC_SIZESHIFT = IOC_TYPESHIFT + IOC_TYPEBITS;
const IOC_DIRSHIFT = IOC_SIZESHIFT + IOC_SIZEBITS;
const IOC_WRITE = 1;
const IOC_READ = 2;

function ioc(dir: number, type: number, nr: number, size: number): number {
  return ((dir << IOC_DIRSHIFT) | (size << IOC_SIZESHIFT) | (type << IOC_TYPESHIFT) | nr) >>> 0;
}
const IO = (type: number, nr: number) => ioc(0, type, nr, 0);
const IOR = (type: number, nr: number, size: number) => ioc(IOC_READ, type, nr, size);
const IOW = (type: number, nr: number, size: number) => ioc(IOC_WRITE, type, nr, size);
const IOWR = (type: number, nr: number, size: number) => ioc(IOC_READ | IOC_WRITE, type, nr, size);

const T = 0x54; // 'T'
/** struct termios2 is 44 bytes on arm64 and ARM. */
const TERMIOS2 = 44;

const REQUESTS: readonly (readonly [number, string])[] = [
  [0x5401, 'TCGETS'],
  [0x5402, 'TCSETS'],
  [0x5403, 'TCSETSW'],
  [0x5404, 'TCSETSF'],
  [0x5405, 'TCGETA'],
  [0x5406, 'TCSETA'],
  [0x5407, 'TCSETAW'],
  [0x5408, 'TCSETAF'],
  [0x5409, 'TCSBRK'],
  [0x540a, 'TCXONC'],
  [0x540b, 'TCFLSH'],
  [0x540c, 'TIOCEXCL'],
  [0x540d, 'TIOCNXCL'],
  [0x540e, 'TIOCSCTTY'],
  [0x540f, 'TIOCGPGRP'],
  [0x5410, 'TIOCSPGRP'],
  [0x5411, 'TIOCOUTQ'],
  [0x5412, 'TIOCSTI'],
  [0x5413, 'TIOCGWINSZ'],
  [0x5414, 'TIOCSWINSZ'],
  [0x5415, 'TIOCMGET'],
  [0x5416, 'TIOCMBIS'],
  [0x5417, 'TIOCMBIC'],
  [0x5418, 'TIOCMSET'],
  [0x5419, 'TIOCGSOFTCAR'],
  [0x541a, 'TIOCSSOFTCAR'],
  [0x541b, 'FIONREAD'],
  [0x541c, 'TIOCLINUX'],
  [0x541d, 'TIOCCONS'],
  [0x541e, 'TIOCGSERIAL'],
  [0x541f, 'TIOCSSERIAL'],
  [0x5420, 'TIOCPKT'],
  [0x5421, 'FIONBIO'],
  [0x5422, 'TIOCNOTTY'],
  [0x5423, 'TIOCSETD'],
  [0x5424, 'TIOCGETD'],
  [0x5425, 'TCSBRKP'],
  [0x5427, 'TIOCSBRK'],
  [0x5428, 'TIOCCBRK'],
  [0x5429, 'TIOCGSID'],
  [IOR(T, 0x2a, TERMIOS2), 'TCGETS2'],
  [IOW(T, 0x2b, TERMIOS2), 'TCSETS2'],
  [IOW(T, 0x2c, TERMIOS2), 'TCSETSW2'],
  [IOW(T, 0x2d, TERMIOS2), 'TCSETSF2'],
  [0x542e, 'TIOCGRS485'],
  [0x542f, 'TIOCSRS485'],
  [IOR(T, 0x30, 4), 'TIOCGPTN'],
  [IOW(T, 0x31, 4), 'TIOCSPTLCK'],
  [IOR(T, 0x32, 4), 'TIOCGDEV'],
  [IOW(T, 0x36, 4), 'TIOCSIG'],
  [0x5437, 'TIOCVHANGUP'],
  [IOR(T, 0x38, 4), 'TIOCGPKT'],
  [IOR(T, 0x39, 4), 'TIOCGPTLCK'],
  [IOR(T, 0x40, 4), 'TIOCGEXCL'],
  [0x5441, 'TIOCGPTPEER'],
  [0x5450, 'FIONCLEX'],
  [0x5451, 'FIOCLEX'],
  [0x5452, 'FIOASYNC'],
  [0x5453, 'TIOCSERCONFIG'],
  [0x5454, 'TIOCSERGWILD'],
  [0x5455, 'TIOCSERSWILD'],
  [0x5456, 'TIOCGLCKTRMIOS'],
  [0x5457, 'TIOCSLCKTRMIOS'],
  [0x5458, 'TIOCSERGSTRUCT'],
  [0x5459, 'TIOCSERGETLSR'],
  [0x545a, 'TIOCSERGETMULTI'],
  [0x545b, 'TIOCSERSETMULTI'],
  [0x545c, 'TIOCMIWAIT'],
  [0x545d, 'TIOCGICOUNT'],
  [0x5460, 'FIOQSIZE'],
  [0x8901, 'FIOSETOWN'],
  [0x8902, 'SIOCSPGRP'],
  [0x8903, 'FIOGETOWN'],
  [0x8904, 'SIOCGPGRP'],
  [0x8905, 'SIOCATMARK'],
  [0x8910, 'SIOCGIFNAME'],
  [0x8912, 'SIOCGIFCONF'],
  [0x8913, 'SIOCGIFFLAGS'],
  [0x8914, 'SIOCSIFFLAGS'],
  [0x8915, 'SIOCGIFADDR'],
  [0x8921, 'SIOCGIFMTU'],
  [0x8927, 'SIOCGIFHWADDR'],
  [0x8933, 'SIOCGIFINDEX'],
  [IO(0, 1), 'FIBMAP'],
  [IO(0, 2), 'FIGETBSZ'],
  [IOWR(0x58, 119, 4), 'FIFREEZE'],
  [IOWR(0x58, 120, 4), 'FITHAW'],
  [IOWR(0x58, 121, 24), 'FITRIM'],
  [IOW(0x94, 9, 4), 'FICLONE'],
  [IOW(0x94, 13, 32), 'FICLONERANGE'],
  [IOWR(0x94, 54, 24), 'FIDEDUPERANGE'],
  [IOR(0x66, 1, 8), 'FS_IOC_GETFLAGS'],
  [IOW(0x66, 2, 8), 'FS_IOC_SETFLAGS'],
  [IOR(0x76, 1, 8), 'FS_IOC_GETVERSION'],
  [IOW(0x76, 2, 8), 'FS_IOC_SETVERSION'],
  [IOR(0x66, 1, 4), 'FS_IOC32_GETFLAGS'],
  [IOW(0x66, 2, 4), 'FS_IOC32_SETFLAGS'],
  [IO(0x12, 94), 'BLKROSET'],
  [IO(0x12, 95), 'BLKROGET'],
  [IO(0x12, 96), 'BLKGETSIZE'],
  [IO(0x12, 104), 'BLKSSZGET'],
  [IOR(0x12, 114, 8), 'BLKGETSIZE64'],
  [IOR(0x52, 0, 4), 'RNDGETENTCNT'],
  [IO(0x4c, 0), 'LOOP_SET_FD'],
  [IO(0x4c, 1), 'LOOP_CLR_FD'],
  [IO(0x4c, 0x82), 'LOOP_CTL_GET_FREE'],
];

const BY_VALUE: ReadonlyMap<number, string> = new Map(REQUESTS.map(([v, n]) => [v, n]));

/** Requests whose argument is a number, not a pointer (TCSBRK, TCXONC, TCFLSH, TIOCSCTTY, TCSBRKP). */
const VALUE_ARGUMENT: ReadonlySet<number> = new Set([0x5409, 0x540a, 0x540b, 0x540e, 0x5425]);

/** Whether strace shows this request's argument as a decimal number rather than an address. */
export function ioctlTakesValue(request: number): boolean {
  return VALUE_ARGUMENT.has(request >>> 0);
}

const DIRS = ['_IOC_NONE', '_IOC_WRITE', '_IOC_READ', '_IOC_READ|_IOC_WRITE'];

/** The request's name, or its _IOC fields the way strace prints requests it does not know. */
export function formatIoctlRequest(request: number): string {
  const r = request >>> 0;
  const name = BY_VALUE.get(r);
  if (name !== undefined) return name;
  const nr = r & 0xff;
  const type = (r >>> IOC_TYPESHIFT) & 0xff;
  const size = (r >>> IOC_SIZESHIFT) & ((1 << IOC_SIZEBITS) - 1);
  const dir = r >>> IOC_DIRSHIFT;
  return `_IOC(${DIRS[dir]}, ${hex32(type)}, ${hex32(nr)}, ${hex32(size)})`;
}
