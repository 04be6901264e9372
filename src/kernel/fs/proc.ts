/**
 * /proc: self and thread-self, a directory per process (proc-pid.ts), the system-wide files
 * (proc-system.ts) and /proc/sys (proc-sys.ts). readdir lists every process that is alive or a
 * zombie; a thread's /proc/<tid> resolves without being listed, as on Linux.
 * The host's own /proc is never shown: it would describe Node, not the guest.
 *
 * The other modules: proc-nodes.ts (inode numbers, directories of functions, writable files),
 * proc-task.ts (state letters, threads, times, tty, flags, wchan), proc-pid-stat.ts (stat, statm,
 * status records and formatters), proc-pid-files.ts (cmdline, environ, auxv, limits, comm and
 * OOM writes…), proc-exec-layout.ts (start_code … start_stack), proc-mounts.ts (mounts, mountinfo).
 */
import { sysvipcDir } from '../ipc/proc-sysvipc.js';
import { dtypeOf, PROC_DEV, procDir, procLink } from './proc-nodes.js';
import { pidDir } from './proc-pid.js';
import { sysTree } from './proc-sys.js';
import {
  cpuinfoText,
  filesystemsText,
  loadavgText,
  meminfoText,
  statText,
  uptimeText,
  versionText,
} from './proc-system.js';
import { taskByTid } from './proc-task.js';
import { textFile } from './synthetic-file.js';
import type { DirEntry, FsEnv, SynthDir, SynthNode } from './vnode.js';

const DT_DIR = 4;

function value(ino: number, text: string | ((env: FsEnv) => string)): SynthNode {
  const node = textFile(ino, PROC_DEV, typeof text === 'string' ? () => text : text);
  return { ...node, rootOwned: true };
}

function systemFiles(): Record<string, SynthNode> {
  return {
    cmdline: value(108, 'console=ttyAMA0 root=/dev/root rw\n'),
    cpuinfo: value(100, cpuinfoText()),
    filesystems: value(106, filesystemsText()),
    loadavg: value(103, loadavgText),
    meminfo: value(101, (env) => meminfoText(env.kernel)),
    mounts: procLink(107, () => 'self/mounts', true),
    stat: value(104, statText),
    swaps: value(109, 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n'),
    sys: sysTree(),
    sysvipc: sysvipcDir(),
    uptime: value(102, (env) => uptimeText(env.kernel)),
    version: value(105, versionText()),
  };
}

/** The processes readdir lists: every process not yet reaped, by tgid. */
function processIds(env: FsEnv): number[] {
  const ids = new Set<number>();
  for (const g of env.kernel.groups.values()) if (g.state !== 'reaped') ids.add(g.tgid);
  ids.add(env.task.tgid);
  return [...ids].sort((a, b) => a - b);
}

export function makeProcFs(): SynthDir {
  const files = systemFiles();
  const self = procLink(2, (env) => String(env.task.tgid), true);
  const threadSelf = procLink(3, (env) => `${env.task.tgid}/task/${env.task.tid}`, true);
  const dirs = new Map<number, SynthDir>();
  const dirOf = (pid: number) => {
    let d = dirs.get(pid);
    if (d === undefined) {
      d = pidDir(pid);
      dirs.set(pid, d);
    }
    return d;
  };
  // Linux lists the system files first (proc_root's own entries), then the processes.
  return procDir(
    1,
    0o555,
    {
      entries: (env): DirEntry[] => [
        ...Object.entries(files).map(([name, n]) => ({ name, ino: n.ino, type: dtypeOf(n) })),
        { name: 'self', ino: self.ino, type: dtypeOf(self) },
        { name: 'thread-self', ino: threadSelf.ino, type: dtypeOf(threadSelf) },
        ...processIds(env).map((pid) => ({ name: String(pid), ino: dirOf(pid).ino, type: DT_DIR })),
      ],
      lookup: (env, name) => {
        if (name === 'self') return self;
        if (name === 'thread-self') return threadSelf;
        if (Object.hasOwn(files, name)) return files[name];
        if (!/^[1-9][0-9]*$/.test(name)) return undefined;
        const pid = Number(name);
        return taskByTid(env, pid) === undefined ? undefined : dirOf(pid);
      },
    },
    true,
  );
}
