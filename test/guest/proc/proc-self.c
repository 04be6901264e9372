/*
 * The calling process's own /proc files (stat, status, statm, cmdline, environ, auxv, limits,
 * mounts, mountinfo, cgroup, the OOM knobs) and the system-wide files (cpuinfo, meminfo, uptime,
 * loadavg, stat, version, /proc/sys) in Linux's formats, consistent with what the syscalls say.
 * Usage: proc-self ARG1 ARG2 (any two arguments: cmdline is checked against argv).
 */
#include "check.h"
#include <signal.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <time.h>

#define NF 64

int initialized_data = 42;

static void own_stat(void) {
  char buf[4096];
  char *f[NF];
  int nf = read_stat("/proc/self/stat", buf, sizeof buf, f, NF);
  check_eq(nf, 52, "/proc/self/stat has 52 fields");
  if (nf != 52) return;
  check_eq(atol(f[0]), getpid(), "stat pid");
  check_str(f[2], "R", "the reader is R (running)");
  check_eq(atol(f[3]), getppid(), "stat ppid is getppid()");
  check_eq(atol(f[4]), getpgrp(), "stat pgrp");
  check_eq(atol(f[5]), getsid(0), "stat session");
  check_eq(atol(f[19]), 1, "stat num_threads");
  check_str(f[24], "18446744073709551615", "stat rsslim is RLIM_INFINITY");
  unsigned long code0 = strtoul(f[25], NULL, 10), code1 = strtoul(f[26], NULL, 10);
  unsigned long main_at = (unsigned long)&own_stat;
  check(code0 <= main_at && main_at < code1, "start_code <= a function < end_code");
  unsigned long data0 = strtoul(f[44], NULL, 10), data1 = strtoul(f[45], NULL, 10);
  unsigned long data_at = (unsigned long)&initialized_data;
  check(data0 <= data_at && data_at < data1, "start_data <= initialized data < end_data");
  unsigned long stack = strtoul(f[27], NULL, 10);
  unsigned long arg0 = strtoul(f[47], NULL, 10);
  check(stack > (unsigned long)&nf && stack < arg0, "start_stack lies between the live stack and arg_start");
  check(strtoul(f[46], NULL, 10) <= (unsigned long)sbrk(0), "start_brk <= the current break");
  check_eq(atol(f[37]), SIGCHLD, "exit_signal SIGCHLD");
  check_eq(atol(f[17]), 20, "priority 20 (nice 0)");
}

static void own_status(void) {
  char buf[8192], want[64];
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigprocmask(SIG_BLOCK, &set, NULL);
  signal(SIGUSR2, SIG_IGN);
  signal(SIGHUP, (void (*)(int))own_stat);
  umask(027);
  slurp("/proc/self/status", buf, sizeof buf);
  check(strncmp(buf, "Name:\t", 6) == 0, "status starts with Name");
  check_str(field(buf, "Umask"), "0027", "status Umask in 4 octal digits");
  check_str(field(buf, "State"), "R (running)", "status State of the reader");
  snprintf(want, sizeof want, "%d", getpid());
  check_str(field(buf, "Pid"), want, "status Pid");
  check_str(field(buf, "SigBlk"), "0000000000000200", "SigBlk shows SIGUSR1 blocked");
  check_str(field(buf, "SigIgn"), "0000000000000800", "SigIgn shows SIGUSR2 ignored");
  check_str(field(buf, "SigCgt"), "0000000000000001", "SigCgt shows the SIGHUP handler");
  check_str(field(buf, "SigPnd"), "0000000000000000", "SigPnd empty");
  raise(SIGUSR1);
  slurp("/proc/self/status", buf, sizeof buf);
  check(strcmp(field(buf, "SigPnd"), "0000000000000200") == 0 || strcmp(field(buf, "ShdPnd"), "0000000000000200") == 0,
        "a blocked raise() is pending");
  check(strstr(buf, "\nGroups:\t") != NULL, "status has Groups");
  check(field(buf, "VmSize") != NULL && field(buf, "CoreDumping") != NULL && field(buf, "THP_enabled") != NULL,
        "status has the memory lines, CoreDumping and THP_enabled");
  check_str(field(buf, "NoNewPrivs"), "0", "NoNewPrivs 0");
  check_str(field(buf, "Seccomp"), "0", "Seccomp 0");
  check(strstr(buf, "\nvoluntary_ctxt_switches:\t") != NULL, "status ends with the context switch counts");
  check_str(field(buf, "Cpus_allowed_list"), "0", "one CPU allowed");
  umask(022);
  signal(SIGHUP, SIG_DFL);
  signal(SIGUSR2, SIG_DFL);
  signal(SIGUSR1, SIG_IGN);
  sigprocmask(SIG_UNBLOCK, &set, NULL);
  signal(SIGUSR1, SIG_DFL);
}

static void own_files(int argc, char **argv) {
  char buf[8192];
  long n = slurp("/proc/self/cmdline", buf, sizeof buf);
  long want = 0;
  for (int i = 0; i < argc; i++) want += (long)strlen(argv[i]) + 1;
  check(n == want && strcmp(buf + strlen(buf) + 1, argv[1]) == 0, "cmdline is argv, NUL-separated");
  n = slurp("/proc/self/environ", buf, sizeof buf);
  int found = 0;
  for (long i = 0; i < n; i += (long)strlen(buf + i) + 1)
    if (strcmp(buf + i, "LC_ALL=C") == 0) found = 1;
  check(found, "environ holds the environment");

  n = slurp("/proc/self/auxv", buf, sizeof buf);
  unsigned long *aux = (unsigned long *)buf;
  long pairs = n / 16;
  int pagesz = 0, hwcap = 0;
  for (long i = 0; i < pairs; i++) {
    if (aux[2 * i] == AT_PAGESZ && aux[2 * i + 1] == 4096) pagesz = 1;
    if (aux[2 * i] == AT_HWCAP && aux[2 * i + 1] == getauxval(AT_HWCAP)) hwcap = 1;
  }
  check(n % 16 == 0 && pairs > 0 && aux[2 * pairs - 2] == AT_NULL, "auxv is (type, value) pairs ending with AT_NULL");
  check(pagesz && hwcap, "auxv has AT_PAGESZ 4096 and getauxval's AT_HWCAP");

  slurp("/proc/self/statm", buf, sizeof buf);
  long size, res;
  char status[8192];
  slurp("/proc/self/status", status, sizeof status);
  check(sscanf(buf, "%ld %ld", &size, &res) == 2 && field(status, "VmSize") != NULL &&
            size * 4 == atol(field(status, "VmSize")),
        "statm size (pages) agrees with VmSize (kB)");

  slurp("/proc/self/limits", buf, sizeof buf);
  check(strncmp(buf, "Limit                     Soft Limit           Hard Limit           Units     \n", 79) == 0,
        "limits header");
  struct rlimit rl;
  getrlimit(RLIMIT_NOFILE, &rl);
  char line[128];
  snprintf(line, sizeof line, "\nMax open files            %-20lu %-20lu files     \n", (unsigned long)rl.rlim_cur,
           (unsigned long)rl.rlim_max);
  check(strstr(buf, line) != NULL, "limits Max open files matches getrlimit");
  check(strstr(buf, "\nMax nice priority         0                    0                    \n") != NULL,
        "a limit without a unit ends after the hard limit's padding");

  slurp("/proc/self/cgroup", buf, sizeof buf);
  LINUX_ONLY check_str(buf, "0::/\n", "cgroup: the unified hierarchy's root");
  slurp("/proc/self/oom_score_adj", buf, sizeof buf);
  check_str(buf, "0\n", "oom_score_adj starts at 0");
  int fd = open("/proc/self/oom_score_adj", O_WRONLY);
  check(fd >= 0 && write(fd, "100\n", 4) == 4, "oom_score_adj can be raised");
  close(fd);
  slurp("/proc/self/oom_score_adj", buf, sizeof buf);
  check_str(buf, "100\n", "oom_score_adj reads back");
  slurp("/proc/self/oom_adj", buf, sizeof buf);
  check_str(buf, "1\n", "oom_adj is oom_score_adj * 17 / 1000");
  fd = open("/proc/self/oom_score_adj", O_WRONLY);
  errno = 0;
  check(fd >= 0 && write(fd, "1001", 4) == -1 && errno == EINVAL, "oom_score_adj beyond 1000 is EINVAL");
  close(fd);
  slurp("/proc/self/oom_score", buf, sizeof buf);
  check(atol(buf) >= 666 && atol(buf) <= 2000, "oom_score is scaled into 666..2000 for a positive adj");
}

static void mounts(void) {
  char buf[8192];
  slurp("/proc/self/mounts", buf, sizeof buf);
  check(strstr(buf, " /proc proc ") != NULL, "mounts lists /proc");
  char buf2[8192];
  slurp("/proc/mounts", buf2, sizeof buf2);
  check_str(buf2, buf, "/proc/mounts is /proc/self/mounts");
  slurp("/proc/self/mountinfo", buf, sizeof buf);
  check(strstr(buf, " / /proc ") != NULL && strstr(buf, " - proc proc ") != NULL, "mountinfo lists /proc");
  LINUX_ONLY {
    struct stat st;
    stat("/", &st);
    char want[64];
    snprintf(want, sizeof want, " %u:%u / / ", major(st.st_dev), minor(st.st_dev));
    check(strstr(buf, want) != NULL, "mountinfo's root line has the device stat(\"/\") reports");
    stat("/proc", &st);
    snprintf(want, sizeof want, " %u:%u / /proc ", major(st.st_dev), minor(st.st_dev));
    check(strstr(buf, want) != NULL, "mountinfo's /proc line has the device stat(\"/proc\") reports");
  }
}

static const char *const hwcap_names[] = {"fp",    "asimd", "evtstrm", "aes",   "pmull", "sha1",    "sha2",
                                          "crc32", "atomics", "fphp",  "asimdhp", "cpuid", "asimdrdm", "jscvt",
                                          "fcma",  "lrcpc",   "dcpop", "sha3",    "sm3",   "sm4",      "asimddp",
                                          "sha512", "sve",    "asimdfhm", "dit",  "uscat", "ilrcpc",   "flagm",
                                          "ssbs",  "sb",      "paca",  "pacg"};

static void system_files(void) {
  char buf[16384];
  LINUX_ONLY {
    slurp("/proc/cpuinfo", buf, sizeof buf);
    check(strncmp(buf, "processor\t: 0\nBogoMIPS\t: ", 25) == 0, "cpuinfo starts with processor and BogoMIPS");
    char want[512] = "Features\t:";
    unsigned long hw = getauxval(AT_HWCAP);
    for (int i = 0; i < 32; i++)
      if (hw & (1UL << i)) {
        strcat(want, " ");
        strcat(want, hwcap_names[i]);
      }
    strcat(want, "\n");
    check(strstr(buf, want) != NULL, "cpuinfo Features are the AT_HWCAP names");
    check(strstr(buf, "\nCPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: 0x0\nCPU part\t: 0xd08\n"
                      "CPU revision\t: 3\n\n") != NULL,
          "cpuinfo describes a Cortex-A72 r0p3");
  }
  long n = slurp("/proc/meminfo", buf, sizeof buf);
  check(n > 0 && strncmp(buf, "MemTotal:", 9) == 0, "meminfo starts with MemTotal");
  int aligned = 1;
  for (char *l = buf; *l; l = strchr(l, '\n') + 1) {
    char *nl = strchr(l, '\n');
    size_t len = (size_t)(nl - l);
    int kb = len > 3 && strncmp(nl - 3, " kB", 3) == 0;
    size_t digits_end = kb ? len - 3 : len;
    /* Values up to 8 digits end in column 24 (16 for "Label:" padding, 8 for %8lu). */
    size_t start = digits_end;
    while (start > 0 && l[start - 1] >= '0' && l[start - 1] <= '9') start--;
    if (digits_end - start <= 8 && digits_end != 24) aligned = 0;
  }
  check(aligned, "meminfo values end in column 24");
  check(strstr(buf, "\nHugePages_Total:") != NULL && strstr(buf, "\nHugepagesize:       2048 kB\n") != NULL,
        "meminfo has the hugetlb lines");

  unsigned long a, b, c, d;
  slurp("/proc/uptime", buf, sizeof buf);
  check(sscanf(buf, "%lu.%2lu %lu.%2lu", &a, &b, &c, &d) == 4 && buf[strlen(buf) - 1] == '\n', "uptime format");
  slurp("/proc/loadavg", buf, sizeof buf);
  long running, total, last;
  check(sscanf(buf, "%lu.%2lu %*u.%*2u %*u.%*2u %ld/%ld %ld", &a, &b, &running, &total, &last) == 5 && running >= 1 &&
            total >= running && last >= 1,
        "loadavg: three averages, running/total, last pid");
  slurp("/proc/stat", buf, sizeof buf);
  long user, nice, sys, idle;
  check(sscanf(buf, "cpu  %ld %ld %ld %ld", &user, &nice, &sys, &idle) == 4, "stat starts with the cpu line");
  char *bt = strstr(buf, "\nbtime ");
  time_t now = time(NULL);
  check(bt != NULL && atol(bt + 7) <= now && atol(bt + 7) > now - 100000000L, "stat btime is a past boot time");
  check(strstr(buf, "\nprocesses ") != NULL && strstr(buf, "\nprocs_running ") != NULL, "stat has processes and procs_running");

  struct utsname u;
  uname(&u);
  slurp("/proc/version", buf, sizeof buf);
  char want[256];
  snprintf(want, sizeof want, "Linux version %s ", u.release);
  check(strncmp(buf, want, strlen(want)) == 0, "version names uname's release");
  slurp("/proc/sys/kernel/osrelease", buf, sizeof buf);
  snprintf(want, sizeof want, "%s\n", u.release);
  check_str(buf, want, "kernel.osrelease is uname's release");
  slurp("/proc/sys/kernel/ostype", buf, sizeof buf);
  check_str(buf, "Linux\n", "kernel.ostype");
  slurp("/proc/sys/kernel/hostname", buf, sizeof buf);
  snprintf(want, sizeof want, "%s\n", u.nodename);
  check_str(buf, want, "kernel.hostname is uname's nodename");
  slurp("/proc/sys/kernel/pid_max", buf, sizeof buf);
  check(atol(buf) >= getpid(), "kernel.pid_max is above our pid");
  slurp("/proc/sys/kernel/ngroups_max", buf, sizeof buf);
  check_str(buf, "65536\n", "kernel.ngroups_max");
  slurp("/proc/sys/kernel/cap_last_cap", buf, sizeof buf);
  check(atol(buf) >= 40, "kernel.cap_last_cap");
  char u1[64], u2[64], b1[64], b2[64];
  slurp("/proc/sys/kernel/random/uuid", u1, sizeof u1);
  slurp("/proc/sys/kernel/random/uuid", u2, sizeof u2);
  check(strlen(u1) == 37 && u1[8] == '-' && u1[14] == '4' && strcmp(u1, u2) != 0, "random/uuid: a new v4 uuid per read");
  slurp("/proc/sys/kernel/random/boot_id", b1, sizeof b1);
  slurp("/proc/sys/kernel/random/boot_id", b2, sizeof b2);
  check(strlen(b1) == 37 && strcmp(b1, b2) == 0, "random/boot_id is fixed");
  slurp("/proc/sys/vm/overcommit_memory", buf, sizeof buf);
  check(buf[0] >= '0' && buf[0] <= '2' && buf[1] == '\n', "vm.overcommit_memory");
  slurp("/proc/sys/vm/max_map_count", buf, sizeof buf);
  check(atol(buf) >= 65530, "vm.max_map_count");
  slurp("/proc/sys/fs/pipe-max-size", buf, sizeof buf);
  check(atol(buf) >= 4096, "fs.pipe-max-size");
  LINUX_ONLY {
    slurp("/proc/sys/vm/mmap_min_addr", buf, sizeof buf);
    check_str(buf, "4096\n", "vm.mmap_min_addr is Debian arm64's DEFAULT_MMAP_MIN_ADDR");
  }
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: proc-self ARG1 ARG2\n");
    return 2;
  }
  LINUX_ONLY own_stat();
  LINUX_ONLY own_status();
  own_files(argc, argv);
  mounts();
  system_files();
  return finish();
}
