/**
 * ptrace data requests from a guest tracer: the program prints PASS/FAIL lines (check.h) for Linux's
 * documented arm64 behaviour; qemu-aarch64 answers ptrace with ENOSYS, so there is no reference run.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, runCompat64 } from '../../support/guest-run.js';

test('ptrace-data: PEEK/POKE (text too), register sets, siginfo, PEEKSIGINFO, GET_SYSCALL_INFO, NT_ARM_SYSTEM_CALL change and skip (native and compat), the compat ptrace, process_vm_*', () => {
  const path = join(repoRoot, 'test', 'guest', 'ptrace-data', 'bin', 'ptrace-data');
  assert.ok(existsSync(path), `${path} missing: run \`make -C test/guest/ptrace-data\``);
  const r = runCompat64([path], { root: '/', timeoutMs: 120_000 });
  const out = r.stdout.toString('latin1');
  assert.doesNotMatch(out, /^FAIL /m, out);
  assert.match(out, /^ALL PASSED$/m, `${out}\n${r.stderr.toString().slice(0, 2000)}`);
  assert.equal(r.status, 0);
});
