/**
 * The value-to-name tables the trace prints (strace calls them xlats), with arm64's values from ../abi, and the
 * two ways strace prints through them: a flag word as `A|B|0x40` and a single value as `NAME` or
 * `0x7 /* SEEK_??? *\/`. Table order is strace's print order (its src/xlat/*.in files), not value order.
 */
import {
  AT_EACCESS,
  AT_EMPTY_PATH,
  AT_NO_AUTOMOUNT,
  AT_REMOVEDIR,
  AT_SYMLINK_FOLLOW,
  AT_SYMLINK_NOFOLLOW,
  FASYNC,
  FD_CLOEXEC,
  O_ACCMODE,
  O_APPEND,
  O_CLOEXEC,
  O_CREAT,
  O_DIRECT,
  O_DIRECTORY,
  O_DSYNC,
  O_EXCL,
  O_LARGEFILE,
  O_NOATIME,
  O_NOCTTY,
  O_NOFOLLOW,
  O_NONBLOCK,
  O_PATH,
  O_SYNC,
  O_TMPFILE,
  O_TRUNC,
} from '../abi/fcntl.js';
import * as M from '../abi/mman.js';

/** Pairs of value and name, in the order strace prints them. */
export type Xlat = readonly (readonly [number, string])[];

/** `%#x`: hex with 0x, except 0 which C prints as plain `0`. */
export function hex32(v: number): string {
  const u = v >>> 0;
  return u === 0 ? '0' : `0x${u.toString(16)}`;
}

/**
 * strace's printflags: the names of the entries whose bits are all set, in table order (each clears its bits, so
 * O_SYNC is printed instead of O_DSYNC plus __O_SYNC), then any unknown rest in hex. A zero word prints as `zero`.
 */
export function formatFlags(table: Xlat, value: number, zero = '0'): string {
  let rest = value >>> 0;
  if (rest === 0) return zero;
  const parts: string[] = [];
  for (const [bits, name] of table) {
    if (bits !== 0 && (rest & bits) >>> 0 === bits) {
      parts.push(name);
      rest = (rest & ~bits) >>> 0;
    }
  }
  if (rest !== 0) parts.push(hex32(rest));
  return parts.join('|');
}

/** strace's printxval: the name of one value, or the number in hex with a comment naming the table's prefix. */
export function formatXval(table: Xlat, value: number, unknown: string): string {
  for (const [v, name] of table) if (v === value) return name;
  return `${hex32(value)} /* ${unknown} */`;
}

/** The name alone, or undefined (for callers that print unknown values their own way). */
export function lookupXval(table: Xlat, value: number): string | undefined {
  for (const [v, name] of table) if (v === value) return name;
  return undefined;
}

// ---- open(2) flags ----

const __O_SYNC = O_SYNC & ~O_DSYNC;
const __O_TMPFILE = O_TMPFILE & ~O_DIRECTORY;

const OPEN_ACCESS: Xlat = [
  [0, 'O_RDONLY'],
  [1, 'O_WRONLY'],
  [2, 'O_RDWR'],
  [3, 'O_ACCMODE'],
];

/** strace's open_mode_flags order; O_SYNC before O_DSYNC and O_TMPFILE before O_DIRECTORY so the pairs win. */
export const OPEN_FLAGS: Xlat = [
  [O_CREAT, 'O_CREAT'],
  [O_EXCL, 'O_EXCL'],
  [O_NOCTTY, 'O_NOCTTY'],
  [O_TRUNC, 'O_TRUNC'],
  [O_APPEND, 'O_APPEND'],
  [O_NONBLOCK, 'O_NONBLOCK'],
  [O_SYNC, 'O_SYNC'],
  [__O_SYNC, '__O_SYNC'],
  [O_DSYNC, 'O_DSYNC'],
  [O_DIRECT, 'O_DIRECT'],
  [O_LARGEFILE, 'O_LARGEFILE'],
  [O_NOFOLLOW, 'O_NOFOLLOW'],
  [O_NOATIME, 'O_NOATIME'],
  [O_CLOEXEC, 'O_CLOEXEC'],
  [O_PATH, 'O_PATH'],
  [O_TMPFILE, 'O_TMPFILE'],
  [__O_TMPFILE, '__O_TMPFILE'],
  [O_DIRECTORY, 'O_DIRECTORY'],
  [FASYNC, 'FASYNC'],
];

/** `O_RDONLY|O_CLOEXEC`: the access mode always, then the other flags (arm64 values). */
export function formatOpenFlags(flags: number): string {
  const u = flags >>> 0;
  const access = formatXval(OPEN_ACCESS, u & O_ACCMODE, 'O_???');
  const rest = (u & ~O_ACCMODE) >>> 0;
  return rest === 0 ? access : `${access}|${formatFlags(OPEN_FLAGS, rest)}`;
}

/** Whether open's mode argument means anything (strace prints it only then). */
export function openTakesMode(flags: number): boolean {
  return (flags & O_CREAT) !== 0 || (flags & __O_TMPFILE) !== 0;
}

// ---- *at(2) flags ----

const AT_RECURSIVE = 0x8000;
const AT_STATX_SYNC_TYPE = 0x6000;

/** strace's at_flags; AT_REMOVEDIR and AT_EACCESS share 0x200, so faccessat callers pass their own table. */
export const AT_FLAGS: Xlat = [
  [AT_SYMLINK_NOFOLLOW, 'AT_SYMLINK_NOFOLLOW'],
  [AT_REMOVEDIR, 'AT_REMOVEDIR'],
  [AT_SYMLINK_FOLLOW, 'AT_SYMLINK_FOLLOW'],
  [AT_NO_AUTOMOUNT, 'AT_NO_AUTOMOUNT'],
  [AT_EMPTY_PATH, 'AT_EMPTY_PATH'],
  [AT_RECURSIVE, 'AT_RECURSIVE'],
];

export const AT_FLAGS_ACCESS: Xlat = [
  [AT_SYMLINK_NOFOLLOW, 'AT_SYMLINK_NOFOLLOW'],
  [AT_EACCESS, 'AT_EACCESS'],
  [AT_EMPTY_PATH, 'AT_EMPTY_PATH'],
];

const STATX_SYNC_TYPES: Xlat = [
  [0, 'AT_STATX_SYNC_AS_STAT'],
  [0x2000, 'AT_STATX_FORCE_SYNC'],
  [0x4000, 'AT_STATX_DONT_SYNC'],
];

/** statx's flags: the sync type always named first, as strace does. */
export function formatStatxFlags(flags: number): string {
  const u = flags >>> 0;
  const sync = formatXval(STATX_SYNC_TYPES, u & AT_STATX_SYNC_TYPE, 'AT_STATX_???');
  const rest = (u & ~AT_STATX_SYNC_TYPE) >>> 0;
  return rest === 0 ? sync : `${sync}|${formatFlags(AT_FLAGS, rest)}`;
}

// ---- mmap(2) ----

/** PROT_BTI and PROT_MTE are arm64's (asm/mman.h). */
export const PROT_FLAGS: Xlat = [
  [M.PROT_READ, 'PROT_READ'],
  [M.PROT_WRITE, 'PROT_WRITE'],
  [M.PROT_EXEC, 'PROT_EXEC'],
  [0x8, 'PROT_SEM'],
  [0x10, 'PROT_BTI'],
  [0x20, 'PROT_MTE'],
  [M.PROT_GROWSDOWN, 'PROT_GROWSDOWN'],
  [M.PROT_GROWSUP, 'PROT_GROWSUP'],
];

const MAP_TYPES: Xlat = [
  [M.MAP_SHARED, 'MAP_SHARED'],
  [M.MAP_PRIVATE, 'MAP_PRIVATE'],
  [M.MAP_SHARED_VALIDATE, 'MAP_SHARED_VALIDATE'],
];

const MAP_UNINITIALIZED = 0x4000000;
const MAP_HUGE_SHIFT = 26;
const MAP_HUGE_MASK = 0x3f;

const MAP_FLAGS: Xlat = [
  [M.MAP_FIXED, 'MAP_FIXED'],
  [M.MAP_ANONYMOUS, 'MAP_ANONYMOUS'],
  [M.MAP_NORESERVE, 'MAP_NORESERVE'],
  [M.MAP_POPULATE, 'MAP_POPULATE'],
  [M.MAP_NONBLOCK, 'MAP_NONBLOCK'],
  [M.MAP_GROWSDOWN, 'MAP_GROWSDOWN'],
  [M.MAP_DENYWRITE, 'MAP_DENYWRITE'],
  [M.MAP_EXECUTABLE, 'MAP_EXECUTABLE'],
  [M.MAP_LOCKED, 'MAP_LOCKED'],
  [M.MAP_STACK, 'MAP_STACK'],
  [M.MAP_HUGETLB, 'MAP_HUGETLB'],
  [M.MAP_SYNC, 'MAP_SYNC'],
  [MAP_UNINITIALIZED, 'MAP_UNINITIALIZED'],
  [M.MAP_FIXED_NOREPLACE, 'MAP_FIXED_NOREPLACE'],
];

/** `MAP_PRIVATE|MAP_ANONYMOUS`, with the huge-page size field as strace prints it (`21<<MAP_HUGE_SHIFT`). */
export function formatMapFlags(flags: number): string {
  const u = flags >>> 0;
  const parts = [formatXval(MAP_TYPES, u & M.MAP_TYPE, 'MAP_???')];
  const huge = (u >>> MAP_HUGE_SHIFT) & MAP_HUGE_MASK;
  const rest = (u & ~M.MAP_TYPE & ~(MAP_HUGE_MASK << MAP_HUGE_SHIFT)) >>> 0;
  if (rest !== 0) parts.push(formatFlags(MAP_FLAGS, rest));
  if (huge !== 0) parts.push(`${huge}<<MAP_HUGE_SHIFT`);
  return parts.join('|');
}

// ---- single values ----

export const CLOCK_IDS: Xlat = [
  [0, 'CLOCK_REALTIME'],
  [1, 'CLOCK_MONOTONIC'],
  [2, 'CLOCK_PROCESS_CPUTIME_ID'],
  [3, 'CLOCK_THREAD_CPUTIME_ID'],
  [4, 'CLOCK_MONOTONIC_RAW'],
  [5, 'CLOCK_REALTIME_COARSE'],
  [6, 'CLOCK_MONOTONIC_COARSE'],
  [7, 'CLOCK_BOOTTIME'],
  [8, 'CLOCK_REALTIME_ALARM'],
  [9, 'CLOCK_BOOTTIME_ALARM'],
  [10, 'CLOCK_SGI_CYCLE'],
  [11, 'CLOCK_TAI'],
];

export const WHENCE: Xlat = [
  [0, 'SEEK_SET'],
  [1, 'SEEK_CUR'],
  [2, 'SEEK_END'],
  [3, 'SEEK_DATA'],
  [4, 'SEEK_HOLE'],
];

// ---- fcntl(2) ----

export const F_DUPFD = 0;
export const F_GETFD = 1;
export const F_SETFD = 2;
export const F_GETFL = 3;
export const F_SETFL = 4;
export const F_SETOWN = 8;
export const F_GETOWN = 9;
export const F_SETSIG = 10;
export const F_GETSIG = 11;
export const F_SETLEASE = 1024;
export const F_GETLEASE = 1025;
export const F_NOTIFY = 1026;
export const F_DUPFD_CLOEXEC = 1030;
export const F_SETPIPE_SZ = 1031;
export const F_GETPIPE_SZ = 1032;
export const F_ADD_SEALS = 1033;
export const F_GET_SEALS = 1034;

export const FCNTL_CMDS: Xlat = [
  [F_DUPFD, 'F_DUPFD'],
  [F_GETFD, 'F_GETFD'],
  [F_SETFD, 'F_SETFD'],
  [F_GETFL, 'F_GETFL'],
  [F_SETFL, 'F_SETFL'],
  [5, 'F_GETLK'],
  [6, 'F_SETLK'],
  [7, 'F_SETLKW'],
  [F_SETOWN, 'F_SETOWN'],
  [F_GETOWN, 'F_GETOWN'],
  [F_SETSIG, 'F_SETSIG'],
  [F_GETSIG, 'F_GETSIG'],
  [15, 'F_SETOWN_EX'],
  [16, 'F_GETOWN_EX'],
  [17, 'F_GETOWNER_UIDS'],
  [36, 'F_OFD_GETLK'],
  [37, 'F_OFD_SETLK'],
  [38, 'F_OFD_SETLKW'],
  [F_SETLEASE, 'F_SETLEASE'],
  [F_GETLEASE, 'F_GETLEASE'],
  [F_NOTIFY, 'F_NOTIFY'],
  [1027, 'F_DUPFD_QUERY'],
  [1029, 'F_CANCELLK'],
  [F_DUPFD_CLOEXEC, 'F_DUPFD_CLOEXEC'],
  [F_SETPIPE_SZ, 'F_SETPIPE_SZ'],
  [F_GETPIPE_SZ, 'F_GETPIPE_SZ'],
  [F_ADD_SEALS, 'F_ADD_SEALS'],
  [F_GET_SEALS, 'F_GET_SEALS'],
  [1035, 'F_GET_RW_HINT'],
  [1036, 'F_SET_RW_HINT'],
  [1037, 'F_GET_FILE_RW_HINT'],
  [1038, 'F_SET_FILE_RW_HINT'],
];

/** 32-bit ARM's struct flock64 commands; on arm64 they are the plain ones (5, 6, 7). */
export const FCNTL_CMDS_COMPAT: Xlat = [...FCNTL_CMDS, [12, 'F_GETLK64'], [13, 'F_SETLK64'], [14, 'F_SETLKW64']];

export const FD_FLAGS: Xlat = [[FD_CLOEXEC, 'FD_CLOEXEC']];

export const SEAL_FLAGS: Xlat = [
  [1, 'F_SEAL_SEAL'],
  [2, 'F_SEAL_SHRINK'],
  [4, 'F_SEAL_GROW'],
  [8, 'F_SEAL_WRITE'],
  [0x10, 'F_SEAL_FUTURE_WRITE'],
  [0x20, 'F_SEAL_EXEC'],
];

export const LEASE_TYPES: Xlat = [
  [0, 'F_RDLCK'],
  [1, 'F_WRLCK'],
  [2, 'F_UNLCK'],
];

export const NOTIFY_FLAGS: Xlat = [
  [1, 'DN_ACCESS'],
  [2, 'DN_MODIFY'],
  [4, 'DN_CREATE'],
  [8, 'DN_DELETE'],
  [0x10, 'DN_RENAME'],
  [0x20, 'DN_ATTRIB'],
  [0x80000000, 'DN_MULTISHOT'],
];

// ---- siginfo si_code ----

/** Codes any signal may carry (siginfo_codes.in); SI_USER and the negative ones mean a process sent it. */
export const SI_CODES: Xlat = [
  [0, 'SI_USER'],
  [0x80, 'SI_KERNEL'],
  [-1, 'SI_QUEUE'],
  [-2, 'SI_TIMER'],
  [-3, 'SI_MESGQ'],
  [-4, 'SI_ASYNCIO'],
  [-5, 'SI_SIGIO'],
  [-6, 'SI_TKILL'],
  [-7, 'SI_DETHREAD'],
  [-60, 'SI_ASYNCNL'],
];

function names(prefix: string, list: readonly string[], first = 1): Xlat {
  return list.map((n, i) => [first + i, `${prefix}${n}`] as const);
}

/** Per-signal si_code names for positive codes, keyed by signal number (SIGILL 4, SIGTRAP 5, SIGBUS 7, …). */
export const SIGNAL_CODES: ReadonlyMap<number, Xlat> = new Map([
  [4, names('ILL_', ['ILLOPC', 'ILLOPN', 'ILLADR', 'ILLTRP', 'PRVOPC', 'PRVREG', 'COPROC', 'BADSTK', 'BADIADDR'])],
  [5, names('TRAP_', ['BRKPT', 'TRACE', 'BRANCH', 'HWBKPT', 'UNK', 'PERF'])],
  [7, names('BUS_', ['ADRALN', 'ADRERR', 'OBJERR', 'MCEERR_AR', 'MCEERR_AO'])],
  [
    8,
    [
      ...names('FPE_', ['INTDIV', 'INTOVF', 'FLTDIV', 'FLTOVF', 'FLTUND', 'FLTRES', 'FLTINV', 'FLTSUB']),
      [14, 'FPE_FLTUNK'],
      [15, 'FPE_CONDTRAP'],
    ],
  ],
  [11, names('SEGV_', ['MAPERR', 'ACCERR', 'BNDERR', 'PKUERR', 'ACCADI', 'ADIDERR', 'ADIPERR', 'MTEAERR', 'MTESERR'])],
  [17, names('CLD_', ['EXITED', 'KILLED', 'DUMPED', 'TRAPPED', 'STOPPED', 'CONTINUED'])],
  [29, names('POLL_', ['IN', 'OUT', 'MSG', 'ERR', 'PRI', 'HUP'])],
  [31, [[1, 'SYS_SECCOMP']]],
]);
