/*
 * compat-abi.md §7 (ARM EABI layouts) for System V message queues and semaphores: a compat msgbuf
 * starts with a 32-bit mtype; compat msgctl/semctl are ARM's old_msgctl/old_semctl, so IPC_64 in
 * cmd selects compat_msqid64_ds (88 bytes) / compat_semid64_ds (64 bytes) and its absence the old
 * compat_msqid_ds (56) / compat_semid_ds (44), with nothing written past them; semctl's semun is a
 * 32-bit value; compat semtimedop (312) reads an 8-byte old_timespec32, semtimedop_time64 (420) a
 * 16-byte timespec whose tv_nsec upper half is ignored. A native msgctl with IPC_64 is EINVAL.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "compat-abi.h"

#define IPC_64_FLAG 0x100

/* Static buffers: compat calls take 32-bit pointers, and the stack of a 64-bit task is far above 4 GiB. */
static unsigned char buf[160];
static unsigned char msg32[64];
static struct {
	long mtype;
	char mtext[32];
} msg64;
static unsigned short vals[2];
static struct {
	uint16_t num;
	int16_t op;
	int16_t flg;
} sops[1];
static int32_t ts32[2];
static int64_t ts64[2];

static uint32_t u32(size_t off)
{
	uint32_t v;
	memcpy(&v, buf + off, 4);
	return v;
}

static uint16_t u16(size_t off)
{
	uint16_t v;
	memcpy(&v, buf + off, 2);
	return v;
}

/* No byte from `from` on was written. */
static int untouched(size_t from)
{
	for (size_t i = from; i < sizeof buf; i++)
		if (buf[i] != 0xaa) return 0;
	return 1;
}

static long ms_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

static void msg_checks(void)
{
	long q = compat_syscall(__NR_compat_msgget, IPC_PRIVATE, 0600);
	CHECK("msg.msgget", q >= 0, "result %ld", q);

	/* compat msgbuf: a 4-byte mtype, then the text. */
	int32_t t7 = 7;
	memcpy(msg32, &t7, 4);
	memcpy(msg32 + 4, "abcd", 4);
	CHECK_EQ("msg.compat_msgsnd", compat_syscall(__NR_compat_msgsnd, q, msg32, 4, 0), 0);
	memset(&msg64, 0, sizeof msg64);
	CHECK_EQ("msg.native_receives_compat", msgrcv(q, &msg64, 32, 0, IPC_NOWAIT), 4);
	CHECK("msg.compat_mtype_is_32_bit", msg64.mtype == 7 && memcmp(msg64.mtext, "abcd", 4) == 0,
	      "mtype %ld text %.4s", msg64.mtype, msg64.mtext);

	msg64.mtype = 9;
	memcpy(msg64.mtext, "wxyz", 4);
	msgsnd(q, &msg64, 4, 0);
	memset(buf, 0xaa, sizeof buf);
	CHECK_EQ("msg.compat_msgrcv", compat_syscall(__NR_compat_msgrcv, q, buf, 4, 0, IPC_NOWAIT), 4);
	CHECK("msg.compat_msgrcv_layout", u32(0) == 9 && memcmp(buf + 4, "wxyz", 4) == 0 && untouched(8),
	      "mtype %u, text %.4s", u32(0), buf + 4);

	/* compat_long_t msgtyp: -10 in 32 bits selects the lowest type <= 10. */
	msg64.mtype = 12;
	msgsnd(q, &msg64, 4, 0);
	msg64.mtype = 3;
	msgsnd(q, &msg64, 4, 0);
	memset(buf, 0xaa, sizeof buf);
	CHECK_EQ("msg.compat_negative_type", compat_syscall(__NR_compat_msgrcv, q, buf, 16, 0xfffffff6UL, 0), 4);
	CHECK_EQ("msg.compat_negative_type_value", u32(0), 3);
	/* compat_ssize_t msgsz: 0xffffffff is -1. */
	CHECK_EQ("msg.compat_msgsz_signed", compat_syscall(__NR_compat_msgrcv, q, buf, 0xffffffffUL, 0, 0),
		 -EINVAL);
	CHECK_EQ("msg.compat_msgsnd_size_signed", compat_syscall(__NR_compat_msgsnd, q, msg32, 0xffffffffUL, 0),
		 -EINVAL);

	/* compat_msqid64_ds (IPC_64): 88 bytes. One 4-byte message (type 12) is queued. */
	memset(buf, 0xaa, sizeof buf);
	CHECK_EQ("msg.stat64", compat_syscall(__NR_compat_msgctl, q, IPC_STAT | IPC_64_FLAG, buf), 0);
	CHECK("msg.stat64_88_bytes", untouched(88), "bytes past 88 were written");
	CHECK_EQ("msg.stat64_key", u32(0), 0);
	CHECK_EQ("msg.stat64_uid", u32(4), geteuid());
	CHECK_EQ("msg.stat64_cuid", u32(12), geteuid());
	CHECK_EQ("msg.stat64_mode_u16", u16(20), 0600);
	CHECK_EQ("msg.stat64_pad", u16(22), 0);
	CHECK("msg.stat64_stime", u32(36) > 1000000000 && u32(40) == 0, "stime %u high %u", u32(36), u32(40));
	CHECK_EQ("msg.stat64_cbytes", u32(60), 4);
	CHECK_EQ("msg.stat64_qnum", u32(64), 1);
	CHECK_EQ("msg.stat64_qbytes", u32(68), 16384);
	CHECK_EQ("msg.stat64_lspid", u32(72), getpid());
	CHECK_EQ("msg.stat64_lrpid", u32(76), getpid());
	CHECK_EQ("msg.stat64_unused", u32(80) | u32(84), 0);

	/* The old compat_msqid_ds (no IPC_64): 56 bytes, 16-bit ids and counters. */
	memset(buf, 0xaa, sizeof buf);
	CHECK_EQ("msg.stat_old", compat_syscall(__NR_compat_msgctl, q, IPC_STAT, buf), 0);
	CHECK("msg.stat_old_56_bytes", untouched(56), "bytes past 56 were written");
	CHECK_EQ("msg.stat_old_uid_u16", u16(4), geteuid() & 0xffff);
	CHECK_EQ("msg.stat_old_mode", u16(12), 0600);
	CHECK_EQ("msg.stat_old_cbytes", u16(44), 4);
	CHECK_EQ("msg.stat_old_qnum", u16(46), 1);
	CHECK_EQ("msg.stat_old_qbytes", u16(48), 16384);
	CHECK_EQ("msg.stat_old_lspid", u16(50), getpid() & 0xffff);

	/* IPC_SET through compat_msqid64_ds. */
	memset(buf, 0, sizeof buf);
	compat_syscall(__NR_compat_msgctl, q, IPC_STAT | IPC_64_FLAG, buf);
	uint16_t mode = 0640;
	uint32_t qbytes = 1000;
	memcpy(buf + 20, &mode, 2);
	memcpy(buf + 68, &qbytes, 4);
	CHECK_EQ("msg.set64", compat_syscall(__NR_compat_msgctl, q, IPC_SET | IPC_64_FLAG, buf), 0);
	struct msqid_ds ds;
	msgctl(q, IPC_STAT, &ds);
	CHECK("msg.set64_applied", (ds.msg_perm.mode & 0777) == 0640 && ds.msg_qbytes == 1000, "mode %o qbytes %lu",
	      ds.msg_perm.mode, (unsigned long)ds.msg_qbytes);

	/* IPC_INFO: struct msginfo is 32 bytes in both ABIs. */
	memset(buf, 0xaa, sizeof buf);
	CHECK("msg.info", compat_syscall(__NR_compat_msgctl, 0, IPC_INFO | IPC_64_FLAG, buf) >= 0, "failed");
	CHECK("msg.info_32_bytes", untouched(32) && u32(8) == 8192 && u32(12) == 16384 && u32(16) == 32000,
	      "msgmax %u msgmnb %u msgmni %u", u32(8), u32(12), u32(16));

	/* A native call never parses IPC_64. */
	CHECK_EQ("msg.native_ipc64_einval", syscall(SYS_msgctl, q, IPC_STAT | IPC_64_FLAG, buf) == -1 ? errno : 0,
		 EINVAL);
	CHECK_EQ("msg.compat_rmid", compat_syscall(__NR_compat_msgctl, q, IPC_RMID | IPC_64_FLAG, 0), 0);
}

static void sem_checks(void)
{
	long s = compat_syscall(__NR_compat_semget, IPC_PRIVATE, 2, 0600);
	CHECK("sem.semget", s >= 0, "result %ld", s);

	/* semun by value: SETVAL's int is the 32-bit argument. */
	CHECK_EQ("sem.setval", compat_syscall(__NR_compat_semctl, s, 0, SETVAL | IPC_64_FLAG, 5), 0);
	CHECK_EQ("sem.native_getval", semctl(s, 0, GETVAL), 5);
	CHECK_EQ("sem.setval_negative", compat_syscall(__NR_compat_semctl, s, 0, SETVAL, 0xffffffffUL), -ERANGE);
	CHECK_EQ("sem.getval", compat_syscall(__NR_compat_semctl, s, 0, GETVAL), 5);
	memset(vals, 0xff, sizeof vals);
	CHECK_EQ("sem.getall", compat_syscall(__NR_compat_semctl, s, 0, GETALL, vals), 0);
	CHECK("sem.getall_values", vals[0] == 5 && vals[1] == 0, "%u %u", vals[0], vals[1]);

	sops[0].num = 0;
	sops[0].op = -2;
	sops[0].flg = 0;
	CHECK_EQ("sem.semop", compat_syscall(__NR_compat_semop, s, sops, 1), 0);
	CHECK_EQ("sem.semop_applied", semctl(s, 0, GETVAL), 3);
	CHECK_EQ("sem.getpid", compat_syscall(__NR_compat_semctl, s, 0, GETPID), getpid());

	/* compat_semid64_ds: 64 bytes. */
	memset(buf, 0xaa, sizeof buf);
	CHECK_EQ("sem.stat64", compat_syscall(__NR_compat_semctl, s, 0, IPC_STAT | IPC_64_FLAG, buf), 0);
	CHECK("sem.stat64_64_bytes", untouched(64), "bytes past 64 were written");
	CHECK_EQ("sem.stat64_uid", u32(4), geteuid());
	CHECK_EQ("sem.stat64_mode_u16", u16(20), 0600);
	CHECK("sem.stat64_otime", u32(36) > 1000000000 && u32(40) == 0, "otime %u high %u", u32(36), u32(40));
	CHECK("sem.stat64_ctime", u32(44) > 1000000000 && u32(48) == 0, "ctime %u high %u", u32(44), u32(48));
	CHECK_EQ("sem.stat64_nsems", u32(52), 2);
	CHECK_EQ("sem.stat64_unused", u32(56) | u32(60), 0);

	/* The old compat_semid_ds: 44 bytes. */
	memset(buf, 0xaa, sizeof buf);
	CHECK_EQ("sem.stat_old", compat_syscall(__NR_compat_semctl, s, 0, IPC_STAT, buf), 0);
	CHECK("sem.stat_old_44_bytes", untouched(44), "bytes past 44 were written");
	CHECK_EQ("sem.stat_old_mode", u16(12), 0600);
	CHECK("sem.stat_old_otime", u32(16) > 1000000000, "otime %u", u32(16));
	CHECK_EQ("sem.stat_old_nsems", u16(40), 2);

	/* IPC_SET through compat_semid64_ds. */
	memset(buf, 0, sizeof buf);
	compat_syscall(__NR_compat_semctl, s, 0, IPC_STAT | IPC_64_FLAG, buf);
	uint16_t mode = 0640;
	memcpy(buf + 20, &mode, 2);
	CHECK_EQ("sem.set64", compat_syscall(__NR_compat_semctl, s, 0, IPC_SET | IPC_64_FLAG, buf), 0);
	struct semid_ds ds;
	semctl(s, 0, IPC_STAT, &ds);
	CHECK_EQ("sem.set64_applied", ds.sem_perm.mode & 0777, 0640);

	/* struct seminfo: 40 bytes in both ABIs. */
	memset(buf, 0xaa, sizeof buf);
	CHECK("sem.info", compat_syscall(__NR_compat_semctl, 0, 0, IPC_INFO, buf) >= 0, "failed");
	CHECK("sem.info_40_bytes", untouched(40) && u32(16) == 32000 && u32(32) == 32767, "semmsl %u semvmx %u",
	      u32(16), u32(32));

	/* semtimedop 312: an 8-byte old_timespec32. */
	semctl(s, 1, SETVAL, 0);
	sops[0].num = 1;
	sops[0].op = -1;
	ts32[0] = 0;
	ts32[1] = 60000000;
	long t0 = ms_now();
	CHECK_EQ("sem.semtimedop_time32", compat_syscall(__NR_compat_semtimedop, s, sops, 1, ts32), -EAGAIN);
	long dt = ms_now() - t0;
	CHECK("sem.semtimedop_time32_waited", dt >= 55 && dt < 3000, "waited %ld ms", dt);
	ts32[1] = 1000000000;
	CHECK_EQ("sem.semtimedop_time32_einval", compat_syscall(__NR_compat_semtimedop, s, sops, 1, ts32), -EINVAL);
	ts32[1] = -1;
	CHECK_EQ("sem.semtimedop_time32_negative", compat_syscall(__NR_compat_semtimedop, s, sops, 1, ts32), -EINVAL);
	CHECK_EQ("sem.semtimedop_time32_efault", compat_syscall(__NR_compat_semtimedop, s, sops, 1, 8), -EFAULT);

	/* semtimedop_time64 420: 16 bytes; the upper half of tv_nsec is ignored in a compat call. */
	ts64[0] = 0;
	ts64[1] = (int64_t)0xffffffff00000000ULL | 20000000;
	CHECK_EQ("sem.semtimedop_time64_upper_nsec", compat_syscall(__NR_compat_semtimedop_time64, s, sops, 1, ts64),
		 -EAGAIN);
	CHECK_EQ("sem.native_semtimedop_upper_nsec",
		 syscall(SYS_semtimedop, s, sops, 1, ts64) == -1 ? errno : 0, EINVAL);
	ts64[1] = 1000000000;
	CHECK_EQ("sem.semtimedop_time64_einval", compat_syscall(__NR_compat_semtimedop_time64, s, sops, 1, ts64),
		 -EINVAL);
	CHECK_EQ("sem.compat_rmid", compat_syscall(__NR_compat_semctl, s, 0, IPC_RMID), 0);
	CHECK_EQ("sem.removed", compat_syscall(__NR_compat_semctl, s, 0, GETVAL), -EINVAL);
}

int main(void)
{
	msg_checks();
	sem_checks();
	return check_done();
}
