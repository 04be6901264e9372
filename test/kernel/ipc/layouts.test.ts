/** The msgctl/semctl structures, native (LP64) and compat (ARM EABI), against the real headers' sizes and offsets. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ILP32_EABI, LP64, layoutOf, offsetOf } from '../../../src/kernel/abi/layout.js';
import {
  compat_msqid_ds,
  compat_msqid64_ds,
  compat_semid_ds,
  compat_semid64_ds,
  msginfo,
  msqid64_ds,
  semid64_ds,
  seminfo,
} from '../../../src/kernel/ipc/ipc-layouts.js';

describe('SysV IPC layouts', () => {
  test('arm64 msqid64_ds and semid64_ds (asm-generic, 64-bit)', () => {
    const m = layoutOf(msqid64_ds, LP64);
    assert.equal(m.size, 120);
    assert.equal(offsetOf(m, 'msg_cbytes').offset, 72);
    assert.equal(offsetOf(m, 'msg_qbytes').offset, 88);
    assert.equal(offsetOf(m, 'msg_lspid').offset, 96);
    const s = layoutOf(semid64_ds, LP64);
    assert.equal(s.size, 88);
    assert.equal(offsetOf(s, 'sem_ctime').offset, 56);
    assert.equal(offsetOf(s, 'sem_nsems').offset, 64);
  });

  test('ARM compat_msqid64_ds / compat_semid64_ds: 16-bit mode, split times', () => {
    const m = layoutOf(compat_msqid64_ds, ILP32_EABI);
    assert.equal(m.size, 88);
    assert.equal(offsetOf(m, 'msg_perm.mode').offset, 20);
    assert.equal(offsetOf(m, 'msg_perm.seq').offset, 24);
    assert.equal(offsetOf(m, 'msg_stime').offset, 36);
    assert.equal(offsetOf(m, 'msg_cbytes').offset, 60);
    assert.equal(offsetOf(m, 'msg_qbytes').offset, 68);
    assert.equal(offsetOf(m, 'msg_lspid').offset, 72);
    const s = layoutOf(compat_semid64_ds, ILP32_EABI);
    assert.equal(s.size, 64);
    assert.equal(offsetOf(s, 'sem_ctime').offset, 44);
    assert.equal(offsetOf(s, 'sem_nsems').offset, 52);
  });

  test('the old compat layouts (no IPC_64)', () => {
    const m = layoutOf(compat_msqid_ds, ILP32_EABI);
    assert.equal(m.size, 56);
    assert.equal(offsetOf(m, 'msg_cbytes').offset, 44);
    assert.equal(offsetOf(m, 'msg_qbytes').offset, 48);
    assert.equal(offsetOf(m, 'msg_lspid').offset, 50);
    const s = layoutOf(compat_semid_ds, ILP32_EABI);
    assert.equal(s.size, 44);
    assert.equal(offsetOf(s, 'sem_nsems').offset, 40);
  });

  test('msginfo and seminfo are the same in both ABIs', () => {
    for (const model of [LP64, ILP32_EABI]) {
      assert.equal(layoutOf(msginfo, model).size, 32);
      assert.equal(layoutOf(seminfo, model).size, 40);
    }
  });
});
