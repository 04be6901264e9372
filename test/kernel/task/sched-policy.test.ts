/**
 * Scheduling policy rules (task/sched-policy.ts) and the sched_* handlers that need no program
 * (sys-sched.ts): __sched_setscheduler's checks, reset-on-fork at fork, the deadline bandwidth on
 * one CPU, /proc's priority, the CFS timeslice, and sched_rr_get_interval's timespec per ABI.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SCHED_SYSCALLS } from '../../../src/kernel/syscalls/sys-sched.js';
import {
  procPriority,
  RLIMIT_RTPRIO,
  SCHED_DEADLINE,
  SCHED_FIFO,
  SCHED_IDLE,
  SCHED_NORMAL,
  SCHED_RR,
  type SchedAttr,
  schedFork,
  schedForkCheck,
  schedOf,
  setScheduler,
} from '../../../src/kernel/task/sched-policy.js';
import type { Task } from '../../../src/kernel/task/task.js';
import { ctxOf, futexFixture, PRIV } from './futex-fixture.js';

const EPERM = -1;
const EAGAIN = -11;
const EBUSY = -16;
const EINVAL = -22;

function attr(policy: number, priority = 0, more: Partial<SchedAttr> = {}): SchedAttr {
  return {
    policy,
    flags: 0n,
    nice: 0,
    priority,
    runtime: 0n,
    deadline: 0n,
    period: 0n,
    utilMin: 0,
    utilMax: 0,
    ...more,
  };
}

function root(t: Task): void {
  t.creds = { ...t.creds, uid: 0, euid: 0, suid: 0 };
}

describe('sched policy rules', () => {
  test('only privilege or RLIMIT_RTPRIO gives a real-time policy, within the limit', () => {
    const { kernel, a } = futexFixture();
    a.rlimits[RLIMIT_RTPRIO] = [0, 0];
    assert.equal(setScheduler(kernel, a, a, attr(SCHED_FIFO, 1)), EPERM);
    a.rlimits[RLIMIT_RTPRIO] = [10, 10];
    assert.equal(setScheduler(kernel, a, a, attr(SCHED_FIFO, 10)), 0);
    assert.equal(setScheduler(kernel, a, a, attr(SCHED_FIFO, 11)), EPERM);
    assert.equal(setScheduler(kernel, a, a, attr(SCHED_FIFO, 5)), 0);
    assert.deepEqual([schedOf(a).policy, schedOf(a).rtPriority], [SCHED_FIFO, 5]);
    assert.equal(
      setScheduler(kernel, a, a, attr(SCHED_DEADLINE, 0, { runtime: 1n << 20n, deadline: 10n ** 7n })),
      EPERM,
    );
    root(a);
    assert.equal(setScheduler(kernel, a, a, attr(SCHED_RR, 99)), 0);
    assert.equal(procPriority(a), -100);
  });

  test('priorities and policies are validated before privilege', () => {
    const { kernel, a } = futexFixture();
    assert.equal(setScheduler(kernel, a, a, attr(SCHED_FIFO, 0)), EINVAL);
    assert.equal(setScheduler(kernel, a, a, attr(SCHED_NORMAL, 1)), EINVAL);
    assert.equal(setScheduler(kernel, a, a, attr(4)), EINVAL);
    assert.equal(setScheduler(kernel, a, a, attr(SCHED_RR, 100)), EINVAL);
    assert.equal(setScheduler(kernel, a, a, attr(SCHED_NORMAL, 0, { flags: 1n << 40n })), EINVAL);
  });

  test("another user's thread, a lower nice, leaving SCHED_IDLE and clearing reset-on-fork need privilege", () => {
    const { kernel, a, fork } = futexFixture();
    const c = fork();
    c.creds = { ...c.creds, uid: 2000, euid: 2000 };
    assert.equal(setScheduler(kernel, a, c, attr(SCHED_NORMAL)), EPERM);
    assert.equal(setScheduler(kernel, a, a, attr(SCHED_NORMAL, 0, { nice: -1 })), EPERM);
    assert.equal(setScheduler(kernel, a, a, attr(SCHED_NORMAL, 0, { nice: 4 })), 0);
    assert.equal(a.nice, 4);
    assert.equal(procPriority(a), 24);
    assert.equal(setScheduler(kernel, a, a, attr(SCHED_IDLE)), 0);
    assert.equal(setScheduler(kernel, a, a, attr(SCHED_NORMAL, 0, { nice: 4 })), EPERM);
    a.rlimits[13] = [20 - 4, 20 - 4];
    assert.equal(setScheduler(kernel, a, a, attr(SCHED_NORMAL, 0, { nice: 4, flags: 1n })), 0);
    assert.equal(setScheduler(kernel, a, a, attr(SCHED_NORMAL, 0, { nice: 4 })), EPERM);
  });

  test('fork: inherited, reset by SCHED_RESET_ON_FORK; a deadline thread cannot fork without it', () => {
    const { kernel, a, fork } = futexFixture();
    root(a);
    assert.equal(setScheduler(kernel, a, a, attr(SCHED_FIFO, 30)), 0);
    const c = fork();
    c.nice = a.nice;
    schedFork(a, c);
    assert.deepEqual([schedOf(c).policy, schedOf(c).rtPriority], [SCHED_FIFO, 30]);
    assert.equal(setScheduler(kernel, a, a, attr(SCHED_RR, 30, { flags: 1n })), 0);
    a.nice = -3;
    const d = fork();
    d.nice = a.nice;
    schedFork(a, d);
    assert.deepEqual(
      [schedOf(d).policy, schedOf(d).rtPriority, schedOf(d).resetOnFork, d.nice],
      [SCHED_NORMAL, 0, false, 0],
    );
    const dl = attr(SCHED_DEADLINE, 0, { runtime: 10n ** 7n, deadline: 3n * 10n ** 7n, period: 10n ** 8n });
    assert.equal(setScheduler(kernel, a, a, { ...dl, flags: 1n }), 0);
    assert.equal(schedForkCheck(a), 0, 'with reset-on-fork');
    assert.equal(setScheduler(kernel, a, a, { ...dl, flags: 0n }), 0);
    assert.equal(schedForkCheck(a), EAGAIN);
    assert.equal(procPriority(a), -101);
  });

  test('deadline bandwidth: 95% of the one CPU', () => {
    const { kernel, a, b } = futexFixture();
    root(a);
    const dl = (runtime: bigint): SchedAttr =>
      attr(SCHED_DEADLINE, 0, { runtime, deadline: 10n ** 8n, period: 10n ** 8n });
    assert.equal(setScheduler(kernel, a, a, dl(60n * 10n ** 6n)), 0);
    assert.equal(setScheduler(kernel, a, b, dl(40n * 10n ** 6n)), EBUSY);
    assert.equal(setScheduler(kernel, a, b, dl(30n * 10n ** 6n)), 0);
    assert.equal(setScheduler(kernel, a, a, dl(70n * 10n ** 6n)), EBUSY, 'a change counts the old bandwidth out');
    assert.equal(setScheduler(kernel, a, a, dl(65n * 10n ** 6n)), 0);
    assert.equal(setScheduler(kernel, a, a, attr(SCHED_NORMAL)), 0);
  });
});

describe('sched_rr_get_interval', () => {
  const handler = SCHED_SYSCALLS.find((s) => s.name === 'sched_rr_get_interval')!.handler!;

  test('an old_timespec32 in a compat call, a __kernel_timespec natively; RR 100 ms, CFS alone 4 ms', () => {
    const { kernel, a } = futexFixture();
    root(a);
    const mem = a.mm.as;
    for (let i = 0; i < 32; i += 4) mem.write32(PRIV + i, -1);
    assert.equal(handler(ctxOf(kernel, a, 'native'), [0, PRIV]), 0);
    assert.deepEqual([mem.read32(PRIV), mem.read32(PRIV + 8), mem.read32(PRIV + 12)], [0, 4_000_000, 0]);
    assert.equal(setScheduler(kernel, a, a, attr(SCHED_RR, 1)), 0);
    for (let i = 0; i < 32; i += 4) mem.write32(PRIV + i, -1);
    assert.equal(handler(ctxOf(kernel, a, 'compat'), [0, PRIV]), 0);
    assert.deepEqual([mem.read32(PRIV), mem.read32(PRIV + 4), mem.read32(PRIV + 8)], [0, 100_000_000, -1]);
    assert.equal(handler(ctxOf(kernel, a, 'native'), [-1, PRIV]), EINVAL);
  });
});
