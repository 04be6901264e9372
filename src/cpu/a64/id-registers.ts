/**
 * What compat64's CPU says about itself to user code: the ID registers Linux lets EL0 read (by
 * emulating MRS in the feature-ID space, arch/arm64/kernel/cpufeature.c), the cache-type and
 * DC ZVA registers EL0 reads directly, and the matching AT_HWCAP/AT_HWCAP2 bits for the auxv.
 *
 * The model is a Cortex-A72 r0p3 with the Cryptography Extension: ARMv8.0-A with FP, Advanced
 * SIMD, CRC32, AES/PMULL and SHA-1/SHA-256 (crypto.ts), plus the ARMv8.1 LSE atomics
 * (ldst-atomic.ts), and nothing else (docs/cpu.md lists what is left out and why). Values are those
 * Linux shows to EL0 on such a CPU (hidden fields read as their safe values, e.g. EL0/EL1 =
 * "AArch64 only", DebugVer = 6, TGran4/TGran64 = "not implemented"), cross-checked with
 * `QEMU_CPU=cortex-a72 qemu-aarch64`, plus the Atomic field qemu's A72 lacks.
 * When an instruction set extension is implemented, its ID field and HWCAP bit change here together.
 */

/** AT_HWCAP bits, from Linux's arch/arm64/include/uapi/asm/hwcap.h. */
export const HWCAP_FP = 1 << 0;
export const HWCAP_ASIMD = 1 << 1;
export const HWCAP_AES = 1 << 3;
export const HWCAP_PMULL = 1 << 4;
export const HWCAP_SHA1 = 1 << 5;
export const HWCAP_SHA2 = 1 << 6;
export const HWCAP_CRC32 = 1 << 7;
export const HWCAP_ATOMICS = 1 << 8;
export const HWCAP_CPUID = 1 << 11;

/**
 * AT_HWCAP for the auxv: FP, ASIMD, AES, PMULL, SHA1, SHA2 (crypto.ts), CRC32, ATOMICS (LSE,
 * ldst-atomic.ts), CPUID (MRS emulation of the ID registers below).
 */
export const ADVERTISED_HWCAP =
  HWCAP_FP |
  HWCAP_ASIMD |
  HWCAP_AES |
  HWCAP_PMULL |
  HWCAP_SHA1 |
  HWCAP_SHA2 |
  HWCAP_CRC32 |
  HWCAP_ATOMICS |
  HWCAP_CPUID;
/** AT_HWCAP2: no ARMv8.1+ extension is advertised. */
export const ADVERTISED_HWCAP2 = 0;

/** A system register's encoding as in MRS/MSR bits 20:5: op0(2) op1(3) CRn(4) CRm(4) op2(3). */
export function sysreg(op0: number, op1: number, crn: number, crm: number, op2: number): number {
  return (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
}

export interface IdRegister {
  readonly name: string;
  readonly key: number;
  /** The 64-bit value; every value here is below 2^32. */
  readonly value: number;
}

/**
 * The ID registers with a non-zero value, or named by Linux's emulation. Any other register of the
 * AArch64 feature-ID space (op0=3, op1=0, CRn=0, CRm=2..7) reads as 0, as Linux emulates it.
 */
export const ID_REGISTERS: readonly IdRegister[] = [
  // Implementer 0x41 (Arm), variant 0, architecture 0xf, part 0xd08 (Cortex-A72), revision 3.
  { name: 'MIDR_EL1', key: sysreg(3, 0, 0, 0, 0), value: 0x410fd083 },
  // Linux reports the same safe value on every CPU: bit 31 (RES1) only.
  { name: 'MPIDR_EL1', key: sysreg(3, 0, 0, 0, 5), value: 0x80000000 },
  { name: 'REVIDR_EL1', key: sysreg(3, 0, 0, 0, 6), value: 0 },
  // EL0 = EL1 = 1 (AArch64 only); FP = AdvSIMD = 0 (implemented, no FP16).
  { name: 'ID_AA64PFR0_EL1', key: sysreg(3, 0, 0, 4, 0), value: 0x00000011 },
  { name: 'ID_AA64PFR1_EL1', key: sysreg(3, 0, 0, 4, 1), value: 0 },
  { name: 'ID_AA64ZFR0_EL1', key: sysreg(3, 0, 0, 4, 4), value: 0 },
  // DebugVer = 6 (ARMv8 debug), Linux's fixed value for EL0.
  { name: 'ID_AA64DFR0_EL1', key: sysreg(3, 0, 0, 5, 0), value: 0x00000006 },
  { name: 'ID_AA64DFR1_EL1', key: sysreg(3, 0, 0, 5, 1), value: 0 },
  // AES = 2 (bits 7:4: AES and PMULL), SHA1 = 1 (11:8), SHA2 = 1 (15:12: SHA-256), CRC32 = 1 (19:16),
  // Atomic = 2 (23:20: LSE); no RDM, SHA3, SM3/SM4, DotProd, FHM, TS, TLB, RNDR.
  { name: 'ID_AA64ISAR0_EL1', key: sysreg(3, 0, 0, 6, 0), value: 0x00211120 },
  { name: 'ID_AA64ISAR1_EL1', key: sysreg(3, 0, 0, 6, 1), value: 0 },
  // TGran4 = TGran64 = 0xf: Linux shows hidden fields at their safe value "not implemented".
  { name: 'ID_AA64MMFR0_EL1', key: sysreg(3, 0, 0, 7, 0), value: 0xff000000 },
  { name: 'ID_AA64MMFR1_EL1', key: sysreg(3, 0, 0, 7, 1), value: 0 },
  { name: 'ID_AA64MMFR2_EL1', key: sysreg(3, 0, 0, 7, 2), value: 0 },
];

/**
 * CTR_EL0 as Cortex-A72 reports it (EL0 reads it directly; Linux's sanitised value is the same on a
 * homogeneous system): RES1 bit 31, CWG = ERG = 4 (64 bytes), DminLine = IminLine = 4 (64-byte
 * lines), L1Ip = 0b11 (PIPT).
 */
export const CTR_EL0_VALUE = 0x8444c004;
/** DCZID_EL0: BS = 4 (DC ZVA zeroes 64 bytes), DZP = 0 (permitted). */
export const DCZID_EL0_VALUE = 4;
export const DC_ZVA_BYTES = 64;

const byKey = new Map<number, number>(ID_REGISTERS.map((r) => [r.key, r.value]));

/**
 * The value EL0 reads from the ID register with this key, or -1 when Linux would not emulate the
 * MRS (SIGILL): only MIDR/MPIDR/REVIDR in CRm=0, and CRm=2..7 of op0=3, op1=0, CRn=0.
 */
export function idRegisterRead(key: number): number {
  if (key >>> 7 !== sysreg(3, 0, 0, 0, 0) >>> 7) return -1;
  const crm = (key >>> 3) & 15;
  const v = byKey.get(key);
  if (crm === 0) return v === undefined ? -1 : v;
  if (crm === 1 || crm > 7) return -1;
  return v === undefined ? 0 : v;
}
