/* Helpers shared by the ptrace guest tests. */
#ifndef PTRACE_UTIL_H
#define PTRACE_UTIL_H
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PTRACE_SYSEMU
#define PTRACE_SYSEMU 31
#endif
#ifndef PTRACE_EVENTMSG_SYSCALL_ENTRY
#define PTRACE_EVENTMSG_SYSCALL_ENTRY 1
#define PTRACE_EVENTMSG_SYSCALL_EXIT 2
#endif

/* Raw ptrace: glibc's wrapper treats PEEK* specially; these tests want the plain result and errno. */
__attribute__((unused)) static long pt(long req, pid_t pid, unsigned long addr, unsigned long data) {
  return syscall(SYS_ptrace, req, pid, addr, data);
}

/* waitpid with __WALL, retried on EINTR: the raw status (or -1). */
__attribute__((unused)) static int wait_status(pid_t pid) {
  int st = 0;
  pid_t r;
  do {
    r = waitpid(pid, &st, __WALL);
  } while (r < 0 && errno == EINTR);
  return r == pid ? st : -1;
}

/* The single-letter state of a task from /proc/PID/stat, '?' on failure. */
__attribute__((unused)) static char proc_state(pid_t pid) {
  char path[64], buf[512];
  snprintf(path, sizeof path, "/proc/%d/stat", pid);
  int fd = open(path, O_RDONLY);
  if (fd < 0) return '?';
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return '?';
  buf[n] = 0;
  char *p = strrchr(buf, ')');
  return p != NULL && p[1] == ' ' ? p[2] : '?';
}

/* A field of /proc/PID/status as a number (-1 when missing). */
__attribute__((unused)) static long proc_status_field(pid_t pid, const char *name) {
  char path[64], buf[4096];
  snprintf(path, sizeof path, "/proc/%d/status", pid);
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return -1;
  buf[n] = 0;
  size_t len = strlen(name);
  for (char *p = buf; p != NULL && *p; p = strchr(p, '\n'), p = p ? p + 1 : p) {
    if (strncmp(p, name, len) == 0 && p[len] == ':') return strtol(p + len + 1, NULL, 10);
  }
  return -1;
}

/* The "State:" line's text of /proc/PID/status (first 20 bytes). */
__attribute__((unused)) static void proc_status_state(pid_t pid, char *out, size_t size) {
  char path[64], buf[4096];
  out[0] = 0;
  snprintf(path, sizeof path, "/proc/%d/status", pid);
  int fd = open(path, O_RDONLY);
  if (fd < 0) return;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return;
  buf[n] = 0;
  char *p = strstr(buf, "State:\t");
  if (p == NULL) return;
  p += 7;
  size_t i = 0;
  while (p[i] && p[i] != '\n' && i + 1 < size) {
    out[i] = p[i];
    i++;
  }
  out[i] = 0;
}

/* A child that makes itself traced by its parent and stops with SIGSTOP, then runs body(). */
__attribute__((unused)) static pid_t fork_traceme(int (*body)(void)) {
  pid_t pid = fork();
  if (pid == 0) {
    if (pt(PTRACE_TRACEME, 0, 0, 0) != 0) _exit(90);
    /* A raw kill (not raise: glibc's raise makes more calls after it) so the next call is body's. */
    syscall(SYS_kill, syscall(SYS_getpid), SIGSTOP);
    _exit(body());
  }
  return pid;
}

/* The event number of a ptrace stop's status (status >> 16). */
#define PT_EVENT(st) (((unsigned)(st) >> 16) & 0xff)
#endif
