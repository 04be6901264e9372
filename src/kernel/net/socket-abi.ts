/**
 * Socket constants as arm64 Linux (and 32-bit ARM, which agrees for all of these) defines them:
 * linux/socket.h, asm-generic/socket.h, linux/in.h, linux/in6.h, linux/tcp.h, linux/net.h,
 * asm-generic/poll.h. Data only.
 */

export const AF_UNSPEC = 0;
export const AF_UNIX = 1;
export const AF_INET = 2;
export const AF_INET6 = 10;
export const AF_NETLINK = 16;

export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SOCK_RAW = 3;
export const SOCK_RDM = 4;
export const SOCK_SEQPACKET = 5;
export const SOCK_PACKET = 10;
/** SOCK_MAX: types at or above are EINVAL. */
export const SOCK_MAX = 11;
export const SOCK_TYPE_MASK = 0xf;
/** = O_NONBLOCK / O_CLOEXEC on arm64. */
export const SOCK_NONBLOCK = 0o4000;
export const SOCK_CLOEXEC = 0o2000000;

export const SHUT_RD = 0;
export const SHUT_WR = 1;
export const SHUT_RDWR = 2;
/** sk_shutdown bits */
export const RCV_SHUTDOWN = 1;
export const SEND_SHUTDOWN = 2;
export const SHUTDOWN_MASK = 3;

export const MSG_OOB = 1;
export const MSG_PEEK = 2;
export const MSG_DONTROUTE = 4;
export const MSG_CTRUNC = 8;
export const MSG_TRUNC = 0x20;
export const MSG_DONTWAIT = 0x40;
export const MSG_EOR = 0x80;
export const MSG_WAITALL = 0x100;
export const MSG_NOSIGNAL = 0x4000;
export const MSG_MORE = 0x8000;
export const MSG_WAITFORONE = 0x10000;
export const MSG_CMSG_CLOEXEC = 0x40000000;
export const MSG_ERRQUEUE = 0x2000;
export const MSG_CONFIRM = 0x800;
export const MSG_FASTOPEN = 0x20000000;

export const SOL_SOCKET = 1;
export const SOL_IP = 0;
export const SOL_TCP = 6;
export const SOL_UDP = 17;
export const SOL_IPV6 = 41;

export const IPPROTO_IP = 0;
export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_IPV6 = 41;
export const IPPROTO_ICMPV6 = 58;
export const IPPROTO_UDPLITE = 136;
export const IPPROTO_MPTCP = 262;

export const SO_DEBUG = 1;
export const SO_REUSEADDR = 2;
export const SO_TYPE = 3;
export const SO_ERROR = 4;
export const SO_DONTROUTE = 5;
export const SO_BROADCAST = 6;
export const SO_SNDBUF = 7;
export const SO_RCVBUF = 8;
export const SO_KEEPALIVE = 9;
export const SO_OOBINLINE = 10;
export const SO_NO_CHECK = 11;
export const SO_PRIORITY = 12;
export const SO_LINGER = 13;
export const SO_BSDCOMPAT = 14;
export const SO_REUSEPORT = 15;
export const SO_PASSCRED = 16;
export const SO_PEERCRED = 17;
export const SO_RCVLOWAT = 18;
export const SO_SNDLOWAT = 19;
export const SO_RCVTIMEO_OLD = 20;
export const SO_SNDTIMEO_OLD = 21;
export const SO_BINDTODEVICE = 25;
export const SO_PEERNAME = 28;
export const SO_TIMESTAMP_OLD = 29;
export const SO_ACCEPTCONN = 30;
export const SO_PEERSEC = 31;
export const SO_SNDBUFFORCE = 32;
export const SO_RCVBUFFORCE = 33;
export const SO_PASSSEC = 34;
export const SO_MARK = 36;
export const SO_PROTOCOL = 38;
export const SO_DOMAIN = 39;
export const SO_RXQ_OVFL = 40;
export const SO_PEEK_OFF = 42;
export const SO_BUSY_POLL = 46;
export const SO_INCOMING_CPU = 49;
export const SO_COOKIE = 57;
export const SO_PEERGROUPS = 59;
export const SO_RCVTIMEO_NEW = 66;
export const SO_SNDTIMEO_NEW = 67;

export const SCM_RIGHTS = 1;
export const SCM_CREDENTIALS = 2;
/** SCM_MAX_FD: at most this many descriptors in one message. */
export const SCM_MAX_FD = 253;

export const TCP_NODELAY = 1;
export const TCP_MAXSEG = 2;
export const TCP_CORK = 3;
export const TCP_KEEPIDLE = 4;
export const TCP_KEEPINTVL = 5;
export const TCP_KEEPCNT = 6;
export const TCP_SYNCNT = 7;
export const TCP_LINGER2 = 8;
export const TCP_DEFER_ACCEPT = 9;
export const TCP_WINDOW_CLAMP = 10;
export const TCP_INFO = 11;
export const TCP_QUICKACK = 12;
export const TCP_CONGESTION = 13;
export const TCP_USER_TIMEOUT = 18;
export const TCP_FASTOPEN = 23;
export const TCP_NOTSENT_LOWAT = 25;

export const IP_TOS = 1;
export const IP_TTL = 2;
export const IP_HDRINCL = 3;
export const IP_OPTIONS = 4;
export const IP_RECVOPTS = 6;
export const IP_PKTINFO = 8;
export const IP_MTU_DISCOVER = 10;
export const IP_RECVERR = 11;
export const IP_RECVTTL = 12;
export const IP_RECVTOS = 13;
export const IP_MTU = 14;
export const IP_FREEBIND = 15;
export const IP_MULTICAST_IF = 32;
export const IP_MULTICAST_TTL = 33;
export const IP_MULTICAST_LOOP = 34;
export const IP_ADD_MEMBERSHIP = 35;
export const IP_DROP_MEMBERSHIP = 36;

export const IPV6_UNICAST_HOPS = 16;
export const IPV6_MULTICAST_IF = 17;
export const IPV6_MULTICAST_HOPS = 18;
export const IPV6_MULTICAST_LOOP = 19;
export const IPV6_V6ONLY = 26;
export const IPV6_RECVPKTINFO = 49;
export const IPV6_TCLASS = 67;

/** poll bits (asm-generic/poll.h). */
export const POLLIN = 0x1;
export const POLLPRI = 0x2;
export const POLLOUT = 0x4;
export const POLLERR = 0x8;
export const POLLHUP = 0x10;
export const POLLRDNORM = 0x40;
export const POLLRDBAND = 0x80;
export const POLLWRNORM = 0x100;
export const POLLWRBAND = 0x200;
export const POLLRDHUP = 0x2000;

/** ioctls (asm-generic/ioctls.h, linux/sockios.h) */
export const SIOCINQ = 0x541b;
export const SIOCOUTQ = 0x5411;
export const SIOCATMARK = 0x8905;
export const SIOCGSTAMP_OLD = 0x8906;

/** struct sockaddr_un: sun_family then 108 bytes of path. */
export const SUN_PATH_OFFSET = 2;
export const UNIX_PATH_MAX = 108;
/** sizeof(struct sockaddr_storage): the most any address takes. */
export const SOCKADDR_STORAGE_SIZE = 128;

/** net.core.{w,r}mem_default/_max and net.unix.max_dgram_qlen as a Debian system has them. */
export const SYSCTL_WMEM_DEFAULT = 212992;
export const SYSCTL_RMEM_DEFAULT = 212992;
export const SYSCTL_WMEM_MAX = 212992;
export const SYSCTL_RMEM_MAX = 212992;
export const SYSCTL_MAX_DGRAM_QLEN = 10;
/** net.core.somaxconn */
export const SOMAXCONN = 4096;
/** net.ipv4.tcp_wmem[1] / tcp_rmem[1]: a TCP socket's initial SO_SNDBUF / SO_RCVBUF. */
export const TCP_WMEM_DEFAULT = 16384;
export const TCP_RMEM_DEFAULT = 131072;
/**
 * SOCK_MIN_SNDBUF / SOCK_MIN_RCVBUF on a 64-bit kernel: 2 × and 1 × TCP_SKB_MIN_TRUESIZE
 * (2048 + the cache-aligned sizeof(struct sk_buff)).
 */
export const SOCK_MIN_SNDBUF = 4608;
export const SOCK_MIN_RCVBUF = 2304;
