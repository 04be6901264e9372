/*
 * System V semaphores against qemu-aarch64 (the host kernel): semget limits, SETVAL/GETVAL/SETALL/
 * GETALL/GETPID/GETNCNT/GETZCNT, ERANGE, atomic multi-op semop, IPC_NOWAIT, EFBIG/E2BIG, children
 * blocked in semop woken by the parent, SEM_UNDO applied at a child's exit (and forgotten after
 * SETVAL), semtimedop's timeout, EIDRM, EINTR even with SA_RESTART, IPC_STAT/IPC_SET/SEM_STAT/
 * IPC_INFO/SEM_INFO. Output never shows ids, keys or pids.
 */
#include "sysv-common.h"
#include <sys/ipc.h>
#include <pthread.h>
#include <sys/sem.h>

union semun {
  int val;
  struct semid_ds *buf;
  unsigned short *array;
  struct seminfo *__buf;
};

static int sid;
static int sigs;

static void on_usr1(int sig, siginfo_t *si, void *uc) {
  (void)sig, (void)si, (void)uc;
  sigs++;
}

static int op1(int id, int num, int op, int flg) {
  struct sembuf s = {(unsigned short)num, (short)op, (short)flg};
  return semop(id, &s, 1) < 0 ? -errno : 0;
}

static int getval(int id, int num) {
  return semctl(id, num, GETVAL);
}

static int setval(int id, int num, int v) {
  union semun u = {.val = v};
  return semctl(id, num, SETVAL, u) < 0 ? -errno : 0;
}

static int ncnt_is_1(long id) {
  return semctl((int)id, 0, GETNCNT) == 1;
}

static int ncnt1_is_1(long id) {
  return semctl((int)id, 1, GETNCNT) == 1;
}

static int zcnt_is_1(long id) {
  return semctl((int)id, 1, GETZCNT) == 1;
}

static int child_down(long id) {
  return op1((int)id, 0, -1, 0) == 0 ? 0 : 10;
}

static int child_zero(long id) {
  return op1((int)id, 1, 0, 0) == 0 ? 0 : 10;
}

static int child_undo_up(long id) {
  return op1((int)id, 2, 2, SEM_UNDO) == 0 && op1((int)id, 2, -1, SEM_UNDO) == 0 ? 0 : 10;
}

static int child_undo_setval(long id) {
  if (op1((int)id, 2, 3, SEM_UNDO) != 0) return 10;
  return setval((int)id, 2, 5) == 0 ? 0 : 11;
}

static int child_eidrm(long id) {
  return op1((int)id, 0, -1, 0) == -EIDRM ? 0 : 10;
}

static int child_stopped(long id) {
  return op1((int)id, 0, -1, 0) == -EINTR ? 0 : 10;
}

static int child_eintr(long id) {
  (void)id;
  install(SIGUSR1, on_usr1, SA_RESTART);
  return op1(sid, 0, -1, 0) == -EINTR && sigs == 1 ? 0 : 10;
}

/* Blocked in a two-operation semop: takes 1 from sem 0 and 2 from sem 1 together. */
static int child_pair(long id) {
  struct sembuf s[2] = {{0, -1, 0}, {1, -2, 0}};
  return semop((int)id, s, 2) == 0 ? 0 : 10;
}

static void *thread_undo(void *arg) {
  return (void *)(long)op1((int)(long)arg, 2, 4, SEM_UNDO);
}

/* A thread's SEM_UNDO belongs to the process (glibc's threads share the undo list, CLONE_SYSVSEM):
 * not applied when the thread ends, only when the process does. */
static int child_thread_undo(long id) {
  pthread_t t;
  void *r;
  if (pthread_create(&t, NULL, thread_undo, (void *)id) != 0 || pthread_join(t, &r) != 0 || r != NULL) return 10;
  return getval((int)id, 2) == 9 ? 0 : 11;
}

static key_t the_key;

/* Another user: semget checks nsems before permissions; semop/semctl need the mode's bits. */
static int child_other_user(long id) {
  if (setresgid(65534, 65534, 65534) != 0 || setresuid(65534, 65534, 65534) != 0) return 20;
  int bad = 0;
  if (semget(the_key, 3, 0600) != -1 || errno != EINVAL) bad |= 1;
  if (semget(the_key, 2, 0600) != -1 || errno != EACCES) bad |= 2;
  if (semget(the_key, 2, 0) != (int)id) bad |= 4;
  if (semctl((int)id, 0, GETVAL) != -1 || errno != EACCES) bad |= 8;
  if (op1((int)id, 0, 1, IPC_NOWAIT) != -EACCES) bad |= 16;
  if (semctl((int)id, 0, IPC_RMID) != -1 || errno != EPERM) bad |= 32;
  return bad;
}

int main(void) {
  /* semget. */
  int s = semget(IPC_PRIVATE, 3, 0600);
  check(s >= 0, "semget IPC_PRIVATE 3 semaphores");
  check_eq(ERR(semget(IPC_PRIVATE, 0, 0600)), -EINVAL, "semget 0 semaphores: EINVAL");
  check_eq(ERR(semget(IPC_PRIVATE, 32001, 0600)), -EINVAL, "semget above SEMMSL: EINVAL");
  check_eq(ERR(semget(IPC_PRIVATE, -1, 0600)), -EINVAL, "semget negative: EINVAL");
  key_t key = (key_t)(0x53000000 | (getpid() & 0xffffff));
  int k = semget(key, 2, IPC_CREAT | IPC_EXCL | 0640);
  check(k >= 0, "semget with a key");
  check_eq(semget(key, 1, 0), k, "semget fewer semaphores finds the set");
  check_eq(semget(key, 0, 0), k, "semget 0 semaphores finds the set");
  check_eq(ERR(semget(key, 3, 0)), -EINVAL, "semget more semaphores than the set: EINVAL");
  check_eq(ERR(semget(key, 2, IPC_CREAT | IPC_EXCL)), -EEXIST, "semget IPC_EXCL: EEXIST");
  check_eq(ERR(semget(key + 1, 2, 0)), -ENOENT, "semget an absent key: ENOENT");
  the_key = key;
  check_eq(reap(spawn(child_other_user, k)), 0, "another user: EINVAL before EACCES in semget, EACCES, EPERM");

  /* Values. */
  check_eq(getval(s, 0), 0, "new semaphores are 0");
  check_eq(setval(s, 0, 32767), 0, "SETVAL SEMVMX");
  check_eq(setval(s, 0, 32768), -ERANGE, "SETVAL above SEMVMX: ERANGE");
  check_eq(setval(s, 0, -1), -ERANGE, "SETVAL negative: ERANGE");
  check_eq(setval(s, 3, 1), -EINVAL, "SETVAL semnum out of range: EINVAL");
  check_eq(ERR(semctl(s, 3, GETVAL)), -EINVAL, "GETVAL semnum out of range: EINVAL");
  check_eq(getval(s, 0), 32767, "GETVAL");
  check_eq(op1(s, 0, 1, 0), -ERANGE, "semop above SEMVMX: ERANGE");
  unsigned short vals[3] = {1, 0, 2}, got[3] = {9, 9, 9};
  union semun u = {.array = vals};
  check_eq(semctl(s, 0, SETALL, u), 0, "SETALL");
  u.array = got;
  check_eq(semctl(s, 0, GETALL, u), 0, "GETALL");
  check(got[0] == 1 && got[1] == 0 && got[2] == 2, "GETALL values");
  unsigned short bad[3] = {1, 40000, 2};
  u.array = bad;
  check_eq(ERR(semctl(s, 0, SETALL, u)), -ERANGE, "SETALL above SEMVMX: ERANGE");
  check_eq(getval(s, 1), 0, "a failed SETALL changes nothing");
  check_eq(semctl(s, 0, GETPID), getpid(), "GETPID after SETALL");

  /* semop rules. */
  struct sembuf two[2] = {{0, -1, IPC_NOWAIT}, {1, -1, IPC_NOWAIT}};
  check_eq(ERR(semop(s, two, 2)), -EAGAIN, "semop blocks on the second op: EAGAIN");
  check_eq(getval(s, 0), 1, "all or nothing: the first op was not applied");
  struct sembuf ok2[2] = {{0, -1, 0}, {2, 1, 0}};
  check_eq(ERR(semop(s, ok2, 2)), 0, "semop two ops");
  check(getval(s, 0) == 0 && getval(s, 2) == 3, "both applied");
  check_eq(op1(s, 2, 0, IPC_NOWAIT), -EAGAIN, "wait-for-zero on 3 IPC_NOWAIT: EAGAIN");
  check_eq(op1(s, 0, 0, 0), 0, "wait-for-zero on 0");
  struct sembuf dup[3] = {{1, 1, 0}, {1, 1, 0}, {1, -2, 0}};
  check_eq(ERR(semop(s, dup, 3)), 0, "the same semaphore twice: ops apply in order");
  check_eq(getval(s, 1), 0, "net effect of repeated ops");
  check_eq(op1(s, 3, 1, 0), -EFBIG, "sem_num out of range: EFBIG");
  check_eq(ERR(semop(s, two, 0)), -EINVAL, "nsops 0: EINVAL");
  static struct sembuf many[501];
  check_eq(ERR(semop(s, many, 501)), -E2BIG, "nsops above SEMOPM: E2BIG");
  check_eq(ERR(semop(s, (struct sembuf *)8, 1)), -EFAULT, "bad sops: EFAULT");
  check_eq(op1(s + 32768 * 5, 0, 1, 0), -EINVAL, "stale id: EINVAL");
  check_eq(op1(-1, 0, 1, 0), -EINVAL, "negative id: EINVAL");
  check_eq(semctl(s, 2, GETPID), getpid(), "GETPID after semop");

  /* A child blocked decrementing, woken by the parent. */
  pid_t c = spawn(child_down, s);
  check(wait_until(ncnt_is_1, s), "GETNCNT sees the blocked child");
  check_eq(semctl(s, 0, GETZCNT), 0, "GETZCNT 0");
  check_eq(op1(s, 0, 1, 0), 0, "semop +1 wakes it");
  check_eq(reap(c), 0, "blocked semop completes");
  check_eq(getval(s, 0), 0, "the child took the unit");
  check_eq(semctl(s, 0, GETPID), c, "GETPID is the child");

  /* A child waiting for zero, woken by SETVAL. */
  setval(s, 1, 2);
  c = spawn(child_zero, s);
  check(wait_until(zcnt_is_1, s), "GETZCNT sees the waiting child");
  check_eq(setval(s, 1, 0), 0, "SETVAL 0 wakes it");
  check_eq(reap(c), 0, "wait-for-zero completes");

  /* A two-op semop completes only when both can. */
  c = spawn(child_pair, s);
  check(wait_until(ncnt_is_1, s), "two-op semop blocks on sem 0");
  setval(s, 1, 1);
  check_eq(op1(s, 0, 1, 0), 0, "sem 0 up");
  check(wait_until(ncnt1_is_1, s) && semctl(s, 0, GETNCNT) == 0, "now blocked on sem 1 (GETNCNT follows the blocking op)");
  check_eq(getval(s, 0), 1, "sem 0 untouched while blocked");
  check_eq(op1(s, 1, 1, 0), 0, "sem 1 up");
  check_eq(reap(c), 0, "two-op semop completes");
  check(getval(s, 0) == 0 && getval(s, 1) == 0, "both taken at once");

  /* SEM_UNDO. */
  setval(s, 2, 3);
  check_eq(reap(spawn(child_undo_up, s)), 0, "child semop with SEM_UNDO");
  check_eq(getval(s, 2), 3, "SEM_UNDO reverted at the child's exit");
  check_eq(reap(spawn(child_undo_setval, s)), 0, "child SEM_UNDO then SETVAL");
  check_eq(getval(s, 2), 5, "SETVAL cleared the adjustment");
  check_eq(reap(spawn(child_thread_undo, s)), 0, "a thread's SEM_UNDO survives the thread");
  check_eq(getval(s, 2), 5, "and is applied when the process exits");
  setval(s, 2, 0);
  check_eq(op1(s, 2, 32767, SEM_UNDO), 0, "semop +32767 with SEM_UNDO");
  check_eq(op1(s, 2, -32767, 0), 0, "semop -32767 without");
  check_eq(op1(s, 2, 2, SEM_UNDO), -ERANGE, "adjustment beyond -SEMAEM-1: ERANGE");
  check_eq(getval(s, 2), 0, "the failed semop changed nothing");
  check_eq(op1(s, 2, 1, SEM_UNDO), 0, "adjustment -SEMAEM-1 is allowed");
  setval(s, 2, 5);

  /* semtimedop. */
  struct timespec t = {0, 100000000};
  struct sembuf down = {0, -1, 0};
  long t0 = now_ms();
  check_eq(ERR(semtimedop(s, &down, 1, &t)), -EAGAIN, "semtimedop times out: EAGAIN");
  long dt = now_ms() - t0;
  check(dt >= 95 && dt < 3000, "after about 100 ms");
  t.tv_nsec = 1000000000;
  check_eq(ERR(semtimedop(s, &down, 1, &t)), -EINVAL, "semtimedop tv_nsec 1e9: EINVAL");
  t.tv_nsec = 0;
  check_eq(ERR(semtimedop(s, &down, 1, &t)), -EAGAIN, "semtimedop zero timeout: EAGAIN");
  check_eq(ERR(semtimedop(s, &down, 1, (struct timespec *)8)), -EFAULT, "semtimedop bad timeout: EFAULT");
  setval(s, 0, 1);
  t.tv_sec = 5;
  check_eq(ERR(semtimedop(s, &down, 1, &t)), 0, "semtimedop that can proceed");

  /* A handler: EINTR even with SA_RESTART. */
  sid = s;
  c = spawn(child_eintr, 0);
  check(wait_until(ncnt_is_1, s), "child blocked before the signal");
  kill(c, SIGUSR1);
  check_eq(reap(c), 0, "semop interrupted: EINTR");
  check_eq(semctl(s, 0, GETNCNT), 0, "no waiter left");

  /* Stopped and continued, no handler: semop fails with EINTR (signal(7)), unlike msgrcv. */
  c = spawn(child_stopped, s);
  check(wait_until(ncnt_is_1, s), "child blocked before SIGSTOP");
  kill(c, SIGSTOP);
  int st;
  check(waitpid(c, &st, WUNTRACED) == c && WIFSTOPPED(st), "child stopped");
  kill(c, SIGCONT);
  check_eq(reap(c), 0, "semop after SIGSTOP/SIGCONT: EINTR");

  /* IPC_STAT, IPC_SET, SEM_STAT, IPC_INFO, SEM_INFO. */
  struct semid_ds ds;
  memset(&ds, 0xa5, sizeof ds);
  u.buf = &ds;
  check_eq(semctl(k, 0, IPC_STAT, u), 0, "IPC_STAT");
  check(ds.sem_perm.__key == key, "sem_perm.key");
  check_eq(ds.sem_perm.mode & 0777, 0640, "sem_perm.mode");
  check(ds.sem_perm.uid == geteuid() && ds.sem_perm.cuid == geteuid(), "sem_perm.uid and cuid");
  check_eq((long)ds.sem_nsems, 2, "sem_nsems");
  check(ds.sem_otime == 0 && ds.sem_ctime > 1000000000, "otime 0, ctime set");
  op1(k, 1, 1, 0);
  semctl(k, 0, IPC_STAT, u);
  check(ds.sem_otime > 1000000000, "otime after semop");
  ds.sem_perm.mode = 0600;
  check_eq(semctl(k, 0, IPC_SET, u), 0, "IPC_SET");
  memset(&ds, 0, sizeof ds);
  semctl(k, 0, IPC_STAT, u);
  check_eq(ds.sem_perm.mode & 0777, 0600, "IPC_SET changed the mode");
  check_eq(semctl(k % 32768, 0, SEM_STAT, u), k, "SEM_STAT by index gives the id");
  struct seminfo si;
  memset(&si, 0, sizeof si);
  u.__buf = &si;
  check(semctl(0, 0, IPC_INFO, u) >= 0, "IPC_INFO");
  check(si.semmsl == 32000 && si.semmni == 32000 && si.semopm == 500 && si.semvmx == 32767 &&
            si.semmns == 1024000000 && si.semume == 500 && si.semusz == 20 && si.semaem == 32767,
        "IPC_INFO limits");
  memset(&si, 0, sizeof si);
  check(semctl(0, 0, SEM_INFO, u) >= k % 32768, "SEM_INFO returns the highest index");
  check(si.semusz >= 2 && si.semaem >= 5, "SEM_INFO counts sets and semaphores");
  check_eq(ERR(semctl(s, 0, 99)), -EINVAL, "unknown cmd: EINVAL");

  /* IPC_RMID wakes sleepers with EIDRM. */
  setval(s, 0, 0);
  c = spawn(child_eidrm, s);
  check(wait_until(ncnt_is_1, s), "child blocked before removal");
  check_eq(semctl(s, 0, IPC_RMID), 0, "IPC_RMID");
  check_eq(reap(c), 0, "blocked semop: EIDRM");
  check_eq(ERR(semctl(s, 0, GETVAL)), -EINVAL, "removed set: EINVAL");
  check_eq(semctl(k, 0, IPC_RMID), 0, "IPC_RMID the keyed set");
  check_eq(ERR(semget(key, 0, 0)), -ENOENT, "the key is gone");
  return finish();
}
