/**
 * Everything the library needs from Node to start a program: the Host, the guest's starting
 * directory, opening the program (and its interpreter) and giving the first task its stdio.
 */
import { realpathSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { unicodeToByteString } from '../../kernel/fs/byte-string.js';
import { installStdio } from '../../kernel/fs/host-stream.js';
import { openExecutableOnHost } from '../../kernel/fs/open-path.js';
import { Vfs } from '../../kernel/fs/vfs.js';
import type { Kernel } from '../../kernel/kernel.js';
import type { FileBacking } from '../../kernel/mm/vma.js';
import type { Task } from '../../kernel/task/task.js';
import { NodeHost } from './node-host.js';

export interface NodeWiring {
  host: NodeHost;
  /** The guest path of the emulator's working directory (a byte string), or "/" when it is outside the root. */
  guestCwd: string;
  openExecutable(task: Task, guestPath: string): FileBacking | number;
  installStdio(kernel: Kernel, task: Task): void;
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
  const host = new NodeHost();
  // The first program and its interpreter are opened before the machine exists (see runProgram):
  // through a VFS of their own over the same root, which finds host files only.
  const bootVfs = new Vfs(host.fs, root, (text) => host.traceWrite(text));
  return {
    host,
    guestCwd: guestCwdFor(root, process.cwd()),
    openExecutable: (task, guestPath) => openExecutableOnHost(bootVfs, task.fs.cwd, guestPath),
    installStdio,
  };
}
