/**
 * Every structure compat64 reads or writes in guest memory, declared once with its Linux name
 * (split by subsystem), and a registry of them by C name for tests and the trace printer.
 */

import type { StructType } from './layout.js';
import * as fs from './structs-fs.js';
import * as io from './structs-io.js';
import * as ipc from './structs-ipc.js';
import * as net from './structs-net.js';
import * as process from './structs-process.js';
import * as signal from './structs-signal.js';
import * as time from './structs-time.js';

export * from './structs-fs.js';
export * from './structs-io.js';
export * from './structs-ipc.js';
export * from './structs-net.js';
export * from './structs-process.js';
export * from './structs-signal.js';
export * from './structs-time.js';

function registry(...modules: object[]): ReadonlyMap<string, StructType> {
  const byName = new Map<string, StructType>();
  for (const module of modules) {
    for (const value of Object.values(module)) {
      if (typeof value !== 'object' || value === null || (value as { kind?: unknown }).kind !== 'struct') continue;
      const struct = value as StructType;
      if (byName.has(struct.name) && byName.get(struct.name) !== struct) {
        throw new Error(`two declarations named ${struct.name}`);
      }
      byName.set(struct.name, struct);
    }
  }
  return byName;
}

/** Exported declarations by C name (`stat64`, `__kernel_timespec`, …). */
export const STRUCTS: ReadonlyMap<string, StructType> = registry(fs, io, ipc, net, process, signal, time);
