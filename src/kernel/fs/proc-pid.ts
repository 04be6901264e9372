/**
 * /proc/<pid> and /proc/<pid>/task/<tid> (fs/proc/base.c's tgid_base_stuff and tid_base_stuff):
 * one directory per task, looked up by number at every access so a directory outlives nothing it
 * describes (a gone task answers ESRCH or ENOENT). /proc/<pid> is a process's view (stat sums its
 * threads, task/ lists them); /proc/<pid>/task/<tid> a thread's (its own times, children).
 * /proc/<tid> of a non-leader thread resolves too, as the process view seen from that thread.
 *
 * An exited task (a zombie leader) keeps what Linux keeps: stat, status (without memory lines),
 * statm of zeros, empty cmdline/environ/auxv/maps, no fds; exe, cwd and root no longer resolve.
 */

import { formatMaps, formatSmaps, rssPages } from '../mm/proc-maps.js';
import { procMemFile } from '../security/ptrace/proc-mem.js';
import type { Task } from '../task/task.js';
import { fsRootOf, pathUnderRoot } from './fs-root.js';
import { dtypeOfMode } from './node-stat.js';
import type { OpenFile } from './open-file.js';
import { mountIdOfPath, mountinfoText, mountsText } from './proc-mounts.js';
import {
  dtypeOf,
  InoSpace,
  PROC_DEV,
  type ProcWriter,
  procDir,
  procIno,
  procLink,
  writableFile,
} from './proc-nodes.js';
import {
  auxvBytes,
  cgroupText,
  childrenText,
  cmdlineBytes,
  environBytes,
  limitsText,
  loginuidText,
  oomAdjText,
  oomScoreAdjText,
  oomScoreText,
  personalityText,
  sessionidText,
  writeComm,
  writeLoginuid,
  writeOomAdj,
  writeOomScoreAdj,
} from './proc-pid-files.js';
import { commBytes, statmText, statText, statusText } from './proc-pid-stat.js';
import { hasExited, taskByTid, threadList, wchanName } from './proc-task.js';
import { textFile } from './synthetic-file.js';
import type { DirEntry, FsEnv, SynthDir, SynthNode, VNode } from './vnode.js';

const S_IFLNK = 0o120000;
const S_IFREG = 0o100000;
const ESRCH = -3;
const O_CLOEXEC = 0o2000000;

type TaskOf = (env: FsEnv) => Task | undefined;

/** /proc/<pid>/fd: a magic link per open fd. Files without a guest path reopen the description itself. */
function fdDir(ino: number, space: InoSpace, id: number, taskOf: TaskOf): SynthDir {
  const files = (env: FsEnv) => {
    const t = taskOf(env);
    return t === undefined || hasExited(t) ? undefined : t.files;
  };
  // Linux gives an fd link the access of its description (r-x, -wx, rwx for the owner) and size 64.
  const linkFor = (fd: number, flags: number): SynthNode => ({
    type: 'link',
    ino: procIno(space, id, fd),
    perm: ((flags & 3) !== 1 ? 0o500 : 0) | ((flags & 3) !== 0 ? 0o300 : 0),
    dev: PROC_DEV,
    size: 64,
    target: (env) => {
      const path = files(env)?.get(fd)?.path ?? '';
      return path.startsWith('/') ? (pathUnderRoot(fsRootOf(env.task), path) ?? path) : path;
    },
    follow: (env): VNode | undefined => {
      const f = files(env)?.get(fd);
      return f === undefined || f.loc !== undefined ? undefined : { kind: 'file', file: f };
    },
  });
  return procDir(ino, 0o500, {
    entries: (env) =>
      (files(env)?.fds() ?? []).map((fd) => ({
        name: String(fd),
        ino: procIno(space, id, fd),
        type: dtypeOfMode(S_IFLNK),
      })),
    lookup: (env, name) => {
      if (!/^(0|[1-9][0-9]*)$/.test(name)) return undefined;
      const fd = Number(name);
      const f = files(env)?.get(fd);
      return f === undefined ? undefined : linkFor(fd, f.flags);
    },
  });
}

/** Files with lines of their own after the common ones (Linux's f_op->show_fdinfo): epoll, eventfd, signalfd, timerfd. */
interface ShowFdinfo {
  fdinfo?(): string;
}

/**
 * seq_show of fs/proc/fd.c: position, flags in octal with a leading 0 (O_CLOEXEC from the fd), mount
 * id, inode, then what the file itself shows.
 */
function fdinfoText(t: Task, fd: number): string | number {
  const f: (OpenFile & ShowFdinfo) | undefined = t.files.get(fd);
  if (f === undefined) return -2; // ENOENT: closed since the lookup
  const flags = f.flags | (t.files.cloexec(fd) ? O_CLOEXEC : 0);
  const st = f.stat?.();
  const ino = st !== undefined && typeof st !== 'number' ? st.ino : 0;
  const own = f.fdinfo?.() ?? '';
  return `pos:\t${f.pos}\nflags:\t0${flags.toString(8)}\nmnt_id:\t${mountIdOfPath(f.path)}\nino:\t${ino}\n${own}`;
}

function fdinfoDir(ino: number, space: InoSpace, id: number, taskOf: TaskOf): SynthDir {
  const live = (env: FsEnv) => {
    const t = taskOf(env);
    return t === undefined || hasExited(t) ? undefined : t;
  };
  return procDir(ino, 0o555, {
    entries: (env) =>
      (live(env)?.files.fds() ?? []).map((fd) => ({
        name: String(fd),
        ino: procIno(space, id, fd),
        type: dtypeOfMode(S_IFREG),
      })),
    lookup: (env, name) => {
      if (!/^(0|[1-9][0-9]*)$/.test(name)) return undefined;
      const fd = Number(name);
      if (live(env)?.files.get(fd) === undefined) return undefined;
      return textFile(procIno(space, id, fd), PROC_DEV, (e) => {
        const t = live(e);
        return t === undefined ? ESRCH : fdinfoText(t, fd);
      });
    },
  });
}

/** Which directory a per-task directory is. */
interface DirKind {
  /** The number it was looked up by (a tgid, or a tid under /proc or task/). */
  id: number;
  /** /proc/<pid> (process view) or /proc/<pid>/task/<tid> (thread view). */
  whole: boolean;
  taskOf: TaskOf;
}

/** The files of one per-task directory, in tgid_base_stuff's order. */
function taskFiles(kind: DirKind, taskDir: SynthDir | undefined): Map<string, SynthNode> {
  const { id, whole, taskOf } = kind;
  const space = whole ? InoSpace.Pid : InoSpace.Tid;
  let local = 0;
  const ino = () => procIno(space, id, ++local);
  const text = (gen: (env: FsEnv, t: Task) => string | Uint8Array | number, perm = 0o444) =>
    textFile(
      ino(),
      PROC_DEV,
      (env) => {
        const t = taskOf(env);
        return t === undefined ? ESRCH : gen(env, t);
      },
      perm,
    );
  const rw = (gen: (env: FsEnv, t: Task) => string, write: ProcWriter, perm = 0o644) =>
    writableFile(
      ino(),
      perm,
      (env) => {
        const t = taskOf(env);
        return t === undefined ? ESRCH : gen(env, t);
      },
      write,
    );
  /** A link that exists only while the task has what it names (exe, cwd and root of a zombie are ENOENT). */
  const liveLink = (target: (t: Task, env: FsEnv) => string): SynthNode => {
    const node = procLink(ino(), (env) => {
      const t = taskOf(env);
      return t === undefined || hasExited(t) ? '' : target(t, env);
    });
    return node;
  };
  const files = new Map<string, SynthNode>();
  if (taskDir !== undefined) files.set('task', taskDir);
  const fdSpace = whole ? InoSpace.Fd : InoSpace.TidFd;
  const infoSpace = whole ? InoSpace.FdInfo : InoSpace.TidFdInfo;
  files.set('fd', fdDir(ino(), fdSpace, id, taskOf));
  files.set('fdinfo', fdinfoDir(ino(), infoSpace, id, taskOf));
  files.set('mem', procMemFile(ino(), taskOf));
  files.set(
    'environ',
    text((_e, t) => environBytes(t), 0o400),
  );
  files.set(
    'auxv',
    text((_e, t) => auxvBytes(t), 0o400),
  );
  files.set(
    'status',
    text((e, t) => statusText(e, t)),
  );
  files.set(
    'personality',
    text((_e, t) => personalityText(t), 0o400),
  );
  files.set(
    'limits',
    text((_e, t) => limitsText(t)),
  );
  files.set(
    'comm',
    rw(
      (_e, t) => `${commBytes(t)}\n`,
      (env, data) => writeComm(env, taskOf(env), data),
    ),
  );
  if (!whole)
    files.set(
      'children',
      text((_e, t) => childrenText(t)),
    );
  files.set(
    'cmdline',
    text((_e, t) => cmdlineBytes(t)),
  );
  files.set(
    'stat',
    text((e, t) => statText(e, t, id, whole)),
  );
  files.set(
    'statm',
    text((_e, t) => statmText(t)),
  );
  files.set(
    'maps',
    text((_e, t) => (hasExited(t) ? '' : formatMaps(t.mm))),
  );
  files.set(
    'cwd',
    // Paths as the reader's root sees them (d_path against current's root).
    liveLink((t, env) => pathUnderRoot(fsRootOf(env.task), t.fs.cwd) ?? t.fs.cwd),
  );
  files.set(
    'root',
    liveLink((t, env) => pathUnderRoot(fsRootOf(env.task), fsRootOf(t)) ?? fsRootOf(t)),
  );
  files.set(
    'exe',
    liveLink((t, env) => pathUnderRoot(fsRootOf(env.task), t.exePath) ?? t.exePath),
  );
  files.set(
    'mounts',
    text((e) => mountsText(e)),
  );
  files.set(
    'mountinfo',
    text((e) => mountinfoText(e)),
  );
  files.set(
    'smaps',
    text((_e, t) => (hasExited(t) ? '' : formatSmaps(t.mm))),
  );
  files.set(
    'wchan',
    text((e, t) => wchanName(e, t)),
  );
  files.set(
    'cgroup',
    text(() => cgroupText()),
  );
  files.set(
    'oom_score',
    text((e, t) => {
      const r = hasExited(t) ? undefined : rssPages(t.mm);
      return oomScoreText(e.kernel, t, r === undefined ? 0 : r.anon + r.file + r.shmem);
    }),
  );
  files.set(
    'oom_adj',
    rw(
      (_e, t) => oomAdjText(t.group),
      (env, data) => writeOomAdj(env, taskOf(env)?.group, data),
    ),
  );
  files.set(
    'oom_score_adj',
    rw(
      (_e, t) => oomScoreAdjText(t.group),
      (env, data) => writeOomScoreAdj(env, taskOf(env)?.group, data),
    ),
  );
  files.set(
    'loginuid',
    rw(
      (e, t) => loginuidText(e.kernel, t.group),
      (env, data) => writeLoginuid(env, taskOf(env)?.group, data),
    ),
  );
  files.set(
    'sessionid',
    text((e) => sessionidText(e.kernel)),
  );
  return files;
}

/** Names whose lookup fails once the task has exited (readlink of a zombie's exe is ENOENT). */
const GONE_WITH_TASK = new Set(['cwd', 'root', 'exe']);

function taskDirectory(ino: number, kind: DirKind, taskDir: SynthDir | undefined): SynthDir {
  const files = taskFiles(kind, taskDir);
  return procDir(ino, 0o555, {
    entries: (): DirEntry[] => [...files].map(([name, n]) => ({ name, ino: n.ino, type: dtypeOf(n) })),
    lookup: (env, name) => {
      const t = kind.taskOf(env);
      if (t === undefined) return undefined;
      if (GONE_WITH_TASK.has(name) && hasExited(t)) return undefined;
      return files.get(name);
    },
  });
}

/** /proc/<pid>/task: a directory per thread of the process, by tid. */
function tasksDir(pid: number, leaderOf: TaskOf): SynthDir {
  const dirs = new Map<number, SynthDir>();
  const dirOf = (tid: number): SynthDir => {
    let d = dirs.get(tid);
    if (d === undefined) {
      const taskOf: TaskOf = (env) => {
        const p = leaderOf(env);
        const t = taskByTid(env, tid);
        return p !== undefined && t !== undefined && t.tgid === p.tgid ? t : undefined;
      };
      d = taskDirectory(procIno(InoSpace.Tid, tid, 0), { id: tid, whole: false, taskOf }, undefined);
      dirs.set(tid, d);
    }
    return d;
  };
  return procDir(procIno(InoSpace.Pid, pid, 0x1fffff), 0o555, {
    entries: (env) => {
      const p = leaderOf(env);
      if (p === undefined) return [];
      return threadList(env.kernel, p.group).map((t) => ({
        name: String(t.tid),
        ino: procIno(InoSpace.Tid, t.tid, 0),
        type: 4,
      }));
    },
    lookup: (env, name) => {
      if (!/^[1-9][0-9]*$/.test(name)) return undefined;
      const tid = Number(name);
      const p = leaderOf(env);
      const t = taskByTid(env, tid);
      if (p === undefined || t === undefined || t.tgid !== p.tgid) return undefined;
      return dirOf(tid);
    },
  });
}

/** The directory /proc/<pid>: the process view of the task whose id (tgid, or tid of a thread) is pid. */
export function pidDir(pid: number): SynthDir {
  const taskOf: TaskOf = (env) => taskByTid(env, pid);
  return taskDirectory(procIno(InoSpace.Pid, pid, 0), { id: pid, whole: true, taskOf }, tasksDir(pid, taskOf));
}
