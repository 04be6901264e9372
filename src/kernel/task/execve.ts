/**
 * execve and execveat (fs/exec.c): the argument and environment strings copied in (arrays of 64-bit
 * pointers, or of 32-bit pointers in a compat call), the program found and checked (`#!` scripts
 * with up to four interpreters deep, ENOEXEC for anything that is neither ELF nor a script), then
 * the point of no return: the other threads killed (de_thread), robust lists and vfork released, a
 * private fd table with close-on-exec applied, signal dispositions reset, and the new image loaded
 * (exec.ts).
 */
import { ElfError } from '../../loader/elf.js';
import { AT_EMPTY_PATH, AT_FDCWD } from '../abi/fcntl.js';
import { openExecutable } from '../fs/open-path.js';
import type { Kernel } from '../kernel.js';
import type { FileBacking } from '../mm/vma.js';
import { ptraceExecDone } from '../security/ptrace/ptrace-exec.js';
import { ptraceUnlink } from '../security/ptrace/ptrace-link.js';
import type { SyscallContext } from '../syscalls/syscall-types.js';
import { readCString, readU32, readU64 } from '../syscalls/uaccess.js';
import { execInto } from './exec.js';
import { mmRelease, releaseFiles, useFiles } from './exit.js';
import { deleteProcessTimers } from './posix-timers.js';
import { rseqExec } from './rseq.js';
import { signalWakeUp } from './signal-send.js';
import { RLIMIT_STACK, type Task } from './task.js';

const E2BIG = -7;
const ENOEXEC = -8;
const EFAULT = -14;
const ENOENT = -2;
const EINVAL = -22;
const ELOOP = -40;
const EBADF = -9;
const AT_SYMLINK_NOFOLLOW = 0x100;

/** MAX_ARG_STRLEN: one string may take 32 pages. */
const MAX_ARG_STRLEN = 32 * 4096;
/** ARG_MAX floor of the argument space (32 pages). */
const ARG_MIN_SPACE = 32 * 4096;
/** BINPRM_BUF_SIZE: how much of a `#!` line the kernel reads. */
const BINPRM_BUF_SIZE = 256;
/** Interpreters deep (script running a script…) before ELOOP. */
const MAX_INTERP_DEPTH = 5;

const latin1 = new TextDecoder('latin1');

/** Reads a NULL-terminated array of string pointers; -EFAULT or -E2BIG on failure. */
function readStrings(ctx: SyscallContext, ptr: number, budget: { left: number }): string[] | number {
  const out: string[] = [];
  if (ptr === 0) return out;
  const step = ctx.compat ? 4 : 8;
  for (let i = 0; ; i++) {
    const p = ctx.compat ? readU32(ctx.mem, ptr + i * step) : readU64(ctx.mem, ptr + i * step);
    if (p === null) return EFAULT;
    if (p === 0) return out;
    const s = readCString(ctx.mem, p, MAX_ARG_STRLEN + 1);
    if (s === null) return EFAULT;
    if (s.length > MAX_ARG_STRLEN) return E2BIG;
    budget.left -= s.length + 1 + step;
    if (budget.left < 0) return E2BIG;
    out.push(latin1.decode(s));
  }
}

/** A program resolved for exec: the ELF to load and the argv it gets after script rewriting. */
interface Resolved {
  file: FileBacking;
  argv: string[];
}

/** search_binary_handler: an ELF as is, a `#!` script through its interpreter, else ENOEXEC. */
function resolveProgram(
  kernel: Kernel,
  task: Task,
  file: FileBacking,
  path: string,
  argv: string[],
  depth: number,
): Resolved | number {
  const head = new Uint8Array(BINPRM_BUF_SIZE);
  const n = file.readAt(0, head, 0, head.length);
  if (n >= 4 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46) return { file, argv };
  if (n < 2 || head[0] !== 0x23 || head[1] !== 0x21) return ENOEXEC;
  if (depth >= MAX_INTERP_DEPTH) return ELOOP;
  // load_script: the line after "#!", up to a newline or the end of the buffer; blanks around the
  // interpreter; everything after it (trimmed) is one optional argument.
  let line = latin1.decode(head.subarray(2, n));
  const nl = line.indexOf('\n');
  if (nl >= 0) line = line.slice(0, nl);
  else if (/^[ \t]*\S+$/.test(line) && n === BINPRM_BUF_SIZE) return ENOEXEC;
  line = line.replace(/^[ \t]+/, '').replace(/[ \t]+$/, '');
  if (line === '') return ENOEXEC;
  const sp = line.search(/[ \t]/);
  const interp = sp < 0 ? line : line.slice(0, sp);
  const arg = sp < 0 ? '' : line.slice(sp).replace(/^[ \t]+/, '');
  const next = [interp, ...(arg !== '' ? [arg] : []), path, ...argv.slice(1)];
  const f = openExecutable(kernel, task, interp);
  if (typeof f === 'number') return f;
  return resolveProgram(kernel, task, f, interp, next, depth + 1);
}

/** do_execveat_common: a negative errno, or 0 once the task runs the new program. */
export function doExecve(
  ctx: SyscallContext,
  dirfd: number,
  pathPtr: number,
  argvPtr: number,
  envpPtr: number,
  flags: number,
): number | Promise<number> {
  const { kernel, task } = ctx;
  if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)) return EINVAL;
  const raw = readCString(ctx.mem, pathPtr, 4097);
  if (raw === null) return EFAULT;
  let path = latin1.decode(raw);
  if (path === '' && !(flags & AT_EMPTY_PATH)) return ENOENT;
  if (!path.startsWith('/') && dirfd !== AT_FDCWD) {
    const dir = task.files.get(dirfd);
    if (dir === undefined) return EBADF;
    path = path === '' ? dir.path : `${dir.path.replace(/\/$/, '')}/${path}`;
  }
  // The argument space: a quarter of the stack limit, at least 32 pages (bprm_stack_limits).
  const stackLimit = task.rlimits[RLIMIT_STACK]![0];
  const budget = {
    left: Math.max(ARG_MIN_SPACE, Math.min(Number.isFinite(stackLimit) ? stackLimit / 4 : 2 ** 40, 6 << 20)),
  };
  let argv = readStrings(ctx, argvPtr, budget);
  if (typeof argv === 'number') return argv;
  const envp = readStrings(ctx, envpPtr, budget);
  if (typeof envp === 'number') return envp;
  // Since Linux 5.18 an empty argv gets one empty string, so argv[0] always exists.
  if (argv.length === 0) argv = [''];
  const file = openExecutable(kernel, task, path);
  if (typeof file === 'number') return file;
  const prog = resolveProgram(kernel, task, file, path, argv, 0);
  if (typeof prog === 'number') return prog;
  // PTRACE_EVENT_EXEC's message: the tid before de_thread may change it.
  const oldTid = task.tid;
  const done = (r: number): number | Promise<number> => (r === 0 ? ptraceExecDone(kernel, task, oldTid) : r);
  const others = [...task.group.threads].filter((t) => t !== task);
  if (others.length === 0) return done(finishExec(ctx, prog, path, envp));
  return deThread(kernel, task, others).then(() => done(finishExec(ctx, prog, path, envp)));
}

/** de_thread: every other thread of the process exits; resolves once they are all gone. */
function deThread(kernel: Kernel, task: Task, others: Task[]): Promise<void> {
  // Zapped by an exec, a thread exits with status 0 (do_group_exit with group_exec_task): what a
  // tracer of the thread sees.
  for (const t of others) {
    if (t.exitStatus === undefined) t.exitStatus = 0;
    signalWakeUp(t);
  }
  const g = task.group;
  return new Promise<void>((resolve) => {
    const check = (): void => {
      if ([...g.threads].every((t) => t === task)) {
        stop();
        resolve();
      }
    };
    const stop = g.threadExit.subscribe(check);
    check();
  }).then(() => {
    if (g.leader !== task) {
      // The exec'ing thread takes over the leader's pid (the old leader is gone for good, and
      // released silently by a tracer: the exec event under the leader's pid stands for it).
      if (g.leader.ptrace !== undefined) ptraceUnlink(g.leader);
      kernel.tasks.delete(task.tid);
      task.tid = g.tgid;
      g.leader = task;
      kernel.tasks.set(task.tid, task);
    }
  });
}

function finishExec(ctx: SyscallContext, prog: Resolved, path: string, envp: string[]): number {
  const { kernel, task } = ctx;
  mmRelease(kernel, task);
  // unshare_files: the new program gets a private fd table (execInto applies close-on-exec to it).
  const own = task.files.clone();
  releaseFiles(task);
  task.files = own;
  useFiles(own);
  try {
    execInto(kernel, task, prog.file, { path, argv: prog.argv, envp }, (t, p) => openExecutable(kernel, t, p));
  } catch (e) {
    if (e instanceof ElfError) return -(ELF_ERRNO[e.errno] ?? 8);
    throw e;
  }
  task.signals.onExec(true);
  deleteProcessTimers(task);
  task.robustListHead = 0;
  task.robustListLen = 0;
  rseqExec(task);
  task.compatRobustListHead = 0;
  task.group.didExec = true;
  return 0;
}

const ELF_ERRNO: Record<ElfError['errno'], number> = {
  ENOEXEC: 8,
  EINVAL: 22,
  EIO: 5,
  ENOMEM: 12,
  EACCES: 13,
  ELIBBAD: 80,
};
