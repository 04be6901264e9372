/** Message queues (ipc/msg.c): type selection, pipelined hand-off to waiting receivers, limits, removal, /proc text. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { IpcCaller } from '../../../src/kernel/ipc/ipc-ids.js';
import {
  MSG_COPY,
  MSG_EXCEPT,
  type Message,
  MsgNamespace,
  type Receiver,
  SearchMode,
  searchMode,
} from '../../../src/kernel/ipc/msg-queue.js';
import type { FsEnv } from '../../../src/kernel/fs/vnode.js';
import { MSG_HEADER, msgText, sysvipcDir } from '../../../src/kernel/ipc/proc-sysvipc.js';

const who: IpcCaller = { euid: 0, egid: 0, fsgid: 0, groups: [], privileged: true, pid: 77 };
const msg = (type: number, text: string): Message => ({ type, text: new TextEncoder().encode(text) });

function receiver(type: number, mode: SearchMode, maxSize = 100): Receiver & { woken: number } {
  const r = { type, mode, maxSize, pid: 88, result: undefined, woken: 0, wake: () => r.woken++ } as Receiver & {
    woken: number;
  };
  return r;
}

describe('message queues', () => {
  test('searchMode follows convert_mode', () => {
    assert.deepEqual(searchMode(0, 0), { mode: SearchMode.Any, type: 0 });
    assert.deepEqual(searchMode(5, 0), { mode: SearchMode.Equal, type: 5 });
    assert.deepEqual(searchMode(5, MSG_EXCEPT), { mode: SearchMode.NotEqual, type: 5 });
    assert.deepEqual(searchMode(-5, MSG_EXCEPT), { mode: SearchMode.LessEqual, type: 5 });
    assert.deepEqual(searchMode(2, MSG_COPY), { mode: SearchMode.Number, type: 2 });
  });

  test('find: first of a type, lowest type up to |t| (first of equals), n-th for MSG_COPY', () => {
    const ns = new MsgNamespace();
    const q = ns.ids.byId(ns.get(0, 0o600, who, 1))!;
    for (const [t, s] of [
      [5, 'e'],
      [2, 'b1'],
      [7, 'g'],
      [2, 'b2'],
      [3, 'c'],
    ] as const)
      q.deliver(msg(t, s), 77, 2);
    assert.equal(q.find({ type: 0, mode: SearchMode.Any }), 0);
    assert.equal(q.find({ type: 7, mode: SearchMode.Equal }), 2);
    assert.equal(q.find({ type: 5, mode: SearchMode.NotEqual }), 1);
    assert.equal(q.find({ type: 4, mode: SearchMode.LessEqual }), 1);
    assert.equal(q.find({ type: 1, mode: SearchMode.LessEqual }), -1);
    assert.equal(q.find({ type: 3, mode: SearchMode.Number }), 3);
    assert.equal(q.find({ type: 9, mode: SearchMode.Number }), -1);
    assert.equal(q.qnum, 5);
    assert.equal(q.cbytes, 7);
    assert.equal(ns.headers, 5);
    const m = q.take(1, 99, 3);
    assert.equal(m.type, 2);
    assert.equal(q.lrpid, 99);
    assert.equal(q.rtime, 3);
    assert.equal(q.cbytes, 5);
    assert.equal(ns.bytes, 5);
  });

  test('a send goes straight to a waiting receiver; a too-small one gets E2BIG first', () => {
    const ns = new MsgNamespace();
    const q = ns.ids.byId(ns.get(0, 0o600, who, 1))!;
    const small = receiver(0, SearchMode.Any, 2);
    const other = receiver(9, SearchMode.Equal);
    const big = receiver(0, SearchMode.Any);
    q.receivers.push(small, other, big);
    q.deliver(msg(4, 'hello'), 77, 5);
    assert.equal(small.result, -7);
    assert.equal(other.result, undefined);
    assert.equal((big.result as Message).type, 4);
    assert.equal(q.qnum, 0);
    assert.equal(q.lrpid, 88);
    assert.deepEqual(q.receivers, [other]);
    q.deliver(msg(4, 'queued'), 77, 5);
    assert.equal(q.qnum, 1);
  });

  test('fits bounds bytes and message count by q_qbytes; IPC_SET re-searches receivers; removal gives EIDRM', () => {
    const ns = new MsgNamespace();
    const q = ns.ids.byId(ns.get(0, 0o600, who, 1))!;
    assert.equal(q.qbytes, 16384);
    assert.ok(q.fits(16384) && !q.fits(16385));
    q.qbytes = 2;
    q.deliver(msg(1, ''), 77, 1);
    q.deliver(msg(1, ''), 77, 1);
    assert.ok(!q.fits(0));
    const r = receiver(5, SearchMode.Equal);
    q.receivers.push(r);
    q.set(100, 9);
    assert.equal(r.result, -11);
    assert.equal(q.ctime, 9);
    const r2 = receiver(5, SearchMode.Equal);
    q.receivers.push(r2);
    let senderWoken = false;
    q.senders.wait().then(() => {
      senderWoken = true;
    });
    ns.remove(q);
    assert.equal(r2.result, -43);
    assert.equal(q.perm.valid, false);
    assert.equal(ns.ids.inUse, 0);
    assert.equal(ns.headers, 0);
    return Promise.resolve().then(() => assert.ok(senderWoken));
  });

  test('/proc/sysvipc/msg lines', () => {
    const ns = new MsgNamespace();
    const q = ns.ids.byId(ns.get(0x1234, 0o1640, who, 1795573770))!;
    q.deliver(msg(3, 'abc'), 20912, 1795573770);
    assert.equal(
      msgText(ns),
      `${MSG_HEADER}      4660          0   640           3          1 20912     0     0     0     0     0 1795573770          0 1795573770\n`,
    );
  });
});

test('/proc/sysvipc lists msg, sem and shm', () => {
  const dir = sysvipcDir();
  assert.equal(dir.type, 'dir');
  if (dir.type !== 'dir') return;
  const env = {} as unknown as FsEnv;
  assert.deepEqual(
    dir.entries(env).map((e) => e.name),
    ['msg', 'sem', 'shm'],
  );
  assert.equal(dir.lookup(env, 'msg')?.kind, 'synth');
  assert.equal(dir.lookup(env, 'nope'), undefined);
});
