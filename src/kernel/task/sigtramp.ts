/**
 * Where a handler returns to when its sigaction has no SA_RESTORER. arm64 Linux points x30 at the
 * vDSO's __kernel_rt_sigreturn, and glibc relies on it (it never sets SA_RESTORER on arm64).
 * compat64 has no vDSO (no AT_SYSINFO_EHDR), so the kernel maps one read-only, executable page
 * holding the same code as the vDSO trampoline — `nop; mov x8, #139; svc #0`, x30 pointing at the
 * mov — the first time a process needs it. The mapping is named [vdso] in /proc/self/maps because
 * that is where the return address of a signal handler lies on Linux; libgcc's unwinder recognises a
 * signal frame by these two instructions at the return address, so backtraces through handlers work.
 * The page is an ordinary private mapping: fork copies it, exec drops it, munmap removes it (and a
 * later handler without SA_RESTORER then returns into nothing, as on Linux without a vDSO).
 */

import type { PhysicalMemory } from '../../memory/physical-memory.js';
import { MAP_PRIVATE, PROT_EXEC, PROT_READ } from '../abi/mman.js';
import type { MemoryMap } from '../mm/memory-map.js';
import { type FileBacking, PAGE } from '../mm/vma.js';

const NAME = '[vdso]';
/** nop (unwinders look at the instruction before the return address), mov x8, #__NR_rt_sigreturn, svc #0. */
const CODE = [0xd503201f, 0xd2801168, 0xd4000001];
/** Offset of __kernel_rt_sigreturn (the mov) in the page. */
const ENTRY = 4;

const PAGE_BYTES = (() => {
  const b = new Uint8Array(PAGE);
  const dv = new DataView(b.buffer);
  CODE.forEach((w, i) => {
    dv.setUint32(i * 4, w >>> 0, true);
  });
  return b;
})();

/**
 * The page's contents as a mappable object, one per machine (mm keeps a page cache per object, in
 * that machine's physical memory); private mappings copy it on write.
 */
const backings = new WeakMap<PhysicalMemory, FileBacking>();

function backingFor(phys: PhysicalMemory): FileBacking {
  let b = backings.get(phys);
  if (b === undefined) {
    b = {
      readAt(pos, dst, at, len) {
        const n = Math.max(0, Math.min(len, PAGE - pos));
        dst.set(PAGE_BYTES.subarray(pos, pos + n), at);
        return n;
      },
      writeAt() {
        return 0;
      },
      size() {
        return PAGE;
      },
      path: NAME,
      dev: 0,
      ino: 0,
    };
    backings.set(phys, b);
  }
  return b;
}

const cached = new WeakMap<MemoryMap, number>();

/** The trampoline's address in this memory map, mapping the page on first use; undefined when no room is left. */
export function sigtrampAddress(mm: MemoryMap): number | undefined {
  const known = cached.get(mm);
  if (known !== undefined) return known;
  // A forked memory map already holds its parent's page.
  const backing = backingFor(mm.as.phys);
  const inherited = mm.all().find((v) => v.file === backing);
  let addr: number;
  if (inherited !== undefined) {
    addr = inherited.start * PAGE - inherited.offset + ENTRY;
  } else {
    const base = mm.getUnmappedArea(PAGE, 0, mm.layout.native);
    if (base < 0 || !mm.map(base, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE, backing, 0, NAME)) return undefined;
    addr = base + ENTRY;
  }
  cached.set(mm, addr);
  return addr;
}
