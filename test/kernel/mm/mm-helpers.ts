/** Shared set-up for the memory-manager tests: a fresh map, an in-memory file, callers. */
import { GUEST_FAULT } from '../../../src/memory/guest-fault.js';
import { AddressSpace } from '../../../src/memory/address-space.js';
import { PhysicalMemory } from '../../../src/memory/physical-memory.js';
import { MAP_ANONYMOUS, MAP_PRIVATE, PROT_READ, PROT_WRITE } from '../../../src/kernel/abi/mman.js';
import { doMmap, type MmapFile } from '../../../src/kernel/mm/do-mmap.js';
import { HugetlbPools } from '../../../src/kernel/mm/hugetlb.js';
import { MemoryMap, type MmCaller } from '../../../src/kernel/mm/memory-map.js';
import { computeLayout } from '../../../src/kernel/mm/mmap-layout.js';
import type { FileBacking } from '../../../src/kernel/mm/vma.js';
import { SeededRandom } from '../../../src/kernel/random.js';
import { defaultRlimits, type Rlimits } from '../../../src/kernel/task/task.js';

export const PAGE = 4096;
export const RW = PROT_READ | PROT_WRITE;

export function fresh(capBytes = 256 << 20, opts: { stackRlimit?: number; legacy?: boolean } = {}): MemoryMap {
  const layout = computeLayout(new SeededRandom(1), {
    randomize: false,
    stackRlimit: opts.stackRlimit ?? 8 << 20,
    legacy: opts.legacy ?? false,
  });
  return new MemoryMap(new AddressSpace(new PhysicalMemory(capBytes)), layout);
}

export function native(mm: MemoryMap, rlimits: Rlimits = defaultRlimits(), privileged = false): MmCaller {
  return { limits: mm.layout.native, rlimits, privileged };
}

export function compat(mm: MemoryMap, rlimits: Rlimits = defaultRlimits()): MmCaller {
  return { limits: mm.layout.compat, rlimits, privileged: false };
}

/** A file held in memory, standing in for a host file. */
export class MemFile implements FileBacking {
  data: Uint8Array;
  writes = 0;
  constructor(
    size: number,
    readonly path = '/tmp/file',
    readonly dev = 0x803,
    readonly ino = 1234,
  ) {
    this.data = new Uint8Array(size);
    for (let i = 0; i < size; i++) this.data[i] = (i * 7 + 3) & 0xff;
  }
  readAt(pos: number, dst: Uint8Array, at: number, len: number): number {
    const n = Math.max(0, Math.min(len, this.data.length - pos));
    dst.set(this.data.subarray(pos, pos + n), at);
    return n;
  }
  writeAt(pos: number, src: Uint8Array, at: number, len: number): number {
    this.writes++;
    if (pos + len > this.data.length) {
      const d = new Uint8Array(pos + len);
      d.set(this.data);
      this.data = d;
    }
    this.data.set(src.subarray(at, at + len), pos);
    return len;
  }
  size(): number {
    return this.data.length;
  }
  truncate(len: number): void {
    const d = new Uint8Array(len);
    d.set(this.data.subarray(0, Math.min(len, this.data.length)));
    this.data = d;
  }
}

export const pools = new HugetlbPools(8);

/** mmap through the syscall's core. */
export function mmap(
  mm: MemoryMap,
  addr: number,
  len: number,
  prot: number,
  flags: number,
  file?: MmapFile,
  off = 0,
  caller: MmCaller = native(mm),
): number {
  return doMmap(mm, {
    addr,
    len,
    prot,
    flags: file === undefined ? flags | MAP_ANONYMOUS : flags,
    off,
    file,
    caller,
    compat: caller.limits === mm.layout.compat,
    personality: 0,
    pools,
  });
}

export function anon(mm: MemoryMap, len: number, prot = RW, flags = MAP_PRIVATE, addr = 0): number {
  return mmap(mm, addr, len, prot, flags);
}

/** True when the access throws the guest fault. */
export function faults(f: () => unknown): boolean {
  try {
    f();
    return false;
  } catch (e) {
    if (e === GUEST_FAULT) return true;
    throw e;
  }
}

/** The VMAs as [start, end) byte pairs. */
export function ranges(mm: MemoryMap): [number, number][] {
  return mm.all().map((v) => [v.start * PAGE, v.end * PAGE]);
}
