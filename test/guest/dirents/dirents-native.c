/*
 * Native directory positions (compat-abi.md §7): ext4 dir_index hash cookies through glibc's
 * readdir/telldir/seekdir/rewinddir (getdents64 + lseek).
 *
 *   dirents-native list DIR    the names in readdir order, one a line (compared with qemu-aarch64)
 *   dirents-native check DIR   cookie checks (compat64 only: the host file system's cookies differ)
 *
 * DIR holds the test's 500 files. Positions look like ext4's: "." at 0, ".." at 1 << 32, the other
 * entries at ((major >> 1) << 32) | minor, the end 0x7fffffffffffffff.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../process/check.h"

#define MAX 1024
#define NATIVE_EOF 0x7fffffffffffffffll

struct linux_dirent64 {
  uint64_t d_ino;
  int64_t d_off;
  uint16_t d_reclen;
  uint8_t d_type;
  char d_name[];
};

static char names[MAX][256];
static long tells[MAX];
static int64_t offs[MAX];
static char buf[1 << 16];

static int list(const char *dir) {
  DIR *d = opendir(dir);
  if (d == NULL) return 2;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) printf("%s\n", e->d_name);
  closedir(d);
  printf("ALL LISTED\n");
  return 0;
}

/* Reads the directory with readdir, noting telldir before each entry; returns the count. */
static int read_all(DIR *d) {
  int n = 0;
  for (;;) {
    long t = telldir(d);
    struct dirent *e = readdir(d);
    if (e == NULL || n == MAX) break;
    tells[n] = t;
    snprintf(names[n], sizeof names[n], "%s", e->d_name);
    n++;
  }
  return n;
}

static int check_dir(const char *dir) {
  /* Raw getdents64: the d_off of every record. */
  int fd = open(dir, O_RDONLY | O_DIRECTORY);
  int n = 0;
  for (;;) {
    long got = syscall(SYS_getdents64, fd, buf, sizeof buf);
    if (got <= 0) break;
    for (long at = 0; at < got && n < MAX; n++) {
      struct linux_dirent64 *r = (void *)(buf + at);
      offs[n] = r->d_off;
      at += r->d_reclen;
    }
  }
  check_eq(n, 502, "getdents64.all_entries");
  check(n > 0 && offs[n - 1] == NATIVE_EOF, "getdents64.last_d_off_eof");
  check(offs[0] == 0x100000000ll, "getdents64.dot_d_off_is_dotdot_cookie");
  int big = 0, small = 0;
  for (int i = 0; i < n; i++) {
    if ((uint64_t)offs[i] > 0x100000000ull) big++;
    if ((uint64_t)offs[i] < 0x10000ull) small++;
  }
  check_eq(big, n - 1, "getdents64.d_off_above_4g");
  check_eq(small, 0, "getdents64.no_small_indices");
  /* lseek's own result at the end: LLONG_MAX, as ext4_dir_llseek gives it. */
  check((unsigned long long)lseek(fd, 0, SEEK_CUR) == 0x7fffffffffffffffull, "lseek.at_end_is_llong_max");
  check(lseek(fd, 0, SEEK_SET) == 0, "lseek.rewind");
  check(lseek(fd, -1, SEEK_SET) == -1 && errno == EINVAL, "lseek.negative_einval");
  close(fd);

  /* glibc: telldir before each readdir, then seekdir back to every one. */
  DIR *d = opendir(dir);
  int m = read_all(d);
  check_eq(m, n, "readdir.all_entries");
  int tells_ok = m > 0 && tells[0] == 0;
  for (int i = 1; i < m; i++)
    if (tells[i] != offs[i - 1]) tells_ok = 0;
  check(tells_ok, "telldir.is_previous_d_off");
  check(telldir(d) == NATIVE_EOF, "telldir.at_end_is_eof");
  int seek_ok = 1;
  for (int i = m - 1; i >= 0; i--) {
    seekdir(d, tells[i]);
    struct dirent *e = readdir(d);
    if (e == NULL || strcmp(e->d_name, names[i]) != 0) {
      printf("INFO seekdir(0x%lx) gave '%s', want '%s'\n", tells[i], e ? e->d_name : "(end)", names[i]);
      seek_ok = 0;
    }
  }
  check(seek_ok, "seekdir.round_trip_every_entry");
  /* seekdir then read on: the rest of the listing in order. */
  seekdir(d, tells[250]);
  int rest_ok = 1;
  for (int i = 250; i < m; i++) {
    struct dirent *e = readdir(d);
    if (e == NULL || strcmp(e->d_name, names[i]) != 0) rest_ok = 0;
  }
  check(rest_ok && readdir(d) == NULL, "seekdir.then_rest_in_order");
  seekdir(d, NATIVE_EOF);
  check(readdir(d) == NULL, "seekdir.eof_reads_nothing");
  rewinddir(d);
  struct dirent *first = readdir(d);
  check(first != NULL && strcmp(first->d_name, ".") == 0, "rewinddir.dot_first");
  rewinddir(d);
  static char again[MAX][256];
  int k = 0;
  for (struct dirent *e; k < MAX && (e = readdir(d)) != NULL; k++) snprintf(again[k], sizeof again[k], "%s", e->d_name);
  int same = k == m;
  for (int i = 0; same && i < m; i++)
    if (strcmp(again[i], names[i]) != 0) same = 0;
  check(same, "rewinddir.same_listing");
  closedir(d);

  /* Two descriptions of the same directory hand out the same cookies. */
  DIR *d2 = opendir(dir);
  seekdir(d2, tells[400]);
  struct dirent *e = readdir(d2);
  check(e != NULL && strcmp(e->d_name, names[400]) == 0, "seekdir.cookie_from_another_open");
  closedir(d2);
  printf(failures ? "SOME FAILED\n" : "ALL PASSED\n");
  return failures ? 1 : 0;
}

int main(int argc, char **argv) {
  if (argc != 3) return 2;
  if (strcmp(argv[1], "list") == 0) return list(argv[2]);
  return check_dir(argv[2]);
}
