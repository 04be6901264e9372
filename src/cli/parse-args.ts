/** Command-line parsing for compat64 (no dependencies; errors are UsageError with one line). */
export class UsageError extends Error {}

export const USAGE = `usage: compat64 run [options] [--] PROG [ARGS...]

Runs an arm64 (AArch64) Linux program, emulating the CPU and the Linux system-call layer.

options:
  --root DIR            the guest's "/" (default: /); paths and symlinks resolve inside it
  --seed N              reproducible address-space randomisation, AT_RANDOM and getrandom
  --strace              print each system call to stderr, strace style
  --no-compat-syscalls  emulate a kernel without the compat-syscall series (bit 31 of x8 → ENOSYS)
  --memory-cap SIZE     most memory the guest may use (bytes, or with K, M or G; default and
                        at most 4G): beyond it mmap fails with ENOMEM, and a program touching
                        more memory is killed with SIGKILL and a message
  --hugepages N         2 MiB pages in the hugetlb pool (MAP_HUGETLB, /dev/hugepages; default 64,
                        at most what the memory cap holds)
  -E VAR=VALUE          set an environment variable for the guest (repeatable)
  -U VAR                unset an environment variable for the guest (repeatable)
  --help                show this help
  --version             show the version

The guest's environment is the caller's, adjusted by -E/-U. The exit status is the program's,
or 128 + the signal that killed it.
`;

export type Command =
  | { kind: 'help' }
  | { kind: 'version' }
  | {
      kind: 'run';
      root: string;
      seed: number | undefined;
      strace: boolean;
      compatSyscalls: boolean;
      /** --memory-cap in bytes; undefined: the kernel's default. */
      memoryCap: number | undefined;
      /** --hugepages; undefined: the kernel's default. */
      hugePages: number | undefined;
      program: string;
      args: string[];
      env: string[];
    };

const KiB = 1024;
/** The largest cap: guest memory is one wasm32 WebAssembly.Memory. */
const MAX_MEMORY_CAP = 4 * KiB ** 3;
/** The smallest cap worth starting a machine with. */
const MIN_MEMORY_CAP = KiB ** 2;

/** --memory-cap's SIZE: a whole number of bytes, or of KiB, MiB or GiB with a K, M or G suffix. */
export function parseSize(opt: string, v: string): number {
  const m = /^(\d+)([KMG]?)$/i.exec(v);
  if (m === null) throw new UsageError(`${opt} needs a size such as 512M or 4G, not '${v}'`);
  const unit = { '': 1, K: KiB, M: KiB ** 2, G: KiB ** 3 }[m[2]!.toUpperCase() as '' | 'K' | 'M' | 'G'];
  const bytes = Number(m[1]) * unit;
  if (bytes > MAX_MEMORY_CAP)
    throw new UsageError(`${opt} is at most 4G (guest memory is one 32-bit WebAssembly memory)`);
  if (bytes < MIN_MEMORY_CAP) throw new UsageError(`${opt} must be at least 1M`);
  return bytes;
}

export function parseArgs(argv: readonly string[], baseEnv: NodeJS.ProcessEnv = process.env): Command {
  if (argv.length === 0) throw new UsageError('missing command (try: compat64 run PROG, or compat64 --help)');
  const [cmd, ...rest] = argv;
  if (cmd === '--help' || cmd === '-h' || cmd === 'help') return { kind: 'help' };
  if (cmd === '--version' || cmd === '-V') return { kind: 'version' };
  if (cmd !== 'run') throw new UsageError(`unknown command '${cmd}' (try: compat64 --help)`);
  let root = '/';
  let seed: number | undefined;
  let strace = false;
  let compatSyscalls = true;
  let memoryCap: number | undefined;
  let hugePages: number | undefined;
  const env = new Map<string, string>(Object.entries(baseEnv).filter((e): e is [string, string] => e[1] !== undefined));
  let i = 0;
  const value = (opt: string): string => {
    const v = rest[++i];
    if (v === undefined) throw new UsageError(`option ${opt} needs a value`);
    return v;
  };
  for (; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    if (a === '--root') root = value(a);
    else if (a.startsWith('--root=')) root = a.slice(7);
    else if (a === '--seed' || a.startsWith('--seed=')) {
      const v = a === '--seed' ? value(a) : a.slice(7);
      if (!/^\d+$/.test(v)) throw new UsageError(`--seed needs a non-negative integer, not '${v}'`);
      seed = Number(v) >>> 0;
    } else if (a === '--strace') strace = true;
    else if (a === '--no-compat-syscalls') compatSyscalls = false;
    else if (a === '--memory-cap' || a.startsWith('--memory-cap=')) {
      memoryCap = parseSize('--memory-cap', a === '--memory-cap' ? value(a) : a.slice(13));
    } else if (a === '--hugepages' || a.startsWith('--hugepages=')) {
      const v = a === '--hugepages' ? value(a) : a.slice(12);
      if (!/^\d+$/.test(v)) throw new UsageError(`--hugepages needs a non-negative integer, not '${v}'`);
      hugePages = Number(v);
    } else if (a === '-E') {
      const kv = value(a);
      const eq = kv.indexOf('=');
      if (eq <= 0) throw new UsageError(`-E needs VAR=VALUE, not '${kv}'`);
      env.set(kv.slice(0, eq), kv.slice(eq + 1));
    } else if (a === '-U') env.delete(value(a));
    else if (a === '--help' || a === '-h') return { kind: 'help' };
    else if (a === '--version') return { kind: 'version' };
    else throw new UsageError(`unknown option '${a}' (try: compat64 --help)`);
  }
  const program = rest[i];
  if (program === undefined)
    throw new UsageError('missing program to run (usage: compat64 run [options] PROG [ARGS...])');
  return {
    kind: 'run',
    root,
    seed,
    strace,
    compatSyscalls,
    memoryCap,
    hugePages,
    program,
    args: rest.slice(i + 1),
    env: [...env].map(([k, v]) => `${k}=${v}`),
  };
}
