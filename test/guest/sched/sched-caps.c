/*
 * capget/capset (Linux 6.1 rules): the version handshake (EINVAL with the kernel's version written
 * back; a NULL data pointer probes), versions 1/2/3, pid rules, root's sets, the subset rules of
 * capset, the inheritable set across fork, and an unprivileged process's empty sets. Run as root.
 * The host's root under the qemu reference may lack some capabilities (a container), so the exact
 * full set is checked under compat64 only.
 */
#include "../process/check.h"
#include <linux/capability.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static long capget(uint32_t version, int pid, struct __user_cap_data_struct *d, uint32_t *written) {
  struct __user_cap_header_struct h = {version, pid};
  long r = syscall(SYS_capget, &h, d);
  if (written) *written = h.version;
  return r < 0 ? -errno : r;
}

static long capset(uint32_t version, int pid, struct __user_cap_data_struct *d) {
  struct __user_cap_header_struct h = {version, pid};
  long r = syscall(SYS_capset, &h, d);
  return r < 0 ? -errno : r;
}

static int unprivileged(void) {
  if (setresuid(65534, 65534, 65534) != 0) return 99;
  struct __user_cap_data_struct d[2];
  memset(d, 0xff, sizeof d);
  check_eq(capget(_LINUX_CAPABILITY_VERSION_3, 0, d, NULL), 0, "user: capget");
  check(d[0].effective == 0 && d[0].permitted == 0 && d[1].effective == 0 && d[1].permitted == 0, "user: no capabilities");
  check(d[0].inheritable == CAP_TO_MASK(CAP_NET_RAW), "user: inheritable kept across setuid");
  struct __user_cap_data_struct up[2] = {{1, 1, 0}, {0, 0, 0}};
  check_eq(capset(_LINUX_CAPABILITY_VERSION_3, 0, up), -EPERM, "user: raising permitted: EPERM");
  struct __user_cap_data_struct eff[2] = {{1, 0, 0}, {0, 0, 0}};
  check_eq(capset(_LINUX_CAPABILITY_VERSION_3, 0, eff), -EPERM, "user: effective beyond permitted: EPERM");
  struct __user_cap_data_struct inh[2] = {{0, 0, CAP_TO_MASK(CAP_CHOWN)}, {0, 0, 0}};
  check_eq(capset(_LINUX_CAPABILITY_VERSION_3, 0, inh), -EPERM, "user: a new inheritable bit: EPERM");
  struct __user_cap_data_struct none[2] = {{0, 0, 0}, {0, 0, 0}};
  check_eq(capset(_LINUX_CAPABILITY_VERSION_3, 0, none), 0, "user: dropping inheritable");
  check_eq(capget(_LINUX_CAPABILITY_VERSION_3, 0, d, NULL), 0, "user: capget again");
  check_eq(d[0].inheritable, 0, "user: inheritable now empty");
  return failures;
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  struct __user_cap_data_struct d[2];
  uint32_t v = 0;
  check_eq(capget(0x12345678, 0, d, &v), -EINVAL, "unknown version: EINVAL");
  check_eq(v, _LINUX_CAPABILITY_VERSION_3, "the kernel's version is written back");
  check_eq(capget(0x12345678, 0, NULL, &v), 0, "NULL data probes the version: 0");
  check_eq(v, _LINUX_CAPABILITY_VERSION_3, "probe writes the version");
  check_eq(capget(_LINUX_CAPABILITY_VERSION_3, 0, NULL, NULL), 0, "a known version and NULL data: 0");
  check_eq(capget(_LINUX_CAPABILITY_VERSION_3, -1, d, NULL), -EINVAL, "pid -1: EINVAL");
  check_eq(capget(_LINUX_CAPABILITY_VERSION_3, 0x3fffffff, d, NULL), -ESRCH, "no such pid: ESRCH");
  check_eq(capset(0x12345678, 0, d), -EINVAL, "capset unknown version: EINVAL");

  memset(d, 0, sizeof d);
  check_eq(capget(_LINUX_CAPABILITY_VERSION_3, 0, d, NULL), 0, "capget v3");
  check(d[0].effective == d[0].permitted && d[1].effective == d[1].permitted, "root: effective = permitted");
  check((d[0].permitted & CAP_TO_MASK(CAP_SYS_ADMIN)) != 0, "root has CAP_SYS_ADMIN");
  check_eq(d[0].inheritable, 0, "root: inheritable empty");
  if (!reference_run()) {
    check(d[0].permitted == 0xffffffffu && d[1].permitted == 0x1ff, "compat64: the full set up to CAP_CHECKPOINT_RESTORE");
  }
  struct __user_cap_data_struct v1[2];
  memset(v1, 0xee, sizeof v1);
  check_eq(capget(_LINUX_CAPABILITY_VERSION_1, 0, v1, NULL), 0, "capget v1");
  check(v1[0].permitted == d[0].permitted && v1[1].permitted == 0xeeeeeeeeu, "v1 writes one word");
  check_eq(capget(_LINUX_CAPABILITY_VERSION_2, getpid(), v1, NULL), 0, "capget v2 by own pid");
  check_eq(capget(_LINUX_CAPABILITY_VERSION_3, getppid(), v1, NULL), 0, "capget of the parent");

  check_eq(capset(_LINUX_CAPABILITY_VERSION_3, 0x3fffffff, d), -EPERM, "capset of another pid: EPERM");
  struct __user_cap_data_struct more[2];
  memcpy(more, d, sizeof more);
  more[1].effective |= 1u << 20;
  more[1].permitted |= 1u << 20;
  check_eq(capset(_LINUX_CAPABILITY_VERSION_3, 0, more), 0, "bits past CAP_LAST_CAP are dropped");
  check_eq(capset(_LINUX_CAPABILITY_VERSION_3, 0, d), 0, "capset of the same sets");
  struct __user_cap_data_struct inh[2];
  memcpy(inh, d, sizeof inh);
  inh[0].inheritable = CAP_TO_MASK(CAP_NET_RAW);
  check_eq(capset(_LINUX_CAPABILITY_VERSION_3, 0, inh), 0, "root sets an inheritable bit");
  check_eq(capget(_LINUX_CAPABILITY_VERSION_3, 0, d, NULL), 0, "capget after capset");
  check_eq(d[0].inheritable, CAP_TO_MASK(CAP_NET_RAW), "inheritable shows");
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    failures = 0;
    _exit(unprivileged());
  }
  int st = 0;
  waitpid(pid, &st, 0);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "unprivileged rules");
  if (!reference_run()) {
    /* compat64 cannot enforce a dropped capability (privilege is euid 0): refused, not faked. */
    struct __user_cap_data_struct drop[2];
    memcpy(drop, d, sizeof drop);
    drop[0].effective &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
    check_eq(capset(_LINUX_CAPABILITY_VERSION_3, 0, drop), -EPERM, "compat64: dropping an effective capability: EPERM");
  }
  if (failures == 0) printf("ALL PASSED\n");
  return failures != 0;
}
