/**
 * The DejaGnu target the torture tests are configured for: aarch64-linux-gnu with glibc, linked
 * statically, run by a Linux user-mode emulator. Answers the target selectors of the directives
 * (`{ target { ! alloca } }`, `{ *-*-* }`, `{ i?86-*-* && ia32 }`) and `[istarget …]` /
 * `[check_effective_target_…]` conditions in `.x` files, as the GCC testsuite's target-supports.exp
 * would answer them for this target.
 */
import { listOf, matching } from './tcl-words.js';

export const TARGET_TRIPLET = 'aarch64-unknown-linux-gnu';

/**
 * Effective-target keywords the tests ask about, and their value here. A keyword missing from this
 * table is an error (`effectiveTarget` throws), so a new GCC version cannot silently change the suite.
 */
const EFFECTIVE_TARGETS: Readonly<Record<string, boolean>> = {
  // Sizes and types of the LP64 AArch64 ABI.
  int32plus: true,
  int32: true,
  size32plus: true,
  longlong64: true,
  double64plus: true,
  int128: true,
  stdint_types: true,
  lp64: true,
  ilp32: false,
  ia32: false,
  // GNU C features GCC supports on aarch64-linux.
  label_values: true,
  trampolines: true,
  alloca: true,
  indirect_jumps: true,
  untyped_assembly: true,
  return_address: true,
  nonlocal_goto: true,
  fpic: true,
  // Decimal floating point: not supported by GCC on AArch64.
  dfp: false,
  // A hosted glibc environment with files, signals and mmap.
  fileio: true,
  unwrapped: true,
  mmap: true,
  c99_runtime: true,
  signal: true,
  freestanding: false,
  newlib_nano_io: false,
  vxworks_kernel: false,
  // Other architectures' features.
  ti_c67x: false,
  coldfire_fpu: false,
  hard_float: true,
};

/** Value of an effective-target keyword; throws for one this table does not know. */
export function effectiveTarget(name: string): boolean {
  const v = EFFECTIVE_TARGETS[name];
  if (v === undefined) throw new Error(`unknown effective-target keyword ${name} (add it to test/torture/target.ts)`);
  return v;
}

/** A DejaGnu glob (`*`, `?`, `[...]`, backslash escapes) as a regular expression. */
function globRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '\\' && i + 1 < glob.length) re += `\\${glob[++i]}`;
    else if (c === '[') {
      const end = glob.indexOf(']', i);
      if (end < 0) re += '\\[';
      else {
        re += glob.slice(i, end + 1);
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** True when a glob matches the target triplet (with or without the vendor field). */
export function isTarget(glob: string): boolean {
  const re = globRegExp(glob);
  return re.test(TARGET_TRIPLET) || re.test('aarch64-linux-gnu');
}

/** One selector element: a triplet glob (it has a `-`) or an effective-target keyword. */
function atom(word: string): boolean {
  return word.includes('-') || word.includes('*') ? isTarget(word) : effectiveTarget(word);
}

/**
 * Evaluates a selector: a list of triplet globs/keywords (true if any is), or an expression with
 * `!`, `&&`, `||` and braces (operands are evaluated even when the result is known, to consume them). `target` / `xfail` prefixes (`{ target x86_64-*-* }`) are dropped.
 */
export function selectorHolds(selector: string): boolean {
  let toks = selector
    .replace(/[{}"]/g, (b) => (b === '"' ? ' ' : ` ${b} `))
    .split(/\s+/)
    .filter((t) => t !== '');
  if (toks[0] === 'target' || toks[0] === 'xfail') toks = toks.slice(1);
  if (!toks.some((t) => t === '!' || t === '&&' || t === '||')) {
    return toks.filter((t) => t !== '{' && t !== '}').some(atom);
  }
  let pos = 0;
  const unary = (): boolean => {
    const t = toks[pos++];
    if (t === '!') return !unary();
    if (t === '{') {
      const v = or();
      pos++; // '}'
      return v;
    }
    if (t === undefined) throw new Error(`bad selector ${selector}`);
    return atom(t);
  };
  const and = (): boolean => {
    let v = unary();
    while (toks[pos] === '&&') {
      pos++;
      v = unary() && v;
    }
    return v;
  };
  const or = (): boolean => {
    // Juxtaposed elements ({ i?86-*-* x86_64-*-* }) are alternatives, like `||`.
    let v = and();
    while (pos < toks.length && toks[pos] !== '}') {
      if (toks[pos] === '||') pos++;
      v = and() || v;
    }
    return v;
  };
  return or();
}

/**
 * Evaluates a `.x` file's `if` condition: `[istarget "glob"]` and `[check_effective_target_x]` become
 * selector atoms; anything else in brackets (`[string-match … $CFLAGS]`) counts as false.
 */
export function conditionHolds(cond: string): boolean {
  let text = '';
  for (let i = 0; i < cond.length; ) {
    if (cond[i] === '[') {
      const end = matching(cond, i, '[', ']');
      const inner = listOf(`{${cond.slice(i + 1, end - 1)}}`);
      if (inner[0] === 'istarget') text += ` ${inner[1]} `;
      else if (inner[0]?.startsWith('check_effective_target_')) text += ` ${inner[0].slice(23)} `;
      else text += ' never-such-target-* ';
      i = end;
    } else text += cond[i++];
  }
  return selectorHolds(text);
}
