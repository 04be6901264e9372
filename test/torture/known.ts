import { readFileSync } from 'node:fs';

/**
 * The checked-in lists of torture tests that are not expected to pass, each with its reason, and the
 * rules for failures that follow from a property of the binary. A key is a test id
 * (`execute/pr80692`), for every level, or `id@LEVEL` for one level. The runner treats an unexplained
 * compile failure or mismatch as an error, and a listed entry that no longer applies (the test
 * compiles, or now matches qemu) as an error too, so these lists stay exact.
 */

/** Tests the cross toolchain cannot build for aarch64-linux-gnu (not run). */
export const KNOWN_SKIPS: Readonly<Record<string, string>> = {
  // builtins.exp links each test with a -lib.c that redefines the string function under test; glibc's
  // static libc.a defines memchr/strlen in the same object as their ifunc resolvers, so the link
  // fails with a multiple definition (GCC's harness passes --allow-multiple-definition only on
  // *-eabi/*-elf targets).
  'builtins/memchr': 'memchr-lib.c and libc.a(memchr.o) both define memchr (static glibc link)',
  'builtins/strlen': 'strlen-lib.c and libc.a(strlen.o) both define strlen (static glibc link)',
  'builtins/strlen-2': 'strlen-2-lib.c and libc.a(strlen.o) both define strlen (static glibc link)',
  'builtins/strlen-3': 'strlen-3-lib.c and libc.a(strlen.o) both define strlen (static glibc link)',
};

/**
 * Tests whose result under compat64 differs from qemu-aarch64 for a reason outside the CPU, left to
 * the named part of the emulator. (CPU bugs are fixed, not listed.)
 */
export const KNOWN_FAILURES: Readonly<Record<string, string>> = {};

const PT_GNU_STACK = 0x6474e551;
const PF_X = 1;
const SIGSEGV_STATUS = 128 + 11;

/**
 * Rules for known failures that follow from a property of the binary rather than from a test's name
 * (which tests need it changes with the level). Gives the reason when a rule explains the difference.
 *
 * Executable stack: GCC builds trampolines on the stack for nested functions whose address escapes
 * and marks the program PT_GNU_STACK with PF_X; Linux then maps the stack executable (setup_arg_pages
 * with EXSTACK_ENABLE_X). compat64's exec maps it without PROT_EXEC, so jumping to the trampoline is
 * SIGSEGV (SEGV_ACCERR). Owner: the ELF loader / exec (src/loader/load-elf.ts, task/exec.ts).
 */
export function knownFailureRule(binary: string, qemuStatus: number, compat64Status: number): string | undefined {
  if (qemuStatus !== SIGSEGV_STATUS && compat64Status === SIGSEGV_STATUS && hasExecStack(binary)) {
    return 'executable stack (PT_GNU_STACK PF_X) not honoured by exec: nested-function trampoline faults';
  }
  return undefined;
}

/** True when an ELF64 little-endian binary asks for an executable stack. */
export function hasExecStack(binary: string): boolean {
  const elf = readFileSync(binary);
  const phoff = Number(elf.readBigUInt64LE(0x20));
  const phentsize = elf.readUInt16LE(0x36);
  const phnum = elf.readUInt16LE(0x38);
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (elf.readUInt32LE(at) === PT_GNU_STACK) return (elf.readUInt32LE(at + 4) & PF_X) !== 0;
  }
  return false;
}

/**
 * Tests whose output holds addresses (of the stack, here), which differ between qemu-aarch64 and
 * Linux by design: only their exit status is compared.
 */
export const STATUS_ONLY: Readonly<Record<string, string>> = {
  'execute/return-addr': 'prints stack addresses (qemu places the stack elsewhere than Linux)',
};

/** The reason a list gives for a test at a level, if any. */
export function listed(list: Readonly<Record<string, string>>, id: string, level: string): string | undefined {
  return list[`${id}@${level}`] ?? list[id];
}
