/**
 * The --strace tracer: turns the kernel's trace events into strace's lines and hands each line (with its
 * newline) to the write function it was given (the CLI passes host.traceWrite). Guest memory is read only
 * through fault-safe reads, so a bad pointer prints its address and never disturbs the task.
 */
import type { SyscallRecord } from '../entry/syscall-entry.js';
import { PersonalityTracker } from './personality-notice.js';
import {
  type ArgTexts,
  alignResult,
  type CallInfo,
  DEFAULT_RESULT_COLUMN,
  DEFAULT_STYLE,
  formatArgs,
  formatExit,
  formatSignal,
  formatSyscall,
  formatUnfinishedSyscall,
  type GuestMemory,
  type StringStyle,
  type TaskEnd,
} from './strace-format.js';
import type { SignalSenderInfo, Tracer } from './tracer.js';
import { unfinishedSyscall } from './unfinished-syscall.js';

/** What the tracer uses of a task (Task has all of it; tests pass small fakes). */
export interface TracedTask {
  readonly tid: number;
  readonly tgid: number;
  readonly creds: { readonly uid: number };
  readonly mm: { readonly as: GuestMemory };
  readonly cpu: { readonly x: Int32Array };
}

/**
 * When lines start with `[pid N] `: never (plain strace), when-several (strace -f: while more than one task
 * is alive) or always.
 */
export type PidPrefix = 'never' | 'when-several' | 'always';

export interface StraceOptions {
  /** -s: bytes of strings and buffers shown (default 32). */
  readonly maxStrlen?: number;
  /** -x (1) / -xx (2): hex escapes. */
  readonly xflag?: 0 | 1 | 2;
  /** -a: the result column (default 40; 0 for none). */
  readonly column?: number;
  readonly pidPrefix?: PidPrefix;
}

/** Per task: the call it is in (from syscallEnter) and a signal just reported for it. */
interface TaskState {
  entered?: { call: CallInfo; early: ArgTexts };
  signal?: number;
}

export class StraceTracer implements Tracer {
  private readonly style: StringStyle;
  private readonly column: number;
  private readonly pidPrefix: PidPrefix;
  private readonly tasks = new Map<number, TaskState>();
  private readonly personality = new PersonalityTracker();

  constructor(
    private readonly write: (text: string) => void,
    options: StraceOptions = {},
  ) {
    this.style = { maxStrlen: options.maxStrlen ?? DEFAULT_STYLE.maxStrlen, xflag: options.xflag ?? 0 };
    this.column = options.column ?? DEFAULT_RESULT_COLUMN;
    this.pidPrefix = options.pidPrefix ?? 'never';
  }

  syscallEnter(task: TracedTask, rec: Omit<SyscallRecord, 'result'>): void {
    const st = this.state(task);
    st.entered = { call: rec, early: formatArgs(rec, task.mm.as, this.style) };
    st.signal = undefined;
  }

  syscall(task: TracedTask, rec: SyscallRecord): void {
    const st = this.state(task);
    const early =
      st.entered?.call.nr === rec.nr && st.entered.call.compat === rec.compat ? st.entered.early : undefined;
    st.entered = undefined;
    st.signal = undefined;
    this.notePersonality(task, rec.compat);
    const text = formatSyscall(rec, rec.result, task.mm.as, this.style, early);
    this.line(alignResult(this.prefix(task) + text.call, text.result, this.column));
  }

  signal(task: TracedTask, sig: number, code: number, addr: number, sender?: SignalSenderInfo): void {
    this.state(task).signal = sig;
    // Without a sender, the only process that can have sent it is the task itself (no other task signals yet).
    const from = sender ?? { pid: task.tgid, uid: task.creds.uid };
    this.line(this.prefix(task) + formatSignal(sig, code, addr, from));
  }

  exit(task: TracedTask, how: TaskEnd): void {
    const st = this.state(task);
    // A task killed by the signal just reported was running its own code; otherwise it ended inside a call.
    if (!('signal' in how && st.signal === how.signal)) {
      const entered = st.entered;
      const call = entered?.call ?? unfinishedSyscall(task.cpu.x);
      if (call !== undefined) {
        this.notePersonality(task, call.compat);
        const text = formatUnfinishedSyscall(call, task.mm.as, this.style, entered?.early);
        this.line(alignResult(this.prefix(task) + text.call, text.result, this.column));
      }
    }
    this.line(this.prefix(task) + formatExit(how));
    this.tasks.delete(task.tid);
    this.personality.forget(task.tid);
  }

  private state(task: TracedTask): TaskState {
    let st = this.tasks.get(task.tid);
    if (st === undefined) {
      st = {};
      this.tasks.set(task.tid, st);
    }
    return st;
  }

  private notePersonality(task: TracedTask, compat: boolean): void {
    const notice = this.personality.switchTo(task.tid, compat);
    if (notice !== undefined) this.line(this.prefix(task) + notice);
  }

  private prefix(task: TracedTask): string {
    const show = this.pidPrefix === 'always' || (this.pidPrefix === 'when-several' && this.tasks.size > 1);
    return show ? `[pid ${String(task.tid).padStart(5)}] ` : '';
  }

  private line(text: string): void {
    this.write(`${text}\n`);
  }
}
