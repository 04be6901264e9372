/**
 * The GCC C torture "execute" tests (gcc/testsuite/gcc.c-torture/execute of gcc-12-source, fetched
 * into debian/gcc-torture/execute by tools/fetch-gcc-torture.sh) and how GCC's own harness would
 * compile each one for aarch64-linux-gnu: the DejaGnu directives in the source (dg-options,
 * dg-additional-options, dg-skip-if, dg-require-effective-target…) and the `.x` side files of the
 * ieee/ and builtins/ subdirectories (additional_flags, `return 1` = not run here).
 *
 * Three groups, as in GCC: execute/*.c (execute.exp: default flags `-w`), ieee/*.c (ieee.exp) and
 * builtins/*.c (builtins.exp: each test linked with its -lib.c and lib/main.c).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/guest-run.js';
import { conditionHolds, effectiveTarget, selectorHolds } from './target.js';
import { commands, listOf, matching, unquote, words } from './tcl-words.js';

export const TORTURE_DIR = join(repoRoot, 'debian', 'gcc-torture');
export const EXECUTE_DIR = join(TORTURE_DIR, 'execute');

/**
 * Optimisation levels and their torture options (-O3 includes -ftree-vectorize). The first three are
 * the suite's (npm run torture, CI); the others are there for longer hunts with --levels: -O1 and -Os,
 * GCC's own unrolling torture option, and LSE atomics inline (compat64 advertises FEAT_LSE).
 */
export const LEVELS = {
  O0: ['-O0'],
  O2: ['-O2'],
  O3: ['-O3'],
  O1: ['-O1'],
  Os: ['-Os'],
  'O3-unroll': ['-O3', '-fomit-frame-pointer', '-funroll-loops', '-fpeel-loops', '-ftracer', '-finline-functions'],
  'O2-lse': ['-O2', '-march=armv8-a+lse'],
} as const satisfies Record<string, readonly string[]>;
export type Level = keyof typeof LEVELS;
export const LEVEL_NAMES = Object.keys(LEVELS) as Level[];
/** The levels of a default run and of CI. */
export const DEFAULT_LEVELS: readonly Level[] = ['O0', 'O2', 'O3'];

/** Flags of builtins.exp (before a .x file replaces or extends them). */
const BUILTINS_FLAGS = [
  '-fno-tree-dse',
  '-fno-tree-loop-distribute-patterns',
  '-fno-tracer',
  '-fno-ipa-ra',
  '-fno-inline-functions',
];

interface SkipIf {
  reason: string;
  holds: boolean;
  include: string[];
  exclude: string[];
}

export interface TortureTest {
  /** group/name, e.g. execute/20000112-1, ieee/fp-cmp-1, builtins/abs-1. */
  readonly id: string;
  /** The C files compiled and linked together (absolute paths). */
  readonly sources: readonly string[];
  /** Flags from the group, the directives and the .x file, applied after the level's options. */
  readonly flags: readonly string[];
  /** Why the directives say the test is not run on this target at all, if they do. */
  readonly unsupported?: string;
  readonly skipIfs: readonly SkipIf[];
}

/** What one test at one level compiles with, or why the directives leave it out there. */
export interface Plan {
  flags: string[];
  unsupported?: string;
}

export function planFor(test: TortureTest, level: Level): Plan {
  const flags = [...LEVELS[level], ...test.flags];
  if (test.unsupported) return { flags, unsupported: test.unsupported };
  for (const s of test.skipIfs) {
    if (!s.holds) continue;
    const has = (glob: string) => glob === '*' || flags.includes(glob);
    const included = s.include.length === 0 || s.include.some(has);
    const excluded = s.exclude.some(has);
    if (included && !excluded) return { flags, unsupported: `dg-skip-if: ${s.reason || 'no reason given'}` };
  }
  return { flags };
}

/** True when the fetched tests are present. */
export function suiteAvailable(): boolean {
  return existsSync(EXECUTE_DIR);
}

/** Every test of the three groups, sorted by id. */
export function loadSuite(): TortureTest[] {
  const tests: TortureTest[] = [];
  const cFiles = (dir: string) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.c') && !f.endsWith('-lib.c'))
      .sort();
  for (const f of cFiles(EXECUTE_DIR)) tests.push(readTest('execute', EXECUTE_DIR, f, [], []));
  const ieee = join(EXECUTE_DIR, 'ieee');
  for (const f of cFiles(ieee)) tests.push(readTest('ieee', ieee, f, [], []));
  const builtins = join(EXECUTE_DIR, 'builtins');
  for (const f of cFiles(builtins)) {
    const extra = [join(builtins, f.replace(/\.c$/, '-lib.c')), join(builtins, 'lib', 'main.c')];
    tests.push(readTest('builtins', builtins, f, BUILTINS_FLAGS, extra));
  }
  return tests;
}

function readTest(group: string, dir: string, file: string, defaults: string[], extra: string[]): TortureTest {
  const src = join(dir, file);
  const xFile = join(dir, file.replace(/\.c$/, '.x'));
  const xText = existsSync(xFile) ? readFileSync(xFile, 'utf8') : undefined;
  const test = parseTest(group, file, readFileSync(src, 'latin1'), xText, defaults);
  return { ...test, sources: [src, ...extra] };
}

/**
 * A test from its source text and .x file text: the flags and skips its directives give. sources is
 * just the file name (readTest puts the paths in).
 */
export function parseTest(
  group: string,
  file: string,
  text: string,
  xText: string | undefined,
  defaults: readonly string[],
): TortureTest {
  const name = file.replace(/\.c$/, '');
  const flags = [...defaults];
  const skipIfs: SkipIf[] = [];
  let unsupported: string | undefined;
  if (xText !== undefined) {
    const x = runXFile(xText, flags);
    if (x) unsupported = `${name}.x: ${x}`;
  }
  for (const d of directives(text)) {
    const [kind, ...args] = d;
    switch (kind) {
      case 'dg-options':
      case 'dg-additional-options':
        if (args.length < 2 || selectorHolds(unquote(args[1]!))) flags.push(...listOf(args[0]!));
        break;
      case 'dg-skip-if':
        skipIfs.push({
          reason: unquote(args[0] ?? ''),
          holds: selectorHolds(unquote(args[1] ?? '{}')),
          include: (args[2] ? listOf(args[2]) : []).filter((o) => o !== ''),
          exclude: (args[3] ? listOf(args[3]) : []).filter((o) => o !== ''),
        });
        break;
      case 'dg-require-effective-target':
        if (!effectiveTarget(unquote(args[0]!)) && args.length < 2) {
          unsupported ??= `needs effective target ${unquote(args[0]!)}`;
        }
        break;
      case 'dg-do':
        if (unquote(args[0]!) !== 'run') unsupported ??= `dg-do ${unquote(args[0]!)} (not an execution test)`;
        break;
      // stack_size and ieee add nothing on a Linux target with IEEE doubles; stack sizes, aliases and
      // weak symbols are all available; expected failures and pruned messages are about compile-time
      // diagnostics or other targets: the reference here is qemu-aarch64 anyway.
      case 'dg-add-options':
      case 'dg-require-stack-size':
      case 'dg-require-alias':
      case 'dg-require-weak':
      case 'dg-xfail-if':
      case 'dg-xfail-run-if':
      case 'dg-prune-output':
        break;
      default:
        throw new Error(`${group}/${file}: unhandled directive ${kind}`);
    }
  }
  // -w: execute.exp's default flags; warnings do not matter to an execution test.
  return { id: `${group}/${name}`, sources: [file], flags: ['-w', ...flags], unsupported, skipIfs };
}

/** The `{ dg-… }` directives of a source file, each as its words (the directive name first). */
function directives(text: string): string[][] {
  const out: string[][] = [];
  const re = /\{\s*dg-/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const end = matching(text, m.index, '{', '}');
    out.push(words(text.slice(m.index + 1, end - 1)));
    re.lastIndex = end;
  }
  return out;
}

/** How a `.x` script ended: ran to its end or `return 0` (test runs), or the reason it returned 1. */
const RAN = '';

/**
 * Runs the parts of a `.x` file that matter here: `if` on target conditions, `set`/`lappend` of
 * additional_flags (into flags) and `return`. Gives RAN, or the reason when it returns 1 (not run).
 */
function runXFile(script: string, flags: string[]): string | null {
  for (const cmd of commands(script)) {
    const [name, ...args] = cmd;
    if (name === 'if') {
      // if COND BODY (no else clauses occur in the torture .x files)
      if (args.length !== 2) throw new Error(`.x: unsupported if form: ${cmd.join(' ')}`);
      if (conditionHolds(unquote(args[0]!))) {
        const r = runXFile(unquote(args[1]!), flags);
        if (r !== null) return r;
      }
    } else if ((name === 'set' || name === 'lappend') && args[0] === 'additional_flags') {
      if (name === 'set') flags.splice(0, flags.length);
      for (const w of args.slice(1)) flags.push(...listOf(w));
    } else if (name === 'return') {
      return unquote(args[0] ?? '0') === '0' ? RAN : 'returns 1 for this target';
    }
  }
  return null;
}
