/**
 * The System V msg and sem sysctls of /proc/sys/kernel (ipc/ipc_sysctl.c, Linux 6.1): msgmax,
 * msgmnb, msgmni and sem ("SEMMSL SEMMNS SEMOPM SEMMNI", tab-separated), mode 0644, read from and
 * written to the kernel's namespaces. proc-sys.ts adds them to its kernel directory as
 * `...sysvIpcSysctls()`.
 */
import { parseProcInt, writableFile } from '../fs/proc-nodes.js';
import type { FsEnv, SynthNode } from '../fs/vnode.js';
import { IPCMNI } from './ipc-ids.js';
import { msgNamespaceOf } from './msg-queue.js';
import { semNamespaceOf } from './sem-array.js';

const EINVAL = -22;
const INT_MAX = 0x7fffffff;
/** Inode numbers inside /proc/sys's static range (mqueue uses 290–295). */
const INO_BASE = 310;

type MsgKnob = 'ctlmax' | 'ctlmnb' | 'ctlmni';

/** proc_ipc_dointvec_minmax: one int within [0, max]. */
function msgKnob(ino: number, key: MsgKnob, max: number): SynthNode {
  return writableFile(
    ino,
    0o644,
    (env) => `${msgNamespaceOf(env.kernel)[key]}\n`,
    (env, data) => {
      const n = parseProcInt(data);
      if (!Number.isInteger(n) || n < 0 || n > max) return EINVAL;
      msgNamespaceOf(env.kernel)[key] = n;
      return data.length;
    },
    true,
  );
}

/** kernel.sem: four ints; SEMMNI may not exceed IPCMNI (proc_ipc_sem_dointvec). */
function semKnob(ino: number): SynthNode {
  const read = (env: FsEnv): string => {
    const ns = semNamespaceOf(env.kernel);
    return `${ns.semmsl}\t${ns.semmns}\t${ns.semopm}\t${ns.semmni}\n`;
  };
  return writableFile(
    ino,
    0o644,
    read,
    (env, data) => {
      let s = '';
      for (const b of data) s += String.fromCharCode(b);
      const v = s
        .replace(/\0+$/, '')
        .trim()
        .split(/\s+/)
        .map((w) => (/^[+-]?[0-9]+$/.test(w) ? Number(w) : Number.NaN));
      if (v.length === 0 || v.length > 4 || v.some((n) => !Number.isInteger(n) || n < -INT_MAX - 1 || n > INT_MAX)) {
        return EINVAL;
      }
      const ns = semNamespaceOf(env.kernel);
      const next = [ns.semmsl, ns.semmns, ns.semopm, ns.semmni];
      v.forEach((n, i) => {
        next[i] = n;
      });
      if (next[3]! < 0 || next[3]! > IPCMNI) return EINVAL;
      [ns.semmsl, ns.semmns, ns.semopm, ns.semmni] = next as [number, number, number, number];
      return data.length;
    },
    true,
  );
}

export function sysvIpcSysctls(): Record<string, SynthNode> {
  return {
    msgmax: msgKnob(INO_BASE, 'ctlmax', INT_MAX),
    msgmnb: msgKnob(INO_BASE + 1, 'ctlmnb', INT_MAX),
    msgmni: msgKnob(INO_BASE + 2, 'ctlmni', IPCMNI),
    sem: semKnob(INO_BASE + 3),
  };
}
