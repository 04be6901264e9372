import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAP_ANONYMOUS, MAP_PRIVATE, MAP_SHARED, PROT_EXEC, PROT_READ } from '../../../../src/kernel/abi/mman.js';
import {
  PTRACE_PEEKDATA,
  PTRACE_PEEKTEXT,
  PTRACE_PEEKUSR,
  PTRACE_POKEDATA,
  PTRACE_POKETEXT,
  PTRACE_POKEUSR,
} from '../../../../src/kernel/security/ptrace/ptrace-abi.js';
import { setDumpable } from '../../../../src/kernel/security/ptrace/ptrace-access.js';
import { PTRACE_GETREGS, PTRACE_PEEKMTETAGS } from '../../../../src/kernel/security/ptrace/ptrace-peek-poke.js';
import { bytes, DATA, get32, get64, mapData, type Pair, pair, put } from './fixture.js';
import { attach, PtraceStop, request } from './request-fixture.js';

const EIO = -5;
const EFAULT = -14;
const TEXT = 0x40_0000;

function stopped(): Pair {
  const p = pair();
  attach(p, PtraceStop.Signal);
  return p;
}

test('PEEKDATA/PEEKTEXT store the tracee word at data; compat stores 4 bytes', () => {
  const p = stopped();
  put(p.tracee, DATA + 8, [1, 2, 3, 4, 5, 6, 7, 8]);
  put(p.tracer, DATA + 0x100, [0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee]);
  assert.equal(request(p, PTRACE_PEEKDATA, DATA + 8, DATA + 0x100), 0);
  assert.deepEqual(bytes(p.tracer, DATA + 0x100, 8), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(request(p, PTRACE_PEEKTEXT, DATA + 9, DATA + 0x200), 0);
  assert.equal(get64(p.tracer, DATA + 0x200), 0x0008070605040302);
  put(p.tracer, DATA + 0x300, [0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee]);
  assert.equal(request(p, PTRACE_PEEKDATA, DATA + 8, DATA + 0x300, true), 0);
  assert.deepEqual(bytes(p.tracer, DATA + 0x300, 8), [1, 2, 3, 4, 0xee, 0xee, 0xee, 0xee]);
});

test('PEEK of unmapped tracee memory is -EIO; a bad data pointer is -EFAULT; a word across the end is -EIO', () => {
  const p = stopped();
  assert.equal(request(p, PTRACE_PEEKDATA, 0x5000_0000, DATA), EIO);
  assert.equal(request(p, PTRACE_PEEKDATA, DATA, 0x5000_0000), EFAULT);
  assert.equal(request(p, PTRACE_PEEKDATA, DATA + 4 * 4096 - 4, DATA), EIO);
});

test('POKEDATA writes the full 64-bit word from the tracer x3 (exact above 2^53); compat writes 4 bytes', () => {
  const p = stopped();
  put(p.tracee, DATA, [0, 0, 0, 0, 0, 0, 0, 0, 9, 9]);
  // Two brk #0 instructions: a word no JS number holds exactly.
  assert.equal(request(p, PTRACE_POKEDATA, DATA, 0, false, [0xd4200000 | 0, 0xd4200000 | 0]), 0);
  assert.deepEqual(bytes(p.tracee, DATA, 10), [0, 0, 0x20, 0xd4, 0, 0, 0x20, 0xd4, 9, 9]);
  put(p.tracee, DATA + 32, [1, 1, 1, 1, 7, 7, 7, 7]);
  assert.equal(request(p, PTRACE_POKEDATA, DATA + 32, 0xaabbccdd, true), 0);
  assert.equal(get32(p.tracee, DATA + 32), 0xaabbccdd);
  assert.deepEqual(bytes(p.tracee, DATA + 36, 4), [7, 7, 7, 7]);
  assert.equal(request(p, PTRACE_POKEDATA, 0x5000_0000, 1), EIO);
});

test('POKETEXT into read-only private text copies the page (FOLL_FORCE); it stays read-only to the tracee', () => {
  const p = stopped();
  mapData(p.tracee, TEXT, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS);
  assert.equal(request(p, PTRACE_POKETEXT, TEXT + 8, 0x0102030405), 0);
  assert.deepEqual(bytes(p.tracee, TEXT + 8, 6), [5, 4, 3, 2, 1, 0]);
  assert.throws(() => p.tracee.mm.as.write8(TEXT, 1));
  // A second poke writes the now private copy in place.
  assert.equal(request(p, PTRACE_POKETEXT, TEXT + 16, 0x77), 0);
  assert.deepEqual(bytes(p.tracee, TEXT + 8, 9), [5, 4, 3, 2, 1, 0, 0, 0, 0x77]);
});

test('POKETEXT into a read-only shared mapping is -EIO (not a copy-on-write mapping)', () => {
  const p = stopped();
  mapData(p.tracee, TEXT, 4096, PROT_READ, MAP_SHARED | MAP_ANONYMOUS);
  assert.equal(request(p, PTRACE_POKETEXT, TEXT, 1), EIO);
});

test('POKETEXT over decoded code: the tracee executes the new instruction', () => {
  const p = stopped();
  mapData(p.tracee, TEXT, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS);
  const cpu = p.tracee.cpu;
  // movz x0, #1 ; then movz x0, #2 poked over it
  assert.equal(request(p, PTRACE_POKETEXT, TEXT, 0xd2800020), 0);
  cpu.pc = TEXT;
  cpu.step();
  assert.equal(cpu.x[0], 1);
  assert.equal(request(p, PTRACE_POKETEXT, TEXT, 0xd2800040), 0);
  cpu.pc = TEXT;
  cpu.step();
  assert.equal(cpu.x[0], 2);
});

test('a tracee that is not dumpable cannot be peeked by an unprivileged tracer', () => {
  const p = stopped();
  setDumpable(p.tracee.mm, 0);
  assert.equal(request(p, PTRACE_PEEKDATA, DATA, DATA), EIO);
});

test('PEEKUSR/POKEUSR, GETREGS and the MTE tag requests do not exist on arm64: -EIO', () => {
  const p = stopped();
  for (const r of [PTRACE_PEEKUSR, PTRACE_POKEUSR, PTRACE_GETREGS, PTRACE_PEEKMTETAGS]) {
    assert.equal(request(p, r, 0, DATA), EIO);
  }
});
