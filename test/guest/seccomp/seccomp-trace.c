/*
 * SECCOMP_RET_TRACE with a tracer (PTRACE_O_TRACESECCOMP): the PTRACE_EVENT_SECCOMP stop with
 * RET_DATA as the event message, the call running after PTRACE_CONT, a tracer skipping the call
 * (NT_ARM_SYSTEM_CALL = -1, its own x0), a tracer without the option (ENOSYS), and the re-check
 * bypass test: a tracer that changes the number at the stop to one the filter kills gets its
 * tracee killed, because the filters run again on the changed call.
 */
#include "check.h"

#include <elf.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>

#ifndef NT_ARM_SYSTEM_CALL
#define NT_ARM_SYSTEM_CALL 0x404
#endif

static long parent_pid;
static long getppid_value(void) { return parent_pid; }

enum { TRACE_PLAIN, TRACE_SKIP, TRACE_CHANGE_TO_KILLED, TRACE_NO_OPTION };

/* The tracee: stops for its tracer, installs the filter, makes the traced call. */
static int tracee(int mode) {
  if (ptrace(PTRACE_TRACEME, 0, 0, 0) != 0) return 90;
  raise(SIGSTOP);
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return 98;
  /* getppid → TRACE | 0x77; getuid → KILL_PROCESS; the rest runs. */
  INSTALL(LD(NR_OFF), IF_EQ(__NR_getppid), RET(SECCOMP_RET_TRACE | 0x77), IF_EQ(__NR_getuid),
          RET(SECCOMP_RET_KILL_PROCESS), RET(SECCOMP_RET_ALLOW));
  errno = 0;
  long r = syscall(__NR_getppid);
  switch (mode) {
    case TRACE_PLAIN:
      return r == getppid_value() ? 0 : 10;
    case TRACE_SKIP:
      return r == 1234 ? 0 : 11;
    case TRACE_NO_OPTION:
      return r == -1 && errno == ENOSYS ? 0 : 12;
    default:
      return 13;
  }
}


/* Runs a tracee in `mode` and plays the tracer; returns the tracee's final wait status. */
static int trace(int mode) {
  parent_pid = getpid();
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) _exit(tracee(mode));
  int st;
  waitpid(pid, &st, 0);
  if (!WIFSTOPPED(st)) return -1;
  long opts = PTRACE_O_EXITKILL | (mode == TRACE_NO_OPTION ? 0 : PTRACE_O_TRACESECCOMP);
  ptrace(PTRACE_SETOPTIONS, pid, 0, opts);
  ptrace(PTRACE_CONT, pid, 0, 0);
  waitpid(pid, &st, 0);
  if (mode != TRACE_NO_OPTION) {
    check(WIFSTOPPED(st) && (st >> 8) == (SIGTRAP | (PTRACE_EVENT_SECCOMP << 8)), "PTRACE_EVENT_SECCOMP stop");
    unsigned long msg = 0;
    check(ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg) == 0 && msg == 0x77, "event message = RET_DATA");
    int nr = 0;
    struct iovec iov = {.iov_base = &nr, .iov_len = sizeof nr};
    check(ptrace(PTRACE_GETREGSET, pid, NT_ARM_SYSTEM_CALL, &iov) == 0 && nr == __NR_getppid,
          "NT_ARM_SYSTEM_CALL at the stop");
    if (mode == TRACE_SKIP) {
      struct user_regs_struct regs;
      struct iovec r = {.iov_base = &regs, .iov_len = sizeof regs};
      ptrace(PTRACE_GETREGSET, pid, NT_PRSTATUS, &r);
      regs.regs[0] = 1234;
      ptrace(PTRACE_SETREGSET, pid, NT_PRSTATUS, &r);
      nr = -1;
      check(ptrace(PTRACE_SETREGSET, pid, NT_ARM_SYSTEM_CALL, &iov) == 0, "tracer skips the call");
    } else if (mode == TRACE_CHANGE_TO_KILLED) {
      nr = __NR_getuid;
      check(ptrace(PTRACE_SETREGSET, pid, NT_ARM_SYSTEM_CALL, &iov) == 0, "tracer changes the number");
    }
    ptrace(PTRACE_CONT, pid, 0, 0);
    waitpid(pid, &st, 0);
  }
  return st;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  check(exited_ok(trace(TRACE_PLAIN)), "after the stop the traced call runs (the re-check allows TRACE)");
  check(exited_ok(trace(TRACE_SKIP)), "a call the tracer skips returns the tracer's x0");
  check(killed_by(trace(TRACE_CHANGE_TO_KILLED), SIGSYS), "TRACE re-check: the changed number is filtered again");
  check(exited_ok(trace(TRACE_NO_OPTION)), "traced without PTRACE_O_TRACESECCOMP: ENOSYS");
  return finish();
}
