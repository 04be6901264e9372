import { eventpollRelease } from './epoll.js';
import type { OpenFile } from './open-file.js';

/** Default RLIMIT_NOFILE soft limit. */
export const NR_OPEN_DEFAULT = 1024;

interface Slot {
  file: OpenFile;
  cloexec: boolean;
}

/** A task's file descriptor table: fd → open file description, with close-on-exec flags. */
export class FdTable {
  private slots: (Slot | undefined)[] = [];
  limit = NR_OPEN_DEFAULT;

  get(fd: number): OpenFile | undefined {
    return fd >= 0 ? this.slots[fd]?.file : undefined;
  }

  cloexec(fd: number): boolean {
    return this.slots[fd]?.cloexec ?? false;
  }

  setCloexec(fd: number, on: boolean): void {
    const s = this.slots[fd];
    if (s) s.cloexec = on;
  }

  /** Installs file at the lowest free fd ≥ min; returns it, or -EMFILE. */
  install(file: OpenFile, cloexec: boolean, min = 0): number {
    for (let fd = min; fd < this.limit; fd++) {
      if (this.slots[fd] === undefined) {
        this.put(fd, file, cloexec);
        return fd;
      }
    }
    return -24; // EMFILE
  }

  /** Puts file at fd, closing what was there (dup2 semantics). */
  put(fd: number, file: OpenFile, cloexec: boolean): void {
    file.refs++;
    const old = this.slots[fd];
    this.slots[fd] = { file, cloexec };
    if (old) this.drop(old.file);
  }

  close(fd: number): boolean {
    const s = this.slots[fd];
    if (s === undefined) return false;
    this.slots[fd] = undefined;
    this.drop(s.file);
    return true;
  }

  private drop(f: OpenFile): void {
    if (--f.refs === 0) {
      // Linux's eventpoll_release: epoll items watching this description go with it.
      eventpollRelease(f);
      f.release?.();
    }
  }

  /** Open fds in increasing order. */
  fds(): number[] {
    const out: number[] = [];
    this.slots.forEach((s, fd) => {
      if (s) out.push(fd);
    });
    return out;
  }

  closeOnExec(): void {
    this.slots.forEach((s, fd) => {
      if (s?.cloexec) this.close(fd);
    });
  }

  closeAll(): void {
    this.slots.forEach((_, fd) => {
      this.close(fd);
    });
  }

  /** A copy sharing the same descriptions (fork without CLONE_FILES). */
  clone(): FdTable {
    const t = new FdTable();
    t.limit = this.limit;
    this.slots.forEach((s, fd) => {
      if (s) t.put(fd, s.file, s.cloexec);
    });
    return t;
  }
}
