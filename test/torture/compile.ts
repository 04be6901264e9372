/**
 * Compiles a torture test for one level with the cross compiler (`aarch64-linux-gnu-gcc -static`),
 * caching the binary under debian/gcc-torture/build/<level>/<group>/<name>. The cache key hashes the
 * compiler's version, the flags and every source, so a rerun compiles only what changed; a compile
 * failure is cached too (its diagnostics in <name>.err).
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type Level, type Plan, TORTURE_DIR, type TortureTest } from './suite.js';

export const CC = 'aarch64-linux-gnu-gcc';
const COMPILE_TIMEOUT_MS = 300_000;

let ccVersion: string | null | undefined;

/** The cross compiler's `--version` text, or undefined when it is not installed. */
export function compilerVersion(): string | undefined {
  if (ccVersion === undefined) {
    try {
      ccVersion = execFileSync(CC, ['--version'], { encoding: 'utf8' });
    } catch {
      ccVersion = null;
    }
  }
  return ccVersion ?? undefined;
}

export type CompileResult = { ok: true; binary: string; cached: boolean } | { ok: false; diagnostics: string };

/** The binary's path in the cache. */
export function binaryPath(test: TortureTest, level: Level): string {
  return join(TORTURE_DIR, 'build', level, test.id);
}

function cacheKey(test: TortureTest, plan: Plan): string {
  const h = createHash('sha256');
  h.update(compilerVersion() ?? '');
  h.update(JSON.stringify(plan.flags));
  for (const s of test.sources) h.update(readFileSync(s));
  return h.digest('hex');
}

/** The command line used for a test (also shown in reports, to rebuild a failing test by hand). */
export function compileArgs(test: TortureTest, plan: Plan, out: string): string[] {
  return ['-static', ...plan.flags, ...test.sources, '-lm', '-o', out];
}

export async function compile(test: TortureTest, level: Level, plan: Plan): Promise<CompileResult> {
  const bin = binaryPath(test, level);
  const keyFile = `${bin}.key`;
  const errFile = `${bin}.err`;
  const key = cacheKey(test, plan);
  if (existsSync(keyFile) && readFileSync(keyFile, 'utf8') === key) {
    if (existsSync(errFile)) return { ok: false, diagnostics: readFileSync(errFile, 'utf8') };
    if (existsSync(bin)) return { ok: true, binary: bin, cached: true };
  }
  mkdirSync(dirname(bin), { recursive: true });
  rmSync(keyFile, { force: true });
  rmSync(errFile, { force: true });
  rmSync(bin, { force: true });
  const r = await spawnCollect(CC, compileArgs(test, plan, bin), COMPILE_TIMEOUT_MS);
  if (r.code === 0 && existsSync(bin)) {
    writeFileSync(keyFile, key);
    return { ok: true, binary: bin, cached: false };
  }
  const diagnostics = r.timedOut ? 'compiler timed out' : r.output || `compiler exit status ${r.code}`;
  // A timeout may be the machine's load, not the test: do not cache it.
  if (!r.timedOut) {
    writeFileSync(errFile, diagnostics);
    writeFileSync(keyFile, key);
  }
  return { ok: false, diagnostics };
}

function spawnCollect(
  file: string,
  args: string[],
  timeoutMs: number,
): Promise<{ code: number | null; output: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => chunks.push(b));
    child.stderr.on('data', (b: Buffer) => chunks.push(b));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output: Buffer.concat(chunks).toString('utf8'), timedOut });
    });
  });
}
