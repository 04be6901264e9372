/*
 * PASS/FAIL/SKIP reporting for the /proc guest tests: one line per check, exit status 0 when no
 * check failed. PROC_REFERENCE=qemu in the environment marks a run under qemu-aarch64, where most
 * of /proc is the host's (it describes the qemu process, an x86 CPU, qemu's own threads) and exec
 * of an aarch64 program fails: checks of what only compat64 (or a real arm64 Linux) shows are
 * skipped there, the rest are Linux facts both runs must show.
 */
#ifndef PROC_CHECK_H
#define PROC_CHECK_H
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failures;

__attribute__((unused)) static void check(int ok, const char *name) {
  if (ok) {
    printf("PASS %s\n", name);
  } else {
    printf("FAIL %s (errno %d %s)\n", name, errno, strerror(errno));
    failures++;
  }
  fflush(stdout);
}

/* A check whose values are printed on failure. */
__attribute__((unused)) static void check_eq(long got, long want, const char *name) {
  if (got == want) {
    printf("PASS %s\n", name);
  } else {
    printf("FAIL %s (got %ld, want %ld)\n", name, got, want);
    failures++;
  }
  fflush(stdout);
}

__attribute__((unused)) static void check_str(const char *got, const char *want, const char *name) {
  if (got != NULL && strcmp(got, want) == 0) {
    printf("PASS %s\n", name);
  } else {
    printf("FAIL %s (got \"%s\", want \"%s\")\n", name, got == NULL ? "(null)" : got, want);
    failures++;
  }
  fflush(stdout);
}

__attribute__((unused)) static void skip(const char *name, const char *why) {
  printf("SKIP %s: %s\n", name, why);
  fflush(stdout);
}

/* True under the qemu reference run. */
__attribute__((unused)) static int reference_run(void) {
  const char *r = getenv("PROC_REFERENCE");
  return r != NULL && strcmp(r, "qemu") == 0;
}

/* Runs the statement only outside the qemu reference run. */
#define LINUX_ONLY if (!reference_run())

/* Reads a whole file into buf (NUL-terminated); the byte count, or -1. */
__attribute__((unused)) static long slurp(const char *path, char *buf, size_t size) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  size_t n = 0;
  for (;;) {
    ssize_t r = read(fd, buf + n, size - 1 - n);
    if (r < 0) {
      close(fd);
      return -1;
    }
    if (r == 0) break;
    n += (size_t)r;
    if (n == size - 1) break;
  }
  close(fd);
  buf[n] = 0;
  return (long)n;
}

/* The value after "Key:\t" in a status-style text, up to the newline (static buffer), or NULL. */
__attribute__((unused)) static const char *field(const char *text, const char *key) {
  static char out[256];
  size_t k = strlen(key);
  for (const char *p = text; p != NULL && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
    if (strncmp(p, key, k) == 0 && p[k] == ':') {
      const char *v = p + k + 1;
      while (*v == '\t' || *v == ' ') v++;
      size_t n = strcspn(v, "\n");
      if (n >= sizeof out) n = sizeof out - 1;
      memcpy(out, v, n);
      out[n] = 0;
      return out;
    }
  }
  return NULL;
}

/*
 * Splits /proc/<pid>/stat into its fields: f[0] the pid, f[1] the comm (without parentheses,
 * found by the last ')'), f[2] the state, ... Returns the number of fields.
 */
__attribute__((unused)) static int stat_fields(char *text, char **f, int max) {
  char *open_paren = strchr(text, '(');
  char *close_paren = strrchr(text, ')');
  if (open_paren == NULL || close_paren == NULL || max < 3) return 0;
  *open_paren = 0;
  *close_paren = 0;
  f[0] = text;
  f[1] = open_paren + 1;
  int n = 2;
  char *save = NULL;
  for (char *t = strtok_r(close_paren + 1, " \n", &save); t != NULL && n < max; t = strtok_r(NULL, " \n", &save))
    f[n++] = t;
  return n;
}

/* Reads /proc/<pid>/stat (or a task's) into buf and splits it; the field count, 0 on failure. */
__attribute__((unused)) static int read_stat(const char *path, char *buf, size_t size, char **f, int max) {
  if (slurp(path, buf, size) <= 0) return 0;
  return stat_fields(buf, f, max);
}

__attribute__((unused)) static int finish(void) {
  printf(failures ? "SOME CHECKS FAILED\n" : "ALL PASSED\n");
  return failures ? 1 : 0;
}
#endif
