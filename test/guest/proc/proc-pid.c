/*
 * /proc/<pid> of another process through its life: a forked child that re-executes this program
 * with other arguments and blocks reading a pipe (S, its cmdline, environ, comm, wchan), stopped
 * by SIGSTOP (T), continued, then exited but not yet waited for (Z: what a zombie still shows),
 * and gone once reaped. Also /proc/self, /proc/thread-self, /proc/self/exe and the fd links of a
 * pipe and of a file with their fdinfo.
 * Usage: proc-pid SCRATCH_DIR (the child runs as: proc-pid child FD).
 */
#include "check.h"
#include <limits.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#define NF 64

static char self_path[PATH_MAX];

static void pause_ms(int ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

/* Polls /proc/<pid>/stat until its state is `want` (a few seconds at most); the state last seen. */
static char wait_state(pid_t pid, char want) {
  char path[64], buf[4096];
  char *f[NF];
  char last = '?';
  snprintf(path, sizeof path, "/proc/%d/stat", pid);
  for (int i = 0; i < 500; i++) {
    if (read_stat(path, buf, sizeof buf, f, NF) > 2) {
      last = f[2][0];
      if (last == want) return last;
    }
    pause_ms(10);
  }
  return last;
}

static int child_main(int fd) {
  char c;
  ssize_t n = read(fd, &c, 1);
  return n == 1 ? 7 : 9;
}

static void self_links(const char *argv0) {
  char buf[PATH_MAX], want[64];
  ssize_t n = readlink("/proc/self", buf, sizeof buf - 1);
  buf[n > 0 ? n : 0] = 0;
  snprintf(want, sizeof want, "%d", getpid());
  check_str(buf, want, "/proc/self links to the pid");
  n = readlink("/proc/thread-self", buf, sizeof buf - 1);
  buf[n > 0 ? n : 0] = 0;
  snprintf(want, sizeof want, "%d/task/%ld", getpid(), (long)syscall(SYS_gettid));
  check_str(buf, want, "/proc/thread-self links to pid/task/tid");
  n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  buf[n > 0 ? n : 0] = 0;
  char real[PATH_MAX];
  check(realpath(argv0, real) != NULL && strcmp(buf, real) == 0, "/proc/self/exe is the program's path");
}

static void fd_links(const char *scratch) {
  int p[2];
  char path[64], buf[256], want[64];
  struct stat st;
  if (pipe2(p, O_NONBLOCK | O_CLOEXEC) != 0) {
    check(0, "pipe2");
    return;
  }
  fstat(p[0], &st);
  snprintf(path, sizeof path, "/proc/self/fd/%d", p[0]);
  ssize_t n = readlink(path, buf, sizeof buf - 1);
  buf[n > 0 ? n : 0] = 0;
  snprintf(want, sizeof want, "pipe:[%lu]", (unsigned long)st.st_ino);
  check_str(buf, want, "a pipe's fd link is pipe:[inode]");
  snprintf(path, sizeof path, "/proc/self/fdinfo/%d", p[0]);
  slurp(path, buf, sizeof buf);
  check(strncmp(buf, "pos:\t0\nflags:\t02004000\nmnt_id:\t", 31) == 0,
        "fdinfo of a pipe2(O_NONBLOCK|O_CLOEXEC) read end: pos 0, flags 02004000, mnt_id");
  snprintf(path, sizeof path, "/proc/self/fdinfo/%d", p[1]);
  slurp(path, buf, sizeof buf);
  check(strncmp(buf, "pos:\t0\nflags:\t02004001\n", 23) == 0, "fdinfo of the write end: flags 02004001");

  char file[PATH_MAX];
  snprintf(file, sizeof file, "%s/fd-link-test", scratch);
  int fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0600);
  if (write(fd, "0123456789", 10) != 10) check(0, "write the test file");
  lseek(fd, 4, SEEK_SET);
  snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
  char link[PATH_MAX];
  n = readlink(path, link, sizeof link - 1);
  link[n > 0 ? n : 0] = 0;
  check_str(link, file, "a file's fd link is its path");
  snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
  slurp(path, buf, sizeof buf);
  check(strncmp(buf, "pos:\t4\nflags:\t0", 15) == 0, "fdinfo shows the file position and a 0-prefixed octal flags");
  unsigned long flags = strtoul(field(buf, "flags"), NULL, 8);
  check((flags & O_ACCMODE) == O_RDWR && !(flags & 02000000), "fdinfo flags: O_RDWR, no O_CLOEXEC");
  snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
  int again = open(path, O_RDONLY);
  check(again >= 0 && read(again, buf, 3) == 3 && memcmp(buf, "012", 3) == 0,
        "opening /proc/self/fd/N opens the file anew (its own position)");
  close(again);
  close(fd);
  unlink(file);
  close(p[0]);
  close(p[1]);
}

/*
 * A vfork parent waits uninterruptibly (TASK_KILLABLE: D) until its child execs or exits; the child,
 * which runs in the parent's memory, reads the parent's state. qemu runs vfork as a fork.
 */
static volatile char vfork_parent_state;

static void vfork_state(void) {
  pid_t parent = getpid();
  pid_t c = vfork();
  if (c == 0) {
    char path[64], buf[1024];
    char *f[NF];
    snprintf(path, sizeof path, "/proc/%d/stat", parent);
    vfork_parent_state = read_stat(path, buf, sizeof buf, f, NF) > 2 ? f[2][0] : '?';
    _exit(0);
  }
  waitpid(c, NULL, 0);
  check_eq(vfork_parent_state, 'D', "a vfork parent waiting for its child is D");
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "child") == 0) return child_main(atoi(argv[2]));
  if (argc < 2) {
    fprintf(stderr, "usage: proc-pid SCRATCH_DIR\n");
    return 2;
  }
  self_links(argv[0]);
  if (realpath(argv[0], self_path) == NULL) return 2;
  fd_links(argv[1]);
  LINUX_ONLY vfork_state();

  int p[2];
  if (pipe(p) != 0) return 2;
  char fdarg[16];
  snprintf(fdarg, sizeof fdarg, "%d", p[0]);
  pid_t child = fork();
  if (child == 0) {
    close(p[1]);
    if (!reference_run()) {
      char *cargv[] = {"proc-pid", "child", fdarg, NULL};
      char *cenv[] = {"PROC_TEST_ENV=42", "PROC_REFERENCE=no", NULL};
      // By its real path: execve("/proc/self/exe") would name the process "exe" (comm is the basename of the path given).
      execve(self_path, cargv, cenv);
    }
    _exit(child_main(p[0]));
  }
  close(p[0]);

  char path[64], buf[8192];
  char *f[NF];
  check(wait_state(child, 'S') == 'S', "a child blocked in read is S (sleeping)");
  snprintf(path, sizeof path, "/proc/%d/stat", child);
  int nf = read_stat(path, buf, sizeof buf, f, NF);
  check_eq(nf, 52, "/proc/CHILD/stat has 52 fields");
  if (nf == 52) {
    check_eq(atol(f[0]), child, "stat field 1 is the pid");
    check_eq(atol(f[3]), getpid(), "stat ppid is the parent");
    check_eq(atol(f[4]), getpgrp(), "stat pgrp is the inherited process group");
    check_eq(atol(f[5]), getsid(0), "stat session is the inherited session");
    LINUX_ONLY check_eq(atol(f[19]), 1, "stat num_threads is 1"); /* qemu runs an RCU thread */
    check_eq(atol(f[20]), 0, "stat itrealvalue is 0");
    check(atol(f[22]) > 0 && atol(f[23]) > 0, "stat vsize and rss are positive");
    LINUX_ONLY check_eq(atol(f[34]), 1, "stat wchan flag is 1 for a sleeping single-threaded process");
    check_eq(atol(f[37]), SIGCHLD, "stat exit_signal is SIGCHLD");
    check_eq(atol(f[51]), 0, "stat exit_code is 0 while alive");
    LINUX_ONLY check_str(f[1], "proc-pid", "stat comm is the new program's name");
    LINUX_ONLY check(strtoul(f[47], NULL, 10) < strtoul(f[48], NULL, 10) &&
                         strtoul(f[48], NULL, 10) == strtoul(f[49], NULL, 10) &&
                         strtoul(f[49], NULL, 10) < strtoul(f[50], NULL, 10),
                     "stat arg_start < arg_end == env_start < env_end");
  }
  snprintf(path, sizeof path, "/proc/%d/status", child);
  slurp(path, buf, sizeof buf);
  check_str(field(buf, "State"), "S (sleeping)", "status State: S (sleeping)");
  char num[32];
  snprintf(num, sizeof num, "%d", child);
  check_str(field(buf, "Tgid"), num, "status Tgid");
  check_str(field(buf, "Pid"), num, "status Pid");
  snprintf(num, sizeof num, "%d", getpid());
  check_str(field(buf, "PPid"), num, "status PPid");
  LINUX_ONLY check_str(field(buf, "Threads"), "1", "status Threads: 1");
  char ids[64];
  snprintf(ids, sizeof ids, "%d\t%d\t%d\t%d", getuid(), geteuid(), geteuid(), geteuid());
  check_str(field(buf, "Uid"), ids, "status Uid: real, effective, saved, fs");
  check(field(buf, "VmRSS") != NULL, "a live process's status has VmRSS");
  check(field(buf, "SigBlk") != NULL && strlen(field(buf, "SigBlk")) == 16, "status SigBlk has 16 hex digits");
  LINUX_ONLY check_str(field(buf, "Name"), "proc-pid", "status Name");

  snprintf(path, sizeof path, "/proc/%d/wchan", child);
  slurp(path, buf, sizeof buf);
  /* pipe_read up to 6.15 (compat64 is 6.1), anon_pipe_read since. */
  check(strcmp(buf, "pipe_read") == 0 || strcmp(buf, "anon_pipe_read") == 0,
        "wchan of a task blocked reading a pipe is pipe_read");
  snprintf(path, sizeof path, "/proc/%d/statm", child);
  slurp(path, buf, sizeof buf);
  long sz, res, shr, txt, lib, dat, dt;
  check(sscanf(buf, "%ld %ld %ld %ld %ld %ld %ld", &sz, &res, &shr, &txt, &lib, &dat, &dt) == 7 && sz > 0 &&
            lib == 0 && dt == 0,
        "statm: seven numbers, lib and dt 0");
  LINUX_ONLY {
    snprintf(path, sizeof path, "/proc/%d/cmdline", child);
    long n = slurp(path, buf, sizeof buf);
    char want[64];
    int wn = snprintf(want, sizeof want, "proc-pid%cchild%c%s", 0, 0, fdarg) + 1;
    check(n == wn && memcmp(buf, want, (size_t)wn) == 0, "cmdline is the child's argv, NUL-separated");
    snprintf(path, sizeof path, "/proc/%d/environ", child);
    n = slurp(path, buf, sizeof buf);
    check(n == 35 && memcmp(buf, "PROC_TEST_ENV=42\0PROC_REFERENCE=no\0", 35) == 0, "environ is the child's envp");
    snprintf(path, sizeof path, "/proc/%d/comm", child);
    slurp(path, buf, sizeof buf);
    check_str(buf, "proc-pid\n", "comm is the exec'd program's name");
  }

  kill(child, SIGSTOP);
  int status;
  check(waitpid(child, &status, WUNTRACED) == child && WIFSTOPPED(status), "waitpid reports the stop");
  check(wait_state(child, 'T') == 'T', "a stopped process is T");
  snprintf(path, sizeof path, "/proc/%d/status", child);
  slurp(path, buf, sizeof buf);
  check_str(field(buf, "State"), "T (stopped)", "status State: T (stopped)");
  kill(child, SIGCONT);
  check(waitpid(child, &status, WCONTINUED) == child && WIFCONTINUED(status), "waitpid reports the continue");
  check(wait_state(child, 'S') == 'S', "a continued process blocked in read is S again");

  if (write(p[1], "x", 1) != 1) check(0, "write to the child");
  check(wait_state(child, 'Z') == 'Z', "an exited child not yet waited for is Z (zombie)");
  snprintf(path, sizeof path, "/proc/%d/stat", child);
  nf = read_stat(path, buf, sizeof buf, f, NF);
  check_eq(nf, 52, "a zombie's stat still has 52 fields");
  if (nf == 52) {
    check_eq(atol(f[3]), getpid(), "a zombie's ppid is still the parent");
    check_eq(atol(f[22]), 0, "a zombie has no vsize");
    check_eq(atol(f[23]), 0, "a zombie has no rss");
    check_eq(atol(f[25]), 0, "a zombie has no start_code");
    check_eq(atol(f[47]), 0, "a zombie has no arg_start");
    check_eq(atol(f[51]), 7 << 8, "a zombie's exit_code is its wait status");
  }
  snprintf(path, sizeof path, "/proc/%d/status", child);
  slurp(path, buf, sizeof buf);
  check_str(field(buf, "State"), "Z (zombie)", "status State: Z (zombie)");
  check(field(buf, "VmRSS") == NULL && field(buf, "VmSize") == NULL, "a zombie's status has no memory lines");
  /* qemu-aarch64 runs an RCU thread of its own in every process, so the host shows 2 there */
  LINUX_ONLY check_str(field(buf, "Threads"), "1", "a zombie counts its leader as a thread");
  snprintf(path, sizeof path, "/proc/%d/cmdline", child);
  check_eq(slurp(path, buf, sizeof buf), 0, "a zombie's cmdline is empty");
  snprintf(path, sizeof path, "/proc/%d/statm", child);
  slurp(path, buf, sizeof buf);
  check_str(buf, "0 0 0 0 0 0 0\n", "a zombie's statm is all zeros");
  snprintf(path, sizeof path, "/proc/%d/exe", child);
  errno = 0;
  check(readlink(path, buf, sizeof buf) == -1 && errno == ENOENT, "a zombie's exe link is ENOENT");
  snprintf(path, sizeof path, "/proc/%d", child);
  struct stat st;
  check(stat(path, &st) == 0 && S_ISDIR(st.st_mode), "a zombie's /proc directory exists");

  check(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 7, "the zombie is reaped");
  errno = 0;
  check(stat(path, &st) == -1 && errno == ENOENT, "a reaped process's /proc directory is gone");
  return finish();
}
