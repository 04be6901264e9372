/**
 * Writes the syscall numbers and errno values of compat64's kernel from the Linux uapi headers that Debian
 * installs for the cross toolchains (architecture decision 5: numbers are generated, never typed).
 *
 *   npm run gen        (= tsc, then node dist/tools/gen-abi-numbers.js)
 *
 * The headers are read through the cross C preprocessors rather than by pattern matching, because
 * asm-generic/unistd.h chooses numbers with #if blocks (__ARCH_WANT_*, __BITS_PER_LONG) exactly as arm64 sees
 * them, and ARM's asm/unistd.h picks the EABI file only when __ARM_EABI__ is predefined. `-dD` keeps every
 * #define in order together with the line markers that say which header it came from; the values (such as
 * `(__NR_SYSCALL_BASE + 3)` or `__NR3264_fcntl`) are then evaluated here.
 *
 * Debian packages needed: cpp-aarch64-linux-gnu, cpp-arm-linux-gnueabihf, linux-libc-dev-arm64-cross,
 * linux-libc-dev-armhf-cross. Running it twice gives the same files.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';

const GENERATOR = 'tools/gen-abi-numbers.ts';
const NUMBERS_OUT = 'src/kernel/syscalls/numbers.generated.ts';
const ERRNO_OUT = 'src/kernel/abi/errno.generated.ts';

interface Target {
  /** GNU triple: the preprocessor is `<triple>-cpp`, the headers are under /usr/<triple>/include. */
  readonly triple: string;
}
const ARM64: Target = { triple: 'aarch64-linux-gnu' };
const ARMHF: Target = { triple: 'arm-linux-gnueabihf' };

interface Macro {
  readonly body: string;
  /** Absolute path of the header that defined it. */
  readonly file: string;
}

/** Object-like macros live after preprocessing `source`, in definition order. */
function preprocess(target: Target, source: string): Map<string, Macro> {
  const include = `/usr/${target.triple}/include`;
  // -nostdinc -isystem: only the uapi/libc tree of this target, nothing of the build machine.
  const out = execFileSync(`${target.triple}-cpp`, ['-dD', '-nostdinc', '-isystem', include, '-x', 'c', '-'], {
    input: source,
    encoding: 'utf8',
  });
  const macros = new Map<string, Macro>();
  let file = '<stdin>';
  for (const line of out.split('\n')) {
    const marker = /^# \d+ "([^"]*)"/.exec(line);
    if (marker) {
      file = marker[1]!.startsWith('/') ? posix.normalize(marker[1]!) : marker[1]!;
      continue;
    }
    const define = /^#define ([A-Za-z_]\w*)(\(?)\s*(.*)$/.exec(line);
    if (define) {
      // Function-like macros (a '(' right after the name) are never numbers.
      if (define[2] === '') macros.set(define[1]!, { body: define[3]!.trim(), file });
      continue;
    }
    const undef = /^#undef ([A-Za-z_]\w*)/.exec(line);
    if (undef) macros.delete(undef[1]!);
  }
  return macros;
}

/**
 * Evaluates a macro body as a C integer constant expression: literals, other object-like macros, parentheses
 * and the arithmetic operators the headers use. Anything else is an error, so a new construct in the headers
 * stops the generator instead of producing a wrong number.
 */
function evaluate(name: string, macros: Map<string, Macro>, seen: ReadonlySet<string> = new Set()): number {
  const macro = macros.get(name);
  if (macro === undefined) throw new Error(`${name} is not defined`);
  if (seen.has(name)) throw new Error(`${name} is defined in terms of itself`);
  const inner = new Set(seen).add(name);
  const tokens = macro.body.match(/0[xX][0-9a-fA-F]+[uUlL]*|\d+[uUlL]*|[A-Za-z_]\w*|<<|>>|\S/g) ?? [];
  let pos = 0;
  const fail = (why: string): never => {
    throw new Error(`cannot evaluate ${name} = ${macro.body} (${macro.file}): ${why}`);
  };
  const primary = (): number => {
    const token = tokens[pos++] ?? fail('unexpected end');
    if (token === '(') {
      const value = binary(0);
      if (tokens[pos++] !== ')') fail('missing )');
      return value;
    }
    if (token === '-') return -primary();
    if (token === '+') return primary();
    if (token === '~') return ~primary();
    if (/^\d/.test(token)) {
      const digits = token.replace(/[uUlL]+$/, '').toLowerCase();
      if (digits.startsWith('0x')) return Number.parseInt(digits.slice(2), 16);
      return Number.parseInt(digits, digits.length > 1 && digits.startsWith('0') ? 8 : 10);
    }
    if (/^[A-Za-z_]/.test(token)) return evaluate(token, macros, inner);
    return fail(`unexpected ${token}`);
  };
  const precedence: Record<string, number> = { '|': 1, '^': 2, '&': 3, '<<': 4, '>>': 4, '+': 5, '-': 5, '*': 6 };
  const binary = (min: number): number => {
    let left = primary();
    for (;;) {
      const op = tokens[pos];
      const level = op === undefined ? undefined : precedence[op];
      if (op === undefined || level === undefined || level <= min) return left;
      pos++;
      const right = binary(level);
      if (op === '|') left |= right;
      else if (op === '^') left ^= right;
      else if (op === '&') left &= right;
      else if (op === '<<') left <<= right;
      else if (op === '>>') left >>= right;
      else if (op === '+') left += right;
      else if (op === '-') left -= right;
      else left *= right;
    }
  };
  const value = binary(0);
  if (pos !== tokens.length) fail(`trailing ${tokens[pos]}`);
  if (!Number.isSafeInteger(value)) fail('not an integer');
  return value;
}

interface Entry {
  readonly name: string;
  readonly value: number;
}

/**
 * Macros whose name matches `pattern` and that are defined in a header whose path ends with one of `headers`;
 * each entry is named by the pattern's first group (the name without its prefix).
 */
function select(macros: Map<string, Macro>, pattern: RegExp, headers: readonly string[]): Entry[] {
  const entries: Entry[] = [];
  for (const [name, macro] of macros) {
    const match = pattern.exec(name);
    if (!match || !headers.some((h) => macro.file.endsWith(`/include/${h}`))) continue;
    entries.push({ name: match[1]!, value: evaluate(name, macros) });
  }
  if (entries.length === 0) throw new Error(`no macros matching ${pattern} in ${headers.join(', ')}`);
  return entries;
}

/** Sorted by number; stable, so names sharing a number keep header order. */
function byNumber(entries: readonly Entry[]): Entry[] {
  return [...entries].sort((a, b) => a.value - b.value);
}

function requireUnique(what: string, entries: readonly Entry[], count?: number): void {
  const owner = new Map<number, string>();
  for (const { name, value } of entries) {
    const other = owner.get(value);
    if (other !== undefined) throw new Error(`${what}: ${name} and ${other} both have number ${value}`);
    owner.set(value, name);
    if (value < 0 || (count !== undefined && value >= count))
      throw new Error(`${what}: ${name} = ${value} out of range`);
  }
}

/** Header files that contributed the selected macros, with the Debian package (and version) owning each. */
function provenance(macros: Map<string, Macro>, headers: readonly string[]): string {
  const files = new Set<string>();
  for (const macro of macros.values())
    if (headers.some((h) => macro.file.endsWith(`/include/${h}`))) files.add(macro.file);
  const byPackage = new Map<string, string[]>();
  for (const file of [...files].sort()) {
    const owner = execFileSync('dpkg-query', ['-S', file], { encoding: 'utf8' }).split(':')[0]!.trim();
    // `dpkg-query -W` prints "package<TAB>version".
    const version =
      execFileSync('dpkg-query', ['-W', owner], { encoding: 'utf8' }).trim().split('\t')[1] ??
      fail(`no version for ${owner}`);
    const key = `${owner} ${version}`;
    byPackage.set(key, [...(byPackage.get(key) ?? []), file]);
  }
  return [...byPackage].map(([pkg, paths]) => `${pkg} (${paths.join(', ')})`).join(', ');
}

function objectLiteral(entries: readonly Entry[], hex = false): string {
  return entries.map(({ name, value }) => `  ${name}: ${hex ? `0x${value.toString(16)}` : value},\n`).join('');
}

function generateNumbers(): string {
  const arm64Headers = ['asm/unistd.h', 'asm-generic/unistd.h'];
  const arm64 = preprocess(ARM64, '#include <asm/unistd.h>\n');
  // Not syscalls: the table size, and the first number of the range asm-generic leaves to architectures
  // (arm64 puts nothing there).
  const notSyscalls = new Set(['syscalls', 'arch_specific_syscall']);
  const arm64Entries = byNumber(select(arm64, /^__NR_(\w+)$/, arm64Headers).filter((e) => !notSyscalls.has(e.name)));
  const arm64Count = evaluate('__NR_syscalls', arm64);
  requireUnique('arm64', arm64Entries, arm64Count);

  // Only asm/unistd-eabi.h: asm/unistd.h adds the OABI/EABI bases and masks, and sync_file_range2 as a second
  // name for arm_sync_file_range (341), which would give that number two keys.
  const arm = preprocess(ARMHF, '#include <asm/unistd.h>\n');
  const eabiEntries = byNumber(select(arm, /^__NR_(\w+)$/, ['asm/unistd-eabi.h']));
  // The uapi headers do not state the table size; arm64's compat table (__NR_compat_syscalls, 451 in 6.1) ends
  // right after the last EABI number.
  const eabiCount = eabiEntries[eabiEntries.length - 1]!.value + 1;
  requireUnique('ARM EABI', eabiEntries, eabiCount);
  const aliases = select(arm, /^__NR_([a-z]\w*)$/, ['asm/unistd.h']);
  const eabiName = new Map(eabiEntries.map((e) => [e.value, e.name]));
  const privateEntries = byNumber(select(arm, /^__ARM_NR_([a-z]\w*)$/, ['asm/unistd.h']));
  requireUnique('ARM private', privateEntries);

  const from = provenance(arm64, arm64Headers) + '; ' + provenance(arm, ['asm/unistd.h', 'asm/unistd-eabi.h']);
  const aliasNote = aliases
    .map((a) => `${a.name} (= ${eabiName.get(a.value) ?? fail(`alias ${a.name} = ${a.value} has no EABI name`)})`)
    .join(', ');
  return (
    `// Generated by ${GENERATOR} (npm run gen) from ${from}. Do not edit.\n` +
    '\n' +
    '/**\n' +
    ' * Every arm64 syscall, by its kernel name (__NR_ prefix dropped), in number order: asm-generic/unistd.h as\n' +
    ' * arm64 includes it (its __ARCH_WANT_* choices, __BITS_PER_LONG == 64, so no *_time32 numbers).\n' +
    ' */\n' +
    `export const ARM64_SYSCALL_NUMBERS = {\n${objectLiteral(arm64Entries)}} as const;\n` +
    'export type Arm64SyscallName = keyof typeof ARM64_SYSCALL_NUMBERS;\n' +
    '/** __NR_syscalls: the size of the arm64 table; numbers not in ARM64_SYSCALL_NUMBERS below it are unassigned. */\n' +
    `export const ARM64_SYSCALL_COUNT = ${arm64Count};\n` +
    '\n' +
    '/**\n' +
    ' * Every AArch32 EABI syscall (asm/unistd-eabi.h of ARM), by its kernel name, in number order; unassigned slots\n' +
    ` * are absent. asm/unistd.h also defines ${aliasNote || 'no other names'}.\n` +
    ' */\n' +
    `export const ARM_EABI_SYSCALL_NUMBERS = {\n${objectLiteral(eabiEntries)}} as const;\n` +
    'export type ArmEabiSyscallName = keyof typeof ARM_EABI_SYSCALL_NUMBERS;\n' +
    '/** Size of the EABI table as arm64 wires it (__NR_compat_syscalls): one past the last EABI number. */\n' +
    `export const ARM_EABI_SYSCALL_COUNT = ${eabiCount};\n` +
    '\n' +
    '/** ARM-private syscalls (__ARM_NR_*, from __ARM_NR_BASE = 0x0f0000 under EABI), __ARM_NR_ prefix dropped. */\n' +
    `export const ARM_PRIVATE_SYSCALL_NUMBERS = {\n${objectLiteral(privateEntries, true)}} as const;\n` +
    'export type ArmPrivateSyscallName = keyof typeof ARM_PRIVATE_SYSCALL_NUMBERS;\n'
  );
}

function generateErrno(): string {
  const headers = ['asm/errno.h', 'asm-generic/errno.h', 'asm-generic/errno-base.h'];
  const source = '#include <asm/errno.h>\n';
  const macros = preprocess(ARM64, source);
  const entries = byNumber(select(macros, /^(E[A-Z0-9]+)$/, headers));
  // arm64 and ARM both use the generic values; stop if a header update ever makes them differ.
  const armMacros = preprocess(ARMHF, source);
  const arm = byNumber(select(armMacros, /^(E[A-Z0-9]+)$/, headers));
  if (JSON.stringify(arm) !== JSON.stringify(entries)) throw new Error('arm64 and ARM errno values differ');
  const from = provenance(macros, headers) + '; same values in ' + provenance(armMacros, headers);
  return (
    `// Generated by ${GENERATOR} (npm run gen) from ${from}. Do not edit.\n` +
    '\n' +
    '/**\n' +
    ' * Every errno name of the uapi headers and its value, in number order (aliases such as EWOULDBLOCK follow the\n' +
    ' * name they alias). arm64 and 32-bit ARM share these values.\n' +
    ' */\n' +
    `export const ERRNO = {\n${objectLiteral(entries)}} as const;\n` +
    'export type ErrnoName = keyof typeof ERRNO;\n'
  );
}

function fail(message: string): never {
  throw new Error(message);
}

/** Writes `text` to `relative` (from the repository root) unless it is already there; says which. */
function emit(root: string, relative: string, text: string): void {
  const path = posix.join(root, relative);
  let old: string | undefined;
  try {
    old = readFileSync(path, 'utf8');
  } catch {
    old = undefined;
  }
  if (old === text) {
    console.log(`${relative}: unchanged`);
    return;
  }
  writeFileSync(path, text);
  console.log(`${relative}: written`);
}

// This file runs as dist/tools/gen-abi-numbers.js: the repository root is two levels up.
const root = fileURLToPath(new URL('../../', import.meta.url));
// Both are built before either is written, so a failure leaves the tree as it was.
const numbers = generateNumbers();
const errno = generateErrno();
emit(root, NUMBERS_OUT, numbers);
emit(root, ERRNO_OUT, errno);
