/* Two threads that each write a line, joined in order: strace -f follows the clone3'd threads. */
#include <pthread.h>
#include <string.h>
#include <unistd.h>

static void *run(void *arg) {
  const char *msg = arg;
  write(1, msg, strlen(msg));
  return NULL;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, run, "thread 1\n");
  pthread_join(a, NULL);
  pthread_create(&b, NULL, run, "thread 2\n");
  pthread_join(b, NULL);
  write(1, "done\n", 5);
  return 0;
}
