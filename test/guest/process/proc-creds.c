/*
 * Credentials (run as root, as the test suite is): set*id rules for root and for an unprivileged
 * task, getres*id, setfs*id's return values, supplementary groups, /proc/self/status Uid/Gid/Groups,
 * the dumpable flag a uid change clears, personality. Each step runs in a forked child, so the
 * changes never reach the test runner. Compared with qemu-aarch64, which passes them to the host.
 */
#include "check.h"
#include <grp.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* The raw syscalls: glibc's wrappers broadcast to every thread, and this program has one. */
static long sys3(long nr, long a, long b, long c) { return syscall(nr, a, b, c); }

static void status_line(const char *key, char *out, size_t n) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  out[0] = 0;
  while (f != NULL && fgets(line, sizeof line, f) != NULL) {
    if (strncmp(line, key, strlen(key)) == 0) {
      snprintf(out, n, "%s", line);
      break;
    }
  }
  if (f != NULL) fclose(f);
}

static void in_child(void (*fn)(void)) {
  pid_t p = fork();
  if (p == 0) {
    failures = 0;
    fn();
    exit(failures == 0 ? 0 : 1);
  }
  int st;
  waitpid(p, &st, 0);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child's checks passed");
}

static void root_drops(void) {
  uid_t r, e, s;
  check(getuid() == 0, "running as root");
  check(prctl(PR_GET_DUMPABLE) == 1, "dumpable at start");
  gid_t groups[2] = {5, 3};
  check(setgroups(2, groups) == 0, "root: setgroups");
  gid_t got[4];
  check_eq(getgroups(0, NULL), 2, "getgroups(0) counts");
  check_eq(getgroups(1, got), -1, "getgroups with a short buffer");
  check_eq(errno, EINVAL, "... is EINVAL");
  check(getgroups(4, got) == 2 && got[0] == 3 && got[1] == 5, "getgroups returns them sorted");
  char line[256];
  status_line("Groups:", line, sizeof line);
  check(strcmp(line, "Groups:\t3 5 \n") == 0, "/proc/self/status Groups");
  check(sys3(SYS_setresgid, 100, 200, 300) == 0, "root: setresgid");
  check(sys3(SYS_setresuid, 1000, 2000, 3000) == 0, "root: setresuid");
  check(getresuid(&r, &e, &s) == 0 && r == 1000 && e == 2000 && s == 3000, "getresuid");
  status_line("Uid:", line, sizeof line);
  check(strcmp(line, "Uid:\t1000\t2000\t3000\t2000\n") == 0, "/proc/self/status Uid (fsuid follows euid)");
  status_line("Gid:", line, sizeof line);
  check(strcmp(line, "Gid:\t100\t200\t300\t200\n") == 0, "/proc/self/status Gid");
  check(prctl(PR_GET_DUMPABLE) == 0, "an euid change made the process non-dumpable");
  check(prctl(PR_SET_DUMPABLE, 1) == 0 && prctl(PR_GET_DUMPABLE) == 1, "PR_SET_DUMPABLE 1");
  check(prctl(PR_SET_DUMPABLE, 2) == -1 && errno == EINVAL, "PR_SET_DUMPABLE 2 is EINVAL");
  /* Unprivileged now: only the real, effective or saved id. */
  check(sys3(SYS_setuid, 0, 0, 0) == -1 && errno == EPERM, "setuid(0) without privilege: EPERM");
  check(sys3(SYS_setuid, 3000, 0, 0) == 0, "setuid(saved) without privilege");
  check(getresuid(&r, &e, &s) == 0 && r == 1000 && e == 3000 && s == 3000, "... sets only the euid");
  check(sys3(SYS_setreuid, -1, 1000, 0) == 0, "setreuid(-1, real)");
  check(getresuid(&r, &e, &s) == 0 && r == 1000 && e == 1000 && s == 3000, "... saved unchanged (euid == real)");
  check(sys3(SYS_setreuid, 3000, -1, 0) == -1 && errno == EPERM, "setreuid(saved, -1): the real id only to real or effective");
  check(sys3(SYS_setreuid, 1000, 3000, 0) == 0, "setreuid(real, saved)");
  check(sys3(SYS_setreuid, 3000, 1000, 0) == 0, "setreuid(effective, real)");
  check(getresuid(&r, &e, &s) == 0 && r == 3000 && e == 1000 && s == 1000, "... saved follows euid when the real id is set");
  check(sys3(SYS_setresuid, 4000, -1, -1) == -1 && errno == EPERM, "setresuid to a foreign id: EPERM");
  check(setgroups(0, NULL) == -1 && errno == EPERM, "setgroups without privilege: EPERM");
  check_eq(syscall(SYS_setfsuid, 1000), 1000, "setfsuid returns the old fsuid");
  check_eq(syscall(SYS_setfsuid, 4000), 1000, "setfsuid to a foreign id returns the old one...");
  check_eq(syscall(SYS_setfsuid, -1), 1000, "... and did not change it");
  check(sys3(SYS_setuid, -1, 0, 0) == -1 && errno == EINVAL, "setuid(-1): EINVAL, not an id");
}

static void root_setuid(void) {
  uid_t r, e, s;
  check(sys3(SYS_setuid, 1234, 0, 0) == 0, "root: setuid sets all three");
  check(getresuid(&r, &e, &s) == 0 && r == 1234 && e == 1234 && s == 1234, "... real, effective, saved");
  check(sys3(SYS_setuid, 0, 0, 0) == -1 && errno == EPERM, "no way back to root");
}

static void personality_calls(void) {
  int old = personality(0xffffffff);
  check(old == 0, "personality query: PER_LINUX");
  check(personality(ADDR_NO_RANDOMIZE) == 0, "set ADDR_NO_RANDOMIZE returns the old value");
  check(personality(0xffffffff) == ADDR_NO_RANDOMIZE, "... and it is set");
  check_linux(personality(PER_LINUX32) == -1 && errno == EINVAL, "PER_LINUX32: EINVAL (no AArch32 tasks)");
}

/* Field 19 of /proc/self/stat: the nice value. */
static long stat_nice(void) {
  char buf[1024];
  FILE *f = fopen("/proc/self/stat", "r");
  if (f == NULL || fgets(buf, sizeof buf, f) == NULL) return -100;
  fclose(f);
  char *p = strrchr(buf, ')');
  long v = -100;
  for (int field = 3; p != NULL && field <= 19; field++) {
    p = strchr(p + 1, ' ');
    if (p != NULL && field == 19) v = strtol(p + 1, NULL, 10);
  }
  return v;
}

static void priority_calls(void) {
  errno = 0;
  check(getpriority(PRIO_PROCESS, 0) == 0 && errno == 0, "getpriority: nice 0 at start");
  check(setpriority(PRIO_PROCESS, 0, 5) == 0, "setpriority(PRIO_PROCESS, 0, 5)");
  check(getpriority(PRIO_PROCESS, 0) == 5, "... getpriority reads 5");
  check_eq(syscall(SYS_getpriority, PRIO_PROCESS, 0), 15, "the raw syscall returns 20 - nice");
  check_linux(stat_nice() == 5, "/proc/self/stat nice (qemu fakes this file)");
  check(setpriority(PRIO_PROCESS, 0, 50) == 0 && getpriority(PRIO_PROCESS, 0) == 19, "nice is clamped to 19");
  check(setpriority(PRIO_PROCESS, 0, -3) == 0 && getpriority(PRIO_PROCESS, 0) == -3, "root may lower it");
  check(setpriority(7, 0, 0) == -1 && errno == EINVAL, "a bad which: EINVAL");
  check(setpriority(PRIO_PROCESS, 999999, 0) == -1 && errno == ESRCH, "no such process: ESRCH");
  pid_t child = fork();
  if (child == 0) {
    failures = 0;
    errno = 0;
    check(getpriority(PRIO_PROCESS, 0) == -3 && errno == 0, "a child inherits the nice value");
    check(sys3(SYS_setresuid, 1000, 1000, 1000) == 0, "child drops to uid 1000");
    check(setpriority(PRIO_PROCESS, 0, 2) == 0, "unprivileged: raising nice is allowed");
    check(setpriority(PRIO_PROCESS, 0, 1) == -1 && errno == EACCES, "unprivileged: lowering it is EACCES (RLIMIT_NICE 0)");
    check(setpriority(PRIO_PROCESS, getppid(), 10) == -1 && errno == EPERM, "another user's process: EPERM");
    exit(failures == 0 ? 0 : 1);
  }
  int st;
  waitpid(child, &st, 0);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "unprivileged child's checks passed");
  check(getpriority(PRIO_PROCESS, 0) == -3, "the parent keeps its own value");
}

int main(void) {
  if (getuid() != 0) {
    printf("SKIP not run as root\nALL PASSED\n");
    return 0;
  }
  in_child(root_drops);
  in_child(root_setuid);
  in_child(personality_calls);
  in_child(priority_calls);
  if (failures == 0) printf("ALL PASSED\n");
  return failures == 0 ? 0 : 1;
}
