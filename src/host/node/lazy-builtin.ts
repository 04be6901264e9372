/**
 * Node built-in modules loaded on first use instead of at start.
 *
 * A static `import` of node:crypto, node:net, node:dgram or node:tty makes every compat64 start load
 * it (node:tty and node:net also load the streams implementation), though most programs never open
 * a socket or ask for a terminal's size: together ~10 ms of CPU per start (bench/RESULTS.md). Host
 * code that needs one of them rarely gets it through a getter made here.
 *
 * process.getBuiltinModule exists from Node 20.16. Older 20.x use the bundle's `require` (the
 * loader's, src/cli/main.cts); a static import of node:module for createRequire would cost every
 * start ~0.6 ms, so unbundled code on those versions gets a clear error instead.
 */

type Load = (id: string) => unknown;

let load: Load | undefined;

function loader(): Load {
  if (load === undefined) {
    const get = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
    if (typeof get === 'function') load = (id) => get.call(process, id);
    else if (typeof require === 'function') load = require;
    else throw new Error('compat64 needs Node.js 20.16 or later (process.getBuiltinModule)');
  }
  return load;
}

/** A getter for the built-in module `id` (a `node:` name), loading it on the first call. */
export function lazyBuiltin<T>(id: `node:${string}`): () => T {
  let module: T | undefined;
  return () => {
    module ??= loader()(id) as T;
    return module;
  };
}
