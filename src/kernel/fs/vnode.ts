/**
 * What a guest path names: a host file under the guest root, or a node of a synthetic tree (/proc,
 * /dev). A Loc is a resolved position in the guest tree: the node plus the chain of directories that
 * led to it, so ".." and getcwd need no second lookup.
 */
import type { Kernel } from '../kernel.js';
import type { Task } from '../task/task.js';
import type { FileStat, HostStatfs } from './host-fs.js';
import type { OpenFile } from './open-file.js';

/** Who is looking: /proc/self and the fd links depend on the task. */
export interface FsEnv {
  readonly kernel: Kernel;
  readonly task: Task;
}

/** A directory entry as getdents reports it. */
export interface DirEntry {
  name: string;
  ino: number;
  /** DT_* */
  type: number;
}

interface SynthBase {
  readonly ino: number;
  /** Permission bits (the type comes from the kind). */
  readonly perm: number;
  /** Device of the synthetic file system (procfs, devtmpfs), Linux dev_t encoding. */
  readonly dev: number;
  /** st_rdev for device nodes. */
  readonly rdev?: number;
  /** Owned by root (system files) rather than by the looking task's user (/proc/<pid>). */
  readonly rootOwned?: boolean;
  /** st_size (0 when absent, as for most of /proc). */
  readonly size?: number;
  /** statfs of the node's file system when it is not what /proc and /dev report (hugetlbfs). */
  statfs?(): HostStatfs;
}

export interface SynthDir extends SynthBase {
  readonly type: 'dir';
  entries(env: FsEnv): DirEntry[];
  lookup(env: FsEnv, name: string): VNode | undefined;
  /**
   * A directory that holds files of its own (hugetlbfs): open(O_CREAT) of a missing name creates a
   * regular file. flags are the description's (keptFlags), mode is already masked by the umask.
   */
  create?(env: FsEnv, name: string, flags: number, mode: number): OpenFile | number;
  /** unlink of a name in such a directory. */
  unlink?(env: FsEnv, name: string): number;
}

export interface SynthFile extends SynthBase {
  readonly type: 'file' | 'chr';
  open(env: FsEnv, flags: number, path: string): OpenFile | number;
}

export interface SynthLink extends SynthBase {
  readonly type: 'link';
  /** The link text readlink shows (a guest path, or "pipe:[n]" style for magic links). */
  target(env: FsEnv): string;
  /**
   * A magic link (/proc/self/fd/N, /proc/self/exe): following it as the last component opens this
   * instead of looking the text up, as Linux's proc links do.
   */
  follow?(env: FsEnv): VNode | undefined;
}

export type SynthNode = SynthDir | SynthFile | SynthLink;

export interface HostNode {
  readonly kind: 'host';
  /** Host path as a byte string. */
  readonly hostPath: string;
  /** lstat of hostPath at lookup time. */
  readonly st: FileStat;
}

export interface SynthVNode {
  readonly kind: 'synth';
  readonly s: SynthNode;
}

/** An already-open file reached through a magic link (a pipe or a deleted file behind /proc/self/fd/N). */
export interface FileVNode {
  readonly kind: 'file';
  readonly file: OpenFile;
}

export type VNode = HostNode | SynthVNode | FileVNode;

export interface Loc {
  /** Name in the parent (byte string); '' for the root. */
  readonly name: string;
  readonly parent: Loc | undefined;
  readonly node: VNode;
}

/** The canonical guest path of a location: "/" for the root. */
export function guestPathOf(loc: Loc): string {
  const parts: string[] = [];
  for (let l: Loc | undefined = loc; l?.parent !== undefined; l = l.parent) parts.push(l.name);
  return parts.length === 0 ? '/' : `/${parts.reverse().join('/')}`;
}

export function childLoc(parent: Loc, name: string, node: VNode): Loc {
  return { name, parent, node };
}
