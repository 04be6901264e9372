/*
 * compat-abi.md §7, directories: compat getdents (141) writes compat_linux_dirent records (u32
 * d_ino, u32 d_off, u16 d_reclen = ALIGN(10 + namelen + 2, 4), the name, a NUL and d_type in the
 * record's last byte); a buffer too small for one record is -EINVAL; the d_off cookies seek with
 * _llseek; getdents64 (217) keeps the 64-bit record layout in compat calls.
 *
 * Positions are ext4 dir_index hash cookies: in compat calls major >> 1 (31 bits, end 0x7fffffff),
 * in native calls ((major >> 1) << 32) | minor (end 0x7fffffffffffffff), "." at hash 0 and ".." at
 * hash 2 (cookie 1 / 1 << 32). d_off is the cookie of the next entry; lseek/_llseek on a directory
 * follow ext4_dir_llseek with the ABI's end value as the maximum; telldir/seekdir round trips work
 * in both ABIs.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
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

	/* Compat cookies: 31 bits, "." then ".." (cookie 1), the last one the end value. */
	int below_2g = 1, distinct = 1;
	for (int i = 0; i < count; i++) {
		if (seen[i].off > 0x7fffffffu) below_2g = 0;
		for (int j = 0; j < i; j++)
			if (seen[j].off == seen[i].off) distinct = 0;
	}
	CHECK("getdents.d_off_31_bits", below_2g, "a d_off is above 0x7fffffff");
	CHECK("getdents.d_off_distinct", distinct, "two records have the same d_off");
	CHECK_EQ("getdents.dot_first", strcmp(seen[0].name, ".") | strcmp(seen[1].name, ".."), 0);
	CHECK_EQ("getdents.dot_d_off_is_dotdot_hash", seen[0].off, 1);
	CHECK_EQ("getdents.last_d_off_eof", seen[count - 1].off, 0x7fffffff);
	CHECK_EQ("getdents.pos_at_end_eof", compat_syscall(__NR_compat_lseek, fd, 0, SEEK_CUR), 0x7fffffff);

	/* The same directory through native getdents64: same names and order, 63-bit cookies whose upper half is the compat cookie. */
	int fd64 = open(dir, O_RDONLY | O_DIRECTORY);
	long n64 = syscall(SYS_getdents64, fd64, d64, sizeof d64);
	int same = n64 > 0, k = 0, upper_ok = 1, above_4g = 0;
	int64_t last64 = 0, first64 = 0;
	for (long at = 0; at < n64; k++) {
		struct linux_dirent64 *d = (void *)(d64 + at);
		if (k >= count || strcmp(d->d_name, seen[k].name) != 0) same = 0;
		else if (k + 1 < count && (uint64_t)d->d_off >> 32 != seen[k].off) upper_ok = 0;
		if ((uint64_t)d->d_off > 0x100000000ull) above_4g++;
		if (k == 0) first64 = d->d_off;
		last64 = d->d_off;
		at += d->d_reclen;
	}
	CHECK("getdents.matches_getdents64", same && k == count, "native listing differs");
	CHECK("getdents64.native_upper_half_is_compat_cookie", upper_ok, "a native d_off >> 32 differs from the compat d_off");
	CHECK_EQ("getdents64.native_dot_d_off", first64, 0x100000000ull);
	CHECK_EQ("getdents64.native_above_4g", above_4g, count - 1);
	CHECK_EQ("getdents64.native_last_d_off_eof", last64, 0x7fffffffffffffffull);
	for (int i = 1; i < count; i++) {
		/* A native seek to a native cookie resumes at its entry. */
		int64_t cookie = 0;
		lseek(fd64, 0, SEEK_SET);
		syscall(SYS_getdents64, fd64, d64, sizeof d64);
		long at = 0;
		for (int j = 0; j < i; j++) {
			cookie = ((struct linux_dirent64 *)(d64 + at))->d_off;
			at += ((struct linux_dirent64 *)(d64 + at))->d_reclen;
		}
		off_t got = lseek(fd64, cookie, SEEK_SET);
		long m = syscall(SYS_getdents64, fd64, d64, sizeof d64);
		if (got != cookie || m <= 0 || strcmp(((struct linux_dirent64 *)d64)->d_name, seen[i].name) != 0) {
			printf("INFO native seek to 0x%llx: lseek 0x%llx, first '%s'\n", (unsigned long long)cookie,
			       (unsigned long long)got, m > 0 ? ((struct linux_dirent64 *)d64)->d_name : "");
			same = 0;
		}
	}
	CHECK("getdents64.native_seek_round_trip", same, "see INFO lines");
	/* The native end cookie reads as the end. */
	lseek(fd64, 0x7fffffffffffffffll, SEEK_SET);
	CHECK_EQ("getdents64.native_seek_eof_reads_nothing", syscall(SYS_getdents64, fd64, d64, sizeof d64), 0);
	CHECK_EQ("lseek.native_negative_einval", lseek(fd64, -1, SEEK_SET) == -1 ? errno : 0, EINVAL);
	CHECK_EQ("lseek.native_seek_cur_0", lseek(fd64, 0, SEEK_SET) == 0 ? lseek(fd64, 0, SEEK_CUR) : -1, 0);
	close(fd64);

	/* Compat seek round trips: every cookie resumes at its entry, through small reads (glibc's seekdir). */
	int round_ok = 1;
	for (int i = 1; i < count; i++) {
		long r = compat_syscall(__NR_compat__llseek, fd, 0, seen[i - 1].off, &pos, SEEK_SET);
		long m = compat_syscall(__NR_compat_getdents, fd, dbuf, 16 + 48);
		if (r != 0 || pos != seen[i - 1].off || m <= 0 ||
		    strcmp(((struct compat_linux_dirent *)dbuf)->d_name, seen[i].name) != 0) {
			printf("INFO compat seek to 0x%x: r %ld pos 0x%llx, first '%s'\n", seen[i - 1].off, r,
			       (unsigned long long)pos, m > 0 ? ((struct compat_linux_dirent *)dbuf)->d_name : "");
			round_ok = 0;
		}
	}
	CHECK("getdents.compat_seek_round_trip", round_ok, "see INFO lines");
	/* A listing through one-record reads gives the same cookies (each call leaves the next entry's cookie). */
	compat_syscall(__NR_compat__llseek, fd, 0, 0, &pos, SEEK_SET);
	int one_ok = 1;
	for (int i = 0; i < count; i++) {
		long m = compat_syscall(__NR_compat_getdents, fd, dbuf, (10 + strlen(seen[i].name) + 2 + 3) & ~3u);
		struct compat_linux_dirent *d = (void *)dbuf;
		if (m <= 0 || strcmp(d->d_name, seen[i].name) != 0 || d->d_off != seen[i].off) one_ok = 0;
		long cur = compat_syscall(__NR_compat_lseek, fd, 0, SEEK_CUR);
		if (m > 0 && (uint32_t)cur != d->d_off) one_ok = 0;
	}
	CHECK("getdents.small_reads_same_cookies", one_ok, "a record or position differs");

	/* lseek on a directory in compat calls: ext4_dir_llseek with max 0x7fffffff. */
	CHECK_EQ("llseek.seek_end", compat_syscall(__NR_compat__llseek, fd, 0, 0, &pos, SEEK_END) == 0 ? pos : -1, 0x7fffffff);
	CHECK_EQ("llseek.seek_end_minus_1", compat_syscall(__NR_compat__llseek, fd, -1, -1, &pos, SEEK_END) == 0 ? pos : -1,
		 0x7ffffffe);
	CHECK_EQ("llseek.above_max_einval", compat_syscall(__NR_compat__llseek, fd, 0, 0x80000000u, &pos, SEEK_SET),
		 (unsigned long)-22L);
	CHECK_EQ("llseek.native_cookie_einval", compat_syscall(__NR_compat__llseek, fd, 1, 0, &pos, SEEK_SET),
		 (unsigned long)-22L);
	CHECK_EQ("llseek.negative_einval", compat_syscall(__NR_compat__llseek, fd, -1, -2, &pos, SEEK_SET),
		 (unsigned long)-22L);
	CHECK_EQ("llseek.seek_data", compat_syscall(__NR_compat__llseek, fd, 0, 5, &pos, 3 /* SEEK_DATA */) == 0 ? pos : -1, 5);
	CHECK_EQ("llseek.seek_hole", compat_syscall(__NR_compat__llseek, fd, 0, 5, &pos, 4 /* SEEK_HOLE */) == 0 ? pos : -1,
		 0x7fffffff);
	CHECK_EQ("llseek.seek_data_at_max_enxio", compat_syscall(__NR_compat__llseek, fd, 0, 0x7fffffff, &pos, 3),
		 (unsigned long)-6L);
	CHECK_EQ("lseek.compat_seek_end", compat_syscall(__NR_compat_lseek, fd, 0, SEEK_END), 0x7fffffff);
	CHECK_EQ("lseek.compat_seek_cur", compat_syscall(__NR_compat_lseek, fd, -2, SEEK_CUR), 0x7ffffffd);
	CHECK_EQ("getdents.at_eof_reads_nothing",
		 compat_syscall(__NR_compat_lseek, fd, 0x7fffffff, SEEK_SET) == 0x7fffffff ? compat_syscall(__NR_compat_getdents, fd, dbuf, sizeof dbuf) : -1,
		 0);
	/* A cookie no entry has: lseek accepts it as ext4 does; compat64 reads it as the end (ext4 lists the entries hashing above it). */
	uint32_t bogus = 0x40000000;
	for (int again = 1; again;) {
		again = 0;
		for (int i = 0; i < count; i++)
			if (seen[i].off == bogus) bogus++, again = 1;
	}
	CHECK_EQ("llseek.bogus_cookie_accepted", compat_syscall(__NR_compat__llseek, fd, 0, bogus, &pos, SEEK_SET) == 0 ? pos : -1, bogus);
	CHECK_EQ("getdents.bogus_cookie_reads_end", compat_syscall(__NR_compat_getdents, fd, dbuf, sizeof dbuf), 0);
	CHECK_EQ("getdents.bogus_cookie_then_eof", compat_syscall(__NR_compat_lseek, fd, 0, SEEK_CUR), 0x7fffffff);

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
	int compat64_ok = n > 0, kk = 0;
	for (long at = 0; at < n; kk++) {
		struct linux_dirent64 *e = (void *)(d64 + at);
		if (kk >= count || strcmp(e->d_name, seen[kk].name) != 0 || (uint64_t)e->d_off != seen[kk].off) compat64_ok = 0;
		at += e->d_reclen;
	}
	CHECK("getdents64.compat_d_off_31_bits", compat64_ok && kk == count, "compat getdents64 d_off differ from getdents's");

	for (int i = 0; i < 4; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, names[i]);
		if (i == 3) rmdir(p);
		else unlink(p);
	}
	rmdir(dir);
	return check_done();
}
