import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROT_READ } from '../../../../src/kernel/abi/mman.js';
import {
  PTRACE_MODE_ATTACH_REALCREDS,
  PTRACE_MODE_READ_FSCREDS,
  ptraceMayAccess,
  setDumpable,
} from '../../../../src/kernel/security/ptrace/ptrace-access.js';
import { bytes, DATA, mapData, pair, processVm, put, put64 } from './fixture.js';

const EPERM = -1;
const ESRCH = -3;
const EFAULT = -14;
const EINVAL = -22;
const PAGE = 4096;

/** Writes native iovecs at addr in the caller's memory. */
function iovecs(task: Parameters<typeof put64>[0], addr: number, segs: [number, number][]): void {
  segs.forEach(([b, l], i) => {
    put64(task, addr + 16 * i, b);
    put64(task, addr + 16 * i + 8, l);
  });
}

test('process_vm_readv reads another process in iovec order on both sides', () => {
  const { kernel, tracer, tracee } = pair();
  put(tracee, DATA + 0x10, [1, 2, 3, 4, 5, 6, 7, 8]);
  // local: {DATA+0x800, 3}, {DATA+0x900, 3}; remote: {DATA+0x10, 2}, {DATA+0x14, 4}
  iovecs(tracer, DATA + 0x100, [
    [DATA + 0x800, 3],
    [DATA + 0x900, 3],
  ]);
  iovecs(tracer, DATA + 0x200, [
    [DATA + 0x10, 2],
    [DATA + 0x14, 4],
  ]);
  assert.equal(processVm(tracer, kernel, 'process_vm_readv', [tracee.tid, DATA + 0x100, 2, DATA + 0x200, 2, 0]), 6);
  assert.deepEqual(bytes(tracer, DATA + 0x800, 3), [1, 2, 5]);
  assert.deepEqual(bytes(tracer, DATA + 0x900, 3), [6, 7, 8]);
});

test('process_vm_writev writes another process; a read-only remote page faults (no FOLL_FORCE)', () => {
  const { kernel, tracer, tracee } = pair();
  put(tracer, DATA + 0x800, [9, 8, 7, 6]);
  iovecs(tracer, DATA + 0x100, [[DATA + 0x800, 4]]);
  iovecs(tracer, DATA + 0x200, [[DATA + 0x40, 4]]);
  assert.equal(processVm(tracer, kernel, 'process_vm_writev', [tracee.tid, DATA + 0x100, 1, DATA + 0x200, 1, 0]), 4);
  assert.deepEqual(bytes(tracee, DATA + 0x40, 4), [9, 8, 7, 6]);
  mapData(tracee, 0x2000_0000, PAGE, PROT_READ);
  iovecs(tracer, DATA + 0x200, [[0x2000_0000, 4]]);
  assert.equal(
    processVm(tracer, kernel, 'process_vm_writev', [tracee.tid, DATA + 0x100, 1, DATA + 0x200, 1, 0]),
    EFAULT,
  );
});

test('a fault part-way returns the bytes moved before it; -EFAULT when nothing moved', () => {
  const { kernel, tracer, tracee } = pair();
  // The remote range runs off the end of the tracee's 4-page area.
  const end = DATA + 4 * PAGE;
  iovecs(tracer, DATA + 0x100, [[DATA + 0x800, 64]]);
  iovecs(tracer, DATA + 0x200, [[end - 16, 64]]);
  assert.equal(processVm(tracer, kernel, 'process_vm_readv', [tracee.tid, DATA + 0x100, 1, DATA + 0x200, 1, 0]), 16);
  iovecs(tracer, DATA + 0x200, [[end, 64]]);
  assert.equal(
    processVm(tracer, kernel, 'process_vm_readv', [tracee.tid, DATA + 0x100, 1, DATA + 0x200, 1, 0]),
    EFAULT,
  );
  // A local segment that faults part-way stops the transfer too.
  iovecs(tracer, DATA + 0x100, [[DATA + 4 * PAGE - 8, 64]]);
  iovecs(tracer, DATA + 0x200, [[DATA, 64]]);
  assert.equal(processVm(tracer, kernel, 'process_vm_readv', [tracee.tid, DATA + 0x100, 1, DATA + 0x200, 1, 0]), 8);
});

test('Linux order of checks: flags, local iovecs (empty: 0 before the pid), remote iovecs, pid, permission', () => {
  const { kernel, tracer, tracee } = pair(1001);
  iovecs(tracer, DATA + 0x100, [[DATA + 0x800, 4]]);
  iovecs(tracer, DATA + 0x200, [[DATA, 4]]);
  const call = (pid: number, lvec: number, lcnt: number, rvec: number, rcnt: number, flags = 0) =>
    processVm(tracer, kernel, 'process_vm_readv', [pid, lvec, lcnt, rvec, rcnt, flags]);
  assert.equal(call(99999, DATA + 0x100, 1, DATA + 0x200, 1, 1), EINVAL);
  assert.equal(call(99999, DATA + 0x100, 1025, DATA + 0x200, 1), EINVAL);
  assert.equal(call(99999, 0x5000_0000, 1, DATA + 0x200, 1), EFAULT);
  assert.equal(call(99999, DATA + 0x100, 0, 0x5000_0000, 1), 0);
  assert.equal(call(99999, DATA + 0x100, 1, 0x5000_0000, 1), EFAULT);
  assert.equal(call(99999, DATA + 0x100, 1, DATA + 0x200, 0), 0);
  assert.equal(call(99999, DATA + 0x100, 1, DATA + 0x200, 1), ESRCH);
  // A different uid without CAP_SYS_PTRACE.
  assert.equal(call(tracee.tid, DATA + 0x100, 1, DATA + 0x200, 1), EPERM);
  tracer.creds.euid = 0;
  assert.equal(call(tracee.tid, DATA + 0x100, 1, DATA + 0x200, 1), 4);
});

test('compat calls read 8-byte compat_iovecs', () => {
  const { kernel, tracer, tracee } = pair();
  put(tracee, DATA + 0x20, [4, 3, 2, 1]);
  put(tracer, DATA + 0x100, [0x00, 0x08, 0x00, 0x10, 4, 0, 0, 0]);
  put(tracer, DATA + 0x200, [0x20, 0x00, 0x00, 0x10, 4, 0, 0, 0]);
  assert.equal(
    processVm(tracer, kernel, 'process_vm_readv', [tracee.tid, DATA + 0x100, 1, DATA + 0x200, 1, 0], true),
    4,
  );
  assert.deepEqual(bytes(tracer, DATA + 0x800, 4), [4, 3, 2, 1]);
});

test('ptraceMayAccess: own thread group always; same ids and dumpable; root overrides both', () => {
  const { kernel, tracer, tracee } = pair();
  assert.equal(ptraceMayAccess(kernel, tracer, tracer, PTRACE_MODE_ATTACH_REALCREDS), true);
  assert.equal(ptraceMayAccess(kernel, tracer, tracee, PTRACE_MODE_ATTACH_REALCREDS), true);
  tracee.creds.suid = 0; // a set-uid program that dropped privileges keeps them in its saved uid
  assert.equal(ptraceMayAccess(kernel, tracer, tracee, PTRACE_MODE_ATTACH_REALCREDS), false);
  tracee.creds.suid = 1000;
  // FSCREDS compares the caller's fs (effective) ids, REALCREDS its real ids.
  tracer.creds.uid = 1234;
  assert.equal(ptraceMayAccess(kernel, tracer, tracee, PTRACE_MODE_READ_FSCREDS), true);
  assert.equal(ptraceMayAccess(kernel, tracer, tracee, PTRACE_MODE_ATTACH_REALCREDS), false);
  tracer.creds.uid = 1000;
  setDumpable(tracee.mm, 0);
  assert.equal(ptraceMayAccess(kernel, tracer, tracee, PTRACE_MODE_ATTACH_REALCREDS), false);
  tracer.creds.euid = 0;
  assert.equal(ptraceMayAccess(kernel, tracer, tracee, PTRACE_MODE_READ_FSCREDS), true);
  // A mode without FSCREDS or REALCREDS is a kernel bug Linux refuses.
  tracer.creds.euid = 1000;
  setDumpable(tracee.mm, 1);
  assert.equal(ptraceMayAccess(kernel, tracer, tracee, 0x02), false);
});
