import * as S from '../abi/signal.js';

export type DefaultAction = 'term' | 'core' | 'ignore' | 'stop' | 'cont';

/** The default action of each signal (signal(7)). */
export function defaultAction(sig: number): DefaultAction {
  switch (sig) {
    case S.SIGCHLD:
    case S.SIGURG:
    case S.SIGWINCH:
      return 'ignore';
    case S.SIGCONT:
      return 'cont';
    case S.SIGSTOP:
    case S.SIGTSTP:
    case S.SIGTTIN:
    case S.SIGTTOU:
      return 'stop';
    case S.SIGQUIT:
    case S.SIGILL:
    case S.SIGTRAP:
    case S.SIGABRT:
    case S.SIGBUS:
    case S.SIGFPE:
    case S.SIGSEGV:
    case S.SIGXCPU:
    case S.SIGXFSZ:
    case S.SIGSYS:
      return 'core';
    default:
      return 'term';
  }
}
