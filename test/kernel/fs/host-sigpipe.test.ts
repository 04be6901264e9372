/**
 * A guest writing to a host pipe whose reader has gone gets SIGPIPE, as on Linux: `busybox seq | head`
 * ends with status 141 (128 + SIGPIPE) under compat64 as under qemu-aarch64, not with seq's error exit.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { compat64Cli, requireBusybox, requireQemu } from '../../support/guest-run.js';

/** The exit status of the first command of `CMD | head -c 10`, as bash's PIPESTATUS reports it. */
function statusBeforeHead(cmd: string[]): string {
  const quoted = cmd.map((a) => `'${a}'`).join(' ');
  const r = spawnSync('bash', ['-c', `${quoted} | head -c 10 >/dev/null; echo "\${PIPESTATUS[0]}"`], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return r.stdout.trim();
}

test('a write to a host pipe without a reader raises SIGPIPE (status 141, = qemu-aarch64)', (t) => {
  const busybox = requireBusybox(t);
  if (busybox === undefined || !requireQemu(t)) return;
  const qemu = statusBeforeHead(['qemu-aarch64', busybox, 'seq', '1', '200000']);
  assert.equal(qemu, '141');
  assert.equal(statusBeforeHead([process.execPath, compat64Cli, 'run', busybox, 'seq', '1', '200000']), qemu);
});
