/**
 * Builds the compat64 command as two esbuild bundles (run by `npm run bundle`, after tsc):
 *   dist/compat64-app.cjs  the application (src/cli/run-cli.ts and everything it imports), CommonJS
 *                          so that the loader can compile it as a classic script with V8's code cache;
 *   dist/compat64.cjs      the loader and package bin (src/cli/main.cts), with the application's
 *                          sha256 substituted for COMPAT64_APP_DIGEST (part of the cache key);
 *   dist/compat64.mjs      an ES module that only imports dist/compat64.cjs, for `node dist/compat64.mjs`
 *                          command lines written before the bin became CommonJS (it starts ~8 ms slower).
 * See src/cli/main.cts for why.
 */
import { createHash } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build } from 'esbuild';
import { decoderBits } from '../src/cpu/a64/decoder.js';

/** The repository: this file runs as dist/tools/bundle.js. */
const root = fileURLToPath(new URL('../..', import.meta.url));
const dist = join(root, 'dist');

const common: BuildOptions = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  minifySyntax: true,
  minifyWhitespace: true,
  legalComments: 'none',
  logLevel: 'warning',
};

/** dist/compat64.mjs: the former bin, kept working; Node runs the imported CommonJS loader as usual. */
const MJS_ENTRY = [
  '#!/usr/bin/env node',
  '// The compat64 command is dist/compat64.cjs (see src/cli/main.cts); this entry only forwards to it.',
  "import './compat64.cjs';",
].join('\n');

async function main(): Promise<void> {
  const app = await build({
    ...common,
    entryPoints: ['src/cli/run-cli.ts'],
    format: 'cjs',
    write: false,
    // Short local names: the source V8 reads and hashes at every start is ~25% smaller (~2 ms).
    // Stack traces name minified functions; `node dist/src/cli/run-cli.js` runs the unbundled modules.
    minifyIdentifiers: true,
    // The decoder's row masks, computed here from the same table (src/cpu/a64/decoder.ts).
    define: { COMPAT64_DECODER_BITS: JSON.stringify(decoderBits()) },
  });
  const code = app.outputFiles[0]!.contents;
  // The loader reads the bundle as latin1 (src/cli/main.cts): esbuild escapes non-ASCII by default.
  const wide = code.findIndex((b) => b > 0x7f);
  if (wide >= 0) throw new Error(`compat64-app.cjs has a non-ASCII byte at ${wide}`);
  writeFileSync(join(dist, 'compat64-app.cjs'), code);
  const digest = createHash('sha256').update(code).digest('hex');
  await build({
    ...common,
    entryPoints: ['src/cli/main.cts'],
    format: 'cjs',
    outfile: join(dist, 'compat64.cjs'),
    define: { COMPAT64_APP_DIGEST: JSON.stringify(digest) },
  });
  const mjs = join(dist, 'compat64.mjs');
  writeFileSync(mjs, `${MJS_ENTRY}\n`);
  chmodSync(mjs, 0o755);
}

main().catch((e: unknown) => {
  process.stderr.write(`bundle: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
