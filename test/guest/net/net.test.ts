/**
 * Sockets against qemu-aarch64: each PASS/FAIL program in test/guest/net/bin (built from the .c files
 * beside this one) runs under both, and stdout and the exit status must be identical. qemu runs with
 * NET_REFERENCE=qemu, which turns the few checks of Linux facts qemu translates wrongly into plain
 * PASS lines (check.h); its run must pass on its own first. (Every program also passes when built
 * for the host and run natively, which is how those Linux facts were checked.)
 *
 * tcp-peer talks to this test process over loopback: a guest client to a host server, a host client
 * to a guest server, UDP both ways. Those runs are asynchronous so the host end can answer.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as dgram from 'node:dgram';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import {
  compat64Command,
  GUEST_ENV,
  howEnded,
  type RunResult,
  repoRoot,
  requireBusybox,
  requireQemu,
  runCompat64,
  runQemu,
} from '../../support/guest-run.js';

function bin(name: string): string {
  const path = join(repoRoot, 'test', 'guest', 'net', 'bin', name);
  assert.ok(existsSync(path), `${path} missing: run \`make -C test/guest/net\``);
  return path;
}

function passFail(t: TestContext, name: string, ...args: string[]): void {
  if (!requireQemu(t)) return;
  const qemu = runQemu([bin(name), ...args], { env: { ...GUEST_ENV, NET_REFERENCE: 'qemu' }, timeoutMs: 60_000 });
  const out = qemu.stdout.toString();
  assert.match(out, /^PASS /m, 'no PASS lines under qemu-aarch64');
  assert.doesNotMatch(out, /^FAIL /m, `a check fails under qemu-aarch64 itself:\n${out}`);
  assert.equal(howEnded(qemu), 'exit 0');
  const compat = runCompat64([bin(name), ...args], { root: '/', timeoutMs: 120_000 });
  assertSame(compat, qemu);
}

function assertSame(compat: RunResult, qemu: RunResult): void {
  try {
    assert.deepStrictEqual(
      { ending: howEnded(compat), stdout: compat.stdout.toString('latin1') },
      { ending: howEnded(qemu), stdout: qemu.stdout.toString('latin1') },
    );
  } catch (e) {
    if (e instanceof Error) e.message += `\n--- compat64 stderr ---\n${compat.stderr.toString().slice(0, 2000)}`;
    throw e;
  }
}

describe('socket guest programs: compat64 matches qemu-aarch64', () => {
  test('unix-pair: socketpairs, EOF/EPIPE/SIGPIPE/ECONNRESET, MSG_* flags, options, socket() errors', (t) =>
    passFail(t, 'unix-pair'));
  test('unix-bind: path and abstract names, autobind, listen/connect/accept, datagrams between names', (t) =>
    passFail(t, 'unix-bind'));
  test('unix-scm: SCM_RIGHTS to self, MSG_CTRUNC, SCM_CREDENTIALS, control checks, sendmmsg/recvmmsg', (t) =>
    passFail(t, 'unix-scm'));
  test('inet: TCP and UDP over loopback in one task, IPv6 and v4-mapped, errors and options', (t) =>
    passFail(t, 'inet'));
  test('net-fork: blocking calls ended by another process, rights and credentials from a child, SIGPIPE death', (t) =>
    passFail(t, 'net-fork'));
  test('sock-poll: poll/epoll readiness of unix, TCP and UDP sockets; waits ended by another process', (t) =>
    passFail(t, 'sock-poll'));
  test('net-fork seqpacket-write: write(2) to a seqpacket socket whose peer is gone is EPIPE without SIGPIPE', (t) =>
    passFail(t, 'net-fork', 'seqpacket-write'));
});

describe('socket calls through the compat-syscall ABI', () => {
  // qemu-aarch64 lacks the series: the program asserts the specification's layouts itself.
  test('compat-net: compat_msghdr/cmsghdr/mmsghdr, 32-bit recvmmsg timeout, 8-byte SO_RCVTIMEO', () => {
    const r = runCompat64([bin('compat-net')], { root: '/', timeoutMs: 120_000 });
    const out = r.stdout.toString();
    assert.doesNotMatch(out, /^FAIL /m, out);
    assert.match(out, /^ALL PASSED$/m, `${out}\n${r.stderr.toString()}`);
    assert.equal(howEnded(r), 'exit 0');
  });
});

interface Spawned {
  /** Resolves with the whole stdout and the exit code. */
  done: Promise<{ stdout: string; code: number | null; stderr: string }>;
  /** Resolves with the first stdout line matching re. */
  line(re: RegExp): Promise<RegExpMatchArray>;
}

/** compat64 run asynchronously, so this process's event loop keeps serving the host end. */
function spawnCompat64(args: string[]): Spawned {
  const cmd = compat64Command(args, { root: '/' });
  const child = spawn(cmd.file, cmd.args, { env: { ...GUEST_ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: { re: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  child.stdout.on('data', (b: Buffer) => {
    stdout += b.toString();
    for (const w of [...waiters]) {
      const m = stdout.match(w.re);
      if (m !== null) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  child.stderr.on('data', (b: Buffer) => {
    stderr += b.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const done = new Promise<{ stdout: string; code: number | null; stderr: string }>((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, code, stderr });
    });
  });
  return {
    done,
    line: (re) =>
      new Promise((resolve, reject) => {
        const m = stdout.match(re);
        if (m !== null) resolve(m);
        else waiters.push({ re, resolve });
        done.then(() => reject(new Error(`compat64 ended without ${re}:\n${stdout}\n${stderr}`)));
      }),
  };
}

function assertPassed(r: { stdout: string; code: number | null; stderr: string }): void {
  assert.doesNotMatch(r.stdout, /^FAIL /m, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /^ALL PASSED$/m, `${r.stdout}\n${r.stderr}`);
  assert.equal(r.code, 0);
}

/** A host TCP end: answers "ping" with "pong", then closes. */
function pong(sock: net.Socket): void {
  let got = '';
  sock.on('data', (b) => {
    got += b.toString();
    if (got === 'ping') sock.end('pong');
  });
}

describe('guest sockets and host programs over loopback', () => {
  test('a guest TCP client talks to a host server', async () => {
    const server = net.createServer(pong);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    assert.ok(address !== null && typeof address !== 'string');
    try {
      assertPassed(await spawnCompat64([bin('tcp-peer'), 'client', String(address.port)]).done);
    } finally {
      server.close();
    }
  });

  test('a host TCP client talks to a guest server', async () => {
    const run = spawnCompat64([bin('tcp-peer'), 'server']);
    const m = await run.line(/^PORT (\d+)$/m);
    const sock = net.connect(Number(m[1]), '127.0.0.1');
    pong(sock);
    sock.write('');
    assertPassed(await run.done);
  });

  test('a guest UDP socket exchanges datagrams with a host socket', async () => {
    const host = dgram.createSocket('udp4');
    host.on('message', (msg, rinfo) => {
      if (msg.toString() === 'ping') host.send('pong', rinfo.port, rinfo.address);
    });
    await new Promise<void>((resolve) => host.bind(0, '127.0.0.1', resolve));
    try {
      assertPassed(await spawnCompat64([bin('tcp-peer'), 'udp', String(host.address().port)]).done);
    } finally {
      host.close();
    }
  });
});

/** A loopback TCP port free right now. */
async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const a = s.address();
  await new Promise<void>((resolve) => s.close(() => resolve()));
  assert.ok(a !== null && typeof a !== 'string');
  return a.port;
}

describe('busybox networking in the guest', () => {
  test('nc -l and nc, then httpd and wget, all inside one guest shell', async (t) => {
    const bb = requireBusybox(t);
    if (bb === undefined) return;
    const dir = mkdtempSync(join(tmpdir(), 'c64-net-'));
    writeFileSync(join(dir, 'index.html'), 'served-by-guest\n');
    const [p1, p2] = [await freePort(), await freePort()];
    const script = [
      `cd ${dir}`,
      `${bb} nc -l -p ${p1} -w 10 > nc-out & sleep 1`,
      `echo hello-nc | ${bb} nc -w 5 127.0.0.1 ${p1}`,
      'wait',
      'cat nc-out',
      `${bb} httpd -f -p 127.0.0.1:${p2} -h ${dir} & sleep 1`,
      `${bb} wget -q -O - http://127.0.0.1:${p2}/index.html`,
      'kill %1',
    ].join('\n');
    try {
      const r = await spawnCompat64([bb, 'sh', '-c', script]).done;
      assert.equal(r.stdout, 'hello-nc\nserved-by-guest\n', r.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
