/**
 * Data processing (2 source): UDIV, SDIV, LSLV, LSRV, ASRV, RORV, CRC32*, CRC32C*.
 * Handlers only; their rows are in dp-reg.ts. Division by zero gives 0 (no trap on AArch64),
 * and the most negative value divided by -1 gives itself.
 */
import { asr64, lsl64, lsr64, R64, ror64 } from './alu64.js';
import type { Cpu } from './cpu.js';
import { CRC32_TABLE, CRC32C_TABLE } from './crc32-tables.js';
import { udiv64 } from './mul-div64.js';
import { rz, wz } from './registers.js';

/** UDIV, 32-bit. */
export function UDIV_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const m = x[rz((insn >>> 16) & 31)]! >>> 0;
  const d = wz(insn & 31);
  x[d] = m === 0 ? 0 : Math.floor((x[rz((insn >>> 5) & 31)]! >>> 0) / m) | 0;
  x[d + 1] = 0;
}

/** SDIV, 32-bit: truncates toward zero; INT_MIN / -1 wraps to INT_MIN through | 0. */
export function SDIV_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const m = x[rz((insn >>> 16) & 31)]!;
  const d = wz(insn & 31);
  x[d] = m === 0 ? 0 : Math.trunc(x[rz((insn >>> 5) & 31)]! / m) | 0;
  x[d + 1] = 0;
}

/** UDIV, 64-bit. */
export function UDIV_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  const m = rz((insn >>> 16) & 31);
  const d = wz(insn & 31);
  const mlo = x[m]!;
  const mhi = x[m + 1]!;
  if ((mlo | mhi) === 0) {
    x[d] = 0;
    x[d + 1] = 0;
    return;
  }
  udiv64(x[n]!, x[n + 1]!, mlo, mhi);
  x[d] = R64[0]!;
  x[d + 1] = R64[1]!;
}

/** SDIV, 64-bit: divides magnitudes, then negates when the signs differ. */
export function SDIV_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  const m = rz((insn >>> 16) & 31);
  const d = wz(insn & 31);
  let mlo = x[m]!;
  let mhi = x[m + 1]!;
  if ((mlo | mhi) === 0) {
    x[d] = 0;
    x[d + 1] = 0;
    return;
  }
  let nlo = x[n]!;
  let nhi = x[n + 1]!;
  const negative = (nhi ^ mhi) < 0;
  if (nhi < 0) {
    nhi = (~nhi + (nlo === 0 ? 1 : 0)) | 0;
    nlo = -nlo | 0;
  }
  if (mhi < 0) {
    mhi = (~mhi + (mlo === 0 ? 1 : 0)) | 0;
    mlo = -mlo | 0;
  }
  // |INT64_MIN| is 2^63, which udiv64 reads correctly as unsigned.
  udiv64(nlo, nhi, mlo, mhi);
  let qlo = R64[0]!;
  let qhi = R64[1]!;
  if (negative) {
    qhi = (~qhi + (qlo === 0 ? 1 : 0)) | 0;
    qlo = -qlo | 0;
  }
  x[d] = qlo;
  x[d + 1] = qhi;
}

/** LSLV, 32-bit: the amount is Wm mod 32 (JS shifts mask to 5 bits the same way). */
export function LSLV_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  x[d] = x[rz((insn >>> 5) & 31)]! << x[rz((insn >>> 16) & 31)]!;
  x[d + 1] = 0;
}

/** LSRV, 32-bit. */
export function LSRV_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  x[d] = x[rz((insn >>> 5) & 31)]! >>> x[rz((insn >>> 16) & 31)]!;
  x[d + 1] = 0;
}

/** ASRV, 32-bit. */
export function ASRV_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const d = wz(insn & 31);
  x[d] = x[rz((insn >>> 5) & 31)]! >> x[rz((insn >>> 16) & 31)]!;
  x[d + 1] = 0;
}

/** RORV, 32-bit. */
export function RORV_w(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const v = x[rz((insn >>> 5) & 31)]!;
  const s = x[rz((insn >>> 16) & 31)]! & 31;
  const d = wz(insn & 31);
  x[d] = (v >>> s) | (v << (32 - s));
  x[d + 1] = 0;
}

/** LSLV, 64-bit: the amount is Xm mod 64. */
export function LSLV_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  lsl64(x[n]!, x[n + 1]!, x[rz((insn >>> 16) & 31)]! & 63);
  const d = wz(insn & 31);
  x[d] = R64[0]!;
  x[d + 1] = R64[1]!;
}

/** LSRV, 64-bit. */
export function LSRV_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  lsr64(x[n]!, x[n + 1]!, x[rz((insn >>> 16) & 31)]! & 63);
  const d = wz(insn & 31);
  x[d] = R64[0]!;
  x[d + 1] = R64[1]!;
}

/** ASRV, 64-bit. */
export function ASRV_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  asr64(x[n]!, x[n + 1]!, x[rz((insn >>> 16) & 31)]! & 63);
  const d = wz(insn & 31);
  x[d] = R64[0]!;
  x[d + 1] = R64[1]!;
}

/** RORV, 64-bit. */
export function RORV_x(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const n = rz((insn >>> 5) & 31);
  ror64(x[n]!, x[n + 1]!, x[rz((insn >>> 16) & 31)]! & 63);
  const d = wz(insn & 31);
  x[d] = R64[0]!;
  x[d + 1] = R64[1]!;
}

/** Feeds the low `bytes` bytes of (hi:lo), least significant first, into the reflected CRC acc. */
function crcUpdate(t: Int32Array, acc: number, lo: number, hi: number, bytes: number): number {
  let c = acc;
  const n = Math.min(bytes, 4);
  for (let i = 0; i < n; i++) c = (c >>> 8) ^ t[(c ^ (lo >>> (8 * i))) & 0xff]!;
  for (let i = 4; i < bytes; i++) c = (c >>> 8) ^ t[(c ^ (hi >>> (8 * (i - 4)))) & 0xff]!;
  return c;
}

/** CRC32B/H/W/X: sz (bits 11:10) gives 1, 2, 4 or 8 bytes of Rm (the rows pair sz = 3 with sf = 1). */
export function CRC32(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const m = rz((insn >>> 16) & 31);
  const d = wz(insn & 31);
  x[d] = crcUpdate(CRC32_TABLE, x[rz((insn >>> 5) & 31)]!, x[m]!, x[m + 1]!, 1 << ((insn >>> 10) & 3));
  x[d + 1] = 0;
}

/** CRC32CB/H/W/X (Castagnoli polynomial). */
export function CRC32C(cpu: Cpu, insn: number): void {
  const x = cpu.x;
  const m = rz((insn >>> 16) & 31);
  const d = wz(insn & 31);
  x[d] = crcUpdate(CRC32C_TABLE, x[rz((insn >>> 5) & 31)]!, x[m]!, x[m + 1]!, 1 << ((insn >>> 10) & 3));
  x[d + 1] = 0;
}
