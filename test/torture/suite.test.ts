/**
 * How the torture runner reads GCC's test directives and .x files: selectors, skips, options.
 * Runs without the fetched suite (fixtures are written to a temporary directory).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inSample, parseSample } from './select.js';
import { parseTest, planFor } from './suite.js';
import { conditionHolds, effectiveTarget, isTarget, selectorHolds } from './target.js';
import { commands, listOf } from './tcl-words.js';

describe('torture: target selectors', () => {
  it('matches triplet globs against aarch64-linux-gnu', () => {
    assert.equal(isTarget('*-*-*'), true);
    assert.equal(isTarget('aarch64*-*-*'), true);
    assert.equal(isTarget('i?86-*-*'), false);
    assert.equal(isTarget('*-*-linux*'), true);
    assert.equal(isTarget('i?86-*-freebsd*\\[123\\]\\.*'), false);
  });
  it('evaluates lists, negation and && / ||', () => {
    assert.equal(selectorHolds('{ i?86-*-* x86_64-*-* }'), false);
    assert.equal(selectorHolds('target { ! alloca }'), false);
    assert.equal(selectorHolds('! { i?86-*-* x86_64-*-* }'), true);
    assert.equal(selectorHolds('target { { i?86-*-* x86_64-*-* } && ia32 }'), false);
    assert.equal(selectorHolds('{ aarch64*-*-* && lp64 }'), true);
    assert.equal(selectorHolds('freestanding'), false);
    assert.equal(selectorHolds('{ avr-*-* || signal }'), true);
  });
  it('refuses an unknown effective-target keyword', () => {
    assert.equal(effectiveTarget('trampolines'), true);
    assert.throws(() => effectiveTarget('no_such_keyword'), /unknown effective-target/);
  });
  it('evaluates .x conditions', () => {
    assert.equal(conditionHolds('[istarget "avr-*-*"]'), false);
    assert.equal(conditionHolds('{ ! [check_effective_target_nonlocal_goto] }'), false);
    assert.equal(conditionHolds('{ [check_effective_target_c99_runtime] }'), true);
    assert.equal(conditionHolds('{ [istarget "d10v-*-*"] && ! [string-match "*-mdouble64*" $CFLAGS] }'), false);
  });
});

describe('torture: Tcl words', () => {
  it('splits commands and keeps quoted and braced words whole', () => {
    assert.deepEqual(commands('# c\nlappend additional_flags "-fno-ivopts" "-fno-gcse"\nreturn 0'), [
      ['lappend', 'additional_flags', '"-fno-ivopts"', '"-fno-gcse"'],
      ['return', '0'],
    ]);
    assert.deepEqual(commands('if { [a] } {\n  return 1\n}'), [['if', '{ [a] }', '{\n  return 1\n}']]);
    assert.deepEqual(listOf('{ "-O0" "" }'), ['-O0', '']);
  });
});

describe('torture: directives', () => {
  it('applies dg-options for this target and ignores other targets', () => {
    const t = parseTest(
      'execute',
      'x.c',
      '/* { dg-options "-fwrapv" } */\n/* { dg-options "-mno-mmx" { target { x86_64-*-* i?86-*-* } } } */\n' +
        '/* { dg-additional-options "-fno-common" { target aarch64*-*-* } } */\nint main(){return 0;}',
      undefined,
      [],
    );
    assert.deepEqual(planFor(t, 'O2').flags, ['-O2', '-w', '-fwrapv', '-fno-common']);
    assert.equal(planFor(t, 'O2').unsupported, undefined);
  });
  it('skips by dg-skip-if only at the levels its option lists name', () => {
    const t = parseTest('execute', 'x.c', '/* { dg-skip-if "needs -O1" { *-*-* } { "-O0" } { "" } } */', undefined, []);
    assert.match(planFor(t, 'O0').unsupported ?? '', /needs -O1/);
    assert.equal(planFor(t, 'O3').unsupported, undefined);
    const u = parseTest(
      'execute',
      'y.c',
      '/* { dg-skip-if "x86 only" { ! { i?86-*-* x86_64-*-* } } } */',
      undefined,
      [],
    );
    assert.match(planFor(u, 'O2').unsupported ?? '', /x86 only/);
  });
  it('leaves out tests needing an effective target this target lacks', () => {
    const t = parseTest('execute', 'x.c', '/* { dg-require-effective-target dfp } */', undefined, []);
    assert.match(planFor(t, 'O2').unsupported ?? '', /dfp/);
    const u = parseTest('execute', 'y.c', '/* { dg-require-effective-target trampolines } */', undefined, []);
    assert.equal(planFor(u, 'O2').unsupported, undefined);
  });
  it('runs .x files: set/lappend additional_flags, if on target, return', () => {
    const flags = parseTest('builtins', 'a.c', '', 'set additional_flags -fno-builtin-abs\nreturn 0', ['-fno-tracer']);
    assert.deepEqual(planFor(flags, 'O0').flags, ['-O0', '-w', '-fno-builtin-abs']);
    const c99 = parseTest(
      'ieee',
      'c.c',
      '',
      'if { [check_effective_target_c99_runtime] } {\n    return 0\n}\nreturn 1',
      [],
    );
    assert.equal(planFor(c99, 'O2').unsupported, undefined);
    const avr = parseTest(
      'ieee',
      'd.c',
      '',
      'if [istarget "avr-*-*"] {\n  return 1\n}\nlappend additional_flags "-ffloat-store"',
      [],
    );
    assert.deepEqual(planFor(avr, 'O2').flags, ['-O2', '-w', '-ffloat-store']);
    const off = parseTest('ieee', 'e.c', '', 'return 1', []);
    assert.match(planFor(off, 'O2').unsupported ?? '', /returns 1/);
  });
  it('rejects a directive it does not know', () => {
    assert.throws(() => parseTest('execute', 'x.c', '/* { dg-final { scan-assembler "x" } } */', undefined, []));
  });
});

describe('torture: samples', () => {
  it('partitions the tests', () => {
    const ids = Array.from({ length: 200 }, (_, i) => `execute/t${i}`);
    const counts = [0, 1, 2, 3].map((k) => ids.filter((id) => inSample(id, k, 4)).length);
    assert.equal(
      counts.reduce((a, b) => a + b),
      200,
    );
    for (const c of counts) assert.ok(c > 20, `sample sizes ${counts}`);
    assert.deepEqual(parseSample('1/3'), { k: 1, n: 3 });
    assert.throws(() => parseSample('3/3'));
  });
});
