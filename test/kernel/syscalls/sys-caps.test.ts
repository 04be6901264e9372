/**
 * Capability sets as compat64 derives them from the ids (sys-caps.ts) and cap_capset's subset rules.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CAP_EMPTY,
  CAP_FULL,
  capSetHex,
  capsetAllowed,
  capsFork,
  capsOf,
} from '../../../src/kernel/syscalls/sys-caps.js';
import { futexFixture } from '../task/futex-fixture.js';

const EPERM = -1;

describe('capabilities', () => {
  test('permitted while any of uid/euid/suid is 0, effective while euid is 0', () => {
    const { a } = futexFixture();
    assert.deepEqual(capsOf(a), { effective: CAP_EMPTY, permitted: CAP_EMPTY, inheritable: CAP_EMPTY });
    a.creds = { ...a.creds, uid: 0, euid: 0, suid: 0 };
    assert.deepEqual(capsOf(a).effective, [0xffffffff, 0x1ff]);
    a.creds = { ...a.creds, euid: 1000 };
    assert.deepEqual([capsOf(a).effective, capsOf(a).permitted], [CAP_EMPTY, CAP_FULL]);
  });

  test('cap_capset: permitted can only shrink, effective within it, inheritable within the old sets without CAP_SETPCAP', () => {
    const user = { effective: CAP_EMPTY, permitted: CAP_EMPTY, inheritable: [0x2000, 0] as const };
    assert.equal(capsetAllowed(user, CAP_EMPTY, CAP_EMPTY, [0x2000, 0]), 0);
    assert.equal(capsetAllowed(user, CAP_EMPTY, CAP_EMPTY, [0x1, 0]), EPERM);
    assert.equal(capsetAllowed(user, CAP_EMPTY, [1, 0], CAP_EMPTY), EPERM);
    assert.equal(capsetAllowed(user, [1, 0], CAP_EMPTY, CAP_EMPTY), EPERM);
    const root = { effective: CAP_FULL, permitted: CAP_FULL, inheritable: CAP_EMPTY };
    assert.equal(capsetAllowed(root, [1, 0], [3, 0], CAP_FULL), 0);
    const noSetpcap = { effective: [1, 0] as const, permitted: [1, 0] as const, inheritable: CAP_EMPTY };
    assert.equal(capsetAllowed(noSetpcap, CAP_EMPTY, CAP_EMPTY, [2, 0]), EPERM);
  });

  test('a child starts with its creator’s inheritable set', () => {
    const { a, fork } = futexFixture();
    const c = fork();
    capsFork(a, c);
    assert.deepEqual(capsOf(c).inheritable, CAP_EMPTY);
  });
});

test('capSetHex: /proc/PID/status form', () => {
  assert.equal(capSetHex(CAP_FULL), '000001ffffffffff');
  assert.equal(capSetHex(CAP_EMPTY), '0000000000000000');
});
