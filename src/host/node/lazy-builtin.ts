/**
 * Node built-in modules loaded on first use instead of at start.
 *
 * A static `import` of node:crypto, node:net, node:dgram or node:tty makes every compat64 start load
 * it (node:tty and node:net also load the streams implementation), though most programs never open
 * a socket or ask for a terminal's size: together ~10 ms of CPU per start (bench/RESULTS.md). Host
 * code that needs one of them rarely gets it through a getter made here.
 *
 * process.getBuiltinModule exists from Node 20.16; older 20.x use a require made for this module
 * (tools/bundle.ts defines import.meta.url for the CommonJS bundle).
 */
import { createRequire } from 'node:module';

type Load = (id: string) => unknown;

let load: Load | undefined;

function loader(): Load {
  if (load === undefined) {
    const get = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
    load = typeof get === 'function' ? (id) => get.call(process, id) : createRequire(import.meta.url);
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
