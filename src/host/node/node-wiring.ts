/**
 * Everything the library needs from Node to start a program: the Host and the guest's starting directory.
 */
import { realpathSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { unicodeToByteString } from '../../kernel/fs/byte-string.js';
import { NodeHost } from './node-host.js';

export interface NodeWiring {
  host: NodeHost;
  /** The guest path of the emulator's working directory (a byte string), or "/" when it is outside the root. */
  guestCwd: string;
}

/** Where the host's working directory is in the guest, given the guest root on the host. */
export function guestCwdFor(root: string, cwd: string): string {
  let realRoot: string;
  let realCwd: string;
  try {
    realRoot = realpathSync(resolve(root));
    realCwd = realpathSync(cwd);
  } catch {
    return '/';
  }
  const rel = relative(realRoot, realCwd);
  if (rel === '') return '/';
  if (rel.startsWith('..') || resolve(realRoot, rel) !== realCwd) return '/';
  return unicodeToByteString(`/${rel.split(sep).join('/')}`);
}

export function nodeWiring(root: string): NodeWiring {
  return { host: new NodeHost(), guestCwd: guestCwdFor(root, process.cwd()) };
}
