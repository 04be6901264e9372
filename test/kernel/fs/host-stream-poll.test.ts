/**
 * Readiness of host streams (host-stream.ts): with a host that can read without blocking, a
 * guest's poll on a host pipe (here a FIFO) waits for input written later by the host side, the
 * input read ahead is what the next read returns, and end of file shows as POLLHUP; without that
 * capability the read side counts as always readable. A regular host file has no poll method.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { NodeFs } from '../../../src/host/node/node-fs.js';
import { NodeHost } from '../../../src/host/node/node-host.js';
import { NATIVE_ABI } from '../../../src/kernel/abi/abi-set.js';
import { HostFd } from '../../../src/kernel/fs/host-backing.js';
import { HostStream } from '../../../src/kernel/fs/host-stream.js';
import { vfsOf } from '../../../src/kernel/fs/vfs.js';
import { DEFAULT_OPTIONS, Kernel } from '../../../src/kernel/kernel.js';
import { POLL_SYSCALLS } from '../../../src/kernel/syscalls/sys-poll.js';
import type { SyscallContext } from '../../../src/kernel/syscalls/syscall-types.js';
import { createInitTask } from '../../../src/kernel/task/exec.js';
import type { Task } from '../../../src/kernel/task/task.js';

const O_RDONLY = 0;
const O_NONBLOCK = 0o4000;
const EAGAIN = -11;
const EPERM = -1;
const POLLIN = 0x1;
const POLLHUP = 0x10;
const POLLRDNORM = 0x40;
/** Linux's O_CLOEXEC (Node's fs.constants does not name it). */
const O_CLOEXEC_HOST = 0o2000000;

/** The host capability host-stream.ts looks for, as the Node host would offer it. */
class ReadAheadFs extends NodeFs {
  private readonly twins = new Map<number, number>();

  /** The twin goes with its fd (the number may be reused for another file). */
  override close(fd: number): number {
    const twin = this.twins.get(fd);
    if (twin !== undefined) closeSync(twin);
    this.twins.delete(fd);
    return super.close(fd);
  }

  override readNonBlocking(fd: number, dst: Uint8Array): number {
    let twin = this.twins.get(fd);
    if (twin === undefined) {
      try {
        twin = openSync(`/proc/self/fd/${fd}`, constants.O_RDONLY | constants.O_NONBLOCK | O_CLOEXEC_HOST);
      } catch {
        return -6; // ENXIO
      }
      this.twins.set(fd, twin);
    }
    try {
      return readSync(twin, dst, 0, dst.length, null);
    } catch (e) {
      return (e as { code?: string }).code === 'EAGAIN' ? EAGAIN : -5;
    }
  }
}

let dir: string;
let kernel: Kernel;
let task: Task;
let mem: number;

function ctx(name: string): SyscallContext {
  return { kernel, task, compat: false, abi: NATIVE_ABI, mem: task.mm.as, mm: task.mm, name };
}

function call(name: string, ...args: number[]): number | Promise<number> {
  const h = POLL_SYSCALLS.find((s) => s.name === name)?.handler;
  assert.ok(h);
  return h(ctx(name), args);
}

/** A FIFO read end as a guest description (blocking), and the host's write end. */
function fifo(name: string): { stream: HostStream; writer: number } {
  const path = join(dir, name);
  execFileSync('mkfifo', [path]);
  const host = vfsOf(kernel).host;
  const rfd = host.open(path, O_RDONLY | O_NONBLOCK, 0);
  assert.ok(rfd >= 0);
  const writer = openSync(path, 'w');
  return { stream: new HostStream(vfsOf(kernel), new HostFd(host, rfd), O_RDONLY, path), writer };
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'c64-stream-'));
  kernel = new Kernel(new NodeHost(new ReadAheadFs()), { ...DEFAULT_OPTIONS, memoryCap: 64 << 20, seed: 1, root: dir });
  task = createInitTask(
    kernel,
    { uid: 0, euid: 0, suid: 0, fsuid: 0, gid: 0, egid: 0, sgid: 0, fsgid: 0, groups: [] },
    { cwd: '/', umask: 0o22 },
  );
  kernel.tasks.set(task.tid, task);
  mem = task.mm.map(0x1000_0000, 0x10000, 3, 0x22, undefined, 0, 'scratch') ? 0x1000_0000 : 0;
  assert.ok(mem > 0);
});

after(() => {
  task.files.closeAll();
  rmSync(dir, { recursive: true, force: true });
});

describe('host stream readiness', () => {
  test('poll waits for host input, the read-ahead is what read returns, EOF is POLLHUP', async () => {
    const { stream, writer } = fifo('in');
    const fd = task.files.install(stream, false);
    assert.equal(stream.poll?.(), 0, 'nothing written yet');
    const fds = new Uint8Array(8);
    const v = new DataView(fds.buffer);
    v.setInt32(0, fd, true);
    v.setInt16(4, POLLIN, true);
    task.mm.as.writeBytes(mem, fds, 0, 8);
    const pending = call('ppoll', mem, 1, 0, 0, 8);
    assert.ok(pending instanceof Promise, 'ppoll waits');
    setTimeout(() => writeSync(writer, 'hello'), 40);
    assert.equal(await pending, 1, 'woken by the host timer once input arrived');
    const out = new Uint8Array(8);
    task.mm.as.readBytes(mem, out, 0, 8);
    assert.equal(new DataView(out.buffer).getInt16(6, true), POLLIN);
    const dst = new Uint8Array(16);
    assert.equal(stream.read(ctx('read'), dst, undefined), 5);
    assert.equal(new TextDecoder().decode(dst.subarray(0, 5)), 'hello');
    closeSync(writer);
    assert.equal(stream.poll?.(), POLLHUP, 'no writer left');
    assert.equal(stream.read(ctx('read'), dst, undefined), 0);
    task.files.close(fd);
  });

  test('epoll accepts a host stream; a regular host file has no poll method (EPERM)', () => {
    const { stream, writer } = fifo('ep');
    const fd = task.files.install(stream, false);
    const ep = call('epoll_create1', 0) as number;
    const ev = new Uint8Array(16);
    new DataView(ev.buffer).setUint32(0, POLLIN, true);
    task.mm.as.writeBytes(mem + 64, ev, 0, 16);
    assert.equal(call('epoll_ctl', ep, 1, fd, mem + 64), 0);
    writeSync(writer, 'x');
    assert.equal(stream.poll?.(), POLLIN | POLLRDNORM);
    const file = join(dir, 'plain');
    writeFileSync(file, 'data');
    const host = vfsOf(kernel).host;
    const plain = new HostStream(vfsOf(kernel), new HostFd(host, host.open(file, O_RDONLY, 0)), O_RDONLY, file);
    assert.equal(plain.poll, undefined);
    const pfd = task.files.install(plain, false);
    assert.equal(call('epoll_ctl', ep, 1, pfd, mem + 64), EPERM);
    closeSync(writer);
    for (const f of [fd, pfd, ep]) task.files.close(f);
  });

  test('when the host cannot read the fd without blocking, the read side of a stream always counts as readable', () => {
    /** A host whose non-blocking read cannot reopen the fd (as for a socket). */
    class NoTwinFs extends NodeFs {
      override readNonBlocking(): number {
        return -6; // ENXIO
      }
    }
    const plainKernel = new Kernel(new NodeHost(new NoTwinFs()), {
      ...DEFAULT_OPTIONS,
      memoryCap: 16 << 20,
      root: dir,
    });
    const path = join(dir, 'plain-fifo');
    execFileSync('mkfifo', [path]);
    const host = vfsOf(plainKernel).host;
    const rfd = host.open(path, O_RDONLY | O_NONBLOCK, 0);
    const writer = openSync(path, 'w');
    const stream = new HostStream(vfsOf(plainKernel), new HostFd(host, rfd), O_RDONLY, path);
    assert.equal(stream.poll?.(), POLLIN | POLLRDNORM, 'no input, yet readable: the read would tell');
    closeSync(writer);
    stream.release();
  });
});
