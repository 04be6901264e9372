/*
 * The ptrace core as register and siginfo views show it (needs GETREGSET/SETREGSET and
 * GETSIGINFO/SETSIGINFO): arm64's x7 convention at syscall stops (0 at entry, 1 at exit, the
 * tracee's own x7 back on resume, a tracer's write discarded), a signal injected at a syscall stop,
 * SINGLESTEP's SIGTRAP TRAP_TRACE with si_addr = the next pc, stepping into a signal handler,
 * GETSIGINFO failing in an ATTACH-style group-stop, and SETSIGINFO's siginfo delivered.
 */
#include <elf.h>
#include <sys/uio.h>
#include <sys/user.h>

#include "check.h"
#include "ptrace-util.h"

#ifndef TRAP_TRACE
#define TRAP_TRACE 2
#endif

static int getregs(pid_t pid, struct user_regs_struct *r) {
  struct iovec iov = {r, sizeof *r};
  return (int)pt(PTRACE_GETREGSET, pid, NT_PRSTATUS, (unsigned long)&iov);
}

static int setregs(pid_t pid, struct user_regs_struct *r) {
  struct iovec iov = {r, sizeof *r};
  return (int)pt(PTRACE_SETREGSET, pid, NT_PRSTATUS, (unsigned long)&iov);
}

/* getppid with x7 = 0x1234 around it; returns x7 as it is after the call. */
static long x7_after_syscall(void) {
  register long x8 __asm__("x8") = SYS_getppid;
  register long x7 __asm__("x7") = 0x1234;
  register long x0 __asm__("x0");
  __asm__ volatile("svc #0" : "=r"(x0), "+r"(x7) : "r"(x8) : "memory");
  (void)x0;
  return x7;
}

static int body_x7(void) {
  syscall(SYS_kill, syscall(SYS_getpid), SIGUSR2); /* marker */
  return x7_after_syscall() == 0x1234 ? 0 : 1;
}

static void test_x7(void) {
  pid_t pid = fork_traceme(body_x7);
  wait_status(pid);
  pt(PTRACE_CONT, pid, 0, 0);
  int st = wait_status(pid);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGUSR2, "x7: marker");
  pt(PTRACE_SYSCALL, pid, 0, 0); /* marker suppressed */
  st = wait_status(pid);
  struct user_regs_struct r;
  check(getregs(pid, &r) == 0, "x7: GETREGSET at the entry stop");
  check_eq((long)r.regs[8], SYS_getppid, "x7: the entry stop of getppid");
  check_eq((long)r.regs[7], 0, "x7: x7 reads 0 at the entry stop");
  r.regs[7] = 0x5555;
  check(setregs(pid, &r) == 0, "x7: SETREGSET writing x7");
  pt(PTRACE_SYSCALL, pid, 0, 0);
  st = wait_status(pid);
  getregs(pid, &r);
  check_eq((long)r.regs[7], 1, "x7: x7 reads 1 at the exit stop");
  check_eq((long)r.regs[0], getpid(), "x7: x0 holds the result at the exit stop");
  pt(PTRACE_CONT, pid, 0, 0);
  st = wait_status(pid);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "x7: the tracee's own x7 is back, the tracer's write discarded");
}

static volatile sig_atomic_t got_usr1;
static void on_usr1(int sig) { (void)sig, got_usr1++; }

static int body_inject(void) {
  signal(SIGUSR1, on_usr1);
  syscall(SYS_kill, syscall(SYS_getpid), SIGUSR2); /* marker */
  syscall(SYS_getppid);
  return got_usr1 == 1 ? 0 : 1;
}

static void test_inject_at_syscall_stop(void) {
  pid_t pid = fork_traceme(body_inject);
  wait_status(pid);
  pt(PTRACE_CONT, pid, 0, 0);
  wait_status(pid); /* marker */
  pt(PTRACE_SYSCALL, pid, 0, 0);
  int st = wait_status(pid); /* getppid entry */
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP, "inject: syscall entry stop");
  pt(PTRACE_SYSCALL, pid, 0, 0);
  st = wait_status(pid); /* getppid exit */
  pt(PTRACE_CONT, pid, 0, SIGUSR1); /* resume a syscall stop with a signal: it is sent */
  st = wait_status(pid);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGUSR1, "inject: the signal comes back as a signal-delivery stop");
  siginfo_t si;
  memset(&si, 0, sizeof si);
  pt(PTRACE_GETSIGINFO, pid, 0, (unsigned long)&si);
  check_eq(si.si_code, SI_KERNEL, "inject: sent as SEND_SIG_PRIV (SI_KERNEL)");
  pt(PTRACE_CONT, pid, 0, SIGUSR1);
  st = wait_status(pid);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "inject: the handler ran once");
}

static void straight_line(void) {
  __asm__ volatile("nop\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop" ::: "memory");
}

static int body_step(void) {
  syscall(SYS_kill, syscall(SYS_getpid), SIGUSR2); /* marker */
  straight_line();
  return 0;
}

static void test_singlestep_info(void) {
  pid_t pid = fork_traceme(body_step);
  wait_status(pid);
  pt(PTRACE_CONT, pid, 0, 0);
  wait_status(pid); /* marker */
  struct user_regs_struct r;
  getregs(pid, &r);
  unsigned long pc0 = r.pc;
  pt(PTRACE_SINGLESTEP, pid, 0, 0);
  int st = wait_status(pid);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP, "step: SIGTRAP stop");
  siginfo_t si;
  memset(&si, 0, sizeof si);
  check_eq(pt(PTRACE_GETSIGINFO, pid, 0, (unsigned long)&si), 0, "step: GETSIGINFO");
  check_eq(si.si_code, TRAP_TRACE, "step: si_code TRAP_TRACE");
  getregs(pid, &r);
  check_eq((long)(r.pc - pc0), 4, "step: one instruction (pc + 4)");
  check_eq((long)si.si_addr, (long)r.pc, "step: si_addr is the new pc");
  pt(PTRACE_CONT, pid, 0, 0);
  st = wait_status(pid);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "step: exits");
}

static void handler_target(int sig) { (void)sig; }

static int body_step_handler(void) {
  signal(SIGUSR1, handler_target);
  syscall(SYS_kill, syscall(SYS_getpid), SIGUSR2); /* marker */
  return 0;
}

static void test_step_into_handler(void) {
  pid_t pid = fork_traceme(body_step_handler);
  wait_status(pid);
  pt(PTRACE_CONT, pid, 0, 0);
  wait_status(pid); /* marker */
  pt(PTRACE_SINGLESTEP, pid, 0, SIGUSR1); /* deliver SIGUSR1 while stepping */
  int st = wait_status(pid);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP, "step-handler: SIGTRAP once the frame is set up");
  struct user_regs_struct r;
  getregs(pid, &r);
  check_eq((long)r.pc, (long)(unsigned long)handler_target, "step-handler: stopped at the handler's first instruction");
  pt(PTRACE_CONT, pid, 0, 0);
  st = wait_status(pid);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "step-handler: exits");
}

static int body_group(void) {
  syscall(SYS_kill, syscall(SYS_getpid), SIGSTOP);
  return 0;
}

static volatile sig_atomic_t got_code;
static void on_usr2_info(int sig, siginfo_t *si, void *uc) { (void)sig, (void)uc, got_code = si->si_code; }

static int body_setsiginfo(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_usr2_info;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR2, &sa, NULL);
  syscall(SYS_kill, syscall(SYS_getpid), SIGUSR2);
  return got_code == -42 ? 0 : 1;
}

static void test_siginfo(void) {
  pid_t pid = fork_traceme(body_group);
  wait_status(pid);
  siginfo_t si;
  check_eq(pt(PTRACE_GETSIGINFO, pid, 0, (unsigned long)&si), 0, "siginfo: GETSIGINFO at a signal-delivery stop");
  pt(PTRACE_CONT, pid, 0, 0);
  int st = wait_status(pid);
  pt(PTRACE_CONT, pid, 0, SIGSTOP);
  st = wait_status(pid);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP, "siginfo: group-stop");
  errno = 0;
  check(pt(PTRACE_GETSIGINFO, pid, 0, (unsigned long)&si) == -1 && errno == EINVAL, "siginfo: GETSIGINFO in an ATTACH-style group-stop: EINVAL");
  pt(PTRACE_CONT, pid, 0, 0);
  st = wait_status(pid);
  check(WIFEXITED(st), "siginfo: exits");

  pid = fork_traceme(body_setsiginfo);
  wait_status(pid);
  pt(PTRACE_CONT, pid, 0, 0);
  st = wait_status(pid);
  check(WIFSTOPPED(st) && WSTOPSIG(st) == SIGUSR2, "setsiginfo: SIGUSR2 stop");
  pt(PTRACE_GETSIGINFO, pid, 0, (unsigned long)&si);
  si.si_code = -42;
  check_eq(pt(PTRACE_SETSIGINFO, pid, 0, (unsigned long)&si), 0, "setsiginfo: SETSIGINFO");
  pt(PTRACE_CONT, pid, 0, SIGUSR2);
  st = wait_status(pid);
  check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "setsiginfo: the handler gets the tracer's siginfo");
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  test_x7();
  test_inject_at_syscall_stop();
  test_singlestep_info();
  test_step_into_handler();
  test_siginfo();
  return finish();
}
