import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  PTRACE_SECCOMP_GET_FILTER,
  PTRACE_SECCOMP_GET_METADATA,
} from '../../../../src/kernel/security/ptrace/ptrace-abi.js';
import type { SeccompFilter } from '../../../../src/kernel/security/seccomp/seccomp-state.js';
import { bytes, DATA, get64, type Pair, pair, put64 } from './fixture.js';
import { attach, PtraceStop, request } from './request-fixture.js';

const ENOENT = -2;
const EACCES = -13;
const EINVAL = -22;
const BUF = DATA + 0x1000;

/** A filter as the seccomp module attaches it: only what GET_FILTER/GET_METADATA read matters here. */
function filter(prev: SeccompFilter | undefined, len: number, fill: number, log = false): SeccompFilter {
  return { prev, insns: new Uint8Array(len * 8).fill(fill), len, log } as unknown as SeccompFilter;
}

function setup(): Pair {
  const p = pair();
  attach(p, PtraceStop.Signal);
  p.tracer.creds.euid = 0;
  const oldest = filter(undefined, 2, 0x11, true);
  p.tracee.seccomp = { mode: 2, filter: filter(oldest, 3, 0x22) };
  return p;
}

test('SECCOMP_GET_FILTER: filters counted from the oldest, the count, the program bytes', () => {
  const p = setup();
  assert.equal(request(p, PTRACE_SECCOMP_GET_FILTER, 0, 0), 2);
  assert.equal(request(p, PTRACE_SECCOMP_GET_FILTER, 0, BUF), 2);
  assert.ok(bytes(p.tracer, BUF, 16).every((b) => b === 0x11));
  assert.equal(request(p, PTRACE_SECCOMP_GET_FILTER, 1, BUF), 3);
  assert.ok(bytes(p.tracer, BUF, 24).every((b) => b === 0x22));
  assert.equal(request(p, PTRACE_SECCOMP_GET_FILTER, 2, BUF), ENOENT);
});

test('SECCOMP_GET_FILTER needs a privileged, unfiltered tracer and a filtered tracee', () => {
  const p = setup();
  p.tracer.creds.euid = 1000;
  assert.equal(request(p, PTRACE_SECCOMP_GET_FILTER, 0, 0), EACCES);
  p.tracer.creds.euid = 0;
  p.tracee.seccomp = { mode: 0, filter: undefined };
  assert.equal(request(p, PTRACE_SECCOMP_GET_FILTER, 0, 0), EINVAL);
});

test('SECCOMP_GET_METADATA: filter_off in, flags out (LOG), the size used', () => {
  const p = setup();
  put64(p.tracer, BUF, 0);
  put64(p.tracer, BUF + 8, 0xff);
  assert.equal(request(p, PTRACE_SECCOMP_GET_METADATA, 64, BUF), 16);
  assert.equal(get64(p.tracer, BUF + 8), 2);
  put64(p.tracer, BUF, 1);
  assert.equal(request(p, PTRACE_SECCOMP_GET_METADATA, 16, BUF), 16);
  assert.equal(get64(p.tracer, BUF + 8), 0);
  assert.equal(request(p, PTRACE_SECCOMP_GET_METADATA, 4, BUF), EINVAL);
  put64(p.tracer, BUF, 5);
  assert.equal(request(p, PTRACE_SECCOMP_GET_METADATA, 16, BUF), ENOENT);
});
