/*
 * Compat-only process and file calls with ARM layouts or semantics: the 16-bit id calls (24, 47,
 * 49, 50, 165), uname (122), sysinfo (116, mem_unit scaling), ugetrlimit/setrlimit (191/75,
 * COMPAT_RLIM_INFINITY), getrusage (77), times (43), sched_getaffinity (242, 32-bit words),
 * the compat robust-list head (338/339, len 12, independent of the native one), fcntl/fcntl64 lock
 * structures (55/221), dup2 (63), pipe (42) and the path calls without *at (5, 8, 9, 10, 12, 15,
 * 33, 38, 39, 40, 83, 85, 183).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "check.h"
#include "compat-abi.h"

static char dir[] = "/tmp/c64-proc-XXXXXX";
static char p1[128], p2[128], p3[128], cwd[256], linkbuf[128];
static unsigned char buf[512];
static uint16_t ids16[3];
static struct compat_sysinfo csi;
static struct compat_rlimit crl;
static struct compat_rusage cru;
static struct compat_tms ctms;
static struct compat_robust_list_head chead;
static uint32_t head_out, len_out;
static struct compat_flock fl32;
static struct compat_flock64 fl64;
static int pipefds[2];

static unsigned long id16(unsigned long id)
{
	return id > 0xffff ? 65534 : id;
}

int main(void)
{
	CHECK_EQ("ids.getuid16", compat_syscall(__NR_compat_getuid), id16(getuid()));
	CHECK_EQ("ids.getgid16", compat_syscall(__NR_compat_getgid), id16(getgid()));
	CHECK_EQ("ids.geteuid16", compat_syscall(__NR_compat_geteuid), id16(geteuid()));
	CHECK_EQ("ids.getegid16", compat_syscall(__NR_compat_getegid), id16(getegid()));
	CHECK_EQ("ids.getuid32", compat_syscall(__NR_compat_getuid32), getuid());
	CHECK_EQ("ids.getresuid16", compat_syscall(__NR_compat_getresuid, &ids16[0], &ids16[1], &ids16[2]), 0);
	CHECK("ids.getresuid16_values", ids16[0] == id16(getuid()) && ids16[1] == id16(geteuid()), "got %u %u %u",
	      ids16[0], ids16[1], ids16[2]);

	struct utsname u;
	uname(&u);
	memset(buf, 0xaa, sizeof buf);
	CHECK_EQ("uname.compat", compat_syscall(__NR_compat_uname, buf), 0);
	CHECK("uname.same_as_native", memcmp(buf, &u, 390) == 0 && buf[390] == 0xaa, "machine '%s'", (char *)buf + 260);

	struct sysinfo si;
	sysinfo(&si);
	CHECK_EQ("sysinfo.compat", compat_syscall(__NR_compat_sysinfo, &csi), 0);
	unsigned long long total = (unsigned long long)si.totalram * si.mem_unit;
	unsigned want_unit = total >= (1ULL << 32) ? 4096 : 1;
	CHECK_EQ("sysinfo.mem_unit_scaled", csi.mem_unit, want_unit);
	CHECK_EQ("sysinfo.totalram", (unsigned long long)csi.totalram * csi.mem_unit, total / want_unit * want_unit);
	CHECK_EQ("sysinfo.procs", csi.procs, si.procs);
	CHECK("sysinfo.uptime", csi.uptime >= si.uptime && csi.uptime - si.uptime <= 2, "compat %d native %ld",
	      csi.uptime, si.uptime);

	struct rlimit rl;
	getrlimit(RLIMIT_STACK, &rl);
	CHECK_EQ("rlimit.ugetrlimit", compat_syscall(__NR_compat_ugetrlimit, RLIMIT_STACK, &crl), 0);
	CHECK_EQ("rlimit.ugetrlimit_stack", crl.rlim_cur, rl.rlim_cur > 0xffffffffUL ? 0xffffffffUL : rl.rlim_cur);
	CHECK_EQ("rlimit.ugetrlimit", compat_syscall(__NR_compat_ugetrlimit, RLIMIT_AS, &crl), 0);
	CHECK("rlimit.infinity_is_0xffffffff", crl.rlim_cur == 0xffffffffu && crl.rlim_max == 0xffffffffu,
	      "RLIMIT_AS {0x%x, 0x%x}", crl.rlim_cur, crl.rlim_max);
	crl = (struct compat_rlimit){ 1000, 0xffffffffu };
	CHECK_EQ("rlimit.setrlimit", compat_syscall(__NR_compat_setrlimit, RLIMIT_AS, &crl), 0);
	getrlimit(RLIMIT_AS, &rl);
	CHECK("rlimit.setrlimit_infinity", rl.rlim_cur == 1000 && rl.rlim_max == RLIM_INFINITY, "{%lu, 0x%lx}",
	      (unsigned long)rl.rlim_cur, (unsigned long)rl.rlim_max);
	crl = (struct compat_rlimit){ 2000, 1000 };
	CHECK_EQ("rlimit.setrlimit_cur_above_max", compat_syscall(__NR_compat_setrlimit, RLIMIT_AS, &crl),
		 (unsigned long)-22L);
	CHECK_EQ("rlimit.bad_resource", compat_syscall(__NR_compat_ugetrlimit, 99, &crl), (unsigned long)-22L);

	memset(&cru, 0xaa, sizeof cru);
	CHECK_EQ("rusage.compat", compat_syscall(__NR_compat_getrusage, RUSAGE_SELF, &cru), 0);
	CHECK("rusage.timeval32", cru.ru_utime.tv_usec >= 0 && cru.ru_utime.tv_usec < 1000000, "ru_utime.tv_usec %d",
	      cru.ru_utime.tv_usec);
	CHECK_EQ("rusage.bad_who", compat_syscall(__NR_compat_getrusage, 5, &cru), (unsigned long)-22L);

	struct tms nt;
	clock_t native_ticks = times(&nt);
	long ct = compat_syscall(__NR_compat_times, &ctms);
	CHECK("times.result_32_bit", (uint32_t)ct - (uint32_t)native_ticks <= 10, "compat %ld native %ld", ct,
	      (long)native_ticks);
	CHECK("times.tms32", ctms.tms_utime >= 0 && ctms.tms_utime - (int32_t)nt.tms_utime <= 10, "tms_utime %d",
	      ctms.tms_utime);

	memset(buf, 0, sizeof buf);
	CHECK_EQ("affinity.len4", compat_syscall(__NR_compat_sched_getaffinity, 0, 4, buf), 4);
	CHECK_EQ("affinity.cpu0", buf[0], 1);
	CHECK_EQ("affinity.len8", compat_syscall(__NR_compat_sched_getaffinity, 0, 8, buf), 8);
	CHECK_EQ("affinity.len6_einval", compat_syscall(__NR_compat_sched_getaffinity, 0, 6, buf), (unsigned long)-22L);

	CHECK_EQ("robust.set_len12", compat_syscall(__NR_compat_set_robust_list, &chead, 12), 0);
	CHECK_EQ("robust.set_len24_einval", compat_syscall(__NR_compat_set_robust_list, &chead, 24), (unsigned long)-22L);
	CHECK_EQ("robust.get", compat_syscall(__NR_compat_get_robust_list, 0, &head_out, &len_out), 0);
	CHECK("robust.get_compat_head", head_out == (uint32_t)(unsigned long)&chead && len_out == 12,
	      "head 0x%x len %u", head_out, len_out);
	void *native_head;
	size_t native_len;
	syscall(SYS_get_robust_list, 0, &native_head, &native_len);
	CHECK("robust.native_head_independent", native_head != (void *)&chead && native_len == 24, "native %p len %zu",
	      native_head, native_len);

	if (mkdtemp(dir) == NULL) return 2;
	snprintf(p1, sizeof p1, "%s/f", dir);
	snprintf(p2, sizeof p2, "%s/g", dir);
	snprintf(p3, sizeof p3, "%s/sub", dir);
	long fd = compat_syscall(__NR_compat_open, p1, O_CREAT | O_RDWR, 0600);
	CHECK("paths.open", fd >= 0, "open gave %ld", fd);
	struct stat st;
	CHECK_EQ("paths.chmod", compat_syscall(__NR_compat_chmod, p1, 0640), 0);
	stat(p1, &st);
	CHECK_EQ("paths.chmod_mode", st.st_mode & 0777, 0640);
	CHECK_EQ("paths.access", compat_syscall(__NR_compat_access, p1, R_OK), 0);
	CHECK_EQ("paths.rename", compat_syscall(__NR_compat_rename, p1, p2), 0);
	CHECK_EQ("paths.link", compat_syscall(__NR_compat_link, p2, p1), 0);
	stat(p2, &st);
	CHECK_EQ("paths.link_nlink", st.st_nlink, 2);
	CHECK_EQ("paths.unlink", compat_syscall(__NR_compat_unlink, p1), 0);
	CHECK_EQ("paths.symlink", compat_syscall(__NR_compat_symlink, "g", p1), 0);
	CHECK_EQ("paths.readlink", compat_syscall(__NR_compat_readlink, p1, linkbuf, sizeof linkbuf), 1);
	CHECK_EQ("paths.readlink_target", linkbuf[0], 'g');
	CHECK_EQ("paths.mkdir", compat_syscall(__NR_compat_mkdir, p3, 0755), 0);
	CHECK_EQ("paths.chdir", compat_syscall(__NR_compat_chdir, p3), 0);
	long n = compat_syscall(__NR_compat_getcwd, cwd, sizeof cwd);
	CHECK("paths.getcwd", n == (long)strlen(p3) + 1 && strcmp(cwd, p3) == 0, "getcwd '%s' (%ld)", cwd, n);
	chdir("/");
	CHECK_EQ("paths.rmdir", compat_syscall(__NR_compat_rmdir, p3), 0);
	long cfd = compat_syscall(__NR_compat_creat, p3, 0600);
	CHECK("paths.creat", cfd >= 0 && fcntl((int)cfd, F_GETFL) & O_WRONLY, "creat gave %ld", cfd);

	CHECK_EQ("dup2.same_fd", compat_syscall(__NR_compat_dup2, fd, fd), fd);
	CHECK_EQ("dup2.to_50", compat_syscall(__NR_compat_dup2, fd, 50), 50);
	CHECK_EQ("dup2.bad_fd", compat_syscall(__NR_compat_dup2, 77, 51), (unsigned long)-9L);
	CHECK_EQ("pipe.compat", compat_syscall(__NR_compat_pipe, pipefds), 0);
	CHECK("pipe.works", write(pipefds[1], "p", 1) == 1 && read(pipefds[0], buf, 1) == 1 && buf[0] == 'p',
	      "pipe fds %d %d", pipefds[0], pipefds[1]);

	fl64 = (struct compat_flock64){ F_WRLCK, SEEK_SET, 0x100000000LL, 10, 0 };
	CHECK_EQ("fcntl64.getlk64", compat_syscall(__NR_compat_fcntl64, fd, COMPAT_F_GETLK64, &fl64), 0);
	CHECK_EQ("fcntl64.getlk64_unlocked", fl64.l_type, F_UNLCK);
	CHECK_EQ("fcntl64.getlk64_start_kept", fl64.l_start, 0x100000000LL);
	fl64 = (struct compat_flock64){ F_WRLCK, SEEK_SET, 0, 0, 0 };
	CHECK_EQ("fcntl64.setlk64", compat_syscall(__NR_compat_fcntl64, fd, COMPAT_F_SETLK64, &fl64), 0);
	fl64.l_whence = 9;
	CHECK_EQ("fcntl64.setlk64_bad_whence", compat_syscall(__NR_compat_fcntl64, fd, COMPAT_F_SETLK64, &fl64),
		 (unsigned long)-22L);
	CHECK_EQ("fcntl.getlk64_refused", compat_syscall(__NR_compat_fcntl, fd, COMPAT_F_GETLK64, &fl64),
		 (unsigned long)-22L);
	memset(buf, 0xaa, sizeof buf);
	memcpy(buf, &(struct compat_flock){ F_RDLCK, SEEK_SET, 0, 0, 0 }, sizeof fl32);
	CHECK_EQ("fcntl.getlk_flock32", compat_syscall(__NR_compat_fcntl, fd, F_GETLK, buf), 0);
	CHECK("fcntl.getlk_flock32_16_bytes", ((struct compat_flock *)buf)->l_type == F_UNLCK && buf[16] == 0xaa,
	      "l_type %d", ((struct compat_flock *)buf)->l_type);
	CHECK_EQ("fcntl.setfd", compat_syscall(__NR_compat_fcntl64, fd, F_SETFD, FD_CLOEXEC), 0);
	CHECK_EQ("fcntl.getfd", fcntl((int)fd, F_GETFD), FD_CLOEXEC);

	unlink(p1);
	unlink(p2);
	unlink(p3);
	rmdir(dir);
	return check_done();
}
