/*
 * compat-abi.md §7, directories: compat getdents (141) writes compat_linux_dirent records (u32
 * d_ino, u32 d_off, u16 d_reclen = ALIGN(10 + namelen + 2, 4), the name, a NUL and d_type in the
 * record's last byte); a buffer too small for one record is -EINVAL; the d_off cookies seek with
 * _llseek; getdents64 (217) keeps the 64-bit record layout in compat calls.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "check.h"
#include "compat-abi.h"

static char dir[] = "/tmp/c64-dir-XXXXXX";
static char dbuf[4096];
static char d64[4096];
static int64_t pos;

struct entry {
	char name[64];
	uint64_t ino;
	uint32_t off;
	unsigned type;
};

static int expected_type(const char *name)
{
	return strcmp(name, "sub") == 0 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ? DT_DIR : DT_REG;
}

int main(void)
{
	if (mkdtemp(dir) == NULL) return 2;
	static const char *names[] = { "a", "bb", "a-rather-long-file-name-for-padding", "sub" };
	static char p[2048];
	for (int i = 0; i < 4; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, names[i]);
		if (i == 3 ? mkdir(p, 0755) : close(open(p, O_CREAT | O_WRONLY, 0644))) return 2;
	}

	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	long n = compat_syscall(__NR_compat_getdents, fd, dbuf, sizeof dbuf);
	CHECK("getdents.returns_records", n > 0, "getdents gave %ld", n);
	struct entry seen[16];
	int count = 0, formats_ok = 1;
	for (long at = 0; at < n && count < 16;) {
		struct compat_linux_dirent *d = (void *)(dbuf + at);
		size_t len = strlen(d->d_name);
		unsigned want_reclen = (10 + len + 2 + 3) & ~3u;
		if (d->d_reclen != want_reclen) {
			printf("INFO %s: d_reclen %u, want %u\n", d->d_name, d->d_reclen, want_reclen);
			formats_ok = 0;
		}
		snprintf(seen[count].name, sizeof seen[count].name, "%s", d->d_name);
		seen[count].ino = d->d_ino;
		seen[count].off = d->d_off;
		seen[count].type = (unsigned char)dbuf[at + d->d_reclen - 1];
		count++;
		at += d->d_reclen;
	}
	CHECK("getdents.reclen_align4", formats_ok, "see INFO lines");
	CHECK_EQ("getdents.six_entries", count, 6);
	int types_ok = 1, inos_ok = 1;
	for (int i = 0; i < count; i++) {
		if (seen[i].type != (unsigned)expected_type(seen[i].name)) types_ok = 0;
		struct stat st;
		snprintf(p, sizeof p, "%s/%s", dir, seen[i].name);
		if (lstat(p, &st) != 0 || st.st_ino != seen[i].ino) {
			printf("INFO %s: d_ino %llu, lstat %llu\n", seen[i].name, (unsigned long long)seen[i].ino,
			       (unsigned long long)st.st_ino);
			inos_ok = 0;
		}
	}
	CHECK("getdents.d_type_in_last_byte", types_ok, "a d_type is wrong");
	CHECK("getdents.d_ino", inos_ok, "see INFO lines");
	CHECK_EQ("getdents.end", compat_syscall(__NR_compat_getdents, fd, dbuf, sizeof dbuf), 0);

	/* The same directory through native getdents64: same names, order and cookies. */
	int fd64 = open(dir, O_RDONLY | O_DIRECTORY);
	long n64 = syscall(SYS_getdents64, fd64, d64, sizeof d64);
	int same = n64 > 0, k = 0;
	for (long at = 0; at < n64; k++) {
		struct linux_dirent64 *d = (void *)(d64 + at);
		if (k >= count || strcmp(d->d_name, seen[k].name) != 0 || (uint32_t)d->d_off != seen[k].off) same = 0;
		at += d->d_reclen;
	}
	CHECK("getdents.matches_getdents64", same && k == count, "native listing differs");

	/* Seeking with the cookies: after the second record's d_off comes the third record. */
	CHECK_EQ("getdents.llseek_cookie", compat_syscall(__NR_compat__llseek, fd, 0, seen[1].off, &pos, SEEK_SET), 0);
	CHECK_EQ("getdents.llseek_cookie_result", pos, seen[1].off);
	n = compat_syscall(__NR_compat_getdents, fd, dbuf, sizeof dbuf);
	CHECK("getdents.resumes_at_cookie", n > 0 && strcmp(((struct compat_linux_dirent *)dbuf)->d_name, seen[2].name) == 0,
	      "first record after seeking is '%s'", n > 0 ? ((struct compat_linux_dirent *)dbuf)->d_name : "");

	/* Buffer sizes: one record of "." needs 16 bytes. */
	lseek(fd, 0, SEEK_SET);
	CHECK_EQ("getdents.too_small_einval", compat_syscall(__NR_compat_getdents, fd, dbuf, 12), (unsigned long)-22L);
	CHECK_EQ("getdents.exact_fit", compat_syscall(__NR_compat_getdents, fd, dbuf, 16), 16);
	CHECK("getdents.exact_fit_name", strcmp(((struct compat_linux_dirent *)dbuf)->d_name, seen[0].name) == 0,
	      "got '%s'", ((struct compat_linux_dirent *)dbuf)->d_name);
	n = compat_syscall(__NR_compat_getdents, fd, dbuf, sizeof dbuf);
	CHECK("getdents.no_record_lost", n > 0 && strcmp(((struct compat_linux_dirent *)dbuf)->d_name, seen[1].name) == 0,
	      "next record is '%s'", n > 0 ? ((struct compat_linux_dirent *)dbuf)->d_name : "");
	CHECK_EQ("getdents.not_a_directory", compat_syscall(__NR_compat_getdents, 0, dbuf, sizeof dbuf),
		 (unsigned long)-20L);

	/* getdents64 through the compat table: the 64-bit record layout. */
	lseek(fd, 0, SEEK_SET);
	n = compat_syscall(__NR_compat_getdents64, fd, d64, sizeof d64);
	struct linux_dirent64 *d = (void *)d64;
	CHECK("getdents64.compat_layout", n > 0 && d->d_reclen == ((19 + strlen(d->d_name) + 1 + 7) & ~7u) &&
						  strcmp(d->d_name, seen[0].name) == 0 && d->d_ino == seen[0].ino,
	      "first record '%s' reclen %u", d->d_name, d->d_reclen);

	for (int i = 0; i < 4; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, names[i]);
		if (i == 3) rmdir(p);
		else unlink(p);
	}
	rmdir(dir);
	return check_done();
}
