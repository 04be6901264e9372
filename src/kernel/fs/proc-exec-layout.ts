/**
 * The addresses mm_struct keeps from exec for /proc/<pid>/stat and statm: start_code/end_code
 * (the executable PT_LOAD segments), start_data/end_data (as load_elf_binary computes them: the
 * highest segment start and the highest file-backed end), and start_stack (the initial sp).
 *
 * exec can record them (recordExecLayout); otherwise they are worked out once per memory map from
 * what exec left: the program's ELF headers (read from the file its mapping at offset 0 comes
 * from) and the initial stack as the loader lays it out below AT_RANDOM.
 */

import { PF_X, PT_LOAD } from '../../loader/elf.js';
import { parseExec } from '../../loader/load-elf.js';
import { AT_RANDOM } from '../abi/auxv.js';
import type { MemoryMap } from '../mm/memory-map.js';
import { copyIn } from '../syscalls/uaccess.js';
import type { Task } from '../task/task.js';

const PAGE = 4096;

export interface ExecLayout {
  startCode: number;
  endCode: number;
  startData: number;
  endData: number;
  startStack: number;
}

const layouts = new WeakMap<MemoryMap, ExecLayout>();

/** Called by exec with the values it knows (the loader's segments and the initial sp). */
export function recordExecLayout(mm: MemoryMap, layout: ExecLayout): void {
  layouts.set(mm, layout);
}

/** The code and data bounds from the program's program headers and where its first page is mapped. */
function segmentsOf(t: Task): Omit<ExecLayout, 'startStack'> {
  const none = { startCode: 0, endCode: 0, startData: 0, endData: 0 };
  const first = t.mm.all().find((v) => v.offset === 0 && v.file !== undefined && v.file.path === t.exePath);
  if (first?.file === undefined) return none;
  let img: ReturnType<typeof parseExec>;
  try {
    img = parseExec(first.file);
  } catch {
    return none;
  }
  const loads = img.phdrs.filter((p) => p.type === PT_LOAD);
  const head = loads.find((p) => Math.floor(p.offset / PAGE) === 0);
  if (head === undefined) return none;
  const bias = first.start * PAGE - Math.floor(head.vaddr / PAGE) * PAGE;
  let startCode = Number.POSITIVE_INFINITY;
  let endCode = 0;
  let startData = 0;
  let endData = 0;
  for (const p of loads) {
    if (p.flags & PF_X && p.vaddr < startCode) startCode = p.vaddr;
    if (p.vaddr > startData) startData = p.vaddr;
    const end = p.vaddr + p.filesz;
    if (p.flags & PF_X && end > endCode) endCode = end;
    if (end > endData) endData = end;
  }
  if (!Number.isFinite(startCode)) startCode = 0;
  return { startCode: startCode + bias, endCode: endCode + bias, startData: startData + bias, endData: endData + bias };
}

/** Strings in [start, end): one per NUL. */
function countStrings(t: Task, start: number, end: number): number {
  if (end <= start) return 0;
  const b = copyIn(t.mm.as, start, end - start);
  if (b === null) return 0;
  let n = 0;
  for (const c of b) if (c === 0) n++;
  return n;
}

/**
 * The initial sp: below AT_RANDOM's 16 bytes the loader puts argc, argv[], envp[] and the auxv
 * (create_elf_tables), 16-byte aligned.
 */
function startStackOf(t: Task): number {
  const random = t.auxv.find(([k]) => k === AT_RANDOM)?.[1];
  if (random === undefined || random === 0) return 0;
  const argc = countStrings(t, t.argStart, t.argEnd);
  const envc = countStrings(t, t.envStart, t.envEnd);
  const auxPairs = t.auxv.length > 0 && t.auxv[t.auxv.length - 1]![0] === 0 ? t.auxv.length : t.auxv.length + 1;
  const words = 1 + argc + 1 + envc + 1 + auxPairs * 2;
  return Math.floor((random - words * 8) / 16) * 16;
}

/** The exec-time addresses of the task's memory map (zeros for a map no program was loaded into). */
export function execLayoutOf(t: Task): ExecLayout {
  let l = layouts.get(t.mm);
  if (l === undefined) {
    l = { ...segmentsOf(t), startStack: startStackOf(t) };
    layouts.set(t.mm, l);
  }
  return l;
}
