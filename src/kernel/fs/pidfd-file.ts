/**
 * The pidfd file (kernel/pid.c, kernel/fork.c's pidfd_fops): an anon-inode file "[pidfd]" that
 * names one process (the struct pid of a thread-group leader). It reads and writes nothing; poll
 * reports POLLIN | POLLRDNORM once every thread of the process has exited (thread_group_exited:
 * zombie or reaped), and /proc/<pid>/fdinfo shows the process id (Pid:, NSpid:; -1 once reaped).
 *
 * The file keeps the ThreadGroup, not a pid number: a pid can be reused after the process is reaped,
 * a pidfd never follows it. Pollers park on one WaitQueue per process, woken from the process-exit
 * path (exitHooksOf(kernel).processDead), as Linux's do_notify_pidfd wakes pid->wait_pidfd.
 */
import { O_NONBLOCK, O_RDWR } from '../abi/fcntl.js';
import type { Kernel } from '../kernel.js';
import { exitHooksOf } from '../task/exit.js';
import type { Task } from '../task/task.js';
import type { ThreadGroup } from '../task/thread-group.js';
import { WaitQueue } from '../task/wait-queue.js';
import { anonInodePath, anonInodeStat } from './anon-inode.js';
import type { FileStat } from './host-fs.js';
import { OpenFileBase, type OpenFile } from './open-file.js';
import { POLLIN, POLLRDNORM } from './poll-mask.js';

const EBADF = -9;

/** PIDFD_NONBLOCK (uapi/linux/pidfd.h): O_NONBLOCK. */
export const PIDFD_NONBLOCK = O_NONBLOCK;

/** pid->wait_pidfd: one queue per process, shared by all its pidfds. */
const queues = new WeakMap<ThreadGroup, WaitQueue>();

function queueOf(g: ThreadGroup): WaitQueue {
  let q = queues.get(g);
  if (q === undefined) {
    q = new WaitQueue();
    queues.set(g, q);
  }
  return q;
}

/** Kernels whose process-exit path already wakes pidfd pollers. */
const hooked = new WeakSet<Kernel>();

/** do_notify_pidfd: registered once per kernel, at its first pidfd. */
function hookExit(kernel: Kernel): void {
  if (hooked.has(kernel)) return;
  hooked.add(kernel);
  exitHooksOf(kernel).processDead.push((_k, g) => queues.get(g)?.wakeAll());
}

/**
 * thread_group_exited: every thread of the process has exited. The process-dead hooks run after the
 * last thread left g.threads and before the state becomes 'zombie', so the thread set is the test.
 */
export function processExited(g: ThreadGroup): boolean {
  return g.state !== 'live' || g.threads.size === 0;
}

export class PidfdFile extends OpenFileBase {
  readonly waitQueue: WaitQueue;

  constructor(
    private readonly kernel: Kernel,
    /** The process this pidfd names (file->private_data). */
    readonly group: ThreadGroup,
    nonblock: boolean,
  ) {
    super(O_RDWR | (nonblock ? O_NONBLOCK : 0), anonInodePath('[pidfd]'));
    this.waitQueue = queueOf(group);
    hookExit(kernel);
  }

  /** pidfd_poll. */
  poll(): number {
    return processExited(this.group) ? POLLIN | POLLRDNORM : 0;
  }

  stat(): FileStat {
    return anonInodeStat(this.kernel);
  }

  /**
   * pidfd_show_fdinfo with CONFIG_PID_NS: the pid as the proc mount's namespace sees it, and the
   * NSpid chain (one level: compat64 has no pid namespaces); -1 once the process is reaped.
   */
  fdinfo(): string {
    const nr = this.group.state === 'reaped' ? -1 : this.group.tgid;
    return `Pid:\t${nr}\nNSpid:\t${nr}\n`;
  }
}

/**
 * pidfd_pid: the process a pidfd names, or undefined for any other file. This is the lookup other
 * modules use (process_madvise, waitid P_PIDFD, pidfd_getfd).
 */
export function pidfdTarget(file: OpenFile | undefined): ThreadGroup | undefined {
  return file instanceof PidfdFile ? file.group : undefined;
}

/** The process behind fd in task's table: -EBADF when fd is not open or not a pidfd. */
export function pidfdGroupOf(task: Task, fd: number): ThreadGroup | number {
  return pidfdTarget(task.files.get(fd)) ?? EBADF;
}

/**
 * pidfd_create: a new pidfd for process g installed in task's table with O_CLOEXEC (as every pidfd
 * is); returns the fd or -EMFILE. Used by pidfd_open and by clone's CLONE_PIDFD.
 */
export function installPidfd(kernel: Kernel, task: Task, g: ThreadGroup, nonblock: boolean): number {
  return task.files.install(new PidfdFile(kernel, g, nonblock), true);
}
