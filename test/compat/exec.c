/*
 * Compat execve (11) and wait4 (114): execve's argv and envp are arrays of 32-bit pointers (a
 * 64-bit reading of them would see two strings as one pointer), a bad pointer in them is EFAULT,
 * and a missing program -ENOENT zero-extended; wait4 writes the 4-byte status and the 72-byte
 * compat rusage (two 8-byte old_timeval32, then 14 32-bit longs) and nothing past it.
 * Run with no arguments; the program re-executes itself as "exec child ..." through compat execve.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "compat-abi.h"

extern char **environ;

static char self[] = "/proc/self/exe";
static char arg0[] = "exec";
static char arg1[] = "child";
static char arg2[] = "two words";
static char env0[] = "C64_COMPAT_EXEC=yes";
static char env1[] = "C64_SECOND=2";
static char missing[] = "/nonexistent/c64-exec";
static uint32_t argv32[4];
static uint32_t envp32[3];
static uint32_t badargv32[3];
static int32_t status32;
static unsigned char ru[72 + 16];

#define P32(p) ((uint32_t)(uintptr_t)(p))

/* The re-executed child: exit 42 when argv and envp arrived exactly, else 1. */
static int child(int argc, char **argv)
{
	int ok = argc == 3 && strcmp(argv[0], arg0) == 0 && strcmp(argv[2], arg2) == 0;
	int n = 0;
	for (char **e = environ; *e; e++) n++;
	ok = ok && n == 2 && strcmp(environ[0], env0) == 0 && strcmp(environ[1], env1) == 0;
	if (!ok) {
		printf("child: argc %d argv[0] '%s' environ count %d\n", argc, argv[0], n);
		fflush(stdout);
	}
	return ok ? 42 : 1;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "child") == 0) return child(argc, argv);
	setvbuf(stdout, NULL, _IONBF, 0);

	argv32[0] = P32(arg0);
	argv32[1] = P32(arg1);
	argv32[2] = P32(arg2);
	argv32[3] = 0;
	envp32[0] = P32(env0);
	envp32[1] = P32(env1);
	envp32[2] = 0;

	/* Errors come back in this process, zero-extended. */
	CHECK_EQ("execve.enoent_zero_extended", compat_syscall_raw(__NR_compat_execve, missing, argv32, envp32),
		 COMPAT_ERR(ENOENT));
	badargv32[0] = P32(arg0);
	badargv32[1] = 0xfffff000u; /* above TASK_SIZE_32: never mapped */
	badargv32[2] = 0;
	CHECK_EQ("execve.bad_string_pointer_efault", compat_syscall_raw(__NR_compat_execve, self, badargv32, envp32),
		 COMPAT_ERR(EFAULT));
	CHECK_EQ("execve.bad_array_efault", compat_syscall_raw(__NR_compat_execve, self, 0xfffff000u, envp32),
		 COMPAT_ERR(EFAULT));

	pid_t pid = fork();
	if (pid == 0) {
		compat_syscall(__NR_compat_execve, self, argv32, envp32);
		_exit(99);
	}
	memset(ru, 0xa5, sizeof ru);
	status32 = -1;
	long r = compat_syscall(__NR_compat_wait4, pid, &status32, 0, ru);
	CHECK_EQ("wait4.returns_pid", r, pid);
	CHECK("wait4.status_exit_42", WIFEXITED(status32) && WEXITSTATUS(status32) == 42,
	      "status 0x%x (99: execve failed, 1: argv/envp wrong)", status32);
	struct compat_rusage cr;
	memcpy(&cr, ru, sizeof cr);
	CHECK("wait4.rusage_timevals", cr.ru_utime.tv_usec >= 0 && cr.ru_utime.tv_usec < 1000000 &&
					      cr.ru_stime.tv_usec >= 0 && cr.ru_stime.tv_usec < 1000000 &&
					      cr.ru_utime.tv_sec >= 0 && cr.ru_utime.tv_sec < 100,
	      "utime %d.%06d stime %d.%06d", cr.ru_utime.tv_sec, cr.ru_utime.tv_usec, cr.ru_stime.tv_sec,
	      cr.ru_stime.tv_usec);
	/*
	 * ru_maxrss is the first long after the timevals, at 16: the child's peak RSS in KiB, which is
	 * what the native RUSAGE_CHILDREN reports now that this first child is reaped.
	 */
	struct rusage nat;
	getrusage(RUSAGE_CHILDREN, &nat);
	CHECK_EQ("wait4.rusage_maxrss_at_16", cr.rest[0], nat.ru_maxrss);
	int past = 1;
	for (size_t i = 72; i < sizeof ru; i++) past = past && ru[i] == 0xa5;
	CHECK("wait4.nothing_past_72_bytes", past, "bytes after the compat rusage were written");

	/* No child left: -ECHILD, zero-extended; WNOHANG with a live child: 0. */
	CHECK_EQ("wait4.echild_zero_extended", compat_syscall_raw(__NR_compat_wait4, -1, &status32, 0, 0),
		 COMPAT_ERR(ECHILD));
	pid = fork();
	if (pid == 0) {
		usleep(200000);
		_exit(7);
	}
	CHECK_EQ("wait4.wnohang_running", compat_syscall(__NR_compat_wait4, pid, &status32, WNOHANG, 0), 0);
	CHECK_EQ("wait4.child_exit_7", compat_syscall(__NR_compat_wait4, pid, &status32, 0, 0), pid);
	CHECK("wait4.status_exit_7", WIFEXITED(status32) && WEXITSTATUS(status32) == 7, "status 0x%x", status32);
	return check_done();
}
