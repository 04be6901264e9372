/*
 * The differential tester's fixed guest layout and record format, shared by the guest harness and
 * test/diff/layout.ts (keep both in step). Everything is little-endian.
 */
#ifndef DIFF_LAYOUT_H
#define DIFF_LAYOUT_H

/* The instruction sequence runs from CODE_ADDR (one page, RWX in the harness); loads and stores go to
 * the sandbox at SANDBOX_ADDR. Both addresses are the same under compat64, so pc-relative results
 * (ADR, BL's link, literal loads) and data addresses agree. CODE_ADDR is within B range of the harness. */
#define CODE_ADDR 0x4000000
#define CODE_SIZE 4096
#define SANDBOX_ADDR 0x5000000
#define SANDBOX_SIZE 8192

/* Input: header, state, sandbox (sandbox_len bytes: 0 or SANDBOX_SIZE), code (ninsn words).
 * Output: result header, state, sandbox (same length). */
#define CASE_MAGIC 0x64696666u /* "diff" */
#define HEADER_SIZE 16
#define STATE_SIZE 800
#define RESULT_SIZE 32

/* State offsets: x0..x30, sp, nzcv (bits 31:28), fpcr, fpsr, tpidr_el0, v0..v31. */
#define ST_X 0
#define ST_SP 248
#define ST_NZCV 256
#define ST_FPCR 264
#define ST_FPSR 272
#define ST_TPIDR 280
#define ST_V 288

#endif
