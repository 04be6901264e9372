/**
 * The VFS state of one kernel: the guest root on the host, the synthetic file systems mounted over
 * it (/proc, /dev), the host files kept open for mappings, and numbers for anonymous inodes.
 */
import type { PhysicalMemory } from '../../memory/physical-memory.js';
import type { Kernel } from '../kernel.js';
import { type PageCache, pageCacheOf } from '../mm/page-cache.js';
import { makeDevFs } from './devices.js';
import type { HostBacking } from './host-backing.js';
import type { HostFs } from './host-fs.js';
import { makeProcFs } from './proc.js';
import type { Loc, SynthDir } from './vnode.js';

const ENOTDIR = -20;
const S_IFDIR = 0o040000;
const S_IFMT = 0o170000;

/** The synthetic file systems and the top-level names they are mounted on. */
const SYNTHETIC_MOUNTS: ReadonlyMap<string, () => SynthDir> = new Map([
  ['proc', makeProcFs],
  ['dev', makeDevFs],
]);

export class Vfs {
  /** Host path of the guest root, without a trailing slash ('/' for the host root). */
  readonly hostRoot: string;
  /** Built on first lookup: most runs never look into /proc or /dev, and /proc's tree is large. */
  private readonly mounts = new Map<string, SynthDir>();
  /** Host files kept open because a mapping or a loaded program refers to them, by dev:ino. */
  readonly backings = new Map<string, HostBacking>();
  private nextAnonIno = 1000;
  private warned = new Set<string>();

  constructor(
    readonly host: HostFs,
    root: string,
    /** Where diagnostics go (the emulator's stderr). */
    private readonly warn: (text: string) => void,
    /** The machine's memory, for the page caches of mapped files (absent before a machine exists). */
    readonly phys?: PhysicalMemory,
  ) {
    const trimmed = root.replace(/\/+$/, '');
    this.hostRoot = trimmed === '' ? '/' : trimmed;
  }

  /** The synthetic file system mounted on /name, if any. */
  mountAt(name: string): SynthDir | undefined {
    let m = this.mounts.get(name);
    if (m === undefined) {
      const make = SYNTHETIC_MOUNTS.get(name);
      if (make === undefined) return undefined;
      m = make();
      this.mounts.set(name, m);
    }
    return m;
  }

  /** The root location, looked up afresh (its lstat follows the root if it is itself a link). */
  rootLoc(): Loc | number {
    const st = this.host.lstat(this.hostRoot === '/' ? '/' : `${this.hostRoot}/.`);
    if (typeof st === 'number') return st;
    if ((st.mode & S_IFMT) !== S_IFDIR) return ENOTDIR;
    return { name: '', parent: undefined, node: { kind: 'host', hostPath: this.hostRoot, st } };
  }

  /**
   * The page cache of a host file that is mapped somewhere (or was loaded as a program): read(2) and
   * write(2) go through it so they agree with MAP_SHARED mappings. Undefined for a file never mapped.
   */
  cacheOf(dev: number, ino: number): PageCache | undefined {
    const b = this.backings.get(`${dev}:${ino}`);
    return b === undefined || this.phys === undefined ? undefined : pageCacheOf(b, this.phys);
  }

  /** A fresh inode number for pipes and other anonymous files. */
  anonIno(): number {
    return this.nextAnonIno++;
  }

  /** Writes a diagnostic about a guest-side problem once per kind (deadlocks the emulator cannot resolve). */
  warnOnce(key: string, text: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.warn(`compat64: ${text}\n`);
  }
}

const vfsByKernel = new WeakMap<Kernel, Vfs>();

/**
 * The kernel's VFS, made on first use. (Kept beside the kernel rather than in it so the kernel
 * class stays independent of the VFS modules; a `kernel.vfs` field would do the same.)
 */
export function vfsOf(kernel: Kernel): Vfs {
  let v = vfsByKernel.get(kernel);
  if (v === undefined) {
    v = new Vfs(kernel.host.fs, kernel.options.root, (text) => kernel.host.traceWrite(text), kernel.phys);
    vfsByKernel.set(kernel, v);
  }
  return v;
}
