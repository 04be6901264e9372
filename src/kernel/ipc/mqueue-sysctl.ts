/**
 * /proc/sys/fs/mqueue (ipc/mq_sysctl.c): queues_max, msg_max, msgsize_max, msg_default,
 * msgsize_default of the kernel's mqueue namespace, mode 0644, root may write them within Linux's
 * bounds (msg_* 1…HARD_MSGMAX, msgsize_* 128…HARD_MSGSIZEMAX; queues_max any int ≥ 0 here).
 * proc-sys.ts mounts the directory under fs/ as `mqueue: mqueueSysctlDir()`.
 */
import { parseProcInt, staticDir, writableFile } from '../fs/proc-nodes.js';
import type { SynthDir, SynthNode } from '../fs/vnode.js';
import { HARD_MSGMAX, HARD_MSGSIZEMAX, type MqSysctls, mqNamespaceOf } from './mqueue-ns.js';

const EINVAL = -22;
/** MIN_MSGMAX, MIN_MSGSIZEMAX. */
const MIN_MSGMAX = 1;
const MIN_MSGSIZEMAX = 128;
/** Inode numbers of the directory and its files inside /proc/sys's static range. */
const INO_BASE = 290;

function knob(ino: number, key: keyof MqSysctls, min: number, max: number): SynthNode {
  return writableFile(
    ino,
    0o644,
    (env) => `${mqNamespaceOf(env.kernel).sysctls[key]}\n`,
    (env, data) => {
      const n = parseProcInt(data);
      if (!Number.isInteger(n) || n < min || n > max) return EINVAL;
      mqNamespaceOf(env.kernel).sysctls[key] = n;
      return data.length;
    },
    true,
  );
}

export function mqueueSysctlDir(): SynthDir {
  return staticDir(INO_BASE, {
    msg_default: knob(INO_BASE + 1, 'msgDefault', MIN_MSGMAX, HARD_MSGMAX),
    msg_max: knob(INO_BASE + 2, 'msgMax', MIN_MSGMAX, HARD_MSGMAX),
    msgsize_default: knob(INO_BASE + 3, 'msgsizeDefault', MIN_MSGSIZEMAX, HARD_MSGSIZEMAX),
    msgsize_max: knob(INO_BASE + 4, 'msgsizeMax', MIN_MSGSIZEMAX, HARD_MSGSIZEMAX),
    queues_max: knob(INO_BASE + 5, 'queuesMax', 0, 0x7fffffff),
  });
}
