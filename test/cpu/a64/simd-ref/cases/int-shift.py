exec(open('cases/common.py').read())
ARR = [('8b', 8), ('16b', 8), ('4h', 16), ('8h', 16), ('2s', 32), ('4s', 32), ('2d', 64)]
def amounts(esize, right):
    return sorted(set([1, esize // 2 + 1, esize] if right else [0, esize // 2 - 1, esize - 1]))
for op in ['sshr', 'ushr', 'ssra', 'usra', 'srshr', 'urshr', 'srsra', 'ursra', 'sri']:
    for t, es in ARR:
        for s in amounts(es, True):
            both('%s v0.%s, v1.%s, #%d' % (op, t, t, s), ['v0'])
    for s in [1, 32, 33, 64]:
        both('%s d0, d1, #%d' % (op, s), ['v0'])
for op in ['shl', 'sli', 'sqshl', 'uqshl', 'sqshlu']:
    for t, es in ARR:
        for s in amounts(es, False):
            both('%s v0.%s, v1.%s, #%d' % (op, t, t, s), ['v0', 'qc'])
    for s in [0, 31, 33, 63]:
        both('%s d0, d1, #%d' % (op, s), ['v0', 'qc'])
    if op.startswith(('sq', 'uq')):
        for r, es in [('b', 8), ('h', 16), ('s', 32)]:
            for s in amounts(es, False):
                both('%s %s0, %s1, #%d' % (op, r, r, s), ['v0', 'qc'])
c('sqshl d0, d1, #63\nsqshl d2, d3, #63\nuqshl d4, d5, #1\nsqshlu d6, d3, #63', ['v0', 'v2', 'v4', 'v6', 'qc'],
  v={1: 'ffffffffffffffff0000000000000000', 3: '00000000000000000000000000000000', 5: 'ffffffffffffff7f0000000000000000'})
for op in ['shrn', 'rshrn', 'sqshrn', 'uqshrn', 'sqrshrn', 'uqrshrn', 'sqshrun', 'sqrshrun']:
    for dt, dt2, st, es in [('8b', '16b', '8h', 8), ('4h', '8h', '4s', 16), ('2s', '4s', '2d', 32)]:
        for s in [1, es // 2 + 1, es]:
            both('%s v0.%s, v1.%s, #%d' % (op, dt, st, s), ['v0', 'qc'])
            both('%s2 v1.%s, v1.%s, #%d' % (op, dt2, st, s), ['v1', 'qc'])
    if op not in ('shrn', 'rshrn'):
        for r, sr, es in [('b', 'h', 8), ('h', 's', 16), ('s', 'd', 32)]:
            for s in [1, es // 2, es]:
                both('%s %s0, %s1, #%d' % (op, r, sr, s), ['v0', 'qc'])
for op in ['sshll', 'ushll']:
    for dt, st, st2, es in [('8h', '8b', '16b', 8), ('4s', '4h', '8h', 16), ('2d', '2s', '4s', 32)]:
        for s in [0, 1, es - 1]:
            both('%s v0.%s, v1.%s, #%d' % (op, dt, st, s), ['v0'])
            both('%s2 v1.%s, v1.%s, #%d' % (op, dt, st2, s), ['v1'])
both('sxtl v0.8h, v0.8b\nuxtl2 v1.2d, v1.4s', ['v0', 'v1'])
