/**
 * /proc over the process model, through the syscall handlers: a thread of the first process, a
 * forked child that has become a zombie, what readdir lists and what lookups find, the state
 * letters (running reader, sleeping, stopped, zombie) and a zombie's empty files.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { recordTaskStart } from '../../../src/kernel/fs/proc-task.js';
import { FS_SYSCALLS } from '../../../src/kernel/syscalls/sys-fs.js';
import { MM_SYSCALLS } from '../../../src/kernel/syscalls/sys-mm.js';
import type { SyscallSpec } from '../../../src/kernel/syscalls/syscall-types.js';
import { SignalState } from '../../../src/kernel/task/signal-state.js';
import { Task } from '../../../src/kernel/task/task.js';
import { ThreadGroup } from '../../../src/kernel/task/thread-group.js';
import { type Machine, makeMachine } from './fs-fixture.js';

const AT_FDCWD = -100;
const O_RDONLY = 0;
const O_WRONLY = 1;
const O_DIRECTORY = 0o40000;
const ENOENT = -2;
const ESRCH = -3;

const specs = new Map<string, SyscallSpec>([...FS_SYSCALLS, ...MM_SYSCALLS].map((s) => [s.name, s]));
let m: Machine;
let mem = 0;
let thread: Task;
let child: Task;

function sys(name: string, ...args: number[]): number {
  const h = specs.get(name)?.handler;
  assert.ok(h, `no handler for ${name}`);
  const r = h(m.ctx(name), args);
  assert.equal(typeof r, 'number', `${name} did not complete synchronously`);
  return r as number;
}

function put(s: string): number {
  const b = new TextEncoder().encode(`${s}\0`);
  m.task.mm.as.writeBytes(mem, b, 0, b.length);
  return mem;
}

function bytesAt(addr: number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  m.task.mm.as.readBytes(addr, b, 0, n);
  return b;
}

/** The whole text of a /proc file, or the errno of the open. */
function read(path: string): string | number {
  const fd = sys('openat', AT_FDCWD, put(path), O_RDONLY, 0);
  if (fd < 0) return fd;
  let out = '';
  for (;;) {
    const n = sys('read', fd, mem + 0x1000, 0x4000);
    if (n <= 0) break;
    out += new TextDecoder().decode(bytesAt(mem + 0x1000, n));
  }
  sys('close', fd);
  return out;
}

function readlink(path: string): string | number {
  const n = sys('readlinkat', AT_FDCWD, put(path), mem + 0x1000, 256);
  return n < 0 ? n : new TextDecoder().decode(bytesAt(mem + 0x1000, n));
}

/** Directory entry names (without . and ..). */
function list(path: string): string[] {
  const fd = sys('openat', AT_FDCWD, put(path), O_RDONLY | O_DIRECTORY, 0);
  assert.ok(fd >= 0, `open ${path}: ${fd}`);
  const names: string[] = [];
  for (;;) {
    const n = sys('getdents64', fd, mem + 0x1000, 0x4000);
    if (n <= 0) break;
    const b = bytesAt(mem + 0x1000, n);
    const v = new DataView(b.buffer);
    for (let off = 0; off < n; off += v.getUint16(off + 16, true)) {
      const end = b.indexOf(0, off + 19);
      const name = new TextDecoder().decode(b.subarray(off + 19, end));
      if (name !== '.' && name !== '..') names.push(name);
    }
  }
  sys('close', fd);
  return names;
}

function statField(text: string | number, n: number): string {
  assert.equal(typeof text, 'string');
  const s = text as string;
  const rest = s
    .slice(s.lastIndexOf(')') + 2)
    .trimEnd()
    .split(' ');
  return n === 1 ? s.slice(0, s.indexOf(' ')) : (rest[n - 3] ?? '');
}

before(() => {
  m = makeMachine();
  mem = sys('mmap', 0, 0x10000, 3, 0x22, -1, 0);
  const a = m.task;
  const k = m.kernel;
  thread = new Task(
    k.allocPid(),
    a.tgid,
    a.mm,
    a.files,
    a.fs,
    { ...a.creds },
    a.signals.forClone({ sighand: true, thread: true, vmWithoutVfork: true }),
    a.rlimits,
    'worker',
  );
  thread.group = a.group;
  a.group.threads.add(thread);
  k.tasks.set(thread.tid, thread);
  recordTaskStart(thread, k.bootNs + 5e9);

  const pid = k.allocPid();
  child = new Task(
    pid,
    pid,
    a.mm.fork(k.newAddressSpace()),
    a.files.clone(),
    { ...a.fs },
    { ...a.creds },
    new SignalState(),
    a.rlimits,
    'kid',
  );
  const g = new ThreadGroup(pid, child, {
    parent: a.group,
    pgid: a.group.pgid,
    sid: a.group.sid,
    exitSignal: 17,
    startNs: k.bootNs,
  });
  child.group = g;
  a.group.children.add(g);
  k.groups.set(pid, g);
  k.tasks.set(pid, child);
  // It has exited and its parent has not waited: a zombie (exit_mm and exit_files have run).
  child.exitStatus = 3 << 8;
  child.files.closeAll();
  g.state = 'zombie';
  g.waitStatus = 3 << 8;
});

after(() => m.dispose());

describe('/proc and the process model', () => {
  test('/proc lists processes (live and zombie), not other threads; /proc/<tid> still resolves', () => {
    const names = list('/proc');
    assert.ok(names.includes(String(m.task.tgid)));
    assert.ok(names.includes(String(child.tgid)), 'the zombie is listed');
    assert.ok(!names.includes(String(thread.tid)), 'the thread is not');
    assert.ok(names.includes('self') && names.includes('thread-self'));
    const st = read(`/proc/${thread.tid}/status`) as string;
    assert.match(st, new RegExp(`\\nTgid:\\t${m.task.tgid}\\n`));
    assert.match(st, new RegExp(`\\nPid:\\t${thread.tid}\\n`));
    assert.match(st, /^Name:\tworker\n/);
  });

  test('task/ lists every thread; a task/<tid> of another process is not there', () => {
    assert.deepEqual(list('/proc/self/task'), [String(m.task.tid), String(thread.tid)]);
    assert.equal(read(`/proc/self/task/${child.tid}/stat`), ENOENT);
    assert.ok(list(`/proc/self/task/${thread.tid}`).includes('children'), 'a thread directory has children');
    assert.ok(!list('/proc/self').includes('children'), 'a process directory does not');
    assert.equal(read(`/proc/self/task/${m.task.tid}/children`), `${child.tgid} `);
  });

  test('state letters: the reader R, a task parked in a syscall S, a stopped process T, a zombie Z', () => {
    const tstat = `/proc/self/task/${thread.tid}/stat`;
    assert.equal(statField(read('/proc/self/stat'), 3), 'R');
    assert.equal(statField(read(tstat), 3), 'R', 'runnable, waiting for its slice');
    thread.inSyscall = true;
    assert.equal(statField(read(tstat), 3), 'S');
    assert.match(read(`/proc/self/task/${thread.tid}/status`) as string, /\nState:\tS \(sleeping\)\n/);
    thread.signals.group.stopped = true;
    assert.equal(statField(read(tstat), 3), 'T');
    assert.equal(read(`/proc/self/task/${thread.tid}/wchan`), 'do_signal_stop');
    thread.signals.group.stopped = false;
    thread.inSyscall = false;
    assert.equal(statField(read(`/proc/${child.tgid}/stat`), 3), 'Z');
  });

  test('thread fields: tid, exit_signal -1, its own start time, the process thread count', () => {
    const s = read(`/proc/self/task/${thread.tid}/stat`);
    assert.equal(statField(s, 1), String(thread.tid));
    assert.equal(statField(s, 20), '2', 'num_threads');
    assert.equal(statField(s, 38), '-1', 'exit_signal');
    assert.equal(statField(s, 22), '500', 'starttime: 5 s after boot in clock ticks');
    assert.equal(statField(read('/proc/self/stat'), 38), '17');
    assert.equal(readlink('/proc/thread-self'), `${m.task.tgid}/task/${m.task.tid}`);
  });

  test('a zombie: stat with no memory and its exit code, status without Vm lines, empty files, no exe', () => {
    const s = read(`/proc/${child.tgid}/stat`);
    assert.equal(statField(s, 4), String(m.task.tgid), 'ppid');
    assert.equal(statField(s, 23), '0', 'vsize');
    assert.equal(statField(s, 52), String(3 << 8), 'exit_code');
    const st = read(`/proc/${child.tgid}/status`) as string;
    assert.match(st, /\nState:\tZ \(zombie\)\n/);
    assert.doesNotMatch(st, /Vm|Umask/);
    assert.equal(read(`/proc/${child.tgid}/cmdline`), '');
    assert.equal(read(`/proc/${child.tgid}/statm`), '0 0 0 0 0 0 0\n');
    assert.equal(readlink(`/proc/${child.tgid}/exe`), ENOENT);
    assert.deepEqual(list(`/proc/${child.tgid}/fd`), []);
  });

  test('comm: a thread renamed by its process; a zombie answers ESRCH', () => {
    const fd = sys('openat', AT_FDCWD, put(`/proc/self/task/${thread.tid}/comm`), O_WRONLY, 0);
    assert.ok(fd >= 0);
    m.task.mm.as.writeBytes(mem + 0x2000, new TextEncoder().encode('busy'), 0, 4);
    assert.equal(sys('write', fd, mem + 0x2000, 4), 4);
    sys('close', fd);
    assert.equal(thread.comm, 'busy');
    assert.equal(read(`/proc/self/task/${thread.tid}/comm`), 'busy\n');
    const other = sys('openat', AT_FDCWD, put(`/proc/${child.tgid}/comm`), O_WRONLY, 0);
    assert.ok(other >= 0);
    assert.equal(sys('write', other, mem + 0x2000, 4), ESRCH, 'the zombie is gone for writes');
    sys('close', other);
  });
});
