/**
 * The futex ABI (include/uapi/linux/futex.h): operation numbers and flags of futex(2), the bits of
 * a PI/robust futex word, FUTEX_WAKE_OP's encoded operation and the futex2 flags of futex_waitv.
 * Linux's names and values.
 */

export const FUTEX_WAIT = 0;
export const FUTEX_WAKE = 1;
export const FUTEX_FD = 2;
export const FUTEX_REQUEUE = 3;
export const FUTEX_CMP_REQUEUE = 4;
export const FUTEX_WAKE_OP = 5;
export const FUTEX_LOCK_PI = 6;
export const FUTEX_UNLOCK_PI = 7;
export const FUTEX_TRYLOCK_PI = 8;
export const FUTEX_WAIT_BITSET = 9;
export const FUTEX_WAKE_BITSET = 10;
export const FUTEX_WAIT_REQUEUE_PI = 11;
export const FUTEX_CMP_REQUEUE_PI = 12;
export const FUTEX_LOCK_PI2 = 13;

export const FUTEX_PRIVATE_FLAG = 128;
export const FUTEX_CLOCK_REALTIME = 256;
export const FUTEX_CMD_MASK = ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);

/** The word of a PI or robust futex: owner TID in the low 30 bits, two state bits above. */
export const FUTEX_WAITERS = 0x80000000;
export const FUTEX_OWNER_DIED = 0x40000000;
export const FUTEX_TID_MASK = 0x3fffffff;

/** val3 of WAIT_BITSET/WAKE_BITSET that matches every waiter (plain WAIT/WAKE use it). */
export const FUTEX_BITSET_MATCH_ANY = 0xffffffff;

/** How many robust-list entries the exit walk visits at most (circular or hostile lists). */
export const ROBUST_LIST_LIMIT = 2048;

/** FUTEX_WAKE_OP: op = (encoded >> 28) & 7, cmp = (encoded >> 24) & 15, 12-bit signed oparg and cmparg. */
export const FUTEX_OP_SET = 0;
export const FUTEX_OP_ADD = 1;
export const FUTEX_OP_OR = 2;
export const FUTEX_OP_ANDN = 3;
export const FUTEX_OP_XOR = 4;
/** Added to op: oparg is a shift count, the operand is 1 << oparg. */
export const FUTEX_OP_OPARG_SHIFT = 8;

export const FUTEX_OP_CMP_EQ = 0;
export const FUTEX_OP_CMP_NE = 1;
export const FUTEX_OP_CMP_LT = 2;
export const FUTEX_OP_CMP_LE = 3;
export const FUTEX_OP_CMP_GT = 4;
export const FUTEX_OP_CMP_GE = 5;

/** FUTEX_OP(op, oparg, cmp, cmparg) as the uapi macro builds it. */
export function futexOp(op: number, oparg: number, cmp: number, cmparg: number): number {
  return (((op & 0xf) << 28) | ((cmp & 0xf) << 24) | ((oparg & 0xfff) << 12) | (cmparg & 0xfff)) >>> 0;
}

/** futex2 flags of one struct futex_waitv entry: the size (only 32 bits is implemented) and private. */
export const FUTEX2_SIZE_U8 = 0x00;
export const FUTEX2_SIZE_U16 = 0x01;
export const FUTEX2_SIZE_U32 = 0x02;
export const FUTEX2_SIZE_U64 = 0x03;
export const FUTEX2_SIZE_MASK = 0x03;
export const FUTEX2_PRIVATE = FUTEX_PRIVATE_FLAG;
/** Most entries one futex_waitv call takes. */
export const FUTEX_WAITV_MAX = 128;
