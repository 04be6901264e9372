import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COMPAT_SYSCALL_BIT, compatTable } from '../../../src/kernel/entry/syscall-entry.js';
import { ARM64_SYSCALL_NUMBERS } from '../../../src/kernel/syscalls/numbers.generated.js';
import { PersonalityTracker, personalityNotice } from '../../../src/kernel/trace/personality-notice.js';
import { StraceTracer } from '../../../src/kernel/trace/strace-tracer.js';
import type { Tracer } from '../../../src/kernel/trace/tracer.js';
import { FakeMemory, fakeTask, row, sink } from './fake-guest.js';

const write = row('write', ['fd', 'buf_in', 'size'], 64);
const getpid = row('getpid', [], 172);
const execve = row('execve', ['path', 'ptr', 'ptr'], 221);
const exitGroup = row('exit_group', ['int'], 94);

test('one line per call, result in column 40, no prefix for a single task', () => {
  const out = sink();
  const tracer = new StraceTracer(out.write);
  const task = fakeTask(new FakeMemory().put(0x1000, 'hello\n'));
  tracer.syscall(task, { row: write, nr: 64, compat: false, args: [1, 0x1000, 6, 0, 0, 0], result: 6 });
  assert.equal(out.text(), 'write(1, "hello\\n", 6)                  = 6\n');
});

test('the Task class satisfies what the tracer reads', () => {
  // Compile-time check: StraceTracer is a Tracer for the kernel's Task.
  const tracer: Tracer = new StraceTracer(() => {});
  assert.equal(typeof tracer.syscallEnter, 'function');
});

test('-s and -a options', () => {
  const out = sink();
  const tracer = new StraceTracer(out.write, { maxStrlen: 4, column: 0 });
  const task = fakeTask(new FakeMemory().put(0x1000, 'hello\n'));
  tracer.syscall(task, { row: write, nr: 64, compat: false, args: [1, 0x1000, 6, 0, 0, 0], result: 6 });
  assert.equal(out.text(), 'write(1, "hell"..., 6) = 6\n');
});

test('input arguments read at entry survive the call replacing the memory (execve)', () => {
  const out = sink();
  const tracer = new StraceTracer(out.write, { column: 0 });
  const mem = new FakeMemory().put(0x1000, '/bin/true\0');
  const task = fakeTask(mem);
  const rec = { row: execve, nr: 221, compat: false, args: [0x1000, 0x2000, 0x3000, 0, 0, 0] };
  tracer.syscallEnter(task, rec);
  mem.clear();
  tracer.syscall(task, { ...rec, result: 0 });
  assert.equal(out.text(), 'execve("/bin/true", 0x2000, 0x3000) = 0\n');
});

test('a task that ends inside exit_group gets `= ?` and then its exit line', () => {
  const out = sink();
  const tracer = new StraceTracer(out.write);
  const task = fakeTask(new FakeMemory());
  tracer.syscallEnter(task, { row: exitGroup, nr: 94, compat: false, args: [3, 0, 0, 0, 0, 0] });
  tracer.exit(task, { code: 3 });
  assert.deepEqual(out.lines(), ['exit_group(3)                           = ?', '+++ exited with 3 +++']);
});

test('without syscallEnter, the call a task ended in is read from its registers', () => {
  const out = sink();
  const tracer = new StraceTracer(out.write, { column: 0 });
  const x = new Int32Array(66);
  x[16] = ARM64_SYSCALL_NUMBERS.exit_group;
  x[0] = 7;
  x[1] = 0x1234; // upper half of x0: exit_group's int ignores it
  tracer.exit(fakeTask(new FakeMemory(), 1, x), { code: 7 });
  assert.deepEqual(out.lines(), ['exit_group(7) = ?', '+++ exited with 7 +++']);
});

test('a task killed by a signal inside tgkill shows the call; a fault shows the signal instead', () => {
  const out = sink();
  const tracer = new StraceTracer(out.write, { column: 0 });
  const x = new Int32Array(66);
  x[16] = ARM64_SYSCALL_NUMBERS.tgkill;
  x[0] = 1;
  x[2] = 1;
  x[4] = 6;
  tracer.exit(fakeTask(new FakeMemory(), 1, x), { signal: 6, core: true });
  assert.deepEqual(out.lines(), ['tgkill(1, 1, SIGABRT) = ?', '+++ killed by SIGABRT (core dumped) +++']);

  const out2 = sink();
  const tracer2 = new StraceTracer(out2.write);
  const task = fakeTask(new FakeMemory(), 1, x);
  tracer2.signal(task, 11, 1, 0x10);
  tracer2.exit(task, { signal: 11, core: true });
  assert.deepEqual(out2.lines(), [
    '--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x10} ---',
    '+++ killed by SIGSEGV (core dumped) +++',
  ]);
});

test('a signal a process sent names its sender (the task itself when none is given)', () => {
  const out = sink();
  const tracer = new StraceTracer(out.write);
  tracer.signal(fakeTask(new FakeMemory(), 4), 15, 0, 0);
  tracer.signal(fakeTask(new FakeMemory(), 4), 15, 0, 0, { pid: 9, uid: 0 });
  assert.deepEqual(out.lines(), [
    '--- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=4, si_uid=1000} ---',
    '--- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=9, si_uid=0} ---',
  ]);
});

test('compat calls: AArch32 names, and a personality notice each time the ABI switches', () => {
  const out = sink();
  const tracer = new StraceTracer(out.write, { column: 0 });
  const task = fakeTask(new FakeMemory());
  const compatGetpid = compatTable()[20]!;
  assert.equal(compatGetpid.name, 'getpid');
  const native = { row: getpid, nr: 172, compat: false, args: [0, 0, 0, 0, 0, 0], result: 1 };
  const compat = { row: compatGetpid, nr: 20, compat: true, args: [1, 2, 0, 0, 0, 0], result: -38 };
  tracer.syscall(task, native);
  tracer.syscall(task, compat);
  tracer.syscall(task, compat);
  tracer.syscall(task, native);
  tracer.syscall(task, native);
  assert.deepEqual(out.lines(), [
    'getpid() = 1',
    '[ Process PID=1 runs in 32 bit mode. ]',
    // Compat rows have argument kinds now: getpid takes none, so stray registers are not shown.
    'getpid() = -1 ENOSYS (Function not implemented)',
    'getpid() = -1 ENOSYS (Function not implemented)',
    '[ Process PID=1 runs in 64 bit mode. ]',
    'getpid() = 1',
    'getpid() = 1',
  ]);
});

test('the personality tracker notices switches per task and forgets ended tasks', () => {
  const p = new PersonalityTracker();
  assert.equal(p.switchTo(1, false), undefined);
  assert.equal(p.switchTo(1, true), personalityNotice(1, true));
  assert.equal(p.switchTo(2, false), undefined);
  assert.equal(p.switchTo(1, true), undefined);
  p.forget(1);
  assert.equal(p.switchTo(1, false), undefined);
  assert.equal(personalityNotice(7, false), '[ Process PID=7 runs in 64 bit mode. ]');
});

test('the compat bit in the registers selects the AArch32 table for an unfinished call', () => {
  const out = sink();
  const tracer = new StraceTracer(out.write, { column: 0 });
  const x = new Int32Array(66);
  x[16] = COMPAT_SYSCALL_BIT | 248; // compat exit_group
  x[0] = 2;
  x[1] = -1; // the upper half is not part of a compat argument
  tracer.exit(fakeTask(new FakeMemory(), 3, x), { code: 2 });
  assert.deepEqual(out.lines(), [
    '[ Process PID=3 runs in 32 bit mode. ]',
    'exit_group(2) = ?',
    '+++ exited with 2 +++',
  ]);
});

test('pid prefixes: always, or only while several tasks are alive (strace -f)', () => {
  const out = sink();
  const tracer = new StraceTracer(out.write, { pidPrefix: 'always', column: 0 });
  tracer.syscall(fakeTask(new FakeMemory(), 1), { row: getpid, nr: 172, compat: false, args: [], result: 1 });
  assert.deepEqual(out.lines(), ['[pid     1] getpid() = 1']);

  const out2 = sink();
  const f = new StraceTracer(out2.write, { pidPrefix: 'when-several', column: 0 });
  const a = fakeTask(new FakeMemory(), 1);
  const b = fakeTask(new FakeMemory(), 2);
  const call = { row: getpid, nr: 172, compat: false, args: [], result: 1 };
  f.syscall(a, call);
  f.syscall(b, call);
  f.exit(b, { signal: 9, core: false });
  f.syscall(a, call);
  assert.deepEqual(out2.lines(), [
    'getpid() = 1',
    '[pid     2] getpid() = 1',
    '[pid     2] +++ killed by SIGKILL +++',
    'getpid() = 1',
  ]);
});
