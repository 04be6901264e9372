/**
 * Builds the compat64 command as two esbuild bundles (run by `npm run bundle`, after tsc):
 *   dist/compat64-app.cjs  the application (src/cli/run-cli.ts and everything it imports), CommonJS
 *                          so that the loader can compile it as a classic script with V8's code cache;
 *   dist/compat64.mjs      the loader and package bin (src/cli/main.ts), with the application's
 *                          sha256 substituted for COMPAT64_APP_DIGEST (part of the cache key).
 * See src/cli/main.ts for why.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

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

async function main(): Promise<void> {
  const app = await build({ ...common, entryPoints: ['src/cli/run-cli.ts'], format: 'cjs', write: false });
  const code = app.outputFiles[0]!.contents;
  writeFileSync(join(dist, 'compat64-app.cjs'), code);
  const digest = createHash('sha256').update(code).digest('hex');
  await build({
    ...common,
    entryPoints: ['src/cli/main.ts'],
    format: 'esm',
    outfile: join(dist, 'compat64.mjs'),
    define: { COMPAT64_APP_DIGEST: JSON.stringify(digest) },
  });
}

main().catch((e: unknown) => {
  process.stderr.write(`bundle: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
