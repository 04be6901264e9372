/**
 * ptrace links without a guest program: option checks (check_ptrace_options), the event a clone
 * reports (kernel_clone), TRACEME without a parent, ATTACH to oneself, and the jobctl traps of a
 * traced task (signal_pending sees them; a seized tracee's SIGCONT notification).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as S from '../../../../src/kernel/abi/signal.js';
import {
  PTRACE_EVENT_CLONE,
  PTRACE_EVENT_FORK,
  PTRACE_EVENT_VFORK,
  PTRACE_O_EXITKILL,
  PTRACE_O_SUSPEND_SECCOMP,
  PTRACE_O_TRACECLONE,
  PTRACE_O_TRACEFORK,
  PTRACE_O_TRACESYSGOOD,
  PTRACE_O_TRACEVFORK,
} from '../../../../src/kernel/security/ptrace/ptrace-abi.js';
import { jobctlTrapPending, ptraceSigcont } from '../../../../src/kernel/security/ptrace/ptrace-jobctl.js';
import {
  checkOptions,
  cloneEvent,
  ptraceAttach,
  ptraceTraceme,
} from '../../../../src/kernel/security/ptrace/ptrace-link.js';
import { JOBCTL_TRAP_NOTIFY, newLink, tracerPidOf } from '../../../../src/kernel/security/ptrace/ptrace-state.js';
import { signalPending } from '../../../../src/kernel/task/signal-send.js';
import { signalFixture } from '../../task/signal-fixture.js';

describe('ptrace links', () => {
  test('check_ptrace_options: unknown bits EINVAL, SUSPEND_SECCOMP needs euid 0 (EPERM)', () => {
    const { task } = signalFixture();
    assert.equal(checkOptions(task, PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL), 0);
    assert.equal(checkOptions(task, 0x100), -22);
    assert.equal(checkOptions(task, 0x80000000), -22);
    task.creds.euid = 1000;
    assert.equal(checkOptions(task, PTRACE_O_SUSPEND_SECCOMP), -1);
    task.creds.euid = 0;
    assert.equal(checkOptions(task, PTRACE_O_SUSPEND_SECCOMP), 0);
  });

  test('kernel_clone picks VFORK, CLONE (exit signal not SIGCHLD) or FORK, only when enabled and not CLONE_UNTRACED', () => {
    const { task: parent } = signalFixture();
    assert.equal(cloneEvent(parent, 0, S.SIGCHLD, false), 0, 'untraced parent');
    parent.ptrace = newLink(parent, false, PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE);
    assert.equal(cloneEvent(parent, 0, S.SIGCHLD, false), PTRACE_EVENT_FORK);
    assert.equal(cloneEvent(parent, 0x4000 | 0x100, S.SIGCHLD, false), PTRACE_EVENT_VFORK);
    assert.equal(cloneEvent(parent, 0x10000, 0, false), PTRACE_EVENT_CLONE);
    assert.equal(cloneEvent(parent, 0, S.SIGCHLD, true), 0, 'CLONE_UNTRACED');
    parent.ptrace.options = PTRACE_O_TRACECLONE;
    assert.equal(cloneEvent(parent, 0, S.SIGCHLD, false), 0, 'FORK not enabled');
    parent.ptrace = undefined;
  });

  test('TRACEME without a parent and ATTACH to oneself: EPERM', () => {
    const { kernel, task } = signalFixture();
    assert.equal(ptraceTraceme(task), -1);
    assert.equal(ptraceAttach(kernel, task, task, false, 0, 0), -1);
    assert.equal(ptraceAttach(kernel, task, task, true, 8, 0), -5, 'SEIZE with addr != 0 is EIO first');
    assert.equal(tracerPidOf(task), 0);
  });

  test('a seized tracee is notified of SIGCONT by a trap that signal_pending sees', () => {
    const { task } = signalFixture();
    assert.equal(signalPending(task), false);
    task.ptrace = newLink(task, true, 0);
    assert.equal(jobctlTrapPending(task), false);
    ptraceSigcont([task]);
    assert.equal(task.ptrace.jobctl & JOBCTL_TRAP_NOTIFY, JOBCTL_TRAP_NOTIFY);
    assert.equal(jobctlTrapPending(task), true);
    assert.equal(signalPending(task), true);
    task.ptrace = undefined;
  });
});
