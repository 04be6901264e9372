import { ADVERTISED_HWCAP, ADVERTISED_HWCAP2 } from '../../cpu/a64/id-registers.js';
import { ElfError } from '../../loader/elf.js';
import { buildInitialStack } from '../../loader/initial-stack.js';
import { loadElf, parseExec } from '../../loader/load-elf.js';
import { setAddr } from '../../cpu/a64/registers.js';
import { FdTable } from '../fs/fd-table.js';
import type { Kernel } from '../kernel.js';
import { computeLayout } from '../mm/mmap-layout.js';
import { MemoryMap } from '../mm/memory-map.js';
import { bindRlimits } from '../mm/mm-limits.js';
import type { FileBacking } from '../mm/vma.js';
import { unuseMm, useFiles, useMm } from './exit.js';
import { SignalState } from './signal-state.js';
import { ThreadGroup } from './thread-group.js';
import { type Creds, defaultRlimits, type FsContext, RLIMIT_STACK, Task } from './task.js';

/** personality(2) flag that turns address-space randomisation off. */
export const ADDR_NO_RANDOMIZE = 0x0040000;
export const ADDR_COMPAT_LAYOUT = 0x0200000;

/**
 * arm64's AT_MINSIGSTKSZ without SVE/SME, as Linux computes signal_minsigstksz: the rt_sigframe
 * (128-byte siginfo + ucontext with its 4096-byte __reserved area: 4688) + a 16-byte frame record
 * + 16 bytes of alignment padding.
 */
export const MIN_SIGSTKSZ = 4720;

/** Opens a guest path for execution: a FileBacking, or a negative errno. */
export type ExecOpener = (task: Task, guestPath: string) => FileBacking | number;

export interface ExecRequest {
  path: string;
  argv: readonly string[];
  envp: readonly string[];
}

/**
 * Replaces the task's memory image with a new program (the core of execve): a fresh memory map with
 * a new layout, the ELF (and interpreter) mapped, the initial stack built, registers reset.
 * Throws ElfError (with Linux's errno) when the file cannot be executed.
 */
export function execInto(kernel: Kernel, task: Task, file: FileBacking, req: ExecRequest, open: ExecOpener): void {
  const img = parseExec(file);
  const randomize = (task.personality & ADDR_NO_RANDOMIZE) === 0;
  const stackLimit = task.rlimits[RLIMIT_STACK]![0];
  const layout = computeLayout(kernel.random, {
    randomize,
    stackRlimit: stackLimit,
    legacy: (task.personality & ADDR_COMPAT_LAYOUT) !== 0,
  });
  const mm = new MemoryMap(kernel.newAddressSpace(), layout);
  mm.stackLimit = Number.isFinite(stackLimit) ? stackLimit : 2 ** 40;
  bindRlimits(mm, task.rlimits);
  const loaded = loadElf(mm, file, img, kernel.random, (p) => {
    const f = open(task, p);
    if (typeof f === 'number') throw new ElfError(`${p}: cannot open the program interpreter`, 'ELIBBAD');
    return f;
  });
  const stack = buildInitialStack(
    mm,
    loaded,
    {
      argv: req.argv,
      envp: req.envp,
      execfn: req.path,
      hwcap: ADVERTISED_HWCAP,
      hwcap2: ADVERTISED_HWCAP2,
      uid: task.creds.uid,
      euid: task.creds.euid,
      gid: task.creds.gid,
      egid: task.creds.egid,
      secure: false,
      minSigStkSz: MIN_SIGSTKSZ,
      randomize,
    },
    kernel.random,
  );
  const old = task.mm;
  task.mm = mm;
  useMm(mm);
  // A vfork parent (or threads being killed) may still use the old memory.
  if (unuseMm(old)) old.clear();
  const cpu = task.cpu;
  cpu.mem = mm.as;
  cpu.x.fill(0);
  cpu.v8.fill(0);
  cpu.nzcv = 0;
  cpu.fpcr = 0;
  cpu.fpsr = 0;
  cpu.tpidrLo = 0;
  cpu.tpidrHi = 0;
  cpu.exclAddr = -1;
  setAddr(cpu.x, 62, stack.sp);
  cpu.pc = loaded.entry;
  task.argStart = stack.argStart;
  task.argEnd = stack.argEnd;
  task.envStart = stack.envStart;
  task.envEnd = stack.envEnd;
  task.auxv = stack.auxv;
  task.exePath = file.path;
  task.comm = (req.path.split('/').pop() ?? req.path).slice(0, 15);
  task.files.closeOnExec();
}

/** The first task of a machine: pid 1's ids, default limits, an empty fd table the caller fills. */
export function createInitTask(kernel: Kernel, creds: Creds, fs: FsContext): Task {
  const pid = kernel.allocPid();
  const layout = computeLayout(kernel.random, { randomize: false, stackRlimit: 8 << 20, legacy: false });
  const mm = new MemoryMap(kernel.newAddressSpace(), layout);
  const task = new Task(pid, pid, mm, new FdTable(), fs, creds, new SignalState(), defaultRlimits(), 'init');
  useMm(mm);
  useFiles(task.files);
  // Its parent is outside the emulated system; it leads its own process group and session.
  const g = new ThreadGroup(pid, task, {
    parent: undefined,
    pgid: pid,
    sid: pid,
    exitSignal: 17,
    startNs: kernel.host.monotonicNs(),
  });
  task.group = g;
  g.threads.add(task);
  kernel.groups.set(pid, g);
  return task;
}
