// Runs one instruction word on a register state (see oracle.c): x0 = state pointer.
// State: +0 fpcr, +4 nzcv, +8 fpsr in, +16 x0..x3, +48 q0..q3, +112 fpsr out, +116 nzcv out.
// The instruction may use general and vector registers 0..3 only; x9/x10 are the harness's.
    .text
    .global tramp_start, tramp_slot, tramp_end
    .p2align 4
tramp_start:
    mov x9, x0
    ldr w10, [x9, #0]
    msr fpcr, x10
    ldr w10, [x9, #8]
    msr fpsr, x10
    ldr w10, [x9, #4]
    msr nzcv, x10
    ldp q0, q1, [x9, #48]
    ldp q2, q3, [x9, #80]
    ldp x0, x1, [x9, #16]
    ldp x2, x3, [x9, #32]
tramp_slot:
    nop
    stp x0, x1, [x9, #16]
    stp x2, x3, [x9, #32]
    stp q0, q1, [x9, #48]
    stp q2, q3, [x9, #80]
    mrs x10, fpsr
    str w10, [x9, #112]
    mrs x10, nzcv
    str w10, [x9, #116]
    msr fpcr, xzr
    ret
tramp_end:
