/**
 * /proc: self, the directory of each process, and system-wide files generated at open time from the
 * emulated machine (one CPU as compat64's id-registers describe it, memory as the emulator's cap,
 * uptime from the kernel's boot). /proc/sys holds the tunables programs commonly read.
 * The host's own /proc is never shown: it would describe Node, not the guest.
 */
import { ADVERTISED_HWCAP } from '../../cpu/a64/id-registers.js';
import type { Kernel } from '../kernel.js';
import { UTS_RELEASE, UTS_VERSION } from '../syscalls/sys-info.js';
import { unicodeToByteString } from './byte-string.js';
import { bootTime } from './node-stat.js';
import { dtypeOf, PROC_DEV, procDir, procLink, staticDir } from './proc-nodes.js';
import { pidDir, taskByPid } from './proc-pid.js';
import { textFile } from './synthetic-file.js';
import type { DirEntry, FsEnv, SynthDir, SynthNode } from './vnode.js';

const DT_DIR = 4;

/** Linux's hwcap_str names for AT_HWCAP bits 0–31, in /proc/cpuinfo order. */
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

function cpuinfoText(): string {
  const features = HWCAP_NAMES.filter((_, bit) => ADVERTISED_HWCAP & (1 << bit)).join(' ');
  return (
    'processor\t: 0\n' +
    'BogoMIPS\t: 108.00\n' +
    `Features\t: ${features}\n` +
    'CPU implementer\t: 0x41\n' +
    'CPU architecture: 8\n' +
    'CPU variant\t: 0x0\n' +
    'CPU part\t: 0xd08\n' +
    'CPU revision\t: 3\n\n'
  );
}

function meminfoText(k: Kernel): string {
  const totalKb = (k.phys.maxFrames * 4096) / 1024;
  const usedKb = (k.phys.framesInUse * 4096) / 1024;
  const free = Math.max(0, totalKb - usedKb);
  const rows: [string, number][] = [
    ['MemTotal', totalKb],
    ['MemFree', free],
    ['MemAvailable', free],
    ['Buffers', 0],
    ['Cached', 0],
    ['SwapCached', 0],
    ['Active', usedKb],
    ['Inactive', 0],
    ['SwapTotal', 0],
    ['SwapFree', 0],
    ['Dirty', 0],
    ['Writeback', 0],
    ['AnonPages', usedKb],
    ['Mapped', 0],
    ['Shmem', 0],
    ['Slab', 0],
    ['CommitLimit', totalKb],
    ['Committed_AS', usedKb],
    ['VmallocTotal', 0],
    ['VmallocUsed', 0],
    ['HugePages_Total', 0],
    ['Hugepagesize', 2048],
  ];
  return rows
    .map(([name, v]) =>
      name.startsWith('HugePages_')
        ? `${`${name}:`.padEnd(16)}${String(v).padStart(6)}\n`
        : `${`${name}:`.padEnd(16)}${String(Math.floor(v)).padStart(8)} kB\n`,
    )
    .join('');
}

/** seconds.hundredths, truncated as Linux prints them. */
function centis(ns: number): string {
  const c = Math.floor(ns / 1e7);
  return `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
}

function uptimeText(k: Kernel): string {
  const up = k.host.monotonicNs() - k.bootNs;
  const idle = Math.max(0, up - k.host.cpuTimeNs());
  return `${centis(up)} ${centis(idle)}\n`;
}

function pids(env: FsEnv): number[] {
  const set = new Set<number>([env.task.tgid]);
  for (const t of env.kernel.tasks.values()) set.add(t.tgid);
  return [...set].sort((a, b) => a - b);
}

function loadavgText(env: FsEnv): string {
  const all = pids(env);
  return `0.00 0.00 0.00 1/${env.kernel.tasks.size || 1} ${all[all.length - 1] ?? 1}\n`;
}

function statText(env: FsEnv): string {
  const k = env.kernel;
  const user = Math.floor(k.host.cpuTimeNs() / 1e7);
  const idle = Math.max(0, Math.floor((k.host.monotonicNs() - k.bootNs) / 1e7) - user);
  const cpu = `${user} 0 0 ${idle} 0 0 0 0 0 0`;
  return (
    `cpu  ${cpu}\ncpu0 ${cpu}\nintr 0\nctxt 0\nbtime ${bootTime(env).sec}\n` +
    `processes ${pids(env).length}\nprocs_running 1\nprocs_blocked 0\nsoftirq 0 0 0 0 0 0 0 0 0 0 0\n`
  );
}

function uuid(k: Kernel): string {
  const b = new Uint8Array(16);
  k.random.fill(b);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}\n`;
}

const bootIds = new WeakMap<Kernel, string>();

/** boot_id: one uuid per kernel, drawn on first read (so runs that never read it draw no randomness). */
function bootId(k: Kernel): string {
  let id = bootIds.get(k);
  if (id === undefined) {
    id = uuid(k);
    bootIds.set(k, id);
  }
  return id;
}

function value(ino: number, text: string | ((env: FsEnv) => string), perm = 0o444): SynthNode {
  const node = textFile(ino, PROC_DEV, typeof text === 'string' ? () => text : text, perm);
  return { ...node, rootOwned: true };
}

function sysTree(): SynthDir {
  return staticDir(200, {
    kernel: staticDir(201, {
      osrelease: value(202, `${UTS_RELEASE}\n`),
      ostype: value(203, 'Linux\n'),
      version: value(204, `${UTS_VERSION}\n`),
      hostname: value(205, (env) => `${unicodeToByteString(env.kernel.host.nodename)}\n`, 0o644),
      domainname: value(206, '(none)\n', 0o644),
      pid_max: value(207, '4194304\n', 0o644),
      'threads-max': value(208, '127406\n', 0o644),
      ngroups_max: value(209, '65536\n'),
      cap_last_cap: value(210, '40\n'),
      overflowuid: value(211, '65534\n', 0o644),
      overflowgid: value(212, '65534\n', 0o644),
      randomize_va_space: value(213, '2\n', 0o644),
      random: staticDir(220, {
        uuid: value(221, (env) => uuid(env.kernel)),
        boot_id: value(222, (env) => bootId(env.kernel)),
        entropy_avail: value(223, '256\n'),
        poolsize: value(224, '256\n'),
      }),
    }),
    vm: staticDir(240, {
      overcommit_memory: value(241, '0\n', 0o644),
      overcommit_ratio: value(242, '50\n', 0o644),
      max_map_count: value(243, '65530\n', 0o644),
      mmap_min_addr: value(244, '65536\n', 0o644),
    }),
    fs: staticDir(260, {
      'file-max': value(261, '9223372036854775807\n', 0o644),
      nr_open: value(262, '1048576\n', 0o644),
      'pipe-max-size': value(263, '1048576\n', 0o644),
    }),
  });
}

function systemFiles(): Record<string, SynthNode> {
  return {
    cpuinfo: value(100, cpuinfoText()),
    meminfo: value(101, (env) => meminfoText(env.kernel)),
    uptime: value(102, (env) => uptimeText(env.kernel)),
    loadavg: value(103, loadavgText),
    stat: value(104, statText),
    version: value(105, `Linux version ${UTS_RELEASE} (compat64) (gcc) ${UTS_VERSION}\n`),
    filesystems: value(
      106,
      'nodev\tsysfs\nnodev\ttmpfs\nnodev\tproc\nnodev\tdevtmpfs\nnodev\tdevpts\nnodev\tpipefs\n\text4\n',
    ),
    mounts: procLink(107, () => 'self/mounts', true),
    cmdline: value(108, 'console=ttyAMA0 root=/dev/root rw\n'),
    swaps: value(109, 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n'),
    sys: sysTree(),
  };
}

export function makeProcFs(): SynthDir {
  const files = systemFiles();
  const self = procLink(2, (env) => String(env.task.tgid), true);
  const dirs = new Map<number, SynthDir>();
  const dirOf = (pid: number) => {
    let d = dirs.get(pid);
    if (d === undefined) {
      d = pidDir(pid);
      dirs.set(pid, d);
    }
    return d;
  };
  return procDir(
    1,
    0o555,
    {
      entries: (env): DirEntry[] => [
        ...Object.entries(files).map(([name, n]) => ({ name, ino: n.ino, type: dtypeOf(n) })),
        { name: 'self', ino: self.ino, type: dtypeOf(self) },
        ...pids(env).map((pid) => ({ name: String(pid), ino: dirOf(pid).ino, type: DT_DIR })),
      ],
      lookup: (env, name) => {
        if (name === 'self') return self;
        if (Object.hasOwn(files, name)) return files[name];
        if (!/^[1-9][0-9]*$/.test(name)) return undefined;
        const pid = Number(name);
        return taskByPid(env, pid) === undefined ? undefined : dirOf(pid);
      },
    },
    true,
  );
}
