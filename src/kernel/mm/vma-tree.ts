/**
 * The VMAs of one address space, ordered by start page, in a treap augmented with gap
 * information — compat64's counterpart of Linux's maple tree (formerly the augmented rbtree).
 *
 * Every operation is O(log n) expected: lookup by address, insert, remove, predecessor and
 * successor, and the free-gap searches of vm_unmapped_area (highest or lowest gap of at least a
 * given length inside [low, high)). Each node keeps, for its subtree, the gap-adjusted start of its
 * first VMA, the end of its last one and the largest gap between consecutive VMAs inside it, so a
 * search skips every subtree without a big enough gap. The gap before a VM_GROWSDOWN VMA starts
 * stack_guard_gap below it (Linux's vm_start_gap), so searches keep the stack guard gap free.
 *
 * A VMA's start, end and flags must not change while it is in the tree: callers remove it,
 * change it and insert it again (or use replace()).
 */
import { VM_GROWSDOWN, type Vma } from './vma.js';

/** stack_guard_gap: 256 pages (1 MiB) by default. */
export const STACK_GUARD_GAP_PAGES = 256;

class Node {
  left: Node | null = null;
  right: Node | null = null;
  /**
   * The VMA's bounds, copied: a lookup compares them at every level, and reading them here saves a
   * dependent load (a cache miss in a large tree) per level. They cannot go stale: a VMA's bounds
   * change only while it is out of the tree.
   */
  readonly start: number;
  readonly end: number;
  /** Gap-adjusted start of the subtree's first VMA. */
  first: number;
  /** End of the subtree's last VMA. */
  last: number;
  /** Largest gap between consecutive VMAs of the subtree (-Infinity with one VMA). */
  gap = Number.NEGATIVE_INFINITY;
  size = 1;
  constructor(
    readonly vma: Vma,
    readonly prio: number,
  ) {
    this.start = vma.start;
    this.end = vma.end;
    this.first = startGap(vma);
    this.last = vma.end;
  }
}

/** vm_start_gap: where the free gap below a VMA ends (the guard gap below a grows-down stack). */
export function startGap(v: Vma): number {
  return v.vmFlags & VM_GROWSDOWN ? Math.max(0, v.start - STACK_GUARD_GAP_PAGES) : v.start;
}

function pull(n: Node): void {
  const l = n.left;
  const r = n.right;
  const own = startGap(n.vma);
  let gap = Number.NEGATIVE_INFINITY;
  let size = 1;
  if (l !== null) {
    gap = Math.max(l.gap, own - l.last);
    n.first = l.first;
    size += l.size;
  } else n.first = own;
  if (r !== null) {
    gap = Math.max(gap, r.gap, r.first - n.end);
    n.last = r.last;
    size += r.size;
  } else n.last = n.end;
  n.gap = gap;
  n.size = size;
}

/** split's results (module variables rather than a returned pair: no allocation per level). */
let outL: Node | null = null;
let outR: Node | null = null;

/** Splits t into VMAs starting below key (outL) and at or above it (outR). */
function split(t: Node | null, key: number): void {
  if (t === null) {
    outL = null;
    outR = null;
    return;
  }
  if (t.start < key) {
    split(t.right, key);
    t.right = outL;
    pull(t);
    outL = t;
  } else {
    split(t.left, key);
    t.left = outR;
    pull(t);
    outR = t;
  }
}

/** Joins two treaps where every VMA of a precedes every VMA of b. */
function merge(a: Node | null, b: Node | null): Node | null {
  if (a === null) return b;
  if (b === null) return a;
  if (a.prio > b.prio) {
    a.right = merge(a.right, b);
    pull(a);
    return a;
  }
  b.left = merge(a, b.left);
  pull(b);
  return b;
}

/** Inserts node n below t: down the search path to where its priority belongs, then a split there. */
function insertNode(t: Node | null, n: Node): Node {
  if (t === null) return n;
  if (n.prio > t.prio) {
    split(t, n.start);
    n.left = outL;
    n.right = outR;
    pull(n);
    return n;
  }
  if (n.start < t.start) t.left = insertNode(t.left, n);
  else t.right = insertNode(t.right, n);
  pull(t);
  return t;
}

/** Removes the node holding v from t. */
function removeNode(t: Node | null, v: Vma): Node | null {
  if (t === null) throw new Error(`VmaTree.remove: no VMA at page ${v.start}`);
  if (t.start === v.start) {
    if (t.vma !== v) throw new Error(`VmaTree.remove: another VMA at page ${v.start}`);
    return merge(t.left, t.right);
  }
  if (v.start < t.start) t.left = removeNode(t.left, v);
  else t.right = removeNode(t.right, v);
  pull(t);
  return t;
}

/** Appends the VMAs of t intersecting [start, end) to out, in order. */
function collect(t: Node | null, start: number, end: number, out: Vma[]): void {
  if (t === null || t.last <= start) return;
  const v = t.vma;
  if (v.start > start) collect(t.left, start, end, out);
  if (v.start < end && v.end > start) out.push(v);
  if (v.start < end) collect(t.right, start, end, out);
}

function inorder(t: Node | null, out: Vma[]): void {
  if (t === null) return;
  inorder(t.left, out);
  out.push(t.vma);
  inorder(t.right, out);
}

export class VmaTree {
  private root: Node | null = null;
  /** Priorities come from a private generator: the tree's shape never depends on the guest's randomness. */
  private seed = 0x2545f491;

  get size(): number {
    return this.root === null ? 0 : this.root.size;
  }

  private nextPrio(): number {
    let x = this.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x | 0;
    return x >>> 0;
  }

  insert(v: Vma): void {
    this.root = insertNode(this.root, new Node(v, this.nextPrio()));
  }

  /** Removes v (the VMA that starts at v.start). */
  remove(v: Vma): void {
    this.root = removeNode(this.root, v);
  }

  /** Replaces old by the VMAs of next (sorted, covering only pages old covered or free ones). */
  replace(old: Vma, next: readonly Vma[]): void {
    this.remove(old);
    for (const v of next) this.insert(v);
  }

  clear(): void {
    this.root = null;
  }

  /** The VMA containing page vpn. */
  find(vpn: number): Vma | undefined {
    let n = this.root;
    while (n !== null) {
      if (vpn < n.start) n = n.left;
      else if (vpn >= n.end) n = n.right;
      else return n.vma;
    }
    return undefined;
  }

  /** The first VMA ending after page vpn (Linux's find_vma): the one containing vpn or the next above it. */
  findAfter(vpn: number): Vma | undefined {
    let n = this.root;
    let best: Vma | undefined;
    while (n !== null) {
      if (n.end > vpn) {
        best = n.vma;
        n = n.left;
      } else n = n.right;
    }
    return best;
  }

  /** The last VMA starting below page vpn. */
  findBefore(vpn: number): Vma | undefined {
    let n = this.root;
    let best: Vma | undefined;
    while (n !== null) {
      if (n.start < vpn) {
        best = n.vma;
        n = n.right;
      } else n = n.left;
    }
    return best;
  }

  /** The VMA after v (the first starting at or after v.end). */
  next(v: Vma): Vma | undefined {
    let n = this.root;
    let best: Vma | undefined;
    while (n !== null) {
      if (n.start >= v.end) {
        best = n.vma;
        n = n.left;
      } else n = n.right;
    }
    return best;
  }

  /** The VMA before v. */
  prev(v: Vma): Vma | undefined {
    return this.findBefore(v.start);
  }

  /** True when no VMA intersects pages [start, end). */
  isFree(start: number, end: number): boolean {
    const v = this.findAfter(start);
    return v === undefined || v.start >= end;
  }

  /** The VMAs intersecting pages [start, end), in order (O(log n + k)). */
  overlapping(start: number, end: number): Vma[] {
    const out: Vma[] = [];
    collect(this.root, start, end, out);
    return out;
  }

  /**
   * The tree's shape: the mean and largest node depth (the root is 1), i.e. the nodes a lookup
   * visits — about 2 ln n for a treap. For the benchmark and the tests that keep lookups O(log n).
   */
  depthStats(): { mean: number; max: number } {
    let sum = 0;
    let max = 0;
    const todo: [Node, number][] = this.root === null ? [] : [[this.root, 1]];
    for (let e = todo.pop(); e !== undefined; e = todo.pop()) {
      const [n, d] = e;
      sum += d;
      if (d > max) max = d;
      if (n.left !== null) todo.push([n.left, d + 1]);
      if (n.right !== null) todo.push([n.right, d + 1]);
    }
    return { mean: this.size === 0 ? 0 : sum / this.size, max };
  }

  /** Every VMA in address order. */
  toArray(): Vma[] {
    const out: Vma[] = [];
    inorder(this.root, out);
    return out;
  }

  /**
   * The end of the highest free gap whose part inside [low, high) is at least len pages long,
   * clipped to high; -1 when there is none (the search of unmapped_area_topdown).
   */
  highestGap(low: number, high: number, len: number): number {
    return highest(this.root, 0, Number.POSITIVE_INFINITY, low, high, len);
  }

  /** The start of the lowest such gap, clipped to low; -1 when there is none (unmapped_area). */
  lowestGap(low: number, high: number, len: number): number {
    return lowest(this.root, 0, Number.POSITIVE_INFINITY, low, high, len);
  }
}

/**
 * Whether subtree n with its edge gaps can hold a gap of len inside [low, high): its widest gap must
 * be long enough, and so must the part of its span inside [low, high). (A guard gap can reach back
 * across a VMA, so the span runs from min(before, first) to max(after, last).)
 */
function mayHold(n: Node, before: number, after: number, low: number, high: number, len: number): boolean {
  if (Math.max(n.gap, n.first - before, after - n.last) < len) return false;
  return Math.min(Math.max(after, n.last), high) - Math.max(Math.min(before, n.first), low) >= len;
}

/**
 * Searches the gaps of subtree n together with the gaps at its edges: [before, first VMA) and
 * [last VMA, after). A subtree is skipped when its widest gap, or the part of its span inside
 * [low, high), is shorter than len; only subtrees straddling low or high can pass that test
 * without holding an answer, so the search visits O(log n) nodes.
 */
function highest(n: Node | null, before: number, after: number, low: number, high: number, len: number): number {
  if (n === null) {
    const hi = Math.min(after, high);
    return hi - Math.max(before, low) >= len ? hi : -1;
  }
  if (!mayHold(n, before, after, low, high, len)) return -1;
  const r = highest(n.right, n.end, after, low, high, len);
  if (r >= 0) return r;
  return highest(n.left, before, startGap(n.vma), low, high, len);
}

function lowest(n: Node | null, before: number, after: number, low: number, high: number, len: number): number {
  if (n === null) {
    const lo = Math.max(before, low);
    return Math.min(after, high) - lo >= len ? lo : -1;
  }
  if (!mayHold(n, before, after, low, high, len)) return -1;
  const l = lowest(n.left, before, startGap(n.vma), low, high, len);
  if (l >= 0) return l;
  return lowest(n.right, n.end, after, low, high, len);
}
