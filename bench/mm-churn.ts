/**
 * Memory-manager benchmark: mmap/munmap/mprotect churn among many live mappings, and a page-touch
 * loop, measured two ways.
 *
 * 1. In process, on the memory map alone (no CPU emulation): per-operation CPU time with 6 000 and
 *    60 000 live mappings. The VMA tree is O(log n), so ten times more mappings should cost only a
 *    little more per operation (a sorted array or a linear gap search would cost ~10×).
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
  touchNs: number;
  hitNs: number;
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
  // First touches fault through the VMA tree; later ones hit the TLB or the page table.
  t = cpuMs();
  for (let i = 0; i < n; i += 2) mm.as.write32(addrs[i]!, i);
  const touchNs = ((cpuMs() - t) * 1e6) / (n / 2);
  t = cpuMs();
  let sum = 0;
  for (let k = 0; k < 20; k++) for (let i = 0; i < n; i += 2) sum += mm.as.read32(addrs[i]!);
  const hitNs = ((cpuMs() - t) * 1e6) / (10 * n);
  if (sum === 0.5) console.log(sum);
  return { live: n, mapUs, churnUs, touchNs, hitNs };
}

function inProcess(): void {
  // Warm up the JIT on both sizes, then measure.
  churn(6000);
  churn(60000);
  const rows = [churn(6000), churn(60000)];
  console.log(
    '| live mappings | mmap µs/op | churn round (munmap+mmap+mprotect) µs | first touch ns/page | reads ns/access |',
  );
  console.log('|---:|---:|---:|---:|---:|');
  for (const r of rows)
    console.log(
      `| ${r.live} | ${r.mapUs.toFixed(2)} | ${r.churnUs.toFixed(2)} | ${r.touchNs.toFixed(0)} | ${r.hitNs.toFixed(1)} |`,
    );
  const [small, big] = rows as [Churn, Churn];
  console.log(
    `\n10× the mappings costs ${(big.churnUs / small.churnUs).toFixed(2)}× per churn round (O(log n): tree depth and cache misses, ~1.2–2×; an O(n) structure would be ~10×).`,
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
