/**
 * A process's root directory (fs_struct->root): where absolute paths and absolute symlink targets
 * start and where ".." stops, set by chroot(2). It is a directory inside the guest root that
 * --root chose, named by its canonical guest path ("/" until a chroot), so no lookup can ever leave
 * the guest root whatever the process root is.
 *
 * The root lives beside cwd in the task's FsContext (shared with CLONE_FS, copied by fork, which
 * copies the object with its own properties). FsContext (task/task.ts) does not declare it yet, so
 * it is read and written here through this one structural extension.
 */
import type { FsContext, Task } from '../task/task.js';

/** FsContext with the process root: a canonical guest path; absent means "/". */
interface FsContextWithRoot extends FsContext {
  root?: string;
}

/** The process root of task as a canonical guest path ("/" when it never called chroot). */
export function fsRootOf(task: Task): string {
  return (task.fs as FsContextWithRoot).root ?? '/';
}

/** chroot: the new root, a canonical guest path of a directory. */
export function setFsRoot(task: Task, root: string): void {
  (task.fs as FsContextWithRoot).root = root;
}

/**
 * A canonical guest path as a task with this root sees it (d_path against the task's root): the
 * path below the root, "/" for the root itself, or undefined when the path is outside the root
 * (getcwd then answers "(unreachable)…", /proc links show the path as it is).
 */
export function pathUnderRoot(root: string, path: string): string | undefined {
  if (root === '/') return path;
  if (path === root) return '/';
  return path.startsWith(`${root}/`) ? path.slice(root.length) : undefined;
}
