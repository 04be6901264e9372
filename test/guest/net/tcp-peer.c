/*
 * One end of a TCP conversation with a host program (the test process): `tcp-peer client PORT`
 * connects to 127.0.0.1:PORT, `tcp-peer server` listens on an ephemeral loopback port and prints it
 * ("PORT n"), `tcp-peer udp PORT` exchanges a datagram. Each sends "ping", expects "pong" back,
 * then checks end of file after the host closes.
 */
#include "check.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

static void converse(int fd) {
  char buf[16] = {0};
  check_eq(send(fd, "ping", 4, 0), 4, "peer.send_ping");
  check_eq(recv(fd, buf, 4, MSG_WAITALL), 4, "peer.recv_pong");
  check(memcmp(buf, "pong", 4) == 0, "peer.pong_data");
  check_eq(recv(fd, buf, sizeof buf, 0), 0, "peer.host_closed_eof");
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  struct sockaddr_in a = {.sin_family = AF_INET};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (strcmp(argv[1], "client") == 0 && argc == 3) {
    a.sin_port = htons(atoi(argv[2]));
    int s = socket(AF_INET, SOCK_STREAM, 0);
    check_ok(connect(s, (struct sockaddr *)&a, sizeof a), "client.connect_to_host");
    converse(s);
    close(s);
  } else if (strcmp(argv[1], "server") == 0) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    check_ok(bind(s, (struct sockaddr *)&a, sizeof a), "server.bind");
    check_ok(listen(s, 1), "server.listen");
    socklen_t l = sizeof a;
    getsockname(s, (struct sockaddr *)&a, &l);
    printf("PORT %d\n", ntohs(a.sin_port));
    fflush(stdout);
    int c = accept(s, NULL, NULL);
    check_ok(c, "server.accept_from_host");
    converse(c);
    close(c);
    close(s);
  } else if (strcmp(argv[1], "udp") == 0 && argc == 3) {
    a.sin_port = htons(atoi(argv[2]));
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    check_eq(sendto(s, "ping", 4, 0, (struct sockaddr *)&a, sizeof a), 4, "udp.send_to_host");
    char buf[16];
    struct sockaddr_in from;
    socklen_t fl = sizeof from;
    check_eq(recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl), 4, "udp.reply_from_host");
    check(from.sin_port == a.sin_port && memcmp(buf, "pong", 4) == 0, "udp.reply_source");
    close(s);
  } else {
    return 2;
  }
  return finish();
}
