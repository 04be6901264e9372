/**
 * /proc/<pid>/mem (fs/proc/base.c mem_open, mem_rw, mem_lseek): a process's memory as a file, the
 * offset being the address. Debuggers use it instead of PEEK/POKE word by word — gdbserver 13 has no
 * other way to read or write its inferior's memory.
 *
 * - open checks PTRACE_MODE_ATTACH_FSCREDS (-EACCES otherwise) and pins the address space it finds:
 *   after the process execs, the description still reads the old image, as in Linux.
 * - read and write go through the tracee-memory helpers with FOLL_FORCE (a breakpoint can be written
 *   into read-only text), a page at a time; they stop at the first fault and return the bytes moved,
 *   -EIO when none could be. A process without memory (exited) reads and writes 0 bytes.
 * - lseek takes SEEK_SET and SEEK_CUR only (offsets are addresses, unsigned); the size is 0.
 */
import { SEEK_CUR, SEEK_SET } from '../../abi/fcntl.js';
import type { FileStat } from '../../fs/host-fs.js';
import { statOfSynth } from '../../fs/node-stat.js';
import { OpenFileBase } from '../../fs/open-file.js';
import { PROC_DEV } from '../../fs/proc-nodes.js';
import type { FsEnv, SynthFile } from '../../fs/vnode.js';
import type { MemoryMap } from '../../mm/memory-map.js';
import type { SyscallContext } from '../../syscalls/syscall-types.js';
import type { Task } from '../../task/task.js';
import { PTRACE_MODE_ATTACH_FSCREDS, ptraceMayAccess } from './ptrace-access.js';
import { readTraceeMemory, writeTraceeMemory } from './tracee-memory.js';

const ESRCH = -3;
const EIO = -5;
const EACCES = -13;
const EINVAL = -22;

class ProcMemFile extends OpenFileBase {
  constructor(
    private readonly env: FsEnv,
    private readonly node: SynthFile,
    private readonly mm: MemoryMap | undefined,
    flags: number,
    path: string,
  ) {
    super(flags, path);
  }

  private live(): MemoryMap | undefined {
    return this.mm === undefined || this.mm.as.disposed ? undefined : this.mm;
  }

  read(_ctx: SyscallContext, dst: Uint8Array, pos: number | undefined): number {
    const mm = this.live();
    if (mm === undefined || dst.length === 0) return 0;
    const at = pos ?? this.pos;
    const n = readTraceeMemory(mm, at, dst);
    if (n === 0) return EIO;
    if (pos === undefined) this.pos += n;
    return n;
  }

  write(_ctx: SyscallContext, src: Uint8Array, pos: number | undefined): number {
    const mm = this.live();
    if (mm === undefined || src.length === 0) return 0;
    const at = pos ?? this.pos;
    const n = writeTraceeMemory(mm, at, src);
    if (n === 0) return EIO;
    if (pos === undefined) this.pos += n;
    return n;
  }

  lseek(offset: number, whence: number): number {
    if (whence === SEEK_SET) this.pos = offset;
    else if (whence === SEEK_CUR) this.pos += offset;
    else return EINVAL;
    return this.pos;
  }

  stat(): FileStat {
    return statOfSynth(this.env, this.node);
  }
}

/**
 * The `mem` node of a /proc/<pid> (or task/<tid>) directory: taskOf finds the directory's task for
 * the looking task's view, as the other per-process files do.
 */
export function procMemFile(ino: number, taskOf: (env: FsEnv) => Task | undefined): SynthFile {
  const node: SynthFile = {
    type: 'file',
    ino,
    perm: 0o600,
    dev: PROC_DEV,
    open(env, flags, path) {
      const t = taskOf(env);
      if (t === undefined) return ESRCH;
      if (!ptraceMayAccess(env.kernel, env.task, t, PTRACE_MODE_ATTACH_FSCREDS)) return EACCES;
      const mm = t.exitStatus === undefined ? t.mm : undefined;
      return new ProcMemFile(env, node, mm, flags, path);
    },
  };
  return node;
}
