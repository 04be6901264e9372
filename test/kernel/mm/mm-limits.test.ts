/** bindRlimits: a memory map follows its process's current resource limits outside syscalls. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAP_GROWSDOWN, MAP_PRIVATE } from '../../../src/kernel/abi/mman.js';
import { bindRlimits } from '../../../src/kernel/mm/mm-limits.js';
import { defaultRlimits } from '../../../src/kernel/task/task.js';
import { Access, FaultResult } from '../../../src/memory/guest-fault.js';
import { fresh, PAGE, RW } from './mm-helpers.js';

const RLIMIT_STACK = 3;
const RLIMIT_AS = 9;
const TOP = 0x7000000000;

test('stack growth reads RLIMIT_STACK as it is now: setrlimit after exec applies to further growth', () => {
  const mm = fresh();
  const r = defaultRlimits();
  r[RLIMIT_STACK] = [64 * PAGE, 64 * PAGE];
  bindRlimits(mm, r);
  assert.equal(mm.stackLimit, 64 * PAGE);
  assert.ok(mm.map(TOP - 4 * PAGE, 4 * PAGE, RW, MAP_PRIVATE | MAP_GROWSDOWN, undefined, 0, '[stack]'));
  assert.equal(mm.resolveFault(TOP / PAGE - 40, Access.Write), FaultResult.Resolved);
  // setrlimit replaces the entry in the process's array, which the map shares.
  r[RLIMIT_STACK] = [48 * PAGE, 64 * PAGE];
  assert.equal(mm.resolveFault(TOP / PAGE - 49, Access.Write), FaultResult.MapErr);
  assert.equal(mm.resolveFault(TOP / PAGE - 48, Access.Write), FaultResult.Resolved);
  r[RLIMIT_STACK] = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
  assert.equal(mm.resolveFault(TOP / PAGE - 1000, Access.Write), FaultResult.Resolved);
});

test('RLIMIT_AS bounds stack growth on a fault, and mappings made without a caller (the loader)', () => {
  const mm = fresh();
  const r = defaultRlimits();
  bindRlimits(mm, r);
  assert.ok(mm.map(TOP - 4 * PAGE, 4 * PAGE, RW, MAP_PRIVATE | MAP_GROWSDOWN, undefined, 0, '[stack]'));
  r[RLIMIT_AS] = [(mm.totalVm + 8) * PAGE, Number.POSITIVE_INFINITY];
  assert.equal(mm.resolveFault(TOP / PAGE - 12, Access.Write), FaultResult.Resolved);
  assert.equal(mm.resolveFault(TOP / PAGE - 13, Access.Write), FaultResult.MapErr);
  assert.ok(!mm.map(0x100000, 4 * PAGE, RW, MAP_PRIVATE, undefined, 0));
});

test('an unlimited RLIMIT_STACK keeps the exec-time stackLimit as it was', () => {
  const mm = fresh();
  const before = mm.stackLimit;
  const r = defaultRlimits();
  r[RLIMIT_STACK] = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
  bindRlimits(mm, r);
  assert.equal(mm.stackLimit, before);
});
