/**
 * The checked-in lists of torture tests that are not expected to pass, each with its reason. A key is a test id
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
