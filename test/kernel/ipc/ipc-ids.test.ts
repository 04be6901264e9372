/** The shared SysV id table and permission rules (ipc/util.c): ids, sequence numbers, keys, ipcperms. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { IPC_CREAT, IPC_EXCL, type IpcCaller, IpcIds, IpcPerm, IPCMNI } from '../../../src/kernel/ipc/ipc-ids.js';

const root: IpcCaller = { euid: 0, egid: 0, fsgid: 0, groups: [], privileged: true, pid: 1 };
const alice: IpcCaller = { euid: 1000, egid: 1000, fsgid: 1000, groups: [], privileged: false, pid: 2 };
const bob: IpcCaller = { euid: 1001, egid: 1000, fsgid: 1000, groups: [], privileged: false, pid: 3 };
const eve: IpcCaller = { euid: 1002, egid: 1002, fsgid: 1002, groups: [1000], privileged: false, pid: 4 };
const mallory: IpcCaller = { euid: 1003, egid: 1003, fsgid: 1003, groups: [], privileged: false, pid: 5 };

class Obj {
  readonly perm: IpcPerm;
  constructor(key: number, flags: number, who: IpcCaller) {
    this.perm = new IpcPerm(key, flags, who);
  }
}

function make(ids: IpcIds<Obj>, key: number, flags: number, who = alice, limit = 100): number {
  return ids.get(key, flags, who, () => {
    const o = new Obj(key, flags, who);
    const id = ids.add(o, limit);
    return id < 0 ? id : o;
  });
}

describe('IpcIds', () => {
  test('indexes are handed out cyclically; ids carry the sequence number', () => {
    const ids = new IpcIds<Obj>();
    assert.equal(make(ids, 0, 0o600), 0);
    assert.equal(make(ids, 0, 0o600), 1);
    const two = make(ids, 0, 0o600);
    assert.equal(two, 2);
    ids.remove(ids.byId(1)!);
    // The cursor moves on (3), not back to the freed index.
    assert.equal(make(ids, 0, 0o600), 3);
    assert.equal(ids.maxIndex(), 3);
    ids.remove(ids.byId(3)!);
    assert.equal(ids.maxIndex(), 2);
  });

  test('wrapping below max(in_use*3/2, 64) bumps the sequence; stale ids are not found', () => {
    const ids = new IpcIds<Obj>();
    for (let i = 0; i < 64; i++) make(ids, 0, 0o600);
    // With 63 in use the cursor still moves on (the bound is 94).
    ids.remove(ids.byId(0)!);
    assert.equal(make(ids, 0, 0o600), 64);
    for (let i = 1; i <= 64; i++) ids.remove(ids.byIndex(i)!);
    // Empty again: the bound is 64, below the cursor (65), so allocation wraps to index 0.
    const again = make(ids, 0, 0o600);
    assert.equal(again, IPCMNI + 0);
    assert.equal(ids.byId(0), undefined);
    assert.equal(ids.byId(again)?.perm.seq, 1);
    assert.equal(ids.byIndex(0)?.perm.id, again);
  });

  test('keys: IPC_CREAT, IPC_EXCL, ENOENT, EACCES, the kind check; ENOSPC at the limit', () => {
    const ids = new IpcIds<Obj>();
    const k = make(ids, 42, IPC_CREAT | 0o640);
    assert.equal(make(ids, 42, 0), k);
    assert.equal(make(ids, 42, IPC_CREAT | IPC_EXCL), -17);
    assert.equal(make(ids, 43, 0o600), -2);
    assert.equal(make(ids, 42, 0o004, mallory), -13);
    assert.equal(
      ids.get(
        42,
        0,
        alice,
        () => -1,
        () => -22,
      ),
      -22,
    );
    // The kind's check (semget's nsems) comes before ipcperms.
    assert.equal(
      ids.get(
        42,
        0o004,
        mallory,
        () => -1,
        () => -22,
      ),
      -22,
    );
    assert.equal(make(ids, 0, 0o600, alice, 1), -28);
  });

  test('ipcperms: owner, group (fsgid or supplementary), others; privileged callers pass', () => {
    const p = new IpcPerm(1, 0o640, alice);
    assert.ok(p.permits(alice, 0o600));
    assert.ok(p.permits(bob, 0o400) && p.permits(bob, 0o444));
    assert.ok(!p.permits(bob, 0o200));
    assert.ok(p.permits(eve, 0o040));
    assert.ok(!p.permits(mallory, 0o004));
    assert.ok(p.permits(root, 0o777));
    assert.ok(p.ownedBy(alice) && p.ownedBy(root) && !p.ownedBy(bob));
    assert.equal(p.update(1001, 1001, 0o7666), 0);
    assert.equal(p.mode, 0o666);
    assert.ok(p.ownedBy(bob) && p.ownedBy(alice));
    assert.equal(p.update(0xffffffff, 0, 0), -22);
  });
});
