import { type Random, randomPages } from '../random.js';

/**
 * Where Linux/arm64 places things in a new address space (4 KiB pages, 48-bit VA), computed once
 * per exec: the stack top, the native mmap_base and the independently randomised mmap_compat_base
 * (compat-abi.md §6), the ELF_ET_DYN_BASE for PIE programs and the brk randomisation.
 */
export const PAGE = 4096;
export const TASK_SIZE_64 = 2 ** 48;
export const STACK_TOP = TASK_SIZE_64;
export const STACK_TOP_32 = 0xffff0000;
export const TASK_SIZE_32 = 0xfffff000;
/** 2/3 of the 48-bit window, as arm64's ELF_ET_DYN_BASE. */
export const ELF_ET_DYN_BASE = Math.floor((2 * TASK_SIZE_64) / 3 / PAGE) * PAGE;
const STACK_RND_MASK_64 = 0x3ffff;
const STACK_RND_MASK_32 = 0x7ff;
const MMAP_RND_BITS = 18;
const MMAP_RND_COMPAT_BITS = 11;
const STACK_GUARD_GAP = 256 * PAGE;
const MIN_GAP = 128 * 1024 * 1024;
/** The legacy bottom-up bases (TASK_UNMAPPED_BASE). */
const TASK_UNMAPPED_BASE_64 = 2 ** 46;
const TASK_UNMAPPED_BASE_32 = 0x40000000;
export const DEFAULT_STACK_RLIMIT = 8 * 1024 * 1024;

export interface MmapLimits {
  /** Highest address + 1 usable by kernel-chosen mappings. */
  readonly taskSize: number;
  /** Top-down search starts below this. */
  readonly mmapBase: number;
  /** The legacy layout's bottom-up search starts here (mm->mmap_base of a legacy task). */
  readonly legacyBase: number;
  /**
   * Where the bottom-up fallback of a failed top-down search starts: TASK_UNMAPPED_BASE (2^46) for
   * native calls, mmap_compat_base for compat calls (compat-abi.md §6).
   */
  readonly fallbackBase: number;
  readonly topDown: boolean;
}

export interface Layout {
  readonly stackTop: number;
  readonly native: MmapLimits;
  readonly compat: MmapLimits;
  readonly randomize: boolean;
}

export interface LayoutOptions {
  randomize: boolean;
  /** RLIMIT_STACK in bytes, or Infinity for RLIM_INFINITY (which selects the legacy layout). */
  stackRlimit: number;
  /** personality ADDR_COMPAT_LAYOUT */
  legacy: boolean;
}

function mmapBase(stackTop: number, rnd: number, stackRlimit: number, rndMask: number, randomize: boolean): number {
  let gap = Number.isFinite(stackRlimit) ? stackRlimit : DEFAULT_STACK_RLIMIT;
  gap += STACK_GUARD_GAP + (randomize ? rndMask * PAGE : 0);
  const maxGap = Math.floor(stackTop / 6) * 5;
  gap = Math.min(Math.max(gap, MIN_GAP), maxGap);
  // PAGE_ALIGN rounds up (an rlimit need not be page aligned).
  return Math.ceil((stackTop - gap - rnd) / PAGE) * PAGE;
}

export function computeLayout(r: Random, o: LayoutOptions): Layout {
  const rnd64 = o.randomize ? randomPages(r, MMAP_RND_BITS) : 0;
  const rnd32 = o.randomize ? randomPages(r, MMAP_RND_COMPAT_BITS) : 0;
  const stackRnd = o.randomize ? randomPages(r, 18) % ((STACK_RND_MASK_64 + 1) * PAGE) : 0;
  const topDown = !o.legacy && Number.isFinite(o.stackRlimit);
  const compatBase = mmapBase(STACK_TOP_32, rnd32, o.stackRlimit, STACK_RND_MASK_32, o.randomize);
  return {
    randomize: o.randomize,
    stackTop: STACK_TOP - stackRnd,
    native: {
      taskSize: TASK_SIZE_64,
      mmapBase: mmapBase(STACK_TOP, rnd64, o.stackRlimit, STACK_RND_MASK_64, o.randomize),
      legacyBase: TASK_UNMAPPED_BASE_64 + rnd64,
      fallbackBase: TASK_UNMAPPED_BASE_64,
      topDown,
    },
    compat: {
      taskSize: TASK_SIZE_32,
      mmapBase: compatBase,
      legacyBase: TASK_UNMAPPED_BASE_32 + rnd32,
      fallbackBase: compatBase,
      topDown,
    },
  };
}

/**
 * arch_randomize_brk for 64-bit tasks (randomize_page(brk, SZ_1G)): brk moves up by a random
 * whole number of pages below 1 GiB.
 */
export function randomizeBrk(r: Random, brk: number, randomize: boolean): number {
  if (!randomize) return brk;
  return brk + (randomPages(r, 18) % (1024 * 1024 * 1024));
}

/** arch_mmap_rnd for the PIE load bias. */
export function mmapRnd(r: Random, randomize: boolean): number {
  return randomize ? randomPages(r, MMAP_RND_BITS) : 0;
}
