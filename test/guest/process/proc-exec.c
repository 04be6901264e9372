/* execve and execveat: arguments and environment, #! scripts, errors, close-on-exec, signal state
 * across exec, exec from a vfork child and from a multithreaded process (also from a non-leader
 * thread). Runs under compat64 only: qemu-aarch64 cannot exec an arm64 program without binfmt_misc,
 * so the expectations are Linux's, written here. */
#include "check.h"
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static char self[4096];

static int run_child(char *const argv[], char *const envp[]) {
  pid_t p = fork();
  if (p == 0) {
    execve(self, argv, envp);
    _exit(100 + errno);
  }
  int st;
  waitpid(p, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 200 + WTERMSIG(st);
}

/* ---- modes of the exec'd program ---- */

static int child_args(int argc, char **argv) {
  const char *v = getenv("PROC_EXEC_VAR");
  return (argc == 4 && strcmp(argv[2], "two words") == 0 && strcmp(argv[3], "") == 0 && v && strcmp(v, "x=y") == 0 &&
          getenv("HOME") == NULL)
             ? 0
             : 1;
}

static int child_script(int argc, char **argv) {
  /* #!SELF script-mode extra  →  SELF "script-mode extra" SCRIPT a b */
  return (argc == 5 && strcmp(argv[1], "script-mode extra") == 0 && strstr(argv[2], "proc-exec-script") &&
          strcmp(argv[3], "a") == 0 && strcmp(argv[4], "b") == 0)
             ? 0
             : 1;
}

static int child_fds(int argc, char **argv) {
  (void)argc;
  int keep = atoi(argv[2]), gone = atoi(argv[3]);
  errno = 0;
  int a = fcntl(keep, F_GETFD);
  int b = fcntl(gone, F_GETFD);
  return (a == 0 && b == -1 && errno == EBADF) ? 0 : 1;
}

static int child_signals(void) {
  struct sigaction sa;
  sigaction(SIGUSR1, NULL, &sa);
  int ok = sa.sa_handler == SIG_DFL;
  sigaction(SIGUSR2, NULL, &sa);
  ok = ok && sa.sa_handler == SIG_IGN;
  sigset_t m;
  sigprocmask(SIG_BLOCK, NULL, &m);
  ok = ok && sigismember(&m, SIGHUP) && !sigismember(&m, SIGUSR1);
  sigset_t p;
  sigpending(&p);
  ok = ok && sigismember(&p, SIGHUP);
  return ok ? 0 : 1;
}

static int child_pid(char **argv) {
  return getpid() == atoi(argv[2]) ? 0 : 1;
}

/* ---- tests ---- */

static void test_args_env(void) {
  char *argv[] = {self, "args", "two words", "", NULL};
  char *envp[] = {"PROC_EXEC_VAR=x=y", NULL};
  check_eq(run_child(argv, envp), 0, "argv and envp arrive intact");
  char *none[] = {NULL};
  /* an empty argv still gives the program argv[0] = "" (Linux 5.18+) and argc 1 */
  pid_t p = fork();
  if (p == 0) {
    execve(self, none, none);
    _exit(100 + errno);
  }
  int st;
  waitpid(p, &st, 0);
  check_eq(WEXITSTATUS(st), 42, "empty argv: argc 1, argv[0] empty");
}

static void test_script(void) {
  const char *path = "/tmp/proc-exec-script";
  int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0755);
  dprintf(fd, "#!%s   script-mode extra  \necho not run\n", self);
  close(fd);
  char *argv[] = {(char *)path, "a", "b", NULL};
  char *envp[] = {NULL};
  pid_t p = fork();
  if (p == 0) {
    execve(path, argv, envp);
    _exit(100 + errno);
  }
  int st;
  waitpid(p, &st, 0);
  check_eq(WEXITSTATUS(st), 0, "#! script runs its interpreter with the optional argument");
  /* a script whose interpreter is missing: ENOENT */
  fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0755);
  dprintf(fd, "#!/nonexistent/interp\n");
  close(fd);
  errno = 0;
  check(execve(path, argv, envp) == -1 && errno == ENOENT, "missing interpreter: ENOENT");
  /* neither ELF nor #!: ENOEXEC */
  fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0755);
  dprintf(fd, "just text\n");
  close(fd);
  errno = 0;
  check(execve(path, argv, envp) == -1 && errno == ENOEXEC, "plain text: ENOEXEC");
  /* not executable: EACCES */
  chmod(path, 0644);
  errno = 0;
  check(execve(path, argv, envp) == -1 && errno == EACCES, "no x bit: EACCES");
  unlink(path);
  errno = 0;
  check(execve(path, argv, envp) == -1 && errno == ENOENT, "missing file: ENOENT");
  errno = 0;
  check(execve("/tmp", argv, envp) == -1 && errno == EACCES, "a directory: EACCES");
  errno = 0;
  check(syscall(SYS_execve, (char *)8, argv, envp) == -1 && errno == EFAULT, "bad path pointer: EFAULT");
}

static void test_cloexec(void) {
  int keep = open("/dev/null", O_RDONLY);
  int gone = open("/dev/null", O_RDONLY | O_CLOEXEC);
  char a[16], b[16];
  snprintf(a, sizeof a, "%d", keep);
  snprintf(b, sizeof b, "%d", gone);
  char *argv[] = {self, "fds", a, b, NULL};
  char *envp[] = {NULL};
  check_eq(run_child(argv, envp), 0, "close-on-exec closes only O_CLOEXEC fds");
  close(keep);
  close(gone);
}

static void on_usr1(int sig) { (void)sig; }

static void test_signal_state(void) {
  pid_t p = fork();
  if (p == 0) {
    signal(SIGUSR1, on_usr1);
    signal(SIGUSR2, SIG_IGN);
    sigset_t m;
    sigemptyset(&m);
    sigaddset(&m, SIGHUP);
    sigprocmask(SIG_BLOCK, &m, NULL);
    raise(SIGHUP); /* stays pending across exec */
    char *argv[] = {self, "signals", NULL};
    char *envp[] = {NULL};
    execve(self, argv, envp);
    _exit(100 + errno);
  }
  int st;
  waitpid(p, &st, 0);
  check_eq(WEXITSTATUS(st), 0, "exec: handlers reset, SIG_IGN kept, mask and pending kept");
}

static void test_vfork_exec(void) {
  char pidbuf[16];
  pid_t p = vfork();
  if (p == 0) {
    snprintf(pidbuf, sizeof pidbuf, "%d", getpid());
    char *argv[] = {self, "pid", pidbuf, NULL};
    char *envp[] = {NULL};
    execve(self, argv, envp);
    _exit(100 + errno);
  }
  int st;
  waitpid(p, &st, 0);
  check_eq(WEXITSTATUS(st), 0, "vfork + execve keeps the pid");
}

static void test_fexecve(void) {
  int fd = open(self, O_RDONLY | O_CLOEXEC);
  pid_t p = fork();
  if (p == 0) {
    char *argv[] = {"renamed", "exit7", NULL};
    char *envp[] = {NULL};
    fexecve(fd, argv, envp);
    _exit(100 + errno);
  }
  int st;
  waitpid(p, &st, 0);
  check_eq(WEXITSTATUS(st), 7, "execveat(fd, \"\", AT_EMPTY_PATH)");
  close(fd);
}

static char thread_stack[65536] __attribute__((aligned(16)));
static volatile int thread_pid_arg;

/* A raw CLONE_THREAD thread: no libc in it, only syscalls. */
static int spin_thread(void *arg) {
  (void)arg;
  for (;;) syscall(SYS_sched_yield);
  return 0;
}

static int exec_thread(void *arg) {
  char *const *argv = arg;
  char *envp[] = {NULL};
  syscall(SYS_execve, self, argv, envp);
  syscall(SYS_exit, 99);
  return 0;
}

static void test_exec_threaded(void) {
  char pidbuf[16];
  pid_t p = fork();
  if (p == 0) {
    snprintf(pidbuf, sizeof pidbuf, "%d", getpid());
    int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM;
    if (clone(spin_thread, thread_stack + sizeof thread_stack / 2, flags, NULL) < 0) _exit(90);
    char *argv[] = {self, "pid", pidbuf, NULL};
    char *envp[] = {NULL};
    execve(self, argv, envp); /* the spinning thread is killed first */
    _exit(100 + errno);
  }
  int st;
  waitpid(p, &st, 0);
  check_eq(WEXITSTATUS(st), 0, "exec from the leader of a two-thread process");
  p = fork();
  if (p == 0) {
    snprintf(pidbuf, sizeof pidbuf, "%d", getpid());
    static char *argv[4];
    argv[0] = self;
    argv[1] = "pid";
    argv[2] = pidbuf;
    int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM;
    if (clone(exec_thread, thread_stack + sizeof thread_stack, flags, argv) < 0) _exit(90);
    for (;;) pause();
  }
  waitpid(p, &st, 0);
  check_eq(WEXITSTATUS(st), 0, "exec from a non-leader thread: the program gets the process's pid");
}

int main(int argc, char **argv) {
  if (argc == 0) return 41; /* Linux before 5.18 */
  if (argc == 1 && argv[0][0] == 0) return 42;
  if (argc > 1 && strcmp(argv[1], "args") == 0) return child_args(argc, argv);
  if (argc > 1 && strcmp(argv[1], "script-mode extra") == 0) return child_script(argc, argv);
  if (argc > 1 && strcmp(argv[1], "fds") == 0) return child_fds(argc, argv);
  if (argc > 1 && strcmp(argv[1], "signals") == 0) return child_signals();
  if (argc > 1 && strcmp(argv[1], "pid") == 0) return child_pid(argv);
  if (argc > 1 && strcmp(argv[1], "exit7") == 0) return strcmp(argv[0], "renamed") == 0 ? 7 : 1;
  setvbuf(stdout, NULL, _IOLBF, 0);
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) {
    printf("FAIL readlink /proc/self/exe\n");
    return 1;
  }
  self[n] = 0;
  test_args_env();
  test_script();
  test_cloexec();
  test_signal_state();
  test_vfork_exec();
  test_fexecve();
  test_exec_threaded();
  return finish();
}
