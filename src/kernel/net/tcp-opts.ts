/**
 * IPPROTO_TCP options (net/ipv4/tcp.c do_tcp_setsockopt / do_tcp_getsockopt) with Linux's defaults
 * and range checks. TCP_NODELAY and the keepalive idle time reach the host connection; the rest are
 * kept so programs read back what they set. TCP_INFO reports the state and zeros.
 */
import { ERRNO } from '../abi/errno.js';
import {
  TCP_CONGESTION,
  TCP_CORK,
  TCP_DEFER_ACCEPT,
  TCP_FASTOPEN,
  TCP_INFO,
  TCP_KEEPCNT,
  TCP_KEEPIDLE,
  TCP_KEEPINTVL,
  TCP_LINGER2,
  TCP_MAXSEG,
  TCP_NODELAY,
  TCP_NOTSENT_LOWAT,
  TCP_QUICKACK,
  TCP_SYNCNT,
  TCP_USER_TIMEOUT,
  TCP_WINDOW_CLAMP,
} from './socket-abi.js';

const EINVAL = -ERRNO.EINVAL;
const ENOPROTOOPT = -ERRNO.ENOPROTOOPT;
const ENOENT = -ERRNO.ENOENT;

/** MAX_TCP_KEEPIDLE, MAX_TCP_KEEPINTVL, MAX_TCP_KEEPCNT, MAX_TCP_SYNCNT, TCP_MIN_MSS, MAX_TCP_WINDOW */
const MAX_KEEPIDLE = 32767;
const MAX_KEEPINTVL = 32767;
const MAX_KEEPCNT = 127;
const MAX_SYNCNT = 127;
const MIN_MSS = 88;
const MAX_WINDOW = 32767;
/** TCP_MSS_DEFAULT before a connection, the loopback MSS after (an MTU of 65536). */
const MSS_DEFAULT = 536;
const MSS_LOOPBACK = 65483;
/** TCP_CA_NAME_MAX */
const CA_NAME_MAX = 16;
/** sizeof(struct tcp_info) in Linux 6.1. */
const TCP_INFO_SIZE = 232;

export class TcpOptions {
  nodelay = false;
  cork = false;
  /** Seconds (net.ipv4.tcp_keepalive_time / _intvl / _probes). */
  keepIdle = 7200;
  keepIntvl = 75;
  keepCnt = 9;
  /** 0: not set (user_mss). */
  maxseg = 0;
  quickack = true;
  deferAccept = 0;
  userTimeout = 0;
  synCnt = 6;
  linger2 = 60;
  windowClamp = 0;
  fastopen = 0;
  notsentLowat = 0;
  congestion = 'cubic';
}

/** The state TCP_INFO reports (enum tcp_state numbers). */
const TCP_STATE: Readonly<Record<string, number>> = {
  established: 1,
  syn_sent: 2,
  close: 7,
  bound: 7,
  listen: 10,
};

export interface TcpInfoView {
  readonly state: string;
  readonly connected: boolean;
}

function intBytes(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, v | 0, true);
  return b;
}

export function tcpSetsockopt(o: TcpOptions, name: number, val: Uint8Array): number {
  if (name === TCP_CONGESTION) {
    const nul = val.indexOf(0);
    const s = new TextDecoder().decode(val.subarray(0, Math.min(nul < 0 ? val.length : nul, CA_NAME_MAX - 1)));
    if (s !== 'cubic' && s !== 'reno') return ENOENT;
    o.congestion = s;
    return 0;
  }
  if (val.length < 4) return EINVAL;
  const v = new DataView(val.buffer, val.byteOffset, 4).getInt32(0, true);
  switch (name) {
    case TCP_NODELAY:
      o.nodelay = v !== 0;
      return 0;
    case TCP_CORK:
      o.cork = v !== 0;
      return 0;
    case TCP_MAXSEG:
      if (v !== 0 && (v < MIN_MSS || v > MAX_WINDOW)) return EINVAL;
      o.maxseg = v;
      return 0;
    case TCP_KEEPIDLE:
      if (v < 1 || v > MAX_KEEPIDLE) return EINVAL;
      o.keepIdle = v;
      return 0;
    case TCP_KEEPINTVL:
      if (v < 1 || v > MAX_KEEPINTVL) return EINVAL;
      o.keepIntvl = v;
      return 0;
    case TCP_KEEPCNT:
      if (v < 1 || v > MAX_KEEPCNT) return EINVAL;
      o.keepCnt = v;
      return 0;
    case TCP_SYNCNT:
      if (v < 1 || v > MAX_SYNCNT) return EINVAL;
      o.synCnt = v;
      return 0;
    case TCP_QUICKACK:
      o.quickack = v !== 0;
      return 0;
    case TCP_DEFER_ACCEPT:
      o.deferAccept = Math.max(0, v);
      return 0;
    case TCP_USER_TIMEOUT:
      if (v < 0) return EINVAL;
      o.userTimeout = v;
      return 0;
    case TCP_LINGER2:
      o.linger2 = v < 0 ? -1 : v;
      return 0;
    case TCP_WINDOW_CLAMP:
      o.windowClamp = v;
      return 0;
    case TCP_FASTOPEN:
      if (v < 0) return EINVAL;
      o.fastopen = v;
      return 0;
    case TCP_NOTSENT_LOWAT:
      o.notsentLowat = v;
      return 0;
    default:
      return ENOPROTOOPT;
  }
}

export function tcpGetsockopt(o: TcpOptions, s: TcpInfoView, name: number, len: number): Uint8Array | number {
  switch (name) {
    case TCP_NODELAY:
      return intBytes(+o.nodelay);
    case TCP_CORK:
      return intBytes(+o.cork);
    case TCP_MAXSEG:
      return intBytes(s.connected ? o.maxseg || MSS_LOOPBACK : o.maxseg || MSS_DEFAULT);
    case TCP_KEEPIDLE:
      return intBytes(o.keepIdle);
    case TCP_KEEPINTVL:
      return intBytes(o.keepIntvl);
    case TCP_KEEPCNT:
      return intBytes(o.keepCnt);
    case TCP_SYNCNT:
      return intBytes(o.synCnt);
    case TCP_QUICKACK:
      return intBytes(+o.quickack);
    case TCP_DEFER_ACCEPT:
      return intBytes(o.deferAccept);
    case TCP_USER_TIMEOUT:
      return intBytes(o.userTimeout);
    case TCP_LINGER2:
      return intBytes(o.linger2);
    case TCP_WINDOW_CLAMP:
      return intBytes(o.windowClamp);
    case TCP_FASTOPEN:
      return intBytes(o.fastopen);
    case TCP_NOTSENT_LOWAT:
      return intBytes(o.notsentLowat);
    case TCP_CONGESTION: {
      const b = new Uint8Array(Math.min(Math.max(len, 0), CA_NAME_MAX));
      b.set(new TextEncoder().encode(o.congestion).subarray(0, b.length));
      return b;
    }
    case TCP_INFO: {
      const b = new Uint8Array(TCP_INFO_SIZE);
      b[0] = TCP_STATE[s.state] ?? 7;
      return b;
    }
    default:
      return ENOPROTOOPT;
  }
}
