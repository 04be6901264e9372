/**
 * /proc/<pid>/maps, /proc/<pid>/smaps and the Vm* lines of /proc/<pid>/status in Linux's exact
 * format (fs/proc/task_mmu.c, Linux 6.12), for the VFS's /proc to serve.
 *
 * maps: `start-end perms offset major:minor inode `, then, when the area has a name, spaces up to
 * 72 characters (seq_setwidth 25 + 6 × sizeof(void *) − 1), one more space and the name (which so
 * starts at index 73). Numbers are
 * lowercase hex with at least 8 digits (2 for the device parts), the inode decimal; an unnamed
 * area's line ends with the space after the inode. Names: the file's path, [heap] for the anonymous
 * area overlapping [start_brk, brk), [stack] for the initial stack, [anon:name] / [anon_shmem:name]
 * for prctl(PR_SET_VMA_ANON_NAME) names.
 */
import { PTE_W } from '../../memory/address-space.js';
import type { MemoryMap } from './memory-map.js';
import { pageCacheOf } from './page-cache.js';
import { forEachPresent } from './page-range.js';
import {
  PAGE,
  type Vma,
  VM_ACCOUNT,
  VM_DONTCOPY,
  VM_DONTDUMP,
  VM_DONTEXPAND,
  VM_EXEC,
  VM_GROWSDOWN,
  VM_HUGEPAGE,
  VM_HUGETLB,
  VM_IO,
  VM_LOCKED,
  VM_LOCKONFAULT,
  VM_MAYEXEC,
  VM_MAYREAD,
  VM_MAYSHARE,
  VM_MAYWRITE,
  VM_MERGEABLE,
  VM_MIXEDMAP,
  VM_NOHUGEPAGE,
  VM_NORESERVE,
  VM_PFNMAP,
  VM_RAND_READ,
  VM_READ,
  VM_SEQ_READ,
  VM_SHARED,
  VM_WIPEONFORK,
  VM_WRITE,
} from './vma.js';

const NAME_COLUMN = 25 + 8 * 6 - 1;

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** MAJOR/MINOR of a Linux dev_t as glibc's makedev encodes it. */
function major(dev: number): number {
  return ((dev >>> 8) & 0xfff) | (Math.floor(dev / 2 ** 32) & ~0xfff);
}
function minor(dev: number): number {
  return (dev & 0xff) | ((dev >>> 12) & ~0xff);
}

/** get_vma_name: what the maps line shows after the inode, or undefined. */
export function vmaName(mm: MemoryMap, v: Vma): string | undefined {
  if (v.file !== undefined) {
    if (v.anonName !== undefined) return `[anon_shmem:${v.anonName}]`;
    return v.file.path.replace(/\n/g, '\\012');
  }
  if (v.name !== undefined && v.name !== '[stack]' && v.name !== '[heap]') return v.name;
  const brkStart = mm.brkStart / PAGE;
  const brk = mm.brk / PAGE;
  if (v.start < brk && v.end > brkStart) return '[heap]';
  if (v.name === '[stack]') return '[stack]';
  if (v.anonName !== undefined) return `[anon:${v.anonName}]`;
  return undefined;
}

/** One maps line (with its newline). */
export function formatMapsLine(mm: MemoryMap, v: Vma): string {
  const f = v.vmFlags;
  const perms =
    (f & VM_READ ? 'r' : '-') + (f & VM_WRITE ? 'w' : '-') + (f & VM_EXEC ? 'x' : '-') + (f & VM_MAYSHARE ? 's' : 'p');
  const file = v.file;
  const head =
    `${hex(v.start * PAGE, 8)}-${hex(v.end * PAGE, 8)} ${perms} ${hex(file ? v.offset : 0, 8)} ` +
    `${hex(file ? major(file.dev) : 0, 2)}:${hex(file ? minor(file.dev) : 0, 2)} ${file ? file.ino : 0} `;
  const name = vmaName(mm, v);
  if (name === undefined) return `${head}\n`;
  return `${head.padEnd(NAME_COLUMN, ' ')} ${name}\n`;
}

/** /proc/<pid>/maps. */
export function formatMaps(mm: MemoryMap): string {
  let s = '';
  for (const v of mm.all()) s += formatMapsLine(mm, v);
  return s;
}

/** mem_size_stats of one VMA, in bytes. */
interface SmapStats {
  resident: number;
  pss: number;
  pssDirty: number;
  sharedClean: number;
  sharedDirty: number;
  privateClean: number;
  privateDirty: number;
  anonymous: number;
  sharedHugetlb: number;
  privateHugetlb: number;
  locked: number;
}

/**
 * smap_gather_stats for one VMA. A page counts when a page-table entry maps a real frame (the
 * shared zero page does not). Its map count is the number of entries mapping the frame in any
 * address space (the reference count, less the page cache's own reference). Private frames that
 * are not the object's cached page are anonymous; anonymous and shmem pages are dirty, file
 * pages when written since their last writeback.
 */
function gather(mm: MemoryMap, v: Vma): SmapStats {
  const st: SmapStats = {
    resident: 0,
    pss: 0,
    pssDirty: 0,
    sharedClean: 0,
    sharedDirty: 0,
    privateClean: 0,
    privateDirty: 0,
    anonymous: 0,
    sharedHugetlb: 0,
    privateHugetlb: 0,
    locked: 0,
  };
  const phys = mm.as.phys;
  const cache = v.file === undefined ? undefined : pageCacheOf(v.file, phys);
  const hugetlb = (v.vmFlags & VM_HUGETLB) !== 0;
  forEachPresent(mm.as, v.start, v.end, (vpn, e) => {
    const frame = Math.floor(e / 8);
    if (frame === 0) return;
    const idx = v.offset / PAGE + (vpn - v.start);
    const cached = cache !== undefined && cache.peek(idx) === frame;
    const mapcount = Math.max(1, phys.refCount(frame) - (cached ? 1 : 0));
    if (hugetlb) {
      if (mapcount >= 2) st.sharedHugetlb += PAGE;
      else st.privateHugetlb += PAGE;
      return;
    }
    const anon = !cached;
    const dirty = anon || !cache!.hasStore || cache!.isDirty(idx) || (e & PTE_W) !== 0;
    st.resident += PAGE;
    if (anon) st.anonymous += PAGE;
    const share = PAGE / mapcount;
    st.pss += share;
    if (dirty) st.pssDirty += share;
    if (mapcount >= 2) {
      if (dirty) st.sharedDirty += PAGE;
      else st.sharedClean += PAGE;
    } else if (dirty) st.privateDirty += PAGE;
    else st.privateClean += PAGE;
    if (v.vmFlags & VM_LOCKED) st.locked += share;
  });
  return st;
}

/** show_smap_vma_flags: Linux's two-letter mnemonics in bit order (arm64: no soft-dirty, no BTI/MTE). */
const MNEMONICS: readonly [number, string][] = [
  [VM_READ, 'rd'],
  [VM_WRITE, 'wr'],
  [VM_EXEC, 'ex'],
  [VM_SHARED, 'sh'],
  [VM_MAYREAD, 'mr'],
  [VM_MAYWRITE, 'mw'],
  [VM_MAYEXEC, 'me'],
  [VM_MAYSHARE, 'ms'],
  [VM_GROWSDOWN, 'gd'],
  [VM_PFNMAP, 'pf'],
  [VM_LOCKED, 'lo'],
  [VM_IO, 'io'],
  [VM_SEQ_READ, 'sr'],
  [VM_RAND_READ, 'rr'],
  [VM_DONTCOPY, 'dc'],
  [VM_DONTEXPAND, 'de'],
  [VM_LOCKONFAULT, 'lf'],
  [VM_ACCOUNT, 'ac'],
  [VM_NORESERVE, 'nr'],
  [VM_HUGETLB, 'ht'],
  [VM_WIPEONFORK, 'wf'],
  [VM_DONTDUMP, 'dd'],
  [VM_MIXEDMAP, 'mm'],
  [VM_HUGEPAGE, 'hg'],
  [VM_NOHUGEPAGE, 'nh'],
  // Linux's bit 31; compat64 keeps VM_MERGEABLE in a low bit, but prints it in Linux's place.
  [VM_MERGEABLE, 'mg'],
];

function vmFlagsLine(v: Vma): string {
  let s = 'VmFlags: ';
  for (const [bit, name] of MNEMONICS) if (v.vmFlags & bit) s += `${name} `;
  return `${s}\n`;
}

/** SEQ_PUT_DEC: a 16-column label then the value in kB right-aligned in 8. */
function kb(label: string, bytes: number): string {
  return `${label.padEnd(16, ' ')}${String(Math.floor(bytes / 1024)).padStart(8, ' ')} kB\n`;
}

/**
 * THPeligible with transparent huge pages "always" (Debian's default): an anonymous private VMA
 * that can hold one 2 MiB-aligned 2 MiB page and is not MADV_NOHUGEPAGE.
 */
function thpEligible(v: Vma): number {
  if (v.file !== undefined || v.vmFlags & (VM_NOHUGEPAGE | VM_HUGETLB | VM_SHARED | VM_MAYSHARE)) return 0;
  const hp = 512;
  if ((v.start - v.offset / PAGE) % hp !== 0) return 0;
  const haddr = Math.floor((v.end - hp) / hp) * hp;
  return haddr >= v.start && haddr + hp <= v.end ? 1 : 0;
}

/** One VMA's smaps entry. */
export function formatSmapsEntry(mm: MemoryMap, v: Vma): string {
  const st = gather(mm, v);
  const pageSize = v.vmFlags & VM_HUGETLB ? (v.file?.hugePageSize ?? PAGE) : PAGE;
  return (
    formatMapsLine(mm, v) +
    kb('Size:', (v.end - v.start) * PAGE) +
    kb('KernelPageSize:', pageSize) +
    kb('MMUPageSize:', pageSize) +
    kb('Rss:', st.resident) +
    kb('Pss:', st.pss) +
    kb('Pss_Dirty:', st.pssDirty) +
    kb('Shared_Clean:', st.sharedClean) +
    kb('Shared_Dirty:', st.sharedDirty) +
    kb('Private_Clean:', st.privateClean) +
    kb('Private_Dirty:', st.privateDirty) +
    kb('Referenced:', st.resident) +
    kb('Anonymous:', st.anonymous) +
    kb('KSM:', 0) +
    kb('LazyFree:', 0) +
    kb('AnonHugePages:', 0) +
    kb('ShmemPmdMapped:', 0) +
    kb('FilePmdMapped:', 0) +
    kb('Shared_Hugetlb:', st.sharedHugetlb) +
    `Private_Hugetlb: ${String(Math.floor(st.privateHugetlb / 1024)).padStart(7, ' ')} kB\n` +
    kb('Swap:', 0) +
    kb('SwapPss:', 0) +
    kb('Locked:', st.locked) +
    `THPeligible:    ${String(thpEligible(v)).padStart(8, ' ')}\n` +
    vmFlagsLine(v)
  );
}

/** /proc/<pid>/smaps. */
export function formatSmaps(mm: MemoryMap): string {
  let s = '';
  for (const v of mm.all()) s += formatSmapsEntry(mm, v);
  return s;
}

/** Resident pages by kind (MM_ANONPAGES, MM_FILEPAGES, MM_SHMEMPAGES), the zero page excluded. */
export function rssPages(mm: MemoryMap): { anon: number; file: number; shmem: number } {
  const r = { anon: 0, file: 0, shmem: 0 };
  for (const v of mm.all()) {
    const cache = v.file === undefined ? undefined : pageCacheOf(v.file, mm.as.phys);
    forEachPresent(mm.as, v.start, v.end, (vpn, e) => {
      const frame = Math.floor(e / 8);
      if (frame === 0) return;
      const cached = cache !== undefined && cache.peek(v.offset / PAGE + (vpn - v.start)) === frame;
      if (!cached) r.anon++;
      else if (cache!.hasStore) r.file++;
      else r.shmem++;
    });
  }
  return r;
}

/**
 * The memory lines of /proc/<pid>/status (task_mem): VmPeak … VmSwap and HugetlbPages. textBytes is
 * the program's code size (end_code - start_code, page aligned); the rest of exec_vm is VmLib.
 */
export function formatVmStatus(mm: MemoryMap, textBytes: number): string {
  const rss = rssPages(mm);
  const kbPages = (label: string, pages: number) => `${label}\t${String(pages * 4).padStart(8, ' ')} kB\n`;
  const text = Math.min(textBytes, mm.execVm * PAGE);
  const total = rss.anon + rss.file + rss.shmem;
  let huge = 0;
  for (const v of mm.all())
    if (v.vmFlags & VM_HUGETLB) huge += gather(mm, v).privateHugetlb + gather(mm, v).sharedHugetlb;
  return (
    kbPages('VmPeak:', mm.hiwaterVm) +
    kbPages('VmSize:', mm.totalVm) +
    kbPages('VmLck:', mm.lockedVm) +
    kbPages('VmPin:', 0) +
    kbPages('VmHWM:', total) +
    kbPages('VmRSS:', total) +
    kbPages('RssAnon:', rss.anon) +
    kbPages('RssFile:', rss.file) +
    kbPages('RssShmem:', rss.shmem) +
    kbPages('VmData:', mm.dataVm) +
    kbPages('VmStk:', mm.stackVm) +
    `VmExe:\t${String(Math.floor(text / 1024)).padStart(8, ' ')} kB\n` +
    `VmLib:\t${String(Math.floor((mm.execVm * PAGE - text) / 1024)).padStart(8, ' ')} kB\n` +
    `VmPTE:\t${String(4 * Math.ceil(mm.as.presentCount / 512)).padStart(8, ' ')} kB\n` +
    kbPages('VmSwap:', 0) +
    `HugetlbPages:\t${String(Math.floor(huge / 1024)).padStart(8, ' ')} kB\n`
  );
}
