/**
 * /proc/<pid>/maps in Linux's exact format (fs/proc/task_mmu.c show_map_vma):
 * `start-end perms offset major:minor inode`, then, when the area has a name, spaces up to column 73
 * (25 + 6 * sizeof(void *) - 1 characters, then one more) and the name. Numbers are lowercase hex
 * with at least 8 digits (2 for the device), the inode in decimal; an unnamed area's line ends
 * with a space after the inode, as Linux's does.
 */
import { PROT_EXEC, PROT_READ, PROT_WRITE } from '../abi/mman.js';
import type { MemoryMap } from '../mm/memory-map.js';
import { isDataMapping, isExecMapping, isShared, isStackMapping, type Vma } from '../mm/vma.js';
import { major, minor } from './node-stat.js';

const PAGE = 4096;
/** seq_setwidth(m, 25 + sizeof(void *) * 6 - 1) on a 64-bit kernel. */
const NAME_COLUMN = 25 + 8 * 6 - 1;

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/**
 * The name column, in Linux's order: the file, a special mapping's own name ([stack], [vdso]),
 * [heap] for the area holding the program break, then a prctl name as [anon:…].
 */
function nameOf(v: Vma, brkStart: number, brk: number): string | undefined {
  if (v.file) return v.file.path;
  if (v.name) return v.name;
  // Linux's test, exactly (an anonymous area touching the break range).
  if (brkStart !== 0 && v.start * PAGE <= brk && v.end * PAGE >= brkStart) return '[heap]';
  return v.anonName === undefined ? undefined : `[anon:${v.anonName}]`;
}

export function mapsLine(v: Vma, brkStart = 0, brk = 0): string {
  const perms =
    (v.prot & PROT_READ ? 'r' : '-') +
    (v.prot & PROT_WRITE ? 'w' : '-') +
    (v.prot & PROT_EXEC ? 'x' : '-') +
    (isShared(v) ? 's' : 'p');
  const f = v.file;
  const head =
    `${hex(v.start * PAGE, 8)}-${hex(v.end * PAGE, 8)} ${perms} ${hex(f ? v.offset : 0, 8)} ` +
    `${hex(f ? major(f.dev) : 0, 2)}:${hex(f ? minor(f.dev) : 0, 2)} ${f ? f.ino : 0} `;
  const name = nameOf(v, brkStart, brk);
  if (name === undefined || name === '') return `${head}\n`;
  return `${head.padEnd(NAME_COLUMN, ' ')} ${name}\n`;
}

/** The whole maps text of an address space (byte string: file names are bytes). */
export function mapsText(mm: MemoryMap): string {
  let s = '';
  for (const v of mm.all()) s += mapsLine(v, mm.brkStart, mm.brk);
  return s;
}

/** Sizes in pages for status and statm. */
export interface VmSizes {
  total: number;
  exec: number;
  data: number;
  stack: number;
  file: number;
}

/** Linux's total_vm, exec_vm, data_vm and stack_vm (by vm_flags, as vm_stat_account counts them). */
export function vmSizes(mm: MemoryMap): VmSizes {
  const s: VmSizes = { total: 0, exec: 0, data: 0, stack: 0, file: 0 };
  for (const v of mm.all()) {
    const n = v.end - v.start;
    s.total += n;
    if (isExecMapping(v)) s.exec += n;
    else if (isStackMapping(v)) s.stack += n;
    else if (isDataMapping(v.vmFlags)) s.data += n;
    if (v.file) s.file += n;
  }
  return s;
}
