exec(open('cases/common.py').read())
ALL = ['8b', '16b', '4h', '8h', '2s', '4s']
ALLD = ALL + ['2d']
# two-register misc
for op, arrs in [('saddlp', [('4h', '8b'), ('8h', '16b'), ('2s', '4h'), ('4s', '8h'), ('1d', '2s'), ('2d', '4s')])]:
    pass
for op in ['saddlp', 'uaddlp', 'sadalp', 'uadalp']:
    for dt, st in [('4h', '8b'), ('8h', '16b'), ('2s', '4h'), ('4s', '8h'), ('1d', '2s'), ('2d', '4s')]:
        both('%s v0.%s, v1.%s' % (op, dt, st), ['v0'])
    both('%s v1.2d, v1.4s' % op, ['v1'])
for op in ['suqadd', 'usqadd', 'sqabs', 'sqneg']:
    for t in ALLD:
        both('%s v0.%s, v1.%s' % (op, t, t), ['v0', 'qc'])
    for r in 'bhsd':
        both('%s %s0, %s1' % (op, r, r), ['v0', 'qc'])
c('sqabs v0.2d, v1.2d\nsqneg v2.2d, v1.2d', ['v0', 'v2', 'qc'], v={1: '00000000000000800000000000000080'})
c('suqadd d0, d1', ['v0', 'qc'], v={0: 'ffffffffffffff7f0000000000000000', 1: '01000000000000000000000000000000'})
c('suqadd d0, d1', ['v0', 'qc'], v={0: '00000000000000800000000000000000', 1: 'ffffffffffffffff0000000000000000'})
c('suqadd d0, d1', ['v0', 'qc'], v={0: 'ffffffffffffffff0000000000000000', 1: '00000000000000800000000000000000'})
c('usqadd d0, d1', ['v0', 'qc'], v={0: '05000000000000000000000000000000', 1: 'faffffffffffffff0000000000000000'})
c('usqadd d0, d1', ['v0', 'qc'], v={0: 'ffffffffffffffff0000000000000000', 1: '01000000000000000000000000000000'})
c('usqadd d0, d1', ['v0', 'qc'], v={0: 'ffffffffffffffff0000000000000000', 1: 'ffffffffffffffff0000000000000000'})
for op in ['abs', 'neg']:
    for t in ALLD:
        both('%s v0.%s, v1.%s' % (op, t, t), ['v0'])
    both('%s d0, d1' % op, ['v0'])
for op in ['cls', 'clz']:
    for t in ALL:
        both('%s v0.%s, v1.%s' % (op, t, t), ['v0'])
    c('%s v0.4s, v1.4s' % op, ['v0'], v={1: '00000000ffffffff0100000000000040'})
for s in ['cnt v0.8b, v1.8b', 'cnt v0.16b, v1.16b', 'rbit v0.8b, v1.8b', 'rbit v0.16b, v1.16b']:
    both(s, ['v0'])
for op in ['xtn', 'sqxtn', 'uqxtn', 'sqxtun']:
    for dt, st in [('8b', '8h'), ('4h', '4s'), ('2s', '2d')]:
        both('%s v0.%s, v1.%s' % (op, dt, st), ['v0', 'qc'])
        dt2 = {'8b': '16b', '4h': '8h', '2s': '4s'}[dt]
        both('%s2 v0.%s, v1.%s' % (op, dt2, st), ['v0', 'qc'])
        both('%s2 v1.%s, v1.%s' % (op, dt2, st), ['v1', 'qc'])
    if op != 'xtn':
        for r, s in [('b', 'h'), ('h', 's'), ('s', 'd')]:
            both('%s %s0, %s1' % (op, r, s), ['v0', 'qc'])
for dt, st in [('8h', '8b'), ('4s', '4h'), ('2d', '2s')]:
    both('shll v0.%s, v1.%s, #%d' % (dt, st, {'8h': 8, '4s': 16, '2d': 32}[dt]), ['v0'])
    dt2 = {'8b': '16b', '4h': '8h', '2s': '4s'}[st]
    both('shll2 v1.%s, v1.%s, #%d' % (dt, dt2, {'8h': 8, '4s': 16, '2d': 32}[dt]), ['v1'])
# across
for op in ['addv', 'smaxv', 'sminv', 'umaxv', 'uminv']:
    for r, t in [('b', '8b'), ('b', '16b'), ('h', '4h'), ('h', '8h'), ('s', '4s')]:
        both('%s %s0, v1.%s' % (op, r, t), ['v0'])
for op in ['saddlv', 'uaddlv']:
    for r, t in [('h', '8b'), ('h', '16b'), ('s', '4h'), ('s', '8h'), ('d', '4s')]:
        both('%s %s0, v1.%s' % (op, r, t), ['v0'])
both('addp d0, v1.2d', ['v0'])
both('addp d1, v1.2d', ['v1'])
