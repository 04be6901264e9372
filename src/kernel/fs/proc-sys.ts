/**
 * /proc/sys: the sysctls glibc, busybox, Python and common tools read, with the values of
 * Debian's arm64 6.1 kernel or of the emulated machine. Writable on Linux for root (mode 0644)
 * but read-only here, except vm/nr_hugepages, which resizes the hugetlb pool.
 */

import { mqueueSysctlDir } from '../ipc/mqueue-sysctl.js';
import { sysvIpcSysctls } from '../ipc/sysv-sysctl.js';
import type { Kernel } from '../kernel.js';
import { hugetlbPoolsOf } from '../mm/hugetlb.js';
import { DAC_MMAP_MIN_ADDR, MAX_MAP_COUNT } from '../mm/memory-map.js';
import { YAMA_PTRACE_SCOPE } from '../security/ptrace/ptrace-access.js';
import { UTS_RELEASE, UTS_VERSION } from '../syscalls/sys-info.js';
import { type UtsField, utsProcRead, utsProcWrite } from '../syscalls/sys-uts.js';
import { PIPE_MAX_SIZE } from './pipe.js';
import { PROC_DEV, parseProcInt, staticDir, writableFile } from './proc-nodes.js';
import { textFile } from './synthetic-file.js';
import type { FsEnv, SynthDir, SynthNode } from './vnode.js';

const EINVAL = -22;
/**
 * kernel.pid_max: PID_MAX of kernel.ts, where pids wrap. (Importing kernel.ts from here would close
 * an import cycle through the syscall tables that the VFS is part of.)
 */
const PID_MAX = 32768;

function value(ino: number, text: string | ((env: FsEnv) => string), perm = 0o644): SynthNode {
  const node = textFile(ino, PROC_DEV, typeof text === 'string' ? () => text : text, perm);
  return { ...node, rootOwned: true };
}

/** A random (version 4) uuid as /proc/sys/kernel/random/uuid prints it. */
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

/** Most 2 MiB pages the machine's memory can hold (writing nr_hugepages gets what memory allows). */
function maxHugePages(k: Kernel): number {
  return Math.floor((k.phys.maxFrames * 4096) / (2 * 1024 * 1024));
}

function nrHugepages(ino: number): SynthNode {
  return writableFile(
    ino,
    0o644,
    (env) => `${hugetlbPoolsOf(env.kernel).default.total}\n`,
    (env, data) => {
      const n = parseProcInt(data);
      if (!Number.isInteger(n) || n < 0) return EINVAL;
      hugetlbPoolsOf(env.kernel).default.resize(Math.min(n, maxHugePages(env.kernel)));
      return data.length;
    },
    true,
  );
}

/** kernel.hostname / kernel.domainname: the UTS names, writable by root (proc_do_uts_string). */
function utsSysctl(ino: number, which: UtsField): SynthNode {
  return writableFile(
    ino,
    0o644,
    (env) => utsProcRead(env.kernel, which),
    (env, data) => utsProcWrite(env.kernel, which, data),
    true,
  );
}

export function sysTree(): SynthDir {
  return staticDir(200, {
    kernel: staticDir(201, {
      cap_last_cap: value(202, '40\n', 0o444),
      core_pattern: value(203, 'core\n'),
      core_uses_pid: value(204, '0\n'),
      domainname: utsSysctl(205, 'domainname'),
      hostname: utsSysctl(206, 'nodename'),
      ngroups_max: value(207, '65536\n', 0o444),
      osrelease: value(208, `${UTS_RELEASE}\n`, 0o444),
      ostype: value(209, 'Linux\n', 0o444),
      overflowgid: value(210, '65534\n'),
      overflowuid: value(211, '65534\n'),
      pid_max: value(212, `${PID_MAX}\n`),
      random: staticDir(220, {
        boot_id: value(221, (env) => bootId(env.kernel), 0o444),
        entropy_avail: value(222, '256\n', 0o444),
        poolsize: value(223, '256\n', 0o444),
        urandom_min_reseed_secs: value(224, '60\n'),
        uuid: value(225, (env) => uuid(env.kernel), 0o444),
        write_wakeup_threshold: value(226, '256\n'),
      }),
      randomize_va_space: value(230, '2\n'),
      sched_child_runs_first: value(231, '0\n'),
      // SHMMAX and SHMALL: ULONG_MAX - 2^24 on 64-bit.
      shmall: value(232, '18446744073692774399\n'),
      shmmax: value(233, '18446744073692774399\n'),
      shmmni: value(234, '4096\n'),
      tainted: value(235, '0\n'),
      'threads-max': value(236, '127406\n'),
      ...sysvIpcSysctls(),
      version: value(237, `${UTS_VERSION}\n`, 0o444),
      yama: staticDir(238, { ptrace_scope: value(239, `${YAMA_PTRACE_SCOPE}\n`) }),
    }),
    vm: staticDir(240, {
      max_map_count: value(241, `${MAX_MAP_COUNT}\n`),
      mmap_min_addr: value(242, `${DAC_MMAP_MIN_ADDR}\n`),
      nr_hugepages: nrHugepages(243),
      overcommit_kbytes: value(244, '0\n'),
      overcommit_memory: value(245, '0\n'),
      overcommit_ratio: value(246, '50\n'),
      swappiness: value(247, '60\n'),
    }),
    fs: staticDir(260, {
      'file-max': value(261, '9223372036854775807\n'),
      'file-nr': value(262, '1024\t0\t9223372036854775807\n', 0o444),
      nr_open: value(263, '1048576\n'),
      'pipe-max-size': value(264, `${PIPE_MAX_SIZE}\n`),
      'pipe-user-pages-hard': value(265, '0\n'),
      'pipe-user-pages-soft': value(266, '16384\n'),
      mqueue: mqueueSysctlDir(),
    }),
    net: staticDir(280, {
      core: staticDir(281, { somaxconn: value(282, '4096\n') }),
      ipv4: staticDir(283, { ip_local_port_range: value(284, '32768\t60999\n') }),
    }),
  });
}
