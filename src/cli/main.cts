#!/usr/bin/env node
/**
 * Entry point of the compat64 command, bundled alone into dist/compat64.cjs (the package's bin).
 * dist/compat64.mjs only imports it, for the command lines written before: an ES-module entry costs
 * Node ~8 ms more CPU at start than a CommonJS one (it initialises its ESM loader), so this is a
 * CommonJS module and the documented command is `node dist/compat64.cjs`.
 *
 * The application itself is dist/compat64-app.cjs (src/cli/run-cli.ts and everything it imports, one
 * esbuild bundle). Loading it is most of compat64's start-up: V8 parses ~0.5 MB of source and
 * compiles every function the first run touches. So this loader compiles it through `vm.Script`
 * with V8's code cache, kept per user under the cache directory (see cacheDir()): a warm start
 * deserialises bytecode instead of parsing and compiling. Measured on `busybox true`: see
 * bench/RESULTS.md.
 *
 * The cache is an optimisation only; every failure to find, read or write it is silent and the
 * program runs the same. Its file name carries the bundle's digest (computed by tools/bundle.ts at
 * build time), the bundle's size, mtime and inode (a bundle rebuilt or copied by hand gets a new
 * key), the Node version and the architecture; V8 itself rejects data made by another V8 version,
 * with other flags or for a source of another length, and this loader then replaces the file.
 * Files are written to a temporary name and renamed, so a reader never sees a partial file; the
 * directory keeps the few newest.
 *
 * V8's inlining budget per optimised function is raised before anything is compiled: compiled
 * guest blocks call one small handler per instruction, and with the default cumulative budget
 * (920 bytes of bytecode) most handlers are not inlined (measured 2.8× slower on the benchmark's
 * integer loop). The size limit of a single inlined function stays near V8's default (460): at
 * 2000, Cpu.run's optimising compile inlined its cold paths and took >100 ms, and a process
 * whose guest exits while that compile runs waits for it (Node joins its worker threads at exit):
 * `busybox true` spent ~120 ms between exit and being reaped. At 600 that wait is ~20 ms as with
 * no flags, and sha256 and mix ran ~10% faster than at 2000. Setting the budgets first also keeps
 * V8's flag hash, which code-cache data must match, the same in every run. They are never changed
 * later: raising them once the guest was running lost the gain on sha256, and changing them while
 * a compile job ran in the background crashed V8 (a CHECK in its inliner).
 */
import type * as FsModule from 'node:fs';
import type * as VmModule from 'node:vm';

/** sha256 of dist/compat64-app.cjs, substituted by tools/bundle.ts; undefined when run unbundled. */
declare const COMPAT64_APP_DIGEST: string | undefined;

const APP_FILE = 'compat64-app.cjs';
/** Parameters of the CommonJS wrapper the bundle is compiled in (esbuild's cjs output expects them). */
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) {';
const WRAPPER_TAIL = '\n})';

type Require = (id: string) => unknown;

interface Builtins {
  fs: typeof FsModule;
  vm: typeof VmModule;
  setFlagsFromString: (flags: string) => void;
  /** The `require` the bundle gets: esbuild inlined everything else, so it only asks for node:* modules. */
  require: Require;
}

/**
 * Node's built-in modules, without a CommonJS loader for the bundle. process.getBuiltinModule
 * exists from Node 20.16; older 20.x use this module's own require.
 */
function builtins(): Builtins {
  const get = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  const load: Require = typeof get === 'function' ? (id) => get(id) : require;
  return {
    fs: load('node:fs') as typeof FsModule,
    vm: load('node:vm') as typeof VmModule,
    setFlagsFromString: v8FlagSetter(load),
    require: (id) => {
      if (!id.startsWith('node:')) throw new Error(`${APP_FILE} requires ${id}, which is not a Node.js built-in`);
      return load(id);
    },
  };
}

/**
 * V8's setFlagsFromString. node:v8 costs ~3.5 ms of CPU to load (it loads its heap-snapshot
 * streams), ~3% of a `busybox true`; the function it wraps is in the v8 binding, which loads in
 * 0.4 ms. process.binding('v8') is deprecated (DEP0111) and warns on first use: the warning is
 * suppressed for that one call (Node checks process.noDeprecation synchronously). Any surprise
 * (no process.binding, no such function, a throw) falls back to node:v8.
 */
function v8FlagSetter(load: Require): (flags: string) => void {
  const binding = (process as { binding?: (id: string) => unknown }).binding;
  if (typeof binding === 'function') {
    const saved = process.noDeprecation;
    process.noDeprecation = true;
    try {
      const v8 = binding.call(process, 'v8') as { setFlagsFromString?: unknown } | undefined;
      const set = v8?.setFlagsFromString;
      if (typeof set === 'function') return (flags) => void set.call(v8, flags);
    } catch {
      // fall back to the public module
    } finally {
      process.noDeprecation = saved;
    }
  }
  return (load('node:v8') as typeof import('node:v8')).setFlagsFromString;
}

/**
 * Where the code cache lives: $COMPAT64_CACHE_DIR (empty: no cache), else $XDG_CACHE_HOME/compat64,
 * else $HOME/.cache/compat64. Undefined when there is none.
 */
function cacheDir(env: NodeJS.ProcessEnv): string | undefined {
  const own = env.COMPAT64_CACHE_DIR;
  if (own !== undefined) return own === '' ? undefined : own;
  if (env.XDG_CACHE_HOME) return `${env.XDG_CACHE_HOME}/compat64`;
  if (env.HOME) return `${env.HOME}/.cache/compat64`;
  return undefined;
}

/** The cache file for this bundle and this Node, or undefined when the bundle carries no digest. */
function cacheFile(fs: typeof FsModule, appPath: string): string | undefined {
  const digest = typeof COMPAT64_APP_DIGEST === 'string' ? COMPAT64_APP_DIGEST : undefined;
  const dir = cacheDir(process.env);
  if (digest === undefined || dir === undefined) return undefined;
  // Size, modification time and inode: a copy or a same-length edit of the bundle gets its own key.
  const st = fs.statSync(appPath, { bigint: true });
  const stamp = `${st.size.toString(36)}-${st.mtimeNs.toString(36)}-${st.ino.toString(36)}`;
  return `${dir}/${digest.slice(0, 16)}-${stamp}-${process.version}-${process.arch}.v8cache`;
}

function readCache(fs: typeof FsModule, file: string | undefined): Buffer | undefined {
  if (file === undefined) return undefined;
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Creates dir and up to `depth` missing ancestors. Not mkdirSync's `recursive`: under /proc that
 * retries forever (mkdir keeps failing with ENOENT while the parent exists; Node 20.20).
 */
function makeDir(fs: typeof FsModule, dir: string, depth: number): void {
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    const parent = dir.slice(0, dir.lastIndexOf('/'));
    if (code !== 'ENOENT' || depth === 0 || parent === '') throw e;
    makeDir(fs, parent, depth - 1);
    fs.mkdirSync(dir, { mode: 0o700 });
  }
}

/** Writes data to file through a temporary name; silent on failure (read-only home, full disk…). */
function writeCache(fs: typeof FsModule, file: string, data: Buffer): void {
  const dir = file.slice(0, file.lastIndexOf('/'));
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    makeDir(fs, dir, 4);
    fs.writeFileSync(tmp, data, { mode: 0o600 });
    fs.renameSync(tmp, file);
    pruneCache(fs, dir);
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // nothing more to do: the cache is optional
    }
  }
}

/** Cache files kept per directory: each build (or copy) of the bundle makes a new one (~0.8 MB). */
const KEEP_CACHE_FILES = 4;
/** Temporary files older than this were left by a process that died while writing. */
const STALE_TMP_MS = 60 * 60 * 1000;

/** Removes all but the KEEP_CACHE_FILES newest cache files, and stale temporary files. */
function pruneCache(fs: typeof FsModule, dir: string): void {
  const now = Date.now();
  const caches: { path: string; mtime: number }[] = [];
  for (const name of fs.readdirSync(dir)) {
    const path = `${dir}/${name}`;
    if (name.endsWith('.v8cache')) caches.push({ path, mtime: fs.statSync(path).mtimeMs });
    else if (name.endsWith('.tmp') && now - fs.statSync(path).mtimeMs > STALE_TMP_MS) fs.rmSync(path, { force: true });
  }
  caches.sort((a, b) => b.mtime - a.mtime);
  for (const old of caches.slice(KEEP_CACHE_FILES)) fs.rmSync(old.path, { force: true });
}

const { fs, vm, setFlagsFromString, require: appRequire } = builtins();
setFlagsFromString('--max-inlined-bytecode-size-cumulative=20000');
setFlagsFromString('--max-inlined-bytecode-size=600');
// V8 optimises a function once it has run ~3 × 67584 bytes of bytecode (the interrupt budget). At
// that rate a short run starts TurboFan jobs for the decoder's table builders, the decoder and
// Cpu.run, then exits while they compile — and Node joins its worker threads at exit, so the process
// waited for them (20 ms idle, 80–180 ms on a loaded machine) and paid their CPU. With ~3× the
// budget `busybox true` starts none of them: total CPU 206 → 152 ms, exit wait 155 → 26 ms (load
// ≈ 16); sha256 and mix, which run long enough to optimise anyway, did not get slower.
setFlagsFromString('--interrupt-budget=200000');
// Small functions (< 81 bytes of bytecode) are otherwise optimised at their first budget tick: in a
// short run that is the decoder's decode(), a ~15 ms TurboFan job on a worker thread. Waiting for
// them like the others: busybox true −7 ms of CPU (125 → 118, interleaved runs, load ≈ 15); sha256
// and mix CPU 3532/9939 → 3386/9766 ms (the handlers are inlined into compiled blocks anyway).
setFlagsFromString('--max-bytecode-size-for-early-opt=0');
// Release builds of V8 trust code-cache data whose header is right; a file damaged after it was
// written (disk, another program) would crash every start. The checksum is there, check it.
setFlagsFromString('--verify-snapshot-checksum');

// The bundle sits next to this file (__dirname is this file's real directory, also through a bin symlink).
const appDir = __dirname;
const appPath = `${appDir}/${APP_FILE}`;
// The bundle is ASCII (tools/bundle.ts checks it): latin1 decodes it without UTF-8 validation.
const source = fs.readFileSync(appPath, 'latin1');
let file: string | undefined;
try {
  file = cacheFile(fs, appPath);
} catch {
  file = undefined;
}
const cached = readCache(fs, file);
const script = new vm.Script(WRAPPER_HEAD + source + WRAPPER_TAIL, { filename: appPath, cachedData: cached });
if (file !== undefined && (cached === undefined || script.cachedDataRejected === true) && process.argv[2] === 'run') {
  // Made at exit, the data holds every function this run compiled, not only the top level; so only
  // a `run` that succeeded writes it (a `--version` or a failed start would leave a cache without
  // the emulator in it for every later run).
  const target = file;
  process.once('exit', (code) => {
    if (code === 0) writeCache(fs, target, script.createCachedData());
  });
}
const wrapper = script.runInThisContext() as (
  exports: object,
  require: Require,
  module: { exports: object },
  filename: string,
  dirname: string,
) => void;
const appModule = { exports: {} };
wrapper(appModule.exports, appRequire, appModule, appPath, appDir);
