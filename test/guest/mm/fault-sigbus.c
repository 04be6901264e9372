/* Touching a file mapping beyond the end of the file: killed by SIGBUS (BUS_ADRERR). argv[1]: a scratch directory. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>
int main(int argc, char **argv) {
  char path[4096];
  snprintf(path, sizeof path, "%s/short-file", argc > 1 ? argv[1] : "/tmp");
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
  if (fd < 0 || write(fd, "abc", 3) != 3) return 2;
  volatile char *p = mmap(NULL, 3 * 4096, PROT_READ, MAP_SHARED, fd, 0);
  if (p == MAP_FAILED) return 3;
  printf("first page reads %c\n", p[1]);
  fflush(stdout);
  return p[2 * 4096];
}
