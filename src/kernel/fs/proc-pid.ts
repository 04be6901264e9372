/**
 * /proc/<pid>: one process's directory (the thread-group leader's task): exe, cwd, root, fd/,
 * fdinfo/, maps, cmdline, environ, auxv, stat, statm, status, comm, limits, mounts.
 * Texts follow fs/proc/array.c and task_mmu.c field for field; what compat64 does not track
 * (page faults, context switches, parent pid before the process issue) reads as 0.
 */

import { formatMaps, formatSmaps, formatVmStatus, rssPages } from '../mm/proc-maps.js';
import { copyIn } from '../syscalls/uaccess.js';
import type { Task } from '../task/task.js';
import { unicodeToByteString } from './byte-string.js';
import { dtypeOfMode } from './node-stat.js';
import { mountsText, PROC_DEV, procDir, procLink } from './proc-nodes.js';
import { textFile } from './synthetic-file.js';
import type { DirEntry, FsEnv, SynthDir, SynthNode, VNode } from './vnode.js';

/** comm is kept as Unicode (exec sets it from the path it was given); /proc shows its UTF-8 bytes. */
function comm(t: Task): string {
  return unicodeToByteString(t.comm);
}

const PAGE = 4096;
const S_IFLNK = 0o120000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
/** USER_HZ: the clock-tick unit of /proc times. */
const USER_HZ = 100;

/** Inode numbers of /proc/<pid> files: unique per pid and name. */
function pidIno(pid: number, local: number): number {
  return 0x10000000 + pid * 0x10000 + local;
}

/** The task whose /proc/<pid> this is: the thread-group leader (or any thread, by tid). */
export function taskByPid(env: FsEnv, pid: number): Task | undefined {
  const k = env.kernel;
  const direct = k.tasks.get(pid);
  if (direct !== undefined) return direct;
  if (env.task.tid === pid || env.task.tgid === pid) return env.task;
  return undefined;
}

function guestBytes(t: Task, start: number, end: number): Uint8Array {
  if (end <= start) return new Uint8Array(0);
  return copyIn(t.mm.as, start, end - start) ?? new Uint8Array(0);
}

function auxvBytes(t: Task): Uint8Array {
  const pairs =
    t.auxv.length > 0 && t.auxv[t.auxv.length - 1]![0] === 0 ? t.auxv : [...t.auxv, [0, 0] as [number, number]];
  const b = new Uint8Array(pairs.length * 16);
  const v = new DataView(b.buffer);
  pairs.forEach(([k, val], i) => {
    v.setBigUint64(i * 16, BigInt(k), true);
    v.setBigUint64(i * 16 + 8, BigInt(val), true);
  });
  return b;
}

function sigWords(lo: number, hi: number): string {
  return ((hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0')).padStart(16, '0');
}

function sigMasks(t: Task): { ign: [number, number]; cgt: [number, number] } {
  const ign: [number, number] = [0, 0];
  const cgt: [number, number] = [0, 0];
  t.signals.actions.forEach((a, sig) => {
    if (sig === 0) return;
    const word = sig <= 32 ? 0 : 1;
    const bit = ((sig - 1) % 32) >>> 0;
    if (a.handler === 1) ign[word] = (ign[word]! | (1 << bit)) >>> 0;
    else if (a.handler > 1) cgt[word] = (cgt[word]! | (1 << bit)) >>> 0;
  });
  return { ign, cgt };
}

function u64(lo: number, hi: number): string {
  return (BigInt(hi >>> 0) * 4294967296n + BigInt(lo >>> 0)).toString();
}

function threadsOf(env: FsEnv, t: Task): number {
  let n = 0;
  for (const x of env.kernel.tasks.values()) if (x.tgid === t.tgid) n++;
  return Math.max(n, 1);
}

function statText(env: FsEnv, t: Task): string {
  const rssAll = rssPages(t.mm);
  const rss = rssAll.anon + rssAll.file + rssAll.shmem;
  const ticks = t === env.task ? Math.floor((env.kernel.host.cpuTimeNs() * USER_HZ) / 1e9) : 0;
  const { ign, cgt } = sigMasks(t);
  const s = t.signals;
  const { startCode, endCode } = codeRange(t);
  const fields = [
    t.tgid,
    `(${comm(t)})`,
    t === env.task ? 'R' : 'S',
    0, // ppid
    t.tgid, // pgrp
    t.tgid, // session
    0, // tty_nr
    -1, // tpgid
    0x400000, // PF_* flags (PF_RANDOMIZE)
    0,
    0,
    0,
    0,
    ticks, // utime
    0, // stime
    0,
    0,
    20, // priority
    0, // nice
    threadsOf(env, t),
    0,
    0, // starttime
    t.mm.totalVm * PAGE,
    rss,
    '18446744073709551615',
    startCode,
    endCode,
    t.argStart, // start_stack (near enough: the strings sit just above it)
    0,
    0,
    0, // pending signals
    u64(s.blockedLo, s.blockedHi),
    u64(ign[0], ign[1]),
    u64(cgt[0], cgt[1]),
    0,
    0,
    0,
    17, // exit_signal SIGCHLD
    0,
    0,
    0,
    0,
    0,
    0,
    0, // start_data
    0, // end_data
    t.mm.brkStart,
    t.argStart,
    t.argEnd,
    t.envStart,
    t.envEnd,
    0,
  ];
  return `${fields.join(' ')}\n`;
}

/** start_code/end_code: the program's executable mapping (the loader does not record them). */
function codeRange(t: Task): { startCode: number; endCode: number } {
  const code = t.mm.all().find((v) => v.file?.path === t.exePath && v.prot & 4);
  return code ? { startCode: code.start * PAGE, endCode: code.end * PAGE } : { startCode: 0, endCode: 0 };
}

function statusText(env: FsEnv, t: Task): string {
  const c = t.creds;
  const { ign, cgt } = sigMasks(t);
  const { startCode, endCode } = codeRange(t);
  const lines = [
    `Name:\t${comm(t)}`,
    `Umask:\t${t.fs.umask.toString(8).padStart(4, '0')}`,
    `State:\t${t === env.task ? 'R (running)' : 'S (sleeping)'}`,
    `Tgid:\t${t.tgid}`,
    'Ngid:\t0',
    `Pid:\t${t.tid}`,
    'PPid:\t0',
    'TracerPid:\t0',
    `Uid:\t${c.uid}\t${c.euid}\t${c.suid}\t${c.euid}`,
    `Gid:\t${c.gid}\t${c.egid}\t${c.sgid}\t${c.egid}`,
    `FDSize:\t${Math.max(64, 2 ** Math.ceil(Math.log2((t.files.fds().at(-1) ?? 0) + 1)))}`,
    'Groups:\t',
    `NStgid:\t${t.tgid}`,
    `NSpid:\t${t.tid}`,
    `NSpgid:\t${t.tgid}`,
    `NSsid:\t${t.tgid}`,
  ];
  // The Vm*/Rss* block is mm's (task_mem); the rest follows it as in fs/proc/array.c.
  const after = [
    'CoreDumping:\t0',
    'THP_enabled:\t1',
    `Threads:\t${threadsOf(env, t)}`,
    `SigQ:\t0/${t.rlimits[11]?.[0] ?? 0}`,
    `SigPnd:\t${sigWords(0, 0)}`,
    `ShdPnd:\t${sigWords(0, 0)}`,
    `SigBlk:\t${sigWords(t.signals.blockedLo, t.signals.blockedHi)}`,
    `SigIgn:\t${sigWords(ign[0], ign[1])}`,
    `SigCgt:\t${sigWords(cgt[0], cgt[1])}`,
    'CapInh:\t0000000000000000',
    `CapPrm:\t${c.euid === 0 ? '000001ffffffffff' : '0000000000000000'}`,
    `CapEff:\t${c.euid === 0 ? '000001ffffffffff' : '0000000000000000'}`,
    'CapBnd:\t000001ffffffffff',
    'CapAmb:\t0000000000000000',
    'NoNewPrivs:\t0',
    'Seccomp:\t0',
    'Seccomp_filters:\t0',
    'Speculation_Store_Bypass:\tthread vulnerable',
    'SpeculationIndirectBranch:\tunknown',
    'Cpus_allowed:\t1',
    'Cpus_allowed_list:\t0',
    'Mems_allowed:\t00000000,00000001',
    'Mems_allowed_list:\t0',
    'voluntary_ctxt_switches:\t0',
    'nonvoluntary_ctxt_switches:\t0',
  ];
  return `${lines.join('\n')}\n${formatVmStatus(t.mm, endCode - startCode)}${after.join('\n')}\n`;
}

function statmText(t: Task): string {
  // size resident shared text lib data dt, in pages (Linux: lib and dt are always 0).
  const mm = t.mm;
  const r = rssPages(mm);
  const { startCode, endCode } = codeRange(t);
  const text = Math.ceil((endCode - startCode) / PAGE);
  return `${mm.totalVm} ${r.anon + r.file + r.shmem} ${r.file + r.shmem} ${text} 0 ${mm.dataVm + mm.stackVm} 0\n`;
}

const LIMIT_NAMES: readonly [string, string][] = [
  ['Max cpu time', 'seconds'],
  ['Max file size', 'bytes'],
  ['Max data size', 'bytes'],
  ['Max stack size', 'bytes'],
  ['Max core file size', 'bytes'],
  ['Max resident set', 'bytes'],
  ['Max processes', 'processes'],
  ['Max open files', 'files'],
  ['Max locked memory', 'bytes'],
  ['Max address space', 'bytes'],
  ['Max file locks', 'locks'],
  ['Max pending signals', 'signals'],
  ['Max msgqueue size', 'bytes'],
  ['Max nice priority', ''],
  ['Max realtime priority', ''],
  ['Max realtime timeout', 'us'],
];

function limitsText(t: Task): string {
  const v = (n: number) => (Number.isFinite(n) ? String(n) : 'unlimited');
  let s = `${'Limit'.padEnd(25)} ${'Soft Limit'.padEnd(20)} ${'Hard Limit'.padEnd(20)} ${'Units'.padEnd(10)}\n`;
  LIMIT_NAMES.forEach(([name, unit], i) => {
    const [soft, hard] = t.rlimits[i] ?? [0, 0];
    s += `${name.padEnd(25)} ${v(soft).padEnd(20)} ${v(hard).padEnd(20)} ${unit.padEnd(10)}\n`;
  });
  return s;
}

/** /proc/<pid>/fd: a magic link per open fd. Files without a guest path reopen the description itself. */
function fdDir(pid: number): SynthDir {
  const taskOf = (env: FsEnv) => taskByPid(env, pid);
  // Linux gives an fd link the access of its description (r-x, -wx, rwx for the owner) and size 64.
  const linkFor = (fd: number, flags: number): SynthNode => ({
    type: 'link',
    ino: pidIno(pid, 0x8000 + fd),
    perm: ((flags & 3) !== 1 ? 0o500 : 0) | ((flags & 3) !== 0 ? 0o300 : 0),
    dev: PROC_DEV,
    size: 64,
    target: (env) => taskOf(env)?.files.get(fd)?.path ?? '',
    follow: (env): VNode | undefined => {
      const f = taskOf(env)?.files.get(fd);
      return f === undefined || f.loc !== undefined ? undefined : { kind: 'file', file: f };
    },
  });
  return procDir(pidIno(pid, 2), 0o500, {
    entries: (env) =>
      (taskOf(env)?.files.fds() ?? []).map((fd) => ({
        name: String(fd),
        ino: pidIno(pid, 0x8000 + fd),
        type: dtypeOfMode(S_IFLNK),
      })),
    lookup: (env, name) => {
      if (!/^(0|[1-9][0-9]*)$/.test(name)) return undefined;
      const fd = Number(name);
      const f = taskOf(env)?.files.get(fd);
      return f === undefined ? undefined : linkFor(fd, f.flags);
    },
  });
}

function fdinfoDir(pid: number): SynthDir {
  const taskOf = (env: FsEnv) => taskByPid(env, pid);
  return procDir(pidIno(pid, 3), 0o500, {
    entries: (env) =>
      (taskOf(env)?.files.fds() ?? []).map((fd) => ({
        name: String(fd),
        ino: pidIno(pid, 0x4000 + fd),
        type: dtypeOfMode(S_IFREG),
      })),
    lookup: (env, name) => {
      if (!/^(0|[1-9][0-9]*)$/.test(name)) return undefined;
      const fd = Number(name);
      if (taskOf(env)?.files.get(fd) === undefined) return undefined;
      return textFile(pidIno(pid, 0x4000 + fd), PROC_DEV, (e) => {
        const t = taskOf(e);
        const f = t?.files.get(fd);
        if (t === undefined || f === undefined) return -2;
        const flags = f.flags | (t.files.cloexec(fd) ? 0o2000000 : 0);
        const st = f.stat?.();
        const ino = st !== undefined && typeof st !== 'number' ? st.ino : 0;
        return `pos:\t${f.pos}\nflags:\t${flags.toString(8).padStart(7, '0')}\nmnt_id:\t0\nino:\t${ino}\n`;
      });
    },
  });
}

/** The directory /proc/<pid>. */
export function pidDir(pid: number): SynthDir {
  const taskOf = (env: FsEnv) => taskByPid(env, pid);
  const text = (local: number, gen: (env: FsEnv, t: Task) => string | Uint8Array, perm = 0o444) =>
    textFile(
      pidIno(pid, local),
      PROC_DEV,
      (env) => {
        const t = taskOf(env);
        return t === undefined ? -3 /* ESRCH */ : gen(env, t);
      },
      perm,
    );
  const files: Record<string, SynthNode> = {
    exe: procLink(pidIno(pid, 4), (env) => taskOf(env)?.exePath ?? ''),
    cwd: procLink(pidIno(pid, 5), (env) => taskOf(env)?.fs.cwd ?? ''),
    root: procLink(pidIno(pid, 6), () => '/'),
    fd: fdDir(pid),
    fdinfo: fdinfoDir(pid),
    maps: text(7, (_e, t) => formatMaps(t.mm)),
    smaps: text(19, (_e, t) => formatSmaps(t.mm)),
    cmdline: text(8, (_e, t) => guestBytes(t, t.argStart, t.argEnd)),
    environ: text(9, (_e, t) => guestBytes(t, t.envStart, t.envEnd), 0o400),
    auxv: text(10, (_e, t) => auxvBytes(t), 0o400),
    stat: text(11, statText),
    statm: text(12, (_e, t) => statmText(t)),
    status: text(13, statusText),
    comm: text(14, (_e, t) => `${comm(t)}\n`, 0o644),
    limits: text(15, (_e, t) => limitsText(t)),
    mounts: text(16, () => mountsText()),
    oom_score_adj: text(17, () => '0\n', 0o644),
    loginuid: text(18, (_e, t) => `${t.creds.uid}\n`, 0o644),
  };
  return procDir(pidIno(pid, 1), 0o555, {
    entries: (): DirEntry[] =>
      Object.entries(files).map(([name, n]) => ({
        name,
        ino: n.ino,
        type: dtypeOfMode(n.type === 'dir' ? S_IFDIR : n.type === 'link' ? S_IFLNK : S_IFREG),
      })),
    lookup: (env, name) => (taskOf(env) === undefined ? undefined : files[name]),
  });
}
