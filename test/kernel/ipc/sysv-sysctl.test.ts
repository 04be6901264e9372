/** /proc/sys/kernel/{msgmax,msgmnb,msgmni,sem}: read from and written to the kernel's namespaces. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FsEnv, SynthNode } from '../../../src/kernel/fs/vnode.js';
import { msgNamespaceOf } from '../../../src/kernel/ipc/msg-queue.js';
import { semNamespaceOf } from '../../../src/kernel/ipc/sem-array.js';
import { sysvIpcSysctls } from '../../../src/kernel/ipc/sysv-sysctl.js';
import type { SyscallContext } from '../../../src/kernel/syscalls/syscall-types.js';

const O_RDWR = 2;
const ctx = {} as unknown as SyscallContext;

function rw(node: SynthNode, env: FsEnv, text?: string): { read: string; wrote: number } {
  assert.equal(node.type, 'file');
  if (node.type !== 'file') throw new Error('not a file');
  const f = node.open(env, O_RDWR, '/proc/sys/kernel/x');
  assert.ok(typeof f !== 'number');
  const buf = new Uint8Array(100);
  const n = f.read!(ctx, buf, 0);
  const wrote = text === undefined ? 0 : f.write!(ctx, new TextEncoder().encode(text), undefined);
  return { read: new TextDecoder().decode(buf.subarray(0, n as number)), wrote: wrote as number };
}

test('msg and sem sysctls read the defaults and write the namespaces', () => {
  const kernel = {};
  const env = { kernel, task: { creds: { euid: 0 } } } as unknown as FsEnv;
  const s = sysvIpcSysctls();
  assert.deepEqual(Object.keys(s), ['msgmax', 'msgmnb', 'msgmni', 'sem']);
  assert.equal(rw(s.msgmax!, env).read, '8192\n');
  assert.equal(rw(s.msgmnb!, env, '100\n').read, '16384\n');
  assert.equal(msgNamespaceOf(kernel).ctlmnb, 100);
  assert.equal(rw(s.msgmni!, env, '40000').wrote, -22);
  assert.equal(rw(s.sem!, env, '250\t256000\t32\t128\n').read, '32000\t1024000000\t500\t32000\n');
  const ns = semNamespaceOf(kernel);
  assert.deepEqual([ns.semmsl, ns.semmns, ns.semopm, ns.semmni], [250, 256000, 32, 128]);
  assert.equal(rw(s.sem!, env, '1 2 3 99999').wrote, -22);
  assert.equal(ns.semmni, 128);
});
