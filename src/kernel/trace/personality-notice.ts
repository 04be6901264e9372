/**
 * strace's personality notices. strace decodes each call with the syscall table of the ABI it was made in, and
 * says so when a task's ABI changes: `[ Process PID=1 runs in 32 bit mode. ]` before the first compat call, and
 * `[ Process PID=1 runs in 64 bit mode. ]` before the next native one. Every task starts in 64-bit mode, so a
 * task that never makes a compat call never gets a notice.
 */
export function personalityNotice(pid: number, compat: boolean): string {
  return `[ Process PID=${pid} runs in ${compat ? '32 bit' : '64 bit'} mode. ]`;
}

/** Which tasks are currently in the 32-bit personality, to notice switches. */
export class PersonalityTracker {
  private readonly in32 = new Set<number>();

  /** The notice to print before a call of this ABI by task pid, or undefined when the ABI did not change. */
  switchTo(pid: number, compat: boolean): string | undefined {
    if (this.in32.has(pid) === compat) return undefined;
    if (compat) this.in32.add(pid);
    else this.in32.delete(pid);
    return personalityNotice(pid, compat);
  }

  /** The task ended; a new task with the same id starts in 64-bit mode. */
  forget(pid: number): void {
    this.in32.delete(pid);
  }
}
