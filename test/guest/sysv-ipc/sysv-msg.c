/*
 * System V message queues against qemu-aarch64 (the host kernel): msgget keys and flags, IPC_STAT
 * fields, msgrcv's type selection (0, >0, <0, MSG_EXCEPT), MSG_NOERROR/E2BIG, IPC_NOWAIT, a full
 * queue, children blocked in msgrcv/msgsnd woken by the parent, EIDRM, EINTR and transparent
 * restart after a stop, permissions of another user, IPC_INFO/MSG_STAT/MSG_STAT_ANY.
 * Output never shows ids, keys or pids.
 */
#include "sysv-common.h"
#include <sys/ipc.h>
#include <sys/msg.h>

struct mbuf {
  long mtype;
  char mtext[8192];
};

static int qid;
static int sigs;

static void on_usr1(int sig, siginfo_t *si, void *uc) {
  (void)sig, (void)si, (void)uc;
  sigs++;
}

static int snd(int id, long type, const char *text, int flags) {
  struct mbuf m;
  m.mtype = type;
  size_t n = strlen(text);
  memcpy(m.mtext, text, n);
  return msgsnd(id, &m, n, flags) < 0 ? -errno : 0;
}

/* Receives into a static buffer: the length or -errno; got_type/got_text describe the message. */
static long got_type;
static char got_text[8200];
static long rcv(int id, size_t size, long type, int flags) {
  struct mbuf m;
  memset(&m, 0, sizeof m);
  ssize_t n = msgrcv(id, &m, size, type, flags);
  if (n < 0) return -errno;
  got_type = m.mtype;
  memcpy(got_text, m.mtext, n);
  got_text[n] = 0;
  return n;
}

static int child_rcv42(long id) {
  long n = rcv((int)id, 100, 42, 0);
  return n == 5 && got_type == 42 && strcmp(got_text, "hello") == 0 ? 0 : 10;
}

static int child_rcv_eidrm(long id) {
  long n = rcv((int)id, 100, 0, 0);
  return n == -EIDRM ? 0 : 10;
}

static int child_snd_block(long id) {
  char big[61];
  memset(big, 'x', 60);
  big[60] = 0;
  return snd((int)id, 9, big, 0) == 0 ? 0 : 10;
}

static int child_snd_eidrm(long id) {
  char big[61];
  memset(big, 'y', 60);
  big[60] = 0;
  return snd((int)id, 9, big, 0) == -EIDRM ? 0 : 10;
}

static int child_rcv_eintr(long restart) {
  install(SIGUSR1, on_usr1, restart ? SA_RESTART : 0);
  long n = rcv(qid, 100, 0, 0);
  return n == -EINTR && sigs == 1 ? 0 : 10;
}

static int child_other_user(long id) {
  if (setresgid(65534, 65534, 65534) != 0 || setresuid(65534, 65534, 65534) != 0) return 20;
  struct msqid_ds ds;
  int bad = 0;
  if (snd((int)id, 1, "no", IPC_NOWAIT) != -EACCES) bad |= 1;
  if (rcv((int)id, 100, 0, IPC_NOWAIT) != -EACCES) bad |= 2;
  if (msgctl((int)id, IPC_STAT, &ds) != -1 || errno != EACCES) bad |= 4;
  if (msgctl((int)id, IPC_RMID, NULL) != -1 || errno != EPERM) bad |= 8;
  int own = msgget(IPC_PRIVATE, 0600);
  if (own < 0 || msgctl(own, IPC_RMID, NULL) != 0) bad |= 16;
  return bad;
}

int main(void) {
  /* msgget: private queues, keys, IPC_CREAT/IPC_EXCL, ENOENT. */
  int a = msgget(IPC_PRIVATE, 0600);
  int b = msgget(IPC_PRIVATE, 0600);
  check(a >= 0 && b >= 0 && a != b, "msgget IPC_PRIVATE gives distinct queues");
  key_t key = (key_t)(0x51000000 | (getpid() & 0xffffff));
  int k = msgget(key, IPC_CREAT | 0640);
  check(k >= 0, "msgget IPC_CREAT with a key");
  check(msgget(key, 0) == k, "msgget finds the key");
  check(msgget(key, IPC_CREAT | 0600) == k, "msgget IPC_CREAT finds the key");
  check_eq(ERR(msgget(key, IPC_CREAT | IPC_EXCL | 0600)), -EEXIST, "msgget IPC_EXCL on an existing key");
  check_eq(ERR(msgget(key + 1, 0600)), -ENOENT, "msgget an absent key without IPC_CREAT");

  /* IPC_STAT of a new queue. */
  struct msqid_ds ds;
  memset(&ds, 0xa5, sizeof ds);
  check_eq(msgctl(k, IPC_STAT, &ds), 0, "IPC_STAT");
  check(ds.msg_perm.__key == key, "msg_perm.key");
  check_eq(ds.msg_perm.mode & 0777, 0640, "msg_perm.mode");
  check(ds.msg_perm.uid == geteuid() && ds.msg_perm.cuid == geteuid(), "msg_perm.uid and cuid");
  check(ds.msg_perm.gid == getegid() && ds.msg_perm.cgid == getegid(), "msg_perm.gid and cgid");
  check_eq((long)ds.msg_qnum, 0, "msg_qnum 0");
  check_eq((long)ds.__msg_cbytes, 0, "msg_cbytes 0");
  check_eq((long)ds.msg_qbytes, 16384, "msg_qbytes = msgmnb");
  check(ds.msg_stime == 0 && ds.msg_rtime == 0 && ds.msg_ctime > 1000000000, "times");
  check(ds.msg_lspid == 0 && ds.msg_lrpid == 0, "lspid/lrpid 0");

  /* Type selection. */
  check_eq(snd(a, 5, "e1", 0), 0, "msgsnd type 5");
  snd(a, 2, "b1", 0);
  snd(a, 7, "g1", 0);
  snd(a, 2, "b2", 0);
  snd(a, 1, "a1", 0);
  msgctl(a, IPC_STAT, &ds);
  check_eq((long)ds.msg_qnum, 5, "msg_qnum 5");
  check_eq((long)ds.__msg_cbytes, 10, "msg_cbytes 10");
  check(ds.msg_lspid == getpid() && ds.msg_stime > 0, "lspid and stime after msgsnd");
  check(rcv(a, 100, 0, 0) == 2 && got_type == 5 && !strcmp(got_text, "e1"), "msgrcv type 0: first message");
  check(rcv(a, 100, 2, 0) == 2 && got_type == 2 && !strcmp(got_text, "b1"), "msgrcv type 2: first of type 2");
  check(rcv(a, 100, -3, 0) == 2 && got_type == 1 && !strcmp(got_text, "a1"), "msgrcv type -3: lowest type");
  check(rcv(a, 100, 7, MSG_EXCEPT) == 2 && got_type == 2 && !strcmp(got_text, "b2"), "msgrcv MSG_EXCEPT 7");
  check_eq(rcv(a, 100, 3, IPC_NOWAIT), -ENOMSG, "msgrcv IPC_NOWAIT no match: ENOMSG");
  check(rcv(a, 100, -7, 0) == 2 && got_type == 7, "msgrcv type -7");
  check_eq(rcv(a, 100, 0, IPC_NOWAIT), -ENOMSG, "msgrcv IPC_NOWAIT empty: ENOMSG");
  msgctl(a, IPC_STAT, &ds);
  /* qemu-aarch64 does not copy msg_lrpid back (always 0 there). */
  check_linux(ds.msg_lrpid == getpid(), "lrpid after msgrcv");
  check(ds.msg_rtime > 0, "rtime after msgrcv");
  check_eq((long)ds.msg_qnum, 0, "queue empty");

  /* Sizes. */
  check_eq(snd(a, 3, "0123456789abcdef", 0), 0, "msgsnd 16 bytes");
  check_eq(rcv(a, 10, 0, 0), -E2BIG, "msgrcv small buffer: E2BIG");
  msgctl(a, IPC_STAT, &ds);
  check_eq((long)ds.msg_qnum, 1, "E2BIG leaves the message queued");
  check(rcv(a, 10, 0, MSG_NOERROR) == 10 && !strcmp(got_text, "0123456789"), "MSG_NOERROR truncates");
  check_eq(snd(a, 0, "x", 0), -EINVAL, "msgsnd mtype 0: EINVAL");
  check_eq(snd(a, -4, "x", 0), -EINVAL, "msgsnd negative mtype: EINVAL");
  {
    static struct mbuf m = {1, {0}};
    check_eq(ERR(msgsnd(a, &m, 8193, 0)), -EINVAL, "msgsnd above msgmax: EINVAL");
    check_eq(ERR(msgsnd(a, &m, 8192, 0)), 0, "msgsnd msgmax bytes");
    check_eq(rcv(a, 8192, 0, 0), 8192, "msgrcv msgmax bytes");
    check_eq(ERR(msgsnd(-1, &m, 1, 0)), -EINVAL, "msgsnd negative id: EINVAL");
    check_eq(ERR(msgsnd(a + 32768 * 7, &m, 1, 0)), -EINVAL, "msgsnd stale id: EINVAL");
    check_eq(ERR(msgrcv(a, &m, 1, 0, MSG_COPY)), -EINVAL, "MSG_COPY without IPC_NOWAIT: EINVAL");
  }
  check_eq(ERR(msgsnd(a, (void *)8, 1, 0)), -EFAULT, "msgsnd bad pointer: EFAULT");
  check_eq(snd(a, 1, "zero", 0), 0, "msgsnd");
  check_eq(ERR(msgrcv(a, (void *)8, 10, 0, 0)), -EFAULT, "msgrcv bad pointer: EFAULT");
  msgctl(a, IPC_STAT, &ds);
  /* qemu checks the buffer before the host call, so the message survives there. */
  check_linux(ds.msg_qnum == 0, "a message lost to EFAULT is gone");
  rcv(a, 100, 0, IPC_NOWAIT);

  /* MSG_COPY: the n-th message, copied, left queued. */
  snd(a, 4, "first", 0);
  snd(a, 6, "second", 0);
  check(rcv(a, 100, 1, MSG_COPY | IPC_NOWAIT) == 6 && got_type == 6 && !strcmp(got_text, "second"),
        "MSG_COPY copies message 1");
  check_eq(rcv(a, 100, 2, MSG_COPY | IPC_NOWAIT), -ENOMSG, "MSG_COPY past the end: ENOMSG");
  check_eq(rcv(a, 3, 0, MSG_COPY | IPC_NOWAIT), -E2BIG, "MSG_COPY small buffer: E2BIG");
  check_eq(rcv(a, 100, 0, MSG_COPY | MSG_EXCEPT | IPC_NOWAIT), -EINVAL, "MSG_COPY with MSG_EXCEPT: EINVAL");
  msgctl(a, IPC_STAT, &ds);
  check_eq((long)ds.msg_qnum, 2, "MSG_COPY leaves the queue alone");
  rcv(a, 100, 0, 0);
  rcv(a, 100, 0, 0);

  /* A full queue: IPC_SET msg_qbytes, IPC_NOWAIT, a blocked sender woken by a receive. */
  msgctl(a, IPC_STAT, &ds);
  ds.msg_qbytes = 100;
  ds.msg_perm.mode = 0660;
  check_eq(msgctl(a, IPC_SET, &ds), 0, "IPC_SET msg_qbytes 100");
  msgctl(a, IPC_STAT, &ds);
  check((long)ds.msg_qbytes == 100 && (ds.msg_perm.mode & 0777) == 0660, "IPC_SET took effect");
  char sixty[61];
  memset(sixty, 'q', 60);
  sixty[60] = 0;
  check_eq(snd(a, 8, sixty, 0), 0, "msgsnd 60 of 100");
  check_eq(snd(a, 8, sixty, IPC_NOWAIT), -EAGAIN, "msgsnd full queue IPC_NOWAIT: EAGAIN");
  pid_t c = spawn(child_snd_block, a);
  check(parked(c), "sender blocks on a full queue");
  msgctl(a, IPC_STAT, &ds);
  check_eq((long)ds.msg_qnum, 1, "the blocked message is not queued");
  check_eq(rcv(a, 100, 0, 0), 60, "msgrcv makes room");
  check_eq(reap(c), 0, "blocked sender completes");
  msgctl(a, IPC_STAT, &ds);
  check(ds.msg_qnum == 1 && ds.msg_lspid == c, "the woken sender's message is queued");
  rcv(a, 100, 0, 0);

  /* A receiver blocked for a type, woken by the parent's send. */
  c = spawn(child_rcv42, a);
  check(parked(c), "receiver blocks");
  check_eq(snd(a, 41, "other", 0), 0, "msgsnd another type");
  check_eq(snd(a, 42, "hello", 0), 0, "msgsnd the awaited type");
  check_eq(reap(c), 0, "blocked receiver gets its message");
  msgctl(a, IPC_STAT, &ds);
  check_eq((long)ds.msg_qnum, 1, "the other message stays");
  check_linux(ds.msg_lrpid == c, "lrpid is the receiver");
  rcv(a, 100, 0, 0);

  /* Stopped and continued while blocked: msgrcv restarts without a handler. */
  c = spawn(child_rcv42, a);
  check(parked(c), "receiver blocks again");
  kill(c, SIGSTOP);
  int st;
  check(waitpid(c, &st, WUNTRACED) == c && WIFSTOPPED(st), "receiver stopped");
  kill(c, SIGCONT);
  nap_ms(100);
  snd(a, 42, "hello", 0);
  check_eq(reap(c), 0, "msgrcv restarted after SIGSTOP/SIGCONT");

  /* A signal with a handler: EINTR, SA_RESTART or not (ERESTARTNOHAND). */
  qid = a;
  c = spawn(child_rcv_eintr, 0);
  check(parked(c), "receiver blocks (no SA_RESTART)");
  kill(c, SIGUSR1);
  check_eq(reap(c), 0, "msgrcv interrupted: EINTR");
  c = spawn(child_rcv_eintr, 1);
  check(parked(c), "receiver blocks (SA_RESTART)");
  kill(c, SIGUSR1);
  check_eq(reap(c), 0, "msgrcv interrupted with SA_RESTART: still EINTR");

  /* Another user. */
  check_eq(reap(spawn(child_other_user, a)), 0, "another user: EACCES on send/receive/stat, EPERM on RMID");

  /* IPC_INFO, MSG_INFO, MSG_STAT, MSG_STAT_ANY. */
  struct msginfo mi;
  memset(&mi, 0, sizeof mi);
  check(msgctl(0, IPC_INFO, (struct msqid_ds *)&mi) >= 0, "IPC_INFO");
  check(mi.msgmax == 8192 && mi.msgmnb == 16384 && mi.msgmni == 32000, "msgmax/msgmnb/msgmni");
  check(mi.msgssz == 16 && mi.msgseg == 0xffff && mi.msgpool == 512000 && mi.msgmap == 16384 && mi.msgtql == 16384,
        "IPC_INFO constants");
  snd(a, 1, "four", 0);
  memset(&mi, 0, sizeof mi);
  int maxidx = msgctl(0, MSG_INFO, (struct msqid_ds *)&mi);
  check(maxidx >= a % 32768 && mi.msgpool >= 3 && mi.msgmap >= 1 && mi.msgtql >= 4, "MSG_INFO counts");
  check_eq(msgctl(a % 32768, MSG_STAT, &ds), a, "MSG_STAT by index gives the id");
  check_eq((long)ds.msg_qnum, 1, "MSG_STAT fills msqid_ds");
  /* qemu-aarch64 does not know MSG_STAT_ANY (EINVAL). */
  check_linux(msgctl(a % 32768, MSG_STAT_ANY, &ds) == a, "MSG_STAT_ANY by index gives the id");
  check_eq(ERR(msgctl(a, 99, &ds)), -EINVAL, "unknown cmd: EINVAL");
  check_eq(ERR(msgctl(a, IPC_STAT, (void *)8)), -EFAULT, "IPC_STAT bad pointer: EFAULT");

  /* IPC_RMID wakes blocked receivers and senders with EIDRM. */
  c = spawn(child_rcv_eidrm, b);
  check(parked(c), "receiver blocks before removal");
  check_eq(msgctl(b, IPC_RMID, NULL), 0, "IPC_RMID");
  check_eq(reap(c), 0, "blocked receiver: EIDRM");
  check_eq(ERR(msgctl(b, IPC_STAT, &ds)), -EINVAL, "removed queue: EINVAL");
  ds.msg_qbytes = 60;
  msgctl(k, IPC_SET, &ds);
  snd(k, 1, sixty, 0);
  c = spawn(child_snd_eidrm, k);
  check(parked(c), "sender blocks before removal");
  check_eq(msgctl(k, IPC_RMID, NULL), 0, "IPC_RMID with a blocked sender");
  check_eq(reap(c), 0, "blocked sender: EIDRM");
  check_eq(ERR(msgget(key, 0)), -ENOENT, "the key is gone");
  check_eq(msgctl(a, IPC_RMID, NULL), 0, "IPC_RMID the last queue");
  return finish();
}
