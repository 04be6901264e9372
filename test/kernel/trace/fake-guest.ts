/** Small stand-ins for guest memory and tasks in the trace tests. */
import { GUEST_FAULT } from '../../../src/memory/guest-fault.js';
import type { ArgKind } from '../../../src/kernel/syscalls/syscall-types.js';
import type { SyscallRow } from '../../../src/kernel/syscalls/table.js';
import type { GuestMemory } from '../../../src/kernel/trace/strace-string.js';
import type { TracedTask } from '../../../src/kernel/trace/strace-tracer.js';

/** Memory with a few mapped byte ranges; every other address faults, as an unmapped page does. */
export class FakeMemory implements GuestMemory {
  private readonly regions: { start: number; bytes: Uint8Array }[] = [];

  /** Places bytes (or a string's UTF-8 bytes, without a NUL unless the string has one) at addr. */
  put(addr: number, data: Uint8Array | string): this {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    this.regions.push({ start: addr, bytes });
    return this;
  }

  clear(): void {
    this.regions.length = 0;
  }

  read8(addr: number): number {
    for (const r of this.regions) {
      const i = addr - r.start;
      if (i >= 0 && i < r.bytes.length) return r.bytes[i]!;
    }
    throw GUEST_FAULT;
  }

  readBytes(addr: number, dst: Uint8Array, at: number, len: number): void {
    for (let i = 0; i < len; i++) dst[at + i] = this.read8(addr + i);
  }
}

/** A row as the tables hold it, implemented (so its kinds are used). */
export function row(name: string, args: readonly ArgKind[], nr = 0): SyscallRow {
  return { nr, name, args, handler: () => 0, level: 'full' };
}

/** A task with the given memory; registers all zero unless given. */
export function fakeTask(mem: GuestMemory, tid = 1, x = new Int32Array(66)): TracedTask {
  return { tid, tgid: tid, creds: { uid: 1000 }, mm: { as: mem }, cpu: { x } };
}

/** Collects what a tracer writes. */
export function sink(): { write: (s: string) => void; text: () => string; lines: () => string[] } {
  const parts: string[] = [];
  return {
    write: (s) => parts.push(s),
    text: () => parts.join(''),
    lines: () => parts.join('').split('\n').slice(0, -1),
  };
}
