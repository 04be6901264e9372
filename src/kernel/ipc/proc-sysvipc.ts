/**
 * /proc/sysvipc/{msg,sem,shm} (ipc/util.c's sysvipc_proc_* with ipc/msg.c, sem.c and shm.c's
 * *_proc_show, Linux 6.1): a header line, then one line per object in index order. The text
 * functions take the namespaces, so they are testable without a mounted /proc; `sysvipcDir()` is
 * the directory node proc.ts adds to its system files as `sysvipc`.
 */
import { PROC_DEV, procDir } from '../fs/proc-nodes.js';
import { textFile } from '../fs/synthetic-file.js';
import type { DirEntry, SynthNode } from '../fs/vnode.js';
import { type ShmNamespace, shmNamespaceOf } from '../mm/shm.js';
import { PAGE } from '../mm/vma.js';
import { type MsgNamespace, msgNamespaceOf } from './msg-queue.js';
import { type SemNamespace, semNamespaceOf } from './sem-array.js';

const DT_REG = 8;

/** %Nd / %Nu / %No: right-aligned in width N. */
function r(v: number | string, width: number): string {
  return String(v).padStart(width);
}

function oct(v: number): string {
  return r(v.toString(8), 4);
}

export const MSG_HEADER =
  '       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      stime      rtime      ctime\n';
export const SEM_HEADER = '       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n';
export const SHM_HEADER =
  '       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap\n';

/** sysvipc_msg_proc_show. */
export function msgText(ns: MsgNamespace): string {
  let s = MSG_HEADER;
  for (const q of ns.ids.all()) {
    const p = q.perm;
    s += `${r(p.key | 0, 10)} ${r(p.id, 10)}  ${oct(p.mode)}  ${r(q.cbytes, 10)} ${r(q.qnum, 10)} `;
    s += `${r(q.lspid, 5)} ${r(q.lrpid, 5)} ${r(p.uid, 5)} ${r(p.gid, 5)} ${r(p.cuid, 5)} ${r(p.cgid, 5)} `;
    s += `${r(q.stime, 10)} ${r(q.rtime, 10)} ${r(q.ctime, 10)}\n`;
  }
  return s;
}

/** sysvipc_sem_proc_show. */
export function semText(ns: SemNamespace): string {
  let s = SEM_HEADER;
  for (const a of ns.ids.all()) {
    const p = a.perm;
    s += `${r(p.key | 0, 10)} ${r(p.id, 10)}  ${oct(p.mode)} ${r(a.nsems, 10)} `;
    s += `${r(p.uid, 5)} ${r(p.gid, 5)} ${r(p.cuid, 5)} ${r(p.cgid, 5)} ${r(a.otime(), 10)} ${r(a.ctime, 10)}\n`;
  }
  return s;
}

/** sysvipc_shm_proc_show (64-bit widths: 21 for size, rss and swap). rss is in bytes. */
export function shmText(ns: ShmNamespace): string {
  let s = SHM_HEADER;
  const segs = [...ns.segments()].sort((a, b) => (a.id & 0x7fff) - (b.id & 0x7fff));
  for (const g of segs) {
    s += `${r(g.key | 0, 10)} ${r(g.id, 10)}  ${oct(g.permMode)} ${r(g.segsz, 21)} ${r(g.cpid, 5)} ${r(g.lpid, 5)}  `;
    s += `${r(g.nattch, 5)} ${r(g.uid, 5)} ${r(g.gid, 5)} ${r(g.cuid, 5)} ${r(g.cgid, 5)} `;
    s += `${r(g.atime, 10)} ${r(g.dtime, 10)} ${r(g.ctime, 10)} ${r(g.residentPages * PAGE, 21)} ${r(0, 21)}\n`;
  }
  return s;
}

/**
 * The /proc/sysvipc directory: proc.ts's systemFiles() adds it as `sysvipc: sysvipcDir()` (inode
 * numbers 120–123 are unused by the other /proc system files).
 */
export function sysvipcDir(): SynthNode {
  const files: Record<string, SynthNode> = {
    msg: { ...textFile(121, PROC_DEV, (env) => msgText(msgNamespaceOf(env.kernel))), rootOwned: true },
    sem: { ...textFile(122, PROC_DEV, (env) => semText(semNamespaceOf(env.kernel))), rootOwned: true },
    shm: {
      ...textFile(123, PROC_DEV, (env) => shmText(shmNamespaceOf(env.kernel, env.kernel.phys))),
      rootOwned: true,
    },
  };
  return procDir(
    120,
    0o555,
    {
      entries: (): DirEntry[] => Object.entries(files).map(([name, n]) => ({ name, ino: n.ino, type: DT_REG })),
      lookup: (_env, name) => (Object.hasOwn(files, name) ? files[name] : undefined),
    },
    true,
  );
}
