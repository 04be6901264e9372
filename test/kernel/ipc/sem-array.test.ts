/** Semaphore sets (ipc/sem.c): atomic semop, ERANGE, sleepers retried on change, counts, SEM_UNDO at exit, /proc text. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { IpcCaller } from '../../../src/kernel/ipc/ipc-ids.js';
import { SEM_HEADER, semText } from '../../../src/kernel/ipc/proc-sysvipc.js';
import { SEM_UNDO, type Sembuf, SemNamespace, type SemQueue } from '../../../src/kernel/ipc/sem-array.js';
import type { ThreadGroup } from '../../../src/kernel/task/thread-group.js';

const who: IpcCaller = { euid: 0, egid: 0, fsgid: 0, groups: [], privileged: true, pid: 10 };
const IPC_NOWAIT = 0o4000;

function setup(nsems: number, vals: number[]) {
  const ns = new SemNamespace();
  const id = ns.get(0, nsems, 0o600, who, 1);
  const sma = ns.ids.byId(id)!;
  vals.forEach((v, i) => {
    sma.sems[i]!.val = v;
  });
  return { ns, id, sma };
}

function queue(sops: Sembuf[], pid = 10): SemQueue & { woken: number } {
  const q = {
    sops,
    undo: undefined,
    pid,
    alter: sops.some((s) => s.op !== 0),
    blocking: sops[0]!,
    status: undefined,
    woken: 0,
    wake: () => q.woken++,
  } as SemQueue & { woken: number };
  return q;
}

const values = (sma: { sems: { val: number }[] }) => sma.sems.map((s) => s.val);

describe('semaphore sets', () => {
  test('semget: nsems 0 for a new set is EINVAL; more than the set has is EINVAL', () => {
    const ns = new SemNamespace();
    assert.equal(ns.get(0, 0, 0o600, who, 1), -22);
    const id = ns.get(7, 2, 0o1000 | 0o600, who, 1);
    assert.equal(ns.get(7, 3, 0, who, 1), -22);
    assert.equal(ns.get(7, 2, 0, who, 1), id);
    assert.equal(ns.usedSems, 2);
  });

  test('semop is all or nothing; IPC_NOWAIT gives EAGAIN, SEMVMX ERANGE', () => {
    const { sma } = setup(3, [1, 0, 5]);
    const q = queue([
      { num: 0, op: -1, flg: 0 },
      { num: 2, op: 3, flg: 0 },
      { num: 1, op: -1, flg: 0 },
    ]);
    assert.equal(sma.perform(q), 1);
    assert.equal(q.blocking.num, 1);
    assert.deepEqual(values(sma), [1, 0, 5]);
    assert.equal(sma.perform(queue([{ num: 1, op: -1, flg: IPC_NOWAIT }])), -11);
    assert.equal(sma.perform(queue([{ num: 2, op: 32763, flg: 0 }])), -34);
    assert.equal(sma.perform(queue([{ num: 2, op: 0, flg: IPC_NOWAIT }])), -11);
    assert.equal(sma.perform(queue([{ num: 1, op: 0, flg: 0 }])), 0);
    assert.equal(sma.perform(queue([{ num: 2, op: -5, flg: 0 }], 44)), 0);
    assert.equal(sma.sems[2]!.pid, 44);
  });

  test('sleepers are retried after a change, counted by GETNCNT/GETZCNT, failed with EIDRM on removal', () => {
    const { ns, sma } = setup(2, [0, 1]);
    const down = queue([{ num: 0, op: -1, flg: 0 }]);
    const zero = queue([{ num: 1, op: 0, flg: 0 }]);
    const chain = queue([{ num: 1, op: -1, flg: 0 }]);
    for (const q of [down, zero]) {
      assert.equal(sma.perform(q), 1);
      sma.pending.push(q);
    }
    assert.equal(sma.count(0, false), 1);
    assert.equal(sma.count(1, true), 1);
    sma.sems[0]!.val = 1;
    sma.changed(5);
    assert.equal(down.status, 0);
    assert.equal(zero.status, undefined);
    assert.equal(sma.sems[0]!.otime, 5);
    sma.pending.push(chain);
    // chain takes sem 1 to zero, after which the wait-for-zero completes on the restart.
    assert.ok(sma.retrySleepers());
    assert.equal(chain.status, 0);
    assert.equal(zero.status, 0);
    const last = queue([{ num: 0, op: -1, flg: 0 }]);
    sma.pending.push(last);
    ns.remove(sma);
    assert.equal(last.status, -43);
    assert.equal(last.woken, 1);
    assert.equal(ns.usedSems, 0);
  });

  test('SEM_UNDO: adjustments bounded by SEMAEM, cleared by SETVAL, applied (clamped) at process exit', () => {
    const { ns, id, sma } = setup(2, [3, 0]);
    const g = { tgid: 55 } as unknown as ThreadGroup;
    const un = ns.undoFor(g, id);
    assert.ok(typeof un !== 'number');
    const q = { ...queue([{ num: 0, op: 2, flg: SEM_UNDO }]), undo: un };
    assert.equal(sma.perform(q), 0);
    assert.equal(un.adj[0], -2);
    const q2 = { ...queue([{ num: 1, op: 32767, flg: SEM_UNDO }]), undo: un };
    assert.equal(sma.perform(q2), 0);
    sma.sems[1]!.val = 0;
    const q3 = { ...queue([{ num: 1, op: 2, flg: SEM_UNDO }]), undo: un };
    assert.equal(sma.perform(q3), -34);
    sma.clearAdjustments(1);
    assert.equal(un.adj[1], 0);
    sma.sems[0]!.val = 1;
    ns.exit(g, 9);
    // 1 + (-2) clamps to 0.
    assert.equal(sma.sems[0]!.val, 0);
    assert.equal(sma.sems[0]!.pid, 55);
    assert.equal(sma.sems[0]!.otime, 9);
    assert.equal(sma.undos.size, 0);
    assert.equal(ns.undoFor(g, id + 1), -22);
  });

  test('/proc/sysvipc/sem lines', () => {
    const ns = new SemNamespace();
    ns.get(0x2345, 3, 0o1600, who, 1795573770);
    assert.equal(
      semText(ns),
      `${SEM_HEADER}      9029          0   600          3     0     0     0     0          0 1795573770\n`,
    );
  });
});
