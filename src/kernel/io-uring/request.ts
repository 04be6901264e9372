/**
 * One submitted request (Linux's struct io_kiocb): its SQE as read at submission (so the process
 * may reuse the slot at once: IORING_FEAT_SUBMIT_STABLE), where it stands, and the link chain it
 * belongs to.
 */
import type { OpenFile } from '../fs/open-file.js';
import { SQE } from './layouts.js';
import type { ProvidedBuffer } from './ops-buffers.js';

/** The fields of an SQE, read once. 64-bit members are numbers (addresses and offsets fit). */
export interface Sqe {
  readonly opcode: number;
  readonly flags: number;
  readonly ioprio: number;
  readonly fd: number;
  /** off / addr2: signed, so -1 (use the file position) stays -1. */
  readonly off: number;
  readonly addr: number;
  /** addr and off as exact 64-bit values: the user_data POLL_REMOVE, TIMEOUT_REMOVE and ASYNC_CANCEL name. */
  readonly addrKey: bigint;
  readonly offKey: bigint;
  readonly len: number;
  readonly opFlags: number;
  /** user_data as the 8 bytes it was, for the CQE, and as a value for cancel lookups. */
  readonly userData: Uint8Array;
  readonly userKey: bigint;
  readonly bufIndex: number;
  readonly personality: number;
  readonly fileIndex: number;
  readonly addr3: number;
}

const F = SQE.fields;

export function parseSqe(b: Uint8Array): Sqe {
  const d = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const u64 = (off: number) => d.getUint32(off + 4, true) * 4294967296 + d.getUint32(off, true);
  const at = (name: keyof typeof F) => F[name]!.offset;
  const userData = b.slice(at('user_data'), at('user_data') + 8);
  return {
    opcode: d.getUint8(at('opcode')),
    flags: d.getUint8(at('flags')),
    ioprio: d.getUint16(at('ioprio'), true),
    fd: d.getInt32(at('fd'), true),
    off: Number(d.getBigInt64(at('off'), true)),
    addr: u64(at('addr')),
    addrKey: d.getBigUint64(at('addr'), true),
    offKey: d.getBigUint64(at('off'), true),
    len: d.getUint32(at('len'), true),
    opFlags: d.getUint32(at('op_flags'), true),
    userData,
    userKey: d.getBigUint64(at('user_data'), true),
    bufIndex: d.getUint16(at('buf_index'), true),
    personality: d.getUint16(at('personality'), true),
    fileIndex: d.getInt32(at('file_index'), true),
    addr3: u64(at('addr3')),
  };
}

/** What a pending request's owner does to end it early (cancel, poll remove, timeout remove, link timeout). */
export type Canceller = (res: number) => void;

export class Request {
  /** Order of submission: IOSQE_IO_DRAIN waits for every request with a smaller one. */
  readonly seq: number;
  /** The file the SQE names (fd or fixed slot), resolved at submission for ops that need one. */
  file: OpenFile | undefined;
  /** The next request of the link chain (IOSQE_IO_LINK / IO_HARDLINK). */
  link: Request | undefined;
  /** Set while the request waits for something and can be ended by cancel(res). */
  cancel: Canceller | undefined;
  /** Kind of wait, for POLL_REMOVE and TIMEOUT_REMOVE, which only find their own kind. */
  waitKind: 'poll' | 'timeout' | 'io' | undefined;
  /** A request whose failure was decided at submission: it completes with this without running. */
  failWith: number | undefined;
  /** The result that counts as success for the link chain (a short read or write fails it). */
  expect: number | undefined;
  /** Whether a result lets the chain go on, when it is not simply res >= 0 (IORING_TIMEOUT_ETIME_SUCCESS). */
  success: ((res: number) => boolean) | undefined;
  /** A timeout whose time ran out: its CQE counts in cq_timeouts, not as a completion. */
  timeoutFired = false;
  /** user_data as the CQEs carry it (POLL_REMOVE with IORING_POLL_UPDATE_USER_DATA may change it). */
  userData: Uint8Array;
  userKey: bigint;
  /** A pending POLL_ADD's re-arm with new events (POLL_REMOVE with IORING_POLL_UPDATE_EVENTS). */
  pollRearm: ((events: number, multi: boolean) => void) | undefined;
  /** A pending TIMEOUT's or armed LINK_TIMEOUT's new delay (TIMEOUT_REMOVE with IORING_TIMEOUT_UPDATE). */
  timerRearm: ((delayMs: number) => void) | undefined;
  /** cqe->flags of the final CQE (IORING_CQE_F_BUFFER and the buffer id of a selected buffer). */
  cqeFlags = 0;
  /** The provided buffer a BUFFER_SELECT request took. */
  selectedBuffer: ProvidedBuffer | undefined;
  /** A TIMEOUT's or LINK_TIMEOUT's delay, read when it was submitted. */
  delayMs: number | undefined;
  /** CONNECT's address, copied in when it was submitted. */
  address: Uint8Array | undefined;
  /** A member of a chain headed by an IOSQE_IO_DRAIN request: later requests wait for it. */
  inDrain = false;
  issued = false;
  done = false;
  /** IORING_OP_LINK_TIMEOUT's disarm: the request it guards finished first. */
  disarm: (() => void) | undefined;

  constructor(
    readonly sqe: Sqe,
    seq: number,
  ) {
    this.seq = seq;
    this.userData = sqe.userData;
    this.userKey = sqe.userKey;
    this.pollRearm = undefined;
    this.timerRearm = undefined;
    this.selectedBuffer = undefined;
    this.file = undefined;
    this.link = undefined;
    this.cancel = undefined;
    this.waitKind = undefined;
    this.failWith = undefined;
    this.expect = undefined;
    this.success = undefined;
    this.delayMs = undefined;
    this.address = undefined;
  }
}
