/*
 * compat-abi.md §7, structure layouts (ARM EABI): stat64/lstat64/fstat64/fstatat64 write the
 * 104-byte struct stat64 (st_size at 48, st_ino at 96, a truncated __st_ino at 12) and nothing
 * past it; the old stat/lstat/fstat write the 64-byte compat_stat (16-bit ids, EOVERFLOW for a
 * size above 2 GiB - 1); statfs64/fstatfs64 write the packed 84-byte statfs64 and take sz 84 or
 * 88; statfs writes the 64-byte compat_statfs.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "check.h"
#include "compat-abi.h"

static char path[] = "/tmp/c64-stat-XXXXXX";
static char linkpath[64];
static unsigned char buf[160];
static unsigned char buf2[160];

static int untouched(const unsigned char *b, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (b[i] != 0xaa) return 0;
	return 1;
}

static int zero(const unsigned char *b, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (b[i] != 0) return 0;
	return 1;
}

int main(void)
{
	int fd = mkstemp(path);
	if (fd < 0) {
		perror("mkstemp");
		return 2;
	}
	static char payload[1234];
	memset(payload, 'x', sizeof payload);
	if (write(fd, payload, sizeof payload) != (ssize_t)sizeof payload) return 2;
	snprintf(linkpath, sizeof linkpath, "%s.lnk", path);
	if (symlink(path, linkpath) != 0) return 2;
	struct stat st;
	fstat(fd, &st);

	/* fstat64: every member where ARM EABI puts it. */
	memset(buf, 0xaa, sizeof buf);
	CHECK_EQ("stat64.fstat64", compat_syscall(__NR_compat_fstat64, fd, buf), 0);
	struct compat_stat64 c;
	memcpy(&c, buf, sizeof c);
	CHECK_EQ("stat64.st_dev", c.st_dev, st.st_dev);
	CHECK_EQ("stat64.__st_ino_at_12", c.__st_ino, (uint32_t)st.st_ino);
	CHECK_EQ("stat64.st_mode_at_16", c.st_mode, st.st_mode);
	CHECK_EQ("stat64.st_nlink_at_20", c.st_nlink, st.st_nlink);
	CHECK_EQ("stat64.st_uid_at_24", c.st_uid, st.st_uid);
	CHECK_EQ("stat64.st_gid_at_28", c.st_gid, st.st_gid);
	CHECK_EQ("stat64.st_rdev_at_32", c.st_rdev, st.st_rdev);
	int64_t size_at_48;
	memcpy(&size_at_48, buf + 48, 8);
	CHECK_EQ("stat64.st_size_at_48", size_at_48, 1234);
	CHECK_EQ("stat64.st_blksize_at_56", c.st_blksize, st.st_blksize);
	CHECK_EQ("stat64.st_blocks_at_64", c.st_blocks, st.st_blocks);
	CHECK_EQ("stat64.st_mtime_at_80", c.st_mtime_, (uint32_t)st.st_mtim.tv_sec);
	CHECK_EQ("stat64.st_mtime_nsec_at_84", c.st_mtime_nsec, st.st_mtim.tv_nsec);
	CHECK_EQ("stat64.st_ctime_at_88", c.st_ctime_, (uint32_t)st.st_ctim.tv_sec);
	uint64_t ino_at_96;
	memcpy(&ino_at_96, buf + 96, 8);
	CHECK_EQ("stat64.st_ino_at_96", ino_at_96, st.st_ino);
	CHECK("stat64.padding_zero", zero(buf, 8, 12) && zero(buf, 40, 48) && zero(buf, 60, 64), "pad bytes not 0");
	CHECK("stat64.nothing_past_104", untouched(buf, 104, sizeof buf), "bytes past 104 were written");

	/* stat64 and fstatat64 of the path give the same record; lstat64 sees the link. */
	memset(buf2, 0xaa, sizeof buf2);
	CHECK_EQ("stat64.stat64", compat_syscall(__NR_compat_stat64, path, buf2), 0);
	CHECK("stat64.stat64_same_as_fstat64", memcmp(buf, buf2, 72) == 0 && memcmp(buf + 80, buf2 + 80, 24) == 0,
	      "records differ");
	memset(buf2, 0xaa, sizeof buf2);
	CHECK_EQ("stat64.fstatat64", compat_syscall(__NR_compat_fstatat64, AT_FDCWD, path, buf2, 0), 0);
	CHECK_EQ("stat64.fstatat64_ino", ((struct compat_stat64 *)buf2)->st_ino, st.st_ino);
	memset(buf2, 0xaa, sizeof buf2);
	CHECK_EQ("stat64.lstat64", compat_syscall(__NR_compat_lstat64, linkpath, buf2), 0);
	CHECK_EQ("stat64.lstat64_is_link", ((struct compat_stat64 *)buf2)->st_mode & S_IFMT, S_IFLNK);
	CHECK_EQ("stat64.stat64_follows", compat_syscall(__NR_compat_stat64, linkpath, buf2), 0);
	CHECK_EQ("stat64.stat64_follows_mode", ((struct compat_stat64 *)buf2)->st_mode & S_IFMT, S_IFREG);
	CHECK_EQ("stat64.fstatat64_nofollow",
		 compat_syscall(__NR_compat_fstatat64, AT_FDCWD, linkpath, buf2, AT_SYMLINK_NOFOLLOW), 0);
	CHECK_EQ("stat64.fstatat64_nofollow_mode", ((struct compat_stat64 *)buf2)->st_mode & S_IFMT, S_IFLNK);
	CHECK_EQ("stat64.fstatat64_bad_flags", compat_syscall(__NR_compat_fstatat64, AT_FDCWD, path, buf2, 1),
		 (unsigned long)-22L);

	/* The old struct stat (compat_stat). */
	memset(buf2, 0xaa, sizeof buf2);
	CHECK_EQ("oldstat.fstat", compat_syscall(__NR_compat_fstat, fd, buf2), 0);
	struct compat_stat o;
	memcpy(&o, buf2, sizeof o);
	CHECK_EQ("oldstat.st_ino", o.st_ino, st.st_ino);
	CHECK_EQ("oldstat.st_mode", o.st_mode, st.st_mode);
	CHECK_EQ("oldstat.st_uid16", o.st_uid, st.st_uid > 0xffff ? 65534 : st.st_uid);
	CHECK_EQ("oldstat.st_size", o.st_size, 1234);
	CHECK("oldstat.nothing_past_64", untouched(buf2, 64, sizeof buf2), "bytes past 64 were written");
	CHECK_EQ("oldstat.lstat_link", compat_syscall(__NR_compat_lstat, linkpath, buf2), 0);
	CHECK_EQ("oldstat.lstat_link_mode", ((struct compat_stat *)buf2)->st_mode & S_IFMT, S_IFLNK);
	CHECK_EQ("oldstat.stat_enoent", compat_syscall(__NR_compat_stat, "/nonexistent-c64", buf2), (unsigned long)-2L);
	if (ftruncate(fd, 0xc0000000LL) == 0) {
		CHECK_EQ("oldstat.eoverflow_past_2g", compat_syscall(__NR_compat_stat, path, buf2), (unsigned long)-75L);
		CHECK_EQ("stat64.size_past_2g", compat_syscall(__NR_compat_stat64, path, buf2), 0);
		CHECK_EQ("stat64.size_past_2g_value", ((struct compat_stat64 *)buf2)->st_size, 0xc0000000LL);
	}

	/* statfs64: 84 bytes (sz 84 or 88), statfs: 64 bytes. */
	struct statfs sf;
	statfs(path, &sf);
	memset(buf, 0xaa, sizeof buf);
	CHECK_EQ("statfs64.sz84", compat_syscall(__NR_compat_statfs64, path, 84, buf), 0);
	struct compat_statfs64 f64;
	memcpy(&f64, buf, sizeof f64);
	CHECK_EQ("statfs64.f_type", f64.f_type, (uint32_t)sf.f_type);
	CHECK_EQ("statfs64.f_bsize", f64.f_bsize, sf.f_bsize);
	uint64_t blocks_at_8;
	memcpy(&blocks_at_8, buf + 8, 8);
	CHECK_EQ("statfs64.f_blocks_at_8", blocks_at_8, sf.f_blocks);
	CHECK_EQ("statfs64.f_namelen_at_56", *(uint32_t *)(buf + 56), sf.f_namelen);
	CHECK_EQ("statfs64.f_frsize_at_60", *(uint32_t *)(buf + 60), sf.f_frsize);
	CHECK("statfs64.nothing_past_84", untouched(buf, 84, sizeof buf), "bytes past 84 were written");
	memset(buf, 0xaa, sizeof buf);
	CHECK_EQ("statfs64.sz88_accepted", compat_syscall(__NR_compat_statfs64, path, 88, buf), 0);
	CHECK("statfs64.sz88_writes_84", untouched(buf, 84, sizeof buf), "bytes past 84 were written");
	CHECK_EQ("statfs64.sz80_einval", compat_syscall(__NR_compat_statfs64, path, 80, buf), (unsigned long)-22L);
	CHECK_EQ("statfs64.fstatfs64", compat_syscall(__NR_compat_fstatfs64, fd, 84, buf), 0);
	CHECK_EQ("statfs64.fstatfs64_f_type", ((struct compat_statfs64 *)buf)->f_type, (uint32_t)sf.f_type);
	memset(buf, 0xaa, sizeof buf);
	CHECK_EQ("statfs.compat_statfs", compat_syscall(__NR_compat_statfs, path, buf), 0);
	CHECK_EQ("statfs.f_bsize_at_4", ((struct compat_statfs *)buf)->f_bsize, sf.f_bsize);
	CHECK_EQ("statfs.f_namelen_at_36", ((struct compat_statfs *)buf)->f_namelen, sf.f_namelen);
	CHECK("statfs.nothing_past_64", untouched(buf, 64, sizeof buf), "bytes past 64 were written");

	close(fd);
	unlink(linkpath);
	unlink(path);
	return check_done();
}
