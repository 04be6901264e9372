import { EmulatorBug } from '../base/emulator-bug.js';
import { errnoName } from '../kernel/abi/errno.js';
import { installStdio } from '../kernel/fs/host-stream.js';
import { openExecutable } from '../kernel/fs/open-path.js';
import type { Host } from '../kernel/host.js';
import { DEFAULT_OPTIONS, Kernel, type KernelOptions } from '../kernel/kernel.js';
import { createInitTask, type ExecOpener, execInto } from '../kernel/task/exec.js';
import type { Tracer } from '../kernel/trace/tracer.js';
import { ElfError } from '../loader/elf.js';

/** What the library needs to start a program. */
export interface RunOptions extends Partial<Omit<KernelOptions, 'root'>> {
  root: string;
  /** Guest path of the program (relative paths start at cwd). */
  program: string;
  argv: readonly string[];
  envp: readonly string[];
  /** Guest current directory. */
  cwd: string;
  /** Makes the tracer once the kernel exists (for --strace). */
  tracer?: (kernel: Kernel) => Tracer;
}

/** What a host provides to run a program: the Host implementation. */
export interface HostWiring {
  host: Host;
}

/**
 * A user-facing failure to start (missing file, not an arm64 ELF…): one line, no stack trace.
 * exitStatus follows the shell: 127 when the program is not found, 126 when it cannot be executed.
 */
export class StartError extends Error {
  constructor(
    message: string,
    readonly exitStatus: number,
  ) {
    super(message);
  }
}

/**
 * Creates a machine, loads the program into its first task and runs it to the end.
 * Resolves to the wait status: exit code << 8, or the terminating signal (| 0x80 with a core dump).
 */
export async function runProgram(opts: RunOptions, wiring: HostWiring): Promise<number> {
  const kernel = new Kernel(wiring.host, { ...DEFAULT_OPTIONS, ...stripUndefined(opts), root: opts.root });
  if (opts.tracer) kernel.trace = opts.tracer(kernel);
  const h = wiring.host;
  const task = createInitTask(
    kernel,
    {
      uid: h.uid,
      euid: h.uid,
      suid: h.uid,
      fsuid: h.uid,
      gid: h.gid,
      egid: h.gid,
      sgid: h.gid,
      fsgid: h.gid,
      groups: [],
    },
    { cwd: opts.cwd, umask: 0o022 },
  );
  const open: ExecOpener = (t, path) => openExecutable(kernel, t, path);
  const file = open(task, opts.program);
  if (typeof file === 'number') throw new StartError(`${opts.program}: ${describe(-file)}`, file === -2 ? 127 : 126);
  try {
    execInto(kernel, task, file, { path: opts.program, argv: opts.argv, envp: opts.envp }, open);
  } catch (e) {
    if (e instanceof ElfError) throw new StartError(`${opts.program}: ${e.message}`, 126);
    throw e;
  }
  installStdio(kernel, task);
  return new Promise<number>((resolve, reject) => {
    kernel.onLoopError = (e) => {
      kernel.halted = true;
      reject(e);
    };
    kernel.runInit(task).then(resolve, reject);
  });
}

const MESSAGES: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  ENOEXEC: 'Exec format error',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
};

function describe(errno: number): string {
  const name = errnoName(errno) ?? `errno ${errno}`;
  return MESSAGES[name] ?? name;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export { EmulatorBug };
