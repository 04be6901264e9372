/**
 * Host files as mmap and ELF-loader backing.
 *
 * A mapping outlives the fd it was made from (ld.so maps a library and closes it; pages are read on
 * first touch later), so a host file that backs a mapping keeps its host fd open for the rest of
 * the run. One backing per (device, inode) is kept, so every mapping of a file shares one backing
 * object (and with it mm's page cache for that object), and the number of host fds held is the
 * number of distinct files ever mapped. A backing made from a read-only fd takes a writable one
 * when a later mapping comes with one. read(2)/write(2) go to the host file directly, so they see
 * a MAP_SHARED mapping's changes once mm writes them back (msync, munmap, exit).
 */
import type { FileBacking } from '../mm/vma.js';
import type { HostFs } from './host-fs.js';
import type { Vfs } from './vfs.js';

/** A host fd shared by descriptions and backings; closed when the last holder lets go. */
export class HostFd {
  private refs = 1;

  constructor(
    readonly host: HostFs,
    readonly fd: number,
    /** The emulator's own stdio fds are never closed. */
    private readonly keepOpen = false,
  ) {}

  ref(): void {
    this.refs++;
  }

  unref(): void {
    if (--this.refs === 0 && !this.keepOpen) this.host.close(this.fd);
  }
}

export class HostBacking implements FileBacking {
  constructor(
    private hfd: HostFd,
    public writable: boolean,
    /** Canonical guest path, shown in /proc/self/maps. */
    readonly path: string,
    readonly dev: number,
    readonly ino: number,
  ) {}

  readAt(pos: number, dst: Uint8Array, at: number, len: number): number {
    let done = 0;
    while (done < len) {
      const n = this.hfd.host.read(this.hfd.fd, dst, at + done, len - done, pos + done);
      if (n <= 0) break;
      done += n;
    }
    return done;
  }

  writeAt(pos: number, src: Uint8Array, at: number, len: number): number {
    let done = 0;
    while (done < len) {
      const n = this.hfd.host.write(this.hfd.fd, src, at + done, len - done, pos + done);
      if (n <= 0) break;
      done += n;
    }
    return done;
  }

  size(): number {
    const n = this.hfd.host.fsize(this.hfd.fd);
    return Math.max(n, 0);
  }

  /** Switches to a writable host fd for the same file (the read-only one stays open: a read may be using it). */
  upgrade(hfd: HostFd): void {
    hfd.ref();
    this.hfd = hfd;
    this.writable = true;
  }
}

/** The backing for a host file open on hfd (taking a reference on hfd when the backing starts using it). */
export function backingFor(
  vfs: Vfs,
  hfd: HostFd,
  guestPath: string,
  dev: number,
  ino: number,
  writable: boolean,
): HostBacking {
  const key = `${dev}:${ino}`;
  let b = vfs.backings.get(key);
  if (b === undefined) {
    hfd.ref();
    b = new HostBacking(hfd, writable, guestPath, dev, ino);
    vfs.backings.set(key, b);
  } else if (writable && !b.writable) {
    b.upgrade(hfd);
  }
  return b;
}
