exec(open('cases/common.py').read())
ALL = ['8b', '16b', '4h', '8h', '2s', '4s']
ALLD = ALL + ['2d']
def ops(names, arrs, scal=None):
    for op in names:
        for t in arrs:
            both('%s v0.%s, v1.%s, v2.%s' % (op, t, t, t), ['v0'])
        for r in (scal or []):
            both('%s %s0, %s1, %s2' % (op, r, r, r), ['v0'])
ops(['add', 'sub'], ALLD, ['d'])
ops(['mul', 'mla', 'mls'], ALL)
ops(['pmul'], ['8b', '16b'])
ops(['shadd', 'uhadd', 'srhadd', 'urhadd', 'shsub', 'uhsub'], ALL)
ops(['sqadd', 'uqadd', 'sqsub', 'uqsub'], ALLD, ['b', 'h', 's', 'd'])
ops(['smax', 'umax', 'smin', 'umin', 'sabd', 'uabd', 'saba', 'uaba'], ALL)
ops(['smaxp', 'umaxp', 'sminp', 'uminp'], ALL)
ops(['addp'], ALLD)
ops(['sqdmulh', 'sqrdmulh'], ['4h', '8h', '2s', '4s'], ['h', 's'])
for op in ['and', 'bic', 'orr', 'orn', 'eor', 'bsl', 'bit', 'bif']:
    both('%s v0.16b, v1.16b, v2.16b' % op, ['v0'])
    both('%s v0.8b, v1.8b, v2.8b' % op, ['v0'])
ops(['cmeq', 'cmgt', 'cmge', 'cmhi', 'cmhs', 'cmtst'], ALLD, ['d'])
for op in ['cmeq', 'cmgt', 'cmge', 'cmle', 'cmlt']:
    for t in ALLD:
        both('%s v0.%s, v1.%s, #0' % (op, t, t), ['v0'])
    both('%s d0, d1, #0' % op, ['v0'])
    c('%s v0.4s, v1.4s, #0' % op, ['v0'], v={1: '0000000001000000ffffffff00000080'})
    c('%s d0, d1, #0' % op, ['v0'], v={1: '00000000000000000000000000000000'})
c('cmeq v0.16b, v1.16b, v1.16b', ['v0'])
c('orr v3.16b, v1.16b, v1.16b\nmov v4.16b, v2.16b\nmvn v5.16b, v1.16b\nmvn v6.8b, v2.8b', ['v3', 'v4', 'v5', 'v6'])
# shifts by register: m lanes hold shift counts
SH = '01ff0408f8f91f20e0c080407f7e8102'
SH16 = '0100ffff0f001000f0ffefff20000300'
SH32 = '01000000f9ffffff20000000e1000000'
SH64 = '0300000000000000c1ffffffffffffff'
for op in ['sshl', 'ushl', 'srshl', 'urshl', 'sqshl', 'uqshl', 'sqrshl', 'uqrshl']:
    for t in ALLD:
        both('%s v0.%s, v1.%s, v2.%s' % (op, t, t, t), ['v0', 'qc'])
    for sh in [SH, SH16, SH32, SH64]:
        for t in ['16b', '8h', '4s', '2d']:
            c('%s v0.%s, v1.%s, v2.%s' % (op, t, t, t), ['v0', 'qc'], v={2: sh})
            c('%s v0.%s, v1.%s, v2.%s' % (op, t, t, t), ['v0', 'qc'], v={1: E1, 2: sh})
    c('%s d0, d1, d2' % op, ['v0', 'qc'], v={2: SH64})
    c('%s d0, d1, d2' % op, ['v0', 'qc'], v={1: E1, 2: '40000000000000003f00000000000000'})
    c('%s d0, d1, d2' % op, ['v0', 'qc'], v={1: E2, 2: 'c0000000000000003f00000000000000'})
    if op.startswith(('sq', 'uq')):
        for r in 'bhs':
            c('%s %s0, %s1, %s2' % (op, r, r, r), ['v0', 'qc'], v={2: SH})
            c('%s %s0, %s1, %s2' % (op, r, r, r), ['v0', 'qc'], v={1: E1, 2: SH32})
