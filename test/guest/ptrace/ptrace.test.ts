/**
 * ptrace guest programs: each prints PASS/FAIL lines (check.h) for Linux's documented behaviour;
 * qemu-aarch64 answers ptrace with ENOSYS, so there is no reference run.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { repoRoot, runCompat64 } from '../../support/guest-run.js';

function bin(name: string): string {
  const path = join(repoRoot, 'test', 'guest', 'ptrace', 'bin', name);
  assert.ok(existsSync(path), `${path} missing: run \`make -C test/guest/ptrace\``);
  return path;
}

function runChecks(name: string): void {
  const r = runCompat64([bin(name)], { root: '/', timeoutMs: 120_000 });
  const out = r.stdout.toString('latin1');
  assert.doesNotMatch(out, /^FAIL /m, out);
  assert.match(out, /^ALL PASSED$/m, `${out}\n${r.stderr.toString().slice(0, 2000)}`);
  assert.equal(r.status, 0);
}

describe('ptrace guest programs', () => {
  test('ptrace-basic: TRACEME, ATTACH, SEIZE, INTERRUPT, CONT, syscall stops, SYSEMU, signal stops, group-stop, DETACH, KILL, SINGLESTEP, waitid, /proc', () => {
    runChecks('ptrace-basic');
  });

  test('ptrace-events: FORK/VFORK/VFORK_DONE/CLONE/EXEC/EXIT events, post-exec SIGTRAP, CLONE_UNTRACED, exit to tracer then parent, EXITKILL, tracer exit detaches, LISTEN, seized children', () => {
    runChecks('ptrace-events');
  });

  test('ptrace-regs: x7 at syscall stops, a signal injected at a syscall stop, SINGLESTEP siginfo and pc, stepping into a handler, GETSIGINFO in group-stop, SETSIGINFO', () => {
    runChecks('ptrace-regs');
  });
});
