/**
 * Delivery on the return to user mode, on a real kernel and task: syscall restart for each restart
 * code with and without a handler (and SA_RESTART), restart_syscall's number (native and compat),
 * the frame written to the stack and the registers a handler starts with, rt_sigreturn's round trip
 * and its bad-frame SIGSEGV, SA_RESETHAND, SA_ONSTACK, sigsuspend's saved mask.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NATIVE_ABI } from '../../../src/kernel/abi/abi-set.js';
import * as S from '../../../src/kernel/abi/signal.js';
import { SIGNAL_SYSCALLS } from '../../../src/kernel/syscalls/sys-signal.js';
import type { SyscallContext } from '../../../src/kernel/syscalls/syscall-types.js';
import { FPSIMD_MAGIC, FRAME, RT_SIGFRAME_SIZE } from '../../../src/kernel/task/sigframe-layout.js';
import { killInfo, SI_TKILL } from '../../../src/kernel/task/siginfo.js';
import { exitToUserMode } from '../../../src/kernel/task/signal-deliver.js';
import { sendSignal } from '../../../src/kernel/task/signal-send.js';
import { SigSet } from '../../../src/kernel/task/signal-set.js';
import type { Task } from '../../../src/kernel/task/task.js';
import { read32, read64, reg, type SignalFixture, setReg, signalFixture } from './signal-fixture.js';

const ERESTARTSYS = -512;
const ERESTARTNOINTR = -513;
const ERESTARTNOHAND = -514;
const ERESTART_RESTARTBLOCK = -516;
const EINTR = -4;
const HANDLER = 0x40_2000;
const SVC_PC = 0x40_1000;

/** The task just returned from a syscall with this result: pc after the SVC, x0 = result, orig_x0 = 5. */
function afterSyscall(task: Task, result: number, compat = false): void {
  task.cpu.pc = SVC_PC + 4;
  task.origX0Lo = 5;
  task.origX0Hi = 0;
  task.inSyscall = true;
  task.inCompatSyscall = compat;
  const x = task.cpu.x;
  x[0] = result | 0;
  x[1] = compat ? 0 : result < 0 ? -1 : 0;
}

function handle(f: SignalFixture, sig: number, flags: number, maskLo = 0): void {
  Object.assign(f.task.signals.actions[sig]!, { handler: HANDLER, flags, restorer: 0, maskLo, maskHi: 0 });
}

function raise(f: SignalFixture, sig: number): void {
  sendSignal(f.kernel, f.task, sig, killInfo(sig, SI_TKILL, f.task.tgid, 1000), 'thread');
}

function deliver(f: SignalFixture): void {
  const r = exitToUserMode(f.kernel, f.task);
  assert.equal(r, undefined, 'delivery completes without waiting');
}

/** The frame the last delivery built: sp points at it. */
function frameOf(task: Task): number {
  return reg(task, 31);
}

test('no handler: -ERESTARTSYS, -ERESTARTNOINTR, -ERESTARTNOHAND re-issue the call (pc - 4, x0 = orig_x0)', () => {
  for (const code of [ERESTARTSYS, ERESTARTNOINTR, ERESTARTNOHAND]) {
    const f = signalFixture();
    afterSyscall(f.task, code);
    // SIGTSTP in an orphaned process group is discarded by get_signal: no handler runs.
    raise(f, S.SIGTSTP);
    deliver(f);
    assert.equal(f.task.cpu.pc, SVC_PC, `pc rewound for ${code}`);
    assert.equal(reg(f.task, 0), 5, `x0 = orig_x0 for ${code}`);
    assert.equal(f.task.inSyscall, false);
  }
});

test('no handler: -ERESTART_RESTARTBLOCK becomes restart_syscall (x8 = 128; compat: 0x80000000)', () => {
  const f = signalFixture();
  afterSyscall(f.task, ERESTART_RESTARTBLOCK);
  setReg(f.task, 8, 101);
  raise(f, S.SIGTSTP);
  deliver(f);
  assert.equal(f.task.cpu.pc, SVC_PC);
  assert.equal(reg(f.task, 8), 128);

  const g = signalFixture();
  afterSyscall(g.task, ERESTART_RESTARTBLOCK, true);
  g.task.signals.restartBlock.compat = true;
  raise(g, S.SIGTSTP);
  deliver(g);
  assert.equal(reg(g.task, 8), 0x80000000);
  assert.equal(g.task.inCompatSyscall, false, 'the compat state ends on the return to user mode');
});

test('a handler: -EINTR unless SA_RESTART (ERESTARTSYS) or ERESTARTNOINTR; the frame saves that state', () => {
  const cases: [number, number, boolean][] = [
    [ERESTARTSYS, 0, false],
    [ERESTARTSYS, S.SA_RESTART, true],
    [ERESTARTNOINTR, 0, true],
    [ERESTARTNOHAND, S.SA_RESTART, false],
    [ERESTART_RESTARTBLOCK, S.SA_RESTART, false],
  ];
  for (const [code, flags, restarts] of cases) {
    const f = signalFixture();
    handle(f, S.SIGUSR1, flags);
    afterSyscall(f.task, code);
    raise(f, S.SIGUSR1);
    deliver(f);
    const frame = frameOf(f.task);
    assert.equal(f.task.cpu.pc, HANDLER);
    assert.equal(read64(f.task, frame + FRAME.pc), restarts ? SVC_PC : SVC_PC + 4, `saved pc for ${code}/${flags}`);
    const x0 = read64(f.task, frame + FRAME.regs);
    assert.equal(x0, restarts ? 5 : 2 ** 64 + EINTR, `saved x0 for ${code}/${flags}`);
  }
});

test('compat call interrupted: -EINTR is written zero-extended', () => {
  const f = signalFixture();
  handle(f, S.SIGUSR1, 0);
  afterSyscall(f.task, ERESTARTSYS, true);
  raise(f, S.SIGUSR1);
  deliver(f);
  assert.equal(read64(f.task, frameOf(f.task) + FRAME.regs), 0xfffffffc);
});

test('the frame and the handler registers, as setup_rt_frame makes them', () => {
  const f = signalFixture();
  const t = f.task;
  for (let i = 0; i < 31; i++) setReg(t, i, 0x1000 + i);
  const sp = f.stackTop - 0x100;
  setReg(t, 31, sp);
  t.cpu.pc = 0x40_3000;
  t.cpu.nzcv = 0x60000000;
  t.cpu.fpcr = 0x00400000;
  t.cpu.v8[17] = 0xab;
  t.signals.blocked.set(1 << (S.SIGHUP - 1), 1);
  handle(f, S.SIGUSR1, S.SA_SIGINFO, 1 << (S.SIGUSR2 - 1));
  raise(f, S.SIGUSR1);
  deliver(f);
  const record = sp - 16;
  const frame = record - RT_SIGFRAME_SIZE;
  assert.equal(reg(t, 31), frame, 'sp = frame, below the 16-byte frame record');
  assert.equal(frame % 16, 0);
  assert.equal(reg(t, 29), record, 'x29 = the frame record');
  assert.deepEqual([read64(t, record), read64(t, record + 8)], [0x1000 + 29, 0x1000 + 30], 'record: old x29, x30');
  assert.equal(reg(t, 0), S.SIGUSR1);
  assert.equal(reg(t, 1), frame, 'x1 = &info');
  assert.equal(reg(t, 2), frame + 128, 'x2 = &uc');
  assert.equal(t.cpu.pc, HANDLER);
  const tramp = reg(t, 30);
  assert.deepEqual(
    [read32(t, tramp), read32(t, tramp + 4), read32(t, tramp - 4)],
    [0xd2801168, 0xd4000001, 0xd503201f],
  );
  assert.equal(t.mm.find(Math.floor(tramp / 4096))?.name, '[vdso]');
  assert.equal(read32(t, frame), S.SIGUSR1, 'si_signo');
  assert.equal(read32(t, frame + 8) | 0, SI_TKILL, 'si_code');
  assert.equal(read64(t, frame + FRAME.ucSigmask), 2 ** 32 + 1, 'uc_sigmask = the mask before delivery');
  assert.equal(read64(t, frame + FRAME.regs + 8 * 7), 0x1007);
  assert.equal(read64(t, frame + FRAME.sp), sp);
  assert.equal(read64(t, frame + FRAME.pc), 0x40_3000);
  assert.equal(read64(t, frame + FRAME.pstate), 0x60000000);
  const r = frame + FRAME.reserved;
  assert.deepEqual([read32(t, r), read32(t, r + 4), read32(t, r + 12)], [FPSIMD_MAGIC, 528, 0x00400000]);
  assert.equal((read32(t, r + 32) >>> 8) & 0xff, 0xab, 'v1 byte 1 in vregs (at 16 + 16 + 1)');
  assert.deepEqual([read32(t, r + 528), read32(t, r + 532)], [0, 0], 'terminator (no fault: no esr_context)');
  const b = t.signals.blocked;
  assert.ok(b.has(S.SIGUSR1) && b.has(S.SIGUSR2) && b.has(S.SIGHUP) && b.has(33), 'old mask | sa_mask | the signal');
});

test('rt_sigreturn restores registers, FP state and mask; x0 exact to 64 bits', () => {
  const f = signalFixture();
  const t = f.task;
  setReg(t, 3, 0x1234_5678_9abc_d);
  t.cpu.x[0] = 0x89abcdef | 0;
  t.cpu.x[1] = 0xfedcba98 | 0;
  t.cpu.v8[100] = 9;
  t.cpu.fpsr = 0x08000000;
  handle(f, S.SIGUSR1, 0);
  raise(f, S.SIGUSR1);
  deliver(f);
  const spBefore = reg(t, 29) + 16;
  // The handler clobbers state.
  setReg(t, 3, 0);
  t.cpu.v8.fill(0);
  t.cpu.fpsr = 0;
  const spec = SIGNAL_SYSCALLS.find((s) => s.name === 'rt_sigreturn')!;
  const ctx: SyscallContext = {
    kernel: f.kernel,
    task: t,
    compat: false,
    abi: NATIVE_ABI,
    mem: t.mm.as,
    mm: t.mm,
    name: 'rt_sigreturn',
  };
  t.inSyscall = true;
  spec.handler!(ctx, []);
  assert.equal(reg(t, 3), 0x1234_5678_9abc_d);
  assert.deepEqual(t.signals.sigreturnX0, [0x89abcdef | 0, 0xfedcba98 | 0], 'exact x0 kept for the run loop');
  assert.equal(t.cpu.v8[100], 9);
  assert.equal(t.cpu.fpsr, 0x08000000);
  assert.equal(reg(t, 31), spBefore);
  assert.equal(t.cpu.pc, 0x40_1000);
  assert.ok(!t.signals.blocked.has(S.SIGUSR1), 'mask restored');
  assert.equal(t.inSyscall, false, 'sigreturn is never restarted');
});

test('rt_sigreturn with a bad frame: SIGSEGV (SEGV_ACCERR inside a mapping) and x0 = 0', () => {
  const f = signalFixture();
  const t = f.task;
  setReg(t, 31, f.stackTop - 0x1008); // not 16-byte aligned
  const spec = SIGNAL_SYSCALLS.find((s) => s.name === 'rt_sigreturn')!;
  const ctx = { kernel: f.kernel, task: t, compat: false, abi: NATIVE_ABI, mem: t.mm.as, mm: t.mm, name: 'x' };
  assert.equal(spec.handler!(ctx, []), 0);
  const q = t.signals.pending.queue;
  assert.equal(q.length, 1);
  assert.equal(q[0]!.sig, S.SIGSEGV);
  assert.equal(new DataView(q[0]!.info.buffer).getInt32(8, true), S.SEGV_ACCERR);
});

test('SA_RESETHAND resets the handler; SA_NODEFER leaves the signal unblocked', () => {
  const f = signalFixture();
  handle(f, S.SIGUSR1, S.SA_RESETHAND | S.SA_NODEFER);
  raise(f, S.SIGUSR1);
  deliver(f);
  assert.equal(f.task.cpu.pc, HANDLER);
  assert.equal(f.task.signals.actions[S.SIGUSR1]!.handler, S.SIG_DFL);
  assert.ok(!f.task.signals.blocked.has(S.SIGUSR1));
});

test('several pending signals: each gets a frame, the last one set up runs first', () => {
  const f = signalFixture();
  handle(f, S.SIGUSR1, 0);
  Object.assign(f.task.signals.actions[S.SIGHUP]!, { handler: HANDLER + 0x100 });
  raise(f, S.SIGUSR1);
  raise(f, S.SIGHUP);
  deliver(f);
  assert.equal(f.task.cpu.pc, HANDLER, 'SIGUSR1 (dequeued second) runs first');
  // SIGHUP (dequeued first) got the outer frame; SIGUSR1's frame interrupts SIGHUP's handler at its entry.
  const inner = frameOf(f.task);
  assert.equal(read64(f.task, inner + FRAME.pc), HANDLER + 0x100);
  assert.ok(read64(f.task, inner + FRAME.sp) > inner);
});

test('SA_ONSTACK switches to the alternate stack unless already on it', () => {
  const f = signalFixture();
  const t = f.task;
  const alt = f.stackTop - 0x20000;
  t.signals.altStack = { sp: alt, size: 0x8000, flags: 0 };
  handle(f, S.SIGUSR1, S.SA_ONSTACK);
  raise(f, S.SIGUSR1);
  deliver(f);
  assert.equal(reg(t, 29), alt + 0x8000 - 16, 'frame record at the top of the alternate stack');
  assert.equal(read64(t, frameOf(t) + FRAME.ucStack), alt, 'uc_stack.ss_sp');
});

test('rt_sigsuspend-style saved mask: the handler frame saves it, no handler restores it', () => {
  const f = signalFixture();
  const t = f.task;
  handle(f, S.SIGUSR1, 0);
  t.signals.blocked.set(1 << (S.SIGUSR1 - 1), 0);
  t.signals.savedMask = t.signals.blocked.clone();
  t.signals.blocked.set(0, 0);
  afterSyscall(t, ERESTARTNOHAND);
  raise(f, S.SIGUSR1);
  deliver(f);
  assert.equal(read64(t, frameOf(t) + FRAME.ucSigmask), 1 << (S.SIGUSR1 - 1), 'frame holds the saved mask');
  assert.equal(t.signals.savedMask, undefined);
  assert.equal(read64(t, frameOf(t) + FRAME.regs), 2 ** 64 + EINTR, 'ERESTARTNOHAND with a handler: EINTR');

  const g = signalFixture();
  g.task.signals.savedMask = new SigSet(1 << (S.SIGUSR2 - 1), 0);
  deliver(g);
  assert.ok(g.task.signals.blocked.has(S.SIGUSR2), 'restored on the way out when nothing was delivered');
});

test('a signal whose frame cannot be written forces SIGSEGV; SIGSEGV itself then kills', () => {
  const f = signalFixture();
  handle(f, S.SIGUSR1, 0);
  handle(f, S.SIGSEGV, 0);
  setReg(f.task, 31, 0x1000); // nothing mapped below
  raise(f, S.SIGUSR1);
  deliver(f);
  assert.equal(f.task.exitStatus, S.SIGSEGV, 'killed by SIGSEGV (the core flag needs RLIMIT_CORE)');
});

test('a stop signal stops the task until SIGCONT; SIGTERM waits, SIGKILL ends a stopped task', async () => {
  const f = signalFixture();
  raise(f, S.SIGSTOP);
  const stopped = exitToUserMode(f.kernel, f.task);
  assert.ok(stopped instanceof Promise, 'stopped: the return to user mode waits');
  assert.equal(f.task.signals.group.stopped, true);
  raise(f, S.SIGCONT);
  await stopped;
  assert.equal(f.task.signals.group.stopped, false);
  assert.equal(f.task.exitStatus, undefined);

  const g = signalFixture();
  raise(g, S.SIGSTOP);
  const w = exitToUserMode(g.kernel, g.task);
  // As on Linux, a stopped process does not want SIGTERM: it stays pending until SIGCONT.
  sendSignal(g.kernel, g.task, S.SIGTERM, killInfo(S.SIGTERM, 0, 1, 1000), 'group');
  assert.equal(g.task.signals.group.stopped, true);
  assert.ok(g.task.signals.pendingSet().has(S.SIGTERM));
  sendSignal(g.kernel, g.task, S.SIGKILL, killInfo(S.SIGKILL, 0, 1, 1000), 'group');
  await w;
  assert.equal(g.task.exitStatus, S.SIGKILL);
});
