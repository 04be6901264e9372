/**
 * The system-wide files of /proc, generated at open from the emulated machine: one Cortex-A72 as
 * compat64's id registers describe it (cpuinfo), memory as the emulator's cap and the frames in
 * use (meminfo), times since the kernel's boot (uptime, stat), the tasks (loadavg, stat).
 * Formats follow Linux 6.1 (arch/arm64/kernel/cpuinfo.c, fs/proc/meminfo.c, loadavg.c, stat.c).
 */
import { ADVERTISED_HWCAP, ADVERTISED_HWCAP2, ID_REGISTERS } from '../../cpu/a64/id-registers.js';
import type { Kernel } from '../kernel.js';
import { hugetlbPoolsOf } from '../mm/hugetlb.js';
import { UTS_RELEASE, UTS_VERSION } from '../syscalls/sys-info.js';
import { bootTime } from './node-stat.js';
import { groupCpuNs, nsToTicks, taskState } from './proc-task.js';
import type { FsEnv } from './vnode.js';

/** arm64's hwcap_str names, by KERNEL_HWCAP index: AT_HWCAP bits 0–31, then AT_HWCAP2 bits from 32. */
const HWCAP_NAMES = [
  'fp',
  'asimd',
  'evtstrm',
  'aes',
  'pmull',
  'sha1',
  'sha2',
  'crc32',
  'atomics',
  'fphp',
  'asimdhp',
  'cpuid',
  'asimdrdm',
  'jscvt',
  'fcma',
  'lrcpc',
  'dcpop',
  'sha3',
  'sm3',
  'sm4',
  'asimddp',
  'sha512',
  'sve',
  'asimdfhm',
  'dit',
  'uscat',
  'ilrcpc',
  'flagm',
  'ssbs',
  'sb',
  'paca',
  'pacg',
];
const HWCAP2_NAMES = [
  'dcpodp',
  'sve2',
  'sveaes',
  'svepmull',
  'svebitperm',
  'svesha3',
  'svesm4',
  'flagm2',
  'frint',
  'svei8mm',
  'svef32mm',
  'svef64mm',
  'svebf16',
  'i8mm',
  'bf16',
  'dgh',
  'rng',
  'bti',
  'mte',
  'ecv',
  'afp',
  'rpres',
  'mte3',
  'sme',
  'smei16i64',
  'smef64f64',
  'smei8i32',
  'smef16f32',
  'smeb16f32',
  'smef32f32',
  'smefa64',
  'wfxt',
];

/** The generic timer's frequency (CNTFRQ_EL0 as the CPU model sets it). */
const TIMER_HZ = 62_500_000;
/** CONFIG_HZ of Debian's arm64 kernel: loops_per_jiffy is the timer rate over it. */
const KERNEL_HZ = 250;

/** The /proc/cpuinfo block of one CPU, from MIDR_EL1 and the advertised hwcaps. */
export function cpuinfoText(): string {
  const midr = ID_REGISTERS.find((r) => r.name === 'MIDR_EL1')?.value ?? 0;
  const features = [
    ...HWCAP_NAMES.filter((_, bit) => ADVERTISED_HWCAP & (1 << bit)),
    ...HWCAP2_NAMES.filter((_, bit) => ADVERTISED_HWCAP2 & (1 << bit)),
  ];
  // BogoMIPS: loops_per_jiffy / (500000 / HZ), two decimals (loops_per_jiffy = timer rate / HZ).
  const lpj = Math.floor(TIMER_HZ / KERNEL_HZ);
  const whole = Math.floor(lpj / (500000 / KERNEL_HZ));
  const hundredths = Math.floor(lpj / (5000 / KERNEL_HZ)) % 100;
  return (
    'processor\t: 0\n' +
    `BogoMIPS\t: ${whole}.${String(hundredths).padStart(2, '0')}\n` +
    `Features\t:${features.map((f) => ` ${f}`).join('')}\n` +
    `CPU implementer\t: 0x${((midr >>> 24) & 0xff).toString(16).padStart(2, '0')}\n` +
    'CPU architecture: 8\n' +
    `CPU variant\t: 0x${((midr >>> 20) & 0xf).toString(16)}\n` +
    `CPU part\t: 0x${((midr >>> 4) & 0xfff).toString(16).padStart(3, '0')}\n` +
    `CPU revision\t: ${midr & 0xf}\n\n`
  );
}

/** A meminfo row: the label padded as fs/proc/meminfo.c's literal is, then the value in its width. */
function row(label: string, kb: number, labelWidth = 16, width = 8, unit = ' kB'): string {
  return `${label.padEnd(labelWidth)}${String(Math.floor(kb)).padStart(width)}${unit}\n`;
}

export function meminfoText(k: Kernel): string {
  const totalKb = (k.phys.maxFrames * 4096) / 1024;
  const usedKb = (k.phys.framesInUse * 4096) / 1024;
  const freeKb = Math.max(0, totalKb - usedKb);
  const pool = hugetlbPoolsOf(k).default;
  const hugeKb = pool.pageSize / 1024;
  return (
    row('MemTotal:', totalKb) +
    row('MemFree:', freeKb) +
    row('MemAvailable:', freeKb) +
    row('Buffers:', 0) +
    row('Cached:', 0) +
    row('SwapCached:', 0) +
    row('Active:', usedKb) +
    row('Inactive:', 0) +
    row('Active(anon):', usedKb) +
    row('Inactive(anon):', 0) +
    row('Active(file):', 0) +
    row('Inactive(file):', 0) +
    row('Unevictable:', 0) +
    row('Mlocked:', 0) +
    row('SwapTotal:', 0) +
    row('SwapFree:', 0) +
    row('Zswap:', 0) +
    row('Zswapped:', 0) +
    row('Dirty:', 0) +
    row('Writeback:', 0) +
    row('AnonPages:', usedKb) +
    row('Mapped:', 0) +
    row('Shmem:', 0) +
    row('KReclaimable:', 0) +
    row('Slab:', 0) +
    row('SReclaimable:', 0) +
    row('SUnreclaim:', 0) +
    row('KernelStack:', 0) +
    row('PageTables:', 0) +
    row('NFS_Unstable:', 0) +
    row('Bounce:', 0) +
    row('WritebackTmp:', 0) +
    // CommitLimit: overcommit_ratio (50%) of RAM plus swap.
    row('CommitLimit:', totalKb / 2) +
    row('Committed_AS:', usedKb) +
    // VMALLOC_START..VMALLOC_END of arm64 6.1 with 48-bit virtual addresses and 4 KiB pages.
    row('VmallocTotal:', 133143592960) +
    row('VmallocUsed:', 0) +
    row('VmallocChunk:', 0) +
    row('Percpu:', 0) +
    row('HardwareCorrupted:', 0, 19, 5) +
    row('AnonHugePages:', 0) +
    row('ShmemHugePages:', 0) +
    row('ShmemPmdMapped:', 0) +
    row('FileHugePages:', 0) +
    row('FilePmdMapped:', 0) +
    row('CmaTotal:', 0) +
    row('CmaFree:', 0) +
    row('HugePages_Total:', pool.total, 19, 5, '') +
    row('HugePages_Free:', pool.free, 19, 5, '') +
    row('HugePages_Rsvd:', pool.reserved, 19, 5, '') +
    row('HugePages_Surp:', 0, 19, 5, '') +
    row('Hugepagesize:', hugeKb) +
    row('Hugetlb:', pool.total * hugeKb)
  );
}

/** seconds.hundredths, truncated as Linux prints them. */
function centis(ns: number): string {
  const c = Math.floor(ns / 1e7);
  return `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
}

/** CPU time of every task since boot (live processes, their dead threads and reaped children). */
function busyNs(k: Kernel): { userNs: number; sysNs: number } {
  let userNs = 0;
  let sysNs = 0;
  for (const g of k.groups.values()) {
    const c = groupCpuNs(g);
    userNs += c.userNs + g.reapedChildren.userNs;
    sysNs += c.sysNs + g.reapedChildren.sysNs;
  }
  return { userNs, sysNs };
}

/** The idle time of the one CPU: what the guest tasks did not use. */
function idleNs(k: Kernel): number {
  const up = k.host.monotonicNs() - k.bootNs;
  const b = busyNs(k);
  return Math.max(0, up - b.userNs - b.sysNs);
}

export function uptimeText(k: Kernel): string {
  return `${centis(k.host.monotonicNs() - k.bootNs)} ${centis(idleNs(k))}\n`;
}

/** Runnable tasks now (nr_running), the reader included. */
function running(env: FsEnv): number {
  let n = 0;
  for (const t of env.kernel.tasks.values()) if (taskState(env, t) === 'R') n++;
  return Math.max(n, 1);
}

const lastPids = new WeakMap<Kernel, number>();

/** The most recently allocated pid (pids grow from 1 until they wrap at pid_max). */
function lastPid(k: Kernel): number {
  let last = lastPids.get(k) ?? 0;
  for (const tid of k.tasks.keys()) if (tid > last) last = tid;
  lastPids.set(k, last);
  return last;
}

/** The load averages: calc_load's exponential decay sampled every 5 s, with the runnable count at each read. */
interface LoadAvg {
  at: number;
  avg: [number, number, number];
}

const loads = new WeakMap<Kernel, LoadAvg>();
const LOAD_FREQ_NS = 5e9;
const EXP = [Math.exp(-5 / 60), Math.exp(-5 / 300), Math.exp(-5 / 900)];

function loadAverages(env: FsEnv): [number, number, number] {
  const k = env.kernel;
  const now = k.host.monotonicNs();
  let l = loads.get(k);
  if (l === undefined) {
    l = { at: k.bootNs, avg: [0, 0, 0] };
    loads.set(k, l);
  }
  const ticks = Math.floor((now - l.at) / LOAD_FREQ_NS);
  if (ticks > 0) {
    const active = running(env);
    l.avg = l.avg.map((a, i) => {
      const e = EXP[i]! ** ticks;
      return a * e + active * (1 - e);
    }) as [number, number, number];
    l.at += ticks * LOAD_FREQ_NS;
  }
  return l.avg;
}

/** /proc/loadavg: three averages, running/total threads, the last pid allocated. */
export function loadavgText(env: FsEnv): string {
  const avg = loadAverages(env)
    .map((a) => (Math.floor(a * 100 + 0.5) / 100).toFixed(2))
    .join(' ');
  return `${avg} ${running(env)}/${env.kernel.tasks.size} ${lastPid(env.kernel)}\n`;
}

/** /proc/stat: the CPU lines in clock ticks, boot time, forks, running and blocked tasks. */
export function statText(env: FsEnv): string {
  const k = env.kernel;
  const b = busyNs(k);
  const cpu = `${nsToTicks(b.userNs)} 0 ${nsToTicks(b.sysNs)} ${nsToTicks(idleNs(k))} 0 0 0 0 0 0`;
  return (
    `cpu  ${cpu}\ncpu0 ${cpu}\nintr 0\nctxt 0\nbtime ${bootTime(env).sec}\n` +
    `processes ${lastPid(k)}\nprocs_running ${running(env)}\nprocs_blocked 0\nsoftirq 0 0 0 0 0 0 0 0 0 0 0\n`
  );
}

export function versionText(): string {
  return `Linux version ${UTS_RELEASE} (compat64@compat64) (gcc (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) ${UTS_VERSION}\n`;
}

/** The file systems the guest can meet: the synthetic ones compat64 provides and the root's. */
export function filesystemsText(): string {
  return [
    'nodev\tsysfs',
    'nodev\ttmpfs',
    'nodev\tbdev',
    'nodev\tproc',
    'nodev\tcgroup2',
    'nodev\tdevtmpfs',
    'nodev\tsockfs',
    'nodev\tpipefs',
    'nodev\tanon_inodefs',
    'nodev\thugetlbfs',
    'nodev\tdevpts',
    '\text4',
    'nodev\tmqueue',
    '',
  ].join('\n');
}
