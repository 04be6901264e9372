/**
 * A tracee stopped for its tracer with the link set by hand (no ptrace core), and data requests
 * called as the dispatcher (ptrace-request.ts) would after its attach and stop checks.
 */
import type { PtraceCall } from '../../../../src/kernel/security/ptrace/ptrace-call.js';
import { DATA_REQUESTS } from '../../../../src/kernel/security/ptrace/ptrace-data.js';
import { type PtraceLink, PtraceStop } from '../../../../src/kernel/security/ptrace/ptrace-state.js';
import type { SigInfo } from '../../../../src/kernel/task/siginfo.js';
import { type Pair, setX } from './fixture.js';

/** Makes tracee traced by tracer and stopped for `stop` with `siginfo`. */
export function attach(p: Pair, stop: PtraceStop, siginfo?: SigInfo, eventMsg = 0): PtraceLink {
  const link = {
    tracer: p.tracer,
    seized: false,
    options: 0,
    stop,
    eventMsg,
    siginfo,
  } as PtraceLink;
  p.tracee.ptrace = link;
  return link;
}

/** Calls a data request as the dispatcher would; x3 of the tracer is set to data (as the syscall left it). */
export function request(
  p: Pair,
  request: number,
  addr: number,
  data: number,
  compat = false,
  x3?: [lo: number, hi: number],
): number {
  const h = DATA_REQUESTS.get(request);
  if (h === undefined) throw new Error(`no handler for request ${request}`);
  setX(p.tracer, 3, data);
  if (x3 !== undefined) [p.tracer.cpu.x[6], p.tracer.cpu.x[7]] = x3;
  const call: PtraceCall = {
    kernel: p.kernel,
    tracer: p.tracer,
    tracee: p.tracee,
    request,
    addr,
    data,
    compat,
    mem: p.tracer.mm.as,
  };
  return h(call);
}

export { PtraceStop };
