/*
 * EPOLLEXCLUSIVE wakes one of several epoll instances waiting on the same file: four threads each
 * wait in their own instance on one eventfd; a write wakes exactly one of them with the flag and
 * all four without it. Also the EINVAL rules: EPOLL_CTL_MOD of an exclusive item, EPOLLEXCLUSIVE
 * with EPOLLONESHOT or EPOLLPRI, in a MOD, or on an epoll fd.
 */
#include "check.h"
#include <pthread.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#define THREADS 4

static int efd;
static int eps[THREADS];
static volatile int woken, waiting;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *waiter(void *arg) {
  int ep = *(int *)arg;
  struct epoll_event ev;
  __atomic_add_fetch(&waiting, 1, __ATOMIC_SEQ_CST);
  int n = epoll_wait(ep, &ev, 1, 1500);
  if (n == 1) {
    pthread_mutex_lock(&lock);
    woken++;
    pthread_mutex_unlock(&lock);
  }
  return NULL;
}

static int round_of(uint32_t flags) {
  efd = eventfd(0, EFD_NONBLOCK);
  pthread_t th[THREADS];
  woken = 0;
  waiting = 0;
  for (int i = 0; i < THREADS; i++) {
    eps[i] = epoll_create1(0);
    struct epoll_event ev = {EPOLLIN | flags, {.u32 = (uint32_t)i}};
    if (epoll_ctl(eps[i], EPOLL_CTL_ADD, efd, &ev) != 0) return -1;
  }
  for (int i = 0; i < THREADS; i++) pthread_create(&th[i], NULL, waiter, &eps[i]);
  while (waiting < THREADS) usleep(1000);
  usleep(200 * 1000);
  uint64_t one = 1;
  write(efd, &one, 8);
  for (int i = 0; i < THREADS; i++) pthread_join(th[i], NULL);
  for (int i = 0; i < THREADS; i++) close(eps[i]);
  close(efd);
  return woken;
}

int main(void) {
  check_eq(round_of(EPOLLEXCLUSIVE), 1, "EPOLLEXCLUSIVE: one of four waiters wakes");
  check_eq(round_of(0), THREADS, "without EPOLLEXCLUSIVE: all four wake");

  int ep = epoll_create1(0);
  int ep2 = epoll_create1(0);
  int e = eventfd(0, 0);
  struct epoll_event ev = {EPOLLIN | EPOLLEXCLUSIVE, {0}};
  check_eq(epoll_ctl(ep, EPOLL_CTL_ADD, e, &ev), 0, "ADD with EPOLLEXCLUSIVE");
  ev.events = EPOLLIN;
  check_err(epoll_ctl(ep, EPOLL_CTL_MOD, e, &ev), EINVAL, "MOD of an exclusive item: EINVAL");
  ev.events = EPOLLIN | EPOLLEXCLUSIVE;
  check_err(epoll_ctl(ep, EPOLL_CTL_MOD, e, &ev), EINVAL, "MOD with EPOLLEXCLUSIVE: EINVAL");
  int e2 = eventfd(0, 0);
  ev.events = EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT;
  check_err(epoll_ctl(ep, EPOLL_CTL_ADD, e2, &ev), EINVAL, "EPOLLEXCLUSIVE with EPOLLONESHOT: EINVAL");
  ev.events = EPOLLIN | EPOLLEXCLUSIVE | EPOLLPRI;
  check_err(epoll_ctl(ep, EPOLL_CTL_ADD, e2, &ev), EINVAL, "EPOLLEXCLUSIVE with EPOLLPRI: EINVAL");
  ev.events = EPOLLIN | EPOLLEXCLUSIVE;
  check_err(epoll_ctl(ep2, EPOLL_CTL_ADD, ep, &ev), EINVAL, "EPOLLEXCLUSIVE on an epoll fd: EINVAL");
  ev.events = EPOLLIN;
  check_eq(epoll_ctl(ep, EPOLL_CTL_ADD, e2, &ev), 0, "ADD without it");
  ev.events = EPOLLIN | EPOLLEXCLUSIVE;
  check_err(epoll_ctl(ep, EPOLL_CTL_MOD, e2, &ev), EINVAL, "MOD adding EPOLLEXCLUSIVE: EINVAL");
  check_eq(epoll_ctl(ep, EPOLL_CTL_DEL, e, NULL), 0, "DEL of an exclusive item");
  uint64_t one = 1;
  write(e, &one, 8);
  struct epoll_event out;
  check_eq(epoll_wait(ep, &out, 1, 0), 0, "the deleted exclusive item reports nothing");
  return finish();
}
