/**
 * Every line of the golden files (printed by test/guest/abi/layouts-*.c built against the real
 * aarch64 and armhf headers; `make -C test/guest/abi golden` regenerates them) must agree with
 * the layout engine: "name size" is sizeof, "name.member offset" is offsetof.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { type DataModel, ILP32_EABI, LP64, layoutOf, offsetOf } from '../../../src/kernel/abi/layout.js';
import { STRUCTS } from '../../../src/kernel/abi/structs.js';

const GOLDEN = [
  { file: 'golden-layouts-arm64.txt', model: LP64 },
  { file: 'golden-layouts-arm.txt', model: ILP32_EABI },
] as const;

function goldenLines(file: string): [string, number][] {
  // Compiled to dist/test/kernel/abi/: the golden files stay in the source tree.
  const text = readFileSync(new URL(`../../../../test/kernel/abi/${file}`, import.meta.url), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const [key, value] = line.split(' ');
      assert.ok(key !== undefined && value !== undefined && /^\d+$/.test(value), `malformed golden line: ${line}`);
      return [key, Number(value)];
    });
}

function engineValue(key: string, model: DataModel): number {
  const dot = key.indexOf('.');
  const name = dot < 0 ? key : key.slice(0, dot);
  const struct = STRUCTS.get(name);
  if (struct === undefined) throw new Error(`no declaration named ${name}`);
  const layout = layoutOf(struct, model);
  return dot < 0 ? layout.size : offsetOf(layout, key.slice(dot + 1)).offset;
}

for (const { file, model } of GOLDEN) {
  describe(`layouts match the ${model.name} headers (${file})`, () => {
    const lines = goldenLines(file);
    test('the golden file is not empty', () => assert.ok(lines.length > 300));
    for (const [key, expected] of lines) {
      test(key, () => assert.equal(engineValue(key, model), expected));
    }
  });
}

test('every declared structure is checked against a real header', () => {
  const sized = new Set(GOLDEN.flatMap(({ file }) => goldenLines(file).map(([key]) => key)));
  const unchecked = [...STRUCTS.keys()].filter((name) => !sized.has(name));
  assert.deepEqual(unchecked, []);
});
