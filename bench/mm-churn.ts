/**
 * Memory-manager benchmark: mmap/munmap/mprotect churn among many live mappings, and a page-touch
 * loop, measured two ways.
 *
 * 1. In process, on the memory map alone (no CPU emulation): per-operation CPU time with 600, 6 000
 *    and 60 000 live mappings, and the cost of one VMA lookup (find) at a random mapped address. The
 *    VMA tree is O(log n), so a hundred times more mappings should cost only a little more per
 *    operation (a sorted array or a linear gap search would cost ~10× per tenfold).
 * 2. The guest program test/guest/mm/bin/mm-churn (60 000 mappings, 60 000 churn rounds, a touch
 *    loop) under compat64 and qemu-aarch64, wall-clock and the phase times it prints.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/mm-churn.js [--no-guest]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MAP_ANONYMOUS, MAP_PRIVATE, PROT_READ, PROT_WRITE } from '../src/kernel/abi/mman.js';
import { doMmap } from '../src/kernel/mm/do-mmap.js';
import { HugetlbPools } from '../src/kernel/mm/hugetlb.js';
import { MemoryMap, type MmCaller } from '../src/kernel/mm/memory-map.js';
import { computeLayout } from '../src/kernel/mm/mmap-layout.js';
import { SeededRandom } from '../src/kernel/random.js';
import { defaultRlimits } from '../src/kernel/task/task.js';
import { AddressSpace } from '../src/memory/address-space.js';
import { PhysicalMemory } from '../src/memory/physical-memory.js';
import { compat64Command, hasQemu, qemuCommand, repoRoot } from '../test/support/guest-run.js';

const PAGE = 4096;
const RW = PROT_READ | PROT_WRITE;
const pools = new HugetlbPools(0);

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

interface Churn {
  live: number;
  mapUs: number;
  churnUs: number;
  lookupNs: number;
  /** Mean nodes a lookup visits (tree depth). */
  depth: number;
  touchNs: number;
  hitNs: number;
}

/** Random lookups of mapped pages through the tree (each far from the last, so the one-entry cache misses). */
function lookups(mm: MemoryMap, addrs: readonly number[]): number {
  const rounds = 1_000_000;
  let seed = 7;
  let hits = 0;
  const t = cpuMs();
  for (let r = 0; r < rounds; r++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    if (mm.find(addrs[(seed >>> 4) % addrs.length]! / PAGE) !== undefined) hits++;
  }
  const ns = ((cpuMs() - t) * 1e6) / rounds;
  if (hits !== rounds) throw new Error(`lookups found ${hits} of ${rounds}`);
  return ns;
}

/** n live one-page mappings (alternating protections, so none merge), then n rounds of churn. */
function churn(n: number): Churn {
  const layout = computeLayout(new SeededRandom(1), { randomize: false, stackRlimit: 8 << 20, legacy: false });
  const mm = new MemoryMap(new AddressSpace(new PhysicalMemory(1 << 30)), layout);
  const caller: MmCaller = { limits: layout.native, rlimits: defaultRlimits(), privileged: false };
  const map = (prot: number) =>
    doMmap(mm, {
      addr: 0,
      len: PAGE,
      prot,
      flags: MAP_PRIVATE | MAP_ANONYMOUS,
      off: 0,
      file: undefined,
      caller,
      compat: false,
      personality: 0,
      pools,
    });
  const addrs: number[] = [];
  let t = cpuMs();
  for (let i = 0; i < n; i++) addrs.push(map(i % 2 ? PROT_READ : RW));
  const mapUs = ((cpuMs() - t) * 1000) / n;
  if (mm.count !== n) throw new Error(`expected ${n} VMAs, have ${mm.count}`);
  let seed = 1;
  t = cpuMs();
  for (let r = 0; r < n; r++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const i = (seed >>> 8) % n;
    if (mm.munmap(addrs[i]! / PAGE, addrs[i]! / PAGE + 1) !== 0) throw new Error('munmap');
    addrs[i] = map(i % 2 ? PROT_READ : RW);
    const j = (i + 7) % n;
    if (mm.mprotect(addrs[j]! / PAGE, addrs[j]! / PAGE + 1, j % 2 ? PROT_READ : RW, caller) !== 0)
      throw new Error('mprotect');
  }
  const churnUs = ((cpuMs() - t) * 1000) / n;
  const lookupNs = lookups(mm, addrs);
  const depth = mm.treeDepth().mean;
  // First touches fault through the VMA tree; later ones hit the TLB or the page table.
  t = cpuMs();
  for (let i = 0; i < n; i += 2) mm.as.write32(addrs[i]!, i);
  const touchNs = ((cpuMs() - t) * 1e6) / (n / 2);
  t = cpuMs();
  let sum = 0;
  for (let k = 0; k < 20; k++) for (let i = 0; i < n; i += 2) sum += mm.as.read32(addrs[i]!);
  const hitNs = ((cpuMs() - t) * 1e6) / (10 * n);
  if (sum === 0.5) console.log(sum);
  return { live: n, mapUs, churnUs, lookupNs, depth, touchNs, hitNs };
}

function inProcess(): void {
  // Warm up the JIT on every size, then measure.
  const sizes = [600, 6000, 60000];
  for (const n of sizes) churn(n);
  const rows = sizes.map(churn);
  console.log(
    '| live mappings | mmap µs/op | churn round (munmap+mmap+mprotect) µs | VMA lookup ns (random) | nodes per lookup | first touch ns/page | reads ns/access |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows)
    console.log(
      `| ${r.live} | ${r.mapUs.toFixed(2)} | ${r.churnUs.toFixed(2)} | ${r.lookupNs.toFixed(0)} | ${r.depth.toFixed(1)} | ${r.touchNs.toFixed(0)} | ${r.hitNs.toFixed(1)} |`,
    );
  const [small, mid, big] = rows as [Churn, Churn, Churn];
  console.log(
    `\n10× the mappings (6 000 → 60 000) costs ${(big.churnUs / mid.churnUs).toFixed(2)}× per churn round and ${(big.lookupNs / mid.lookupNs).toFixed(2)}× per lookup; ` +
      `100× (600 → 60 000) ${(big.churnUs / small.churnUs).toFixed(2)}× and ${(big.lookupNs / small.lookupNs).toFixed(2)}× ` +
      `(nodes visited ${small.depth.toFixed(1)} → ${mid.depth.toFixed(1)} → ${big.depth.toFixed(1)}: O(log n); the rest is cache misses once the tree outgrows the caches; an O(n) structure would be 10× and 100×).`,
  );
}

function guest(): void {
  const prog = join(repoRoot, 'test', 'guest', 'mm', 'bin', 'mm-churn');
  if (!existsSync(prog)) {
    console.log('\nguest run skipped: build test/guest/mm first');
    return;
  }
  const c = compat64Command([prog]);
  const runs: [string, string, string[]][] = [['compat64', c.file, c.args]];
  if (hasQemu()) {
    const q = qemuCommand([prog]);
    runs.push(['qemu-aarch64', q.file, q.args]);
  }
  console.log('\n| runner | wall s | guest phases (map, churn, touch, unmap) |');
  console.log('|---|---:|---|');
  for (const [name, file, args] of runs) {
    const t0 = performance.now();
    const r = spawnSync(file, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
    const wall = (performance.now() - t0) / 1000;
    const phases = /mm-churn: (.*)/.exec(r.stderr)?.[1] ?? `failed: ${r.stderr.slice(0, 200)}`;
    console.log(`| ${name} | ${wall.toFixed(2)} | ${phases} |`);
  }
}

inProcess();
if (!process.argv.includes('--no-guest')) guest();
