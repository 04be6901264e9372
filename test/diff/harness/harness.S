// Entry, case entry and resume points of the differential tester's guest harness (see harness.c).
#include "layout.h"

    .text
    .global _start
_start:
    mov x29, #0
    bl harness_main
    brk #1

// enter_case(x0 = state): saves the harness's callee-saved registers and SP, loads the whole
// architectural state of the case and branches to the sequence at CODE_ADDR.
    .global enter_case
enter_case:
    adrp x9, saved
    add x9, x9, :lo12:saved
    stp x19, x20, [x9, #0]
    stp x21, x22, [x9, #16]
    stp x23, x24, [x9, #32]
    stp x25, x26, [x9, #48]
    stp x27, x28, [x9, #64]
    stp x29, x30, [x9, #80]
    mov x10, sp
    adrp x11, harness_sp
    str x10, [x11, :lo12:harness_sp]
    mov x30, x0
    ldr x1, [x30, #ST_FPCR]
    msr fpcr, x1
    ldr x1, [x30, #ST_FPSR]
    msr fpsr, x1
    ldr x1, [x30, #ST_TPIDR]
    msr tpidr_el0, x1
    ldr x1, [x30, #ST_NZCV]
    msr nzcv, x1
    ldr x1, [x30, #ST_SP]
    mov sp, x1
    add x1, x30, #ST_V
    ld1 {v0.16b-v3.16b}, [x1], #64
    ld1 {v4.16b-v7.16b}, [x1], #64
    ld1 {v8.16b-v11.16b}, [x1], #64
    ld1 {v12.16b-v15.16b}, [x1], #64
    ld1 {v16.16b-v19.16b}, [x1], #64
    ld1 {v20.16b-v23.16b}, [x1], #64
    ld1 {v24.16b-v27.16b}, [x1], #64
    ld1 {v28.16b-v31.16b}, [x1], #64
    clrex
    ldp x0, x1, [x30, #0]
    ldp x2, x3, [x30, #16]
    ldp x4, x5, [x30, #32]
    ldp x6, x7, [x30, #48]
    ldp x8, x9, [x30, #64]
    ldp x10, x11, [x30, #80]
    ldp x12, x13, [x30, #96]
    ldp x14, x15, [x30, #112]
    ldp x16, x17, [x30, #128]
    ldp x18, x19, [x30, #144]
    ldp x20, x21, [x30, #160]
    ldp x22, x23, [x30, #176]
    ldp x24, x25, [x30, #192]
    ldp x26, x27, [x30, #208]
    ldp x28, x29, [x30, #224]
    ldr x30, [x30, #240]
    b diff_code // CODE_ADDR, defined at link time (--defsym) so the linker computes the offset

// The signal handler returns here (via rt_sigreturn) with SP = harness_sp: restore and return from
// enter_case to its caller.
    .global resume_case
resume_case:
    msr fpcr, xzr
    adrp x9, saved
    add x9, x9, :lo12:saved
    ldp x19, x20, [x9, #0]
    ldp x21, x22, [x9, #16]
    ldp x23, x24, [x9, #32]
    ldp x25, x26, [x9, #48]
    ldp x27, x28, [x9, #64]
    ldp x29, x30, [x9, #80]
    ret

    .global sigreturn_trampoline
sigreturn_trampoline:
    mov x8, #139
    svc #0

    .data
    .balign 16
saved: .skip 96
    .global harness_sp
harness_sp: .quad 0
