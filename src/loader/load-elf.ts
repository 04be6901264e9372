import { MAP_FIXED, MAP_GROWSDOWN, MAP_PRIVATE, PROT_EXEC, PROT_READ, PROT_WRITE } from '../kernel/abi/mman.js';
import { ELF_ET_DYN_BASE, mmapRnd, randomizeBrk } from '../kernel/mm/mmap-layout.js';
import type { MemoryMap } from '../kernel/mm/memory-map.js';
import type { FileBacking } from '../kernel/mm/vma.js';
import type { Random } from '../kernel/random.js';
import { ElfError, ET_DYN, type ElfImage, PF_R, PF_W, PF_X, PT_GNU_STACK, PT_LOAD, PT_PHDR, parseElf } from './elf.js';

const PAGE = 4096;

/** An executable file as the loader sees it. */
export interface ExecFile extends FileBacking {}

export interface LoadedImage {
  /** Where execution starts: the interpreter's entry when there is one. */
  entry: number;
  /** The program's own entry (AT_ENTRY). */
  progEntry: number;
  phdrAddr: number;
  phnum: number;
  /** Load address of the interpreter (AT_BASE), 0 without one. */
  interpBase: number;
  /** Initial program break. */
  brk: number;
  /** The program's PT_GNU_STACK asks for PF_X: Linux maps the stack executable (EXSTACK_ENABLE_X). */
  execStack: boolean;
}

export function readHead(f: FileBacking, pos: number, len: number): Uint8Array {
  const b = new Uint8Array(len);
  const n = f.readAt(pos, b, 0, len);
  return b.subarray(0, n);
}

export function parseExec(f: FileBacking): ElfImage {
  const size = f.size();
  return parseElf(readHead(f, 0, Math.min(size, 4096)), size, (pos, len) => readHead(f, pos, len));
}

function protOf(flags: number): number {
  return (flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) | (flags & PF_X ? PROT_EXEC : 0);
}

/**
 * Maps the PT_LOAD segments of an image at loadBias + p_vaddr (file pages privately, bss anonymous),
 * zeroing the tail of the last file page as Linux's padzero does. Returns the end of the image.
 */
function mapSegments(mm: MemoryMap, f: FileBacking, img: ElfImage, bias: number): number {
  let end = 0;
  for (const p of img.phdrs) {
    if (p.type !== PT_LOAD || p.memsz === 0) continue;
    const prot = protOf(p.flags);
    const start = Math.floor((bias + p.vaddr) / PAGE) * PAGE;
    const fileEnd = bias + p.vaddr + p.filesz;
    const memEnd = bias + p.vaddr + p.memsz;
    const fileOff = p.offset - (bias + p.vaddr - start);
    const filePagesEnd = Math.ceil(fileEnd / PAGE) * PAGE;
    if (p.filesz > 0 && !mm.map(start, filePagesEnd - start, prot, MAP_PRIVATE | MAP_FIXED, f, fileOff))
      throw new ElfError('too many mappings', 'ENOMEM');
    if (p.memsz > p.filesz) {
      if (p.filesz > 0 && fileEnd < filePagesEnd && prot & PROT_WRITE) mm.as.fill(fileEnd, 0, filePagesEnd - fileEnd);
      const bssStart = p.filesz > 0 ? filePagesEnd : start;
      const bssEnd = Math.ceil(memEnd / PAGE) * PAGE;
      if (bssEnd > bssStart && !mm.map(bssStart, bssEnd - bssStart, prot, MAP_PRIVATE | MAP_FIXED, undefined, 0))
        throw new ElfError('too many mappings', 'ENOMEM');
    }
    end = Math.max(end, memEnd);
  }
  return end;
}

function imageSpan(img: ElfImage): { lo: number; hi: number; align: number } {
  let lo = Number.MAX_SAFE_INTEGER;
  let hi = 0;
  let align = PAGE;
  for (const p of img.phdrs) {
    if (p.type !== PT_LOAD) continue;
    lo = Math.min(lo, Math.floor(p.vaddr / PAGE) * PAGE);
    hi = Math.max(hi, p.vaddr + p.memsz);
    if (p.align > align && (p.align & (p.align - 1)) === 0) align = p.align;
  }
  return { lo, hi, align };
}

/** Picks a load bias for an ET_DYN image mapped like an mmap with no hint (interpreter, static PIE). */
function mmapBias(mm: MemoryMap, img: ElfImage): number {
  const { lo, hi, align } = imageSpan(img);
  const addr = mm.findFree(hi - lo, 0, mm.layout.native, Math.max(1, align / PAGE));
  if (addr < 0) throw new ElfError('no room for the image', 'ENOMEM');
  return addr - lo;
}

/**
 * Where the program break starts (load_elf_binary, Linux 6.x without CONFIG_COMPAT_BRK): a static
 * PIE (ET_DYN without PT_INTERP) has its brk moved to ELF_ET_DYN_BASE, out of the mmap region it is
 * loaded into; otherwise brk follows the highest PT_LOAD of the program, one page further when
 * randomising. Randomisation then moves it up by whole pages below 1 GiB (arch_randomize_brk).
 */
function initialBrk(img: ElfImage, end: number, random: Random, randomize: boolean): number {
  const moved = img.type === ET_DYN && img.interp === undefined;
  let brk = Math.ceil((moved ? 2 ** 49 / 3 : end) / PAGE) * PAGE;
  if (!randomize) return brk;
  if (!moved) brk += PAGE;
  return randomizeBrk(random, brk, true);
}

/**
 * Loads a program (and its PT_INTERP interpreter, opened through openInterp) into an empty memory
 * map, following fs/binfmt_elf.c: ET_EXEC at its addresses; ET_DYN with an interpreter at
 * ELF_ET_DYN_BASE + randomisation; ET_DYN without one (static PIE, the loader itself) like an mmap.
 */
export function loadElf(
  mm: MemoryMap,
  f: FileBacking,
  img: ElfImage,
  random: Random,
  openInterp: (path: string) => FileBacking,
): LoadedImage {
  let bias = 0;
  if (img.type === ET_DYN) {
    if (img.interp !== undefined) {
      const { lo, align } = imageSpan(img);
      const base = ELF_ET_DYN_BASE + mmapRnd(random, mm.layout.randomize);
      bias = Math.floor(base / Math.max(align, PAGE)) * Math.max(align, PAGE) - lo;
    } else {
      bias = mmapBias(mm, img);
    }
  }
  const end = mapSegments(mm, f, img, bias);
  let phdrAddr = 0;
  const phdrSeg = img.phdrs.find((p) => p.type === PT_PHDR);
  if (phdrSeg) phdrAddr = bias + phdrSeg.vaddr;
  else {
    const seg = img.phdrs.find((p) => p.type === PT_LOAD && p.offset <= img.phoff && img.phoff < p.offset + p.filesz);
    if (seg) phdrAddr = bias + seg.vaddr + (img.phoff - seg.offset);
  }
  let entry = bias + img.entry;
  let interpBase = 0;
  if (img.interp !== undefined) {
    const ifile = openInterp(img.interp);
    const iimg = parseExec(ifile);
    if (iimg.interp !== undefined) throw new ElfError('the interpreter has an interpreter', 'ELIBBAD');
    const ibias = iimg.type === ET_DYN ? mmapBias(mm, iimg) : 0;
    mapSegments(mm, ifile, iimg, ibias);
    interpBase = ibias + imageSpan(iimg).lo;
    entry = ibias + iimg.entry;
  }
  const brk = initialBrk(img, end, random, mm.layout.randomize);
  mm.brkStart = brk;
  mm.brk = brk;
  // Only the program's own PT_GNU_STACK counts (the interpreter's is ignored, as in load_elf_binary);
  // no PT_GNU_STACK leaves the stack non-executable on arm64 (no READ_IMPLIES_EXEC for 64-bit tasks).
  const execStack = img.phdrs.some((p) => p.type === PT_GNU_STACK && (p.flags & PF_X) !== 0);
  return { entry, progEntry: bias + img.entry, phdrAddr, phnum: img.phnum, interpBase, brk, execStack };
}

export { MAP_GROWSDOWN };
