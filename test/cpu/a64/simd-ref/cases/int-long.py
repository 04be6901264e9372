exec(open('cases/common.py').read())
L = [('8h', '8b', '16b'), ('4s', '4h', '8h'), ('2d', '2s', '4s')]
for op in ['saddl', 'uaddl', 'ssubl', 'usubl', 'sabal', 'uabal', 'sabdl', 'uabdl', 'smlal', 'umlal', 'smlsl', 'umlsl', 'smull', 'umull', 'sqdmlal', 'sqdmlsl', 'sqdmull']:
    for w, nlo, nhi in L:
        if op.startswith('sqd') and w == '8h':
            continue
        both('%s v0.%s, v1.%s, v2.%s' % (op, w, nlo, nlo), ['v0', 'qc'])
        both('%s2 v1.%s, v1.%s, v2.%s' % (op, w, nhi, nhi), ['v1', 'qc'])
for op in ['saddw', 'uaddw', 'ssubw', 'usubw']:
    for w, nlo, nhi in L:
        both('%s v0.%s, v1.%s, v2.%s' % (op, w, w, nlo), ['v0'])
        both('%s2 v2.%s, v1.%s, v2.%s' % (op, w, w, nhi), ['v2'])
for op in ['addhn', 'raddhn', 'subhn', 'rsubhn']:
    for w, nlo, nhi in L:
        both('%s v0.%s, v1.%s, v2.%s' % (op, nlo, w, w), ['v0'])
        both('%s2 v1.%s, v1.%s, v2.%s' % (op, nhi, w, w), ['v1'])
both('pmull v0.8h, v1.8b, v2.8b', ['v0'])
both('pmull2 v0.8h, v1.16b, v2.16b', ['v0'])
for op in ['sqdmlal', 'sqdmlsl', 'sqdmull']:
    both('%s s0, h1, h2' % op, ['v0', 'qc'])
    both('%s d0, s1, s2' % op, ['v0', 'qc'])
M = '00800000ffffff7f0080008000000080'
c('sqdmull v0.4s, v1.4h, v2.4h\nsqdmull2 v3.2d, v1.4s, v2.4s', ['v0', 'v3', 'qc'], v={1: M, 2: M})
c('sqdmlal v0.2d, v1.2s, v2.2s', ['v0', 'qc'], v={0: 'ffffffffffffff7f0000000000000080', 1: '00000080000000800000000000000000', 2: '00000080ffffffff0000000000000000'})
# by element
for op, ts in [('mul', ['4h', '8h', '2s', '4s']), ('mla', ['4h', '8h', '2s', '4s']), ('mls', ['4h', '8h', '2s', '4s']),
               ('sqdmulh', ['4h', '8h', '2s', '4s']), ('sqrdmulh', ['4h', '8h', '2s', '4s'])]:
    for t in ts:
        for idx in ([0, 5, 7] if t[-1] == 'h' else [0, 3]):
            reg = 'v15' if t[-1] == 'h' else 'v31'
            both('%s v0.%s, v1.%s, %s.%s[%d]' % (op, t, t, reg, t[-1], idx), ['v0', 'qc'])
            both('%s v1.%s, v1.%s, v1.%s[%d]' % (op, t, t, t[-1], idx), ['v1', 'qc'])
for op in ['smull', 'umull', 'smlal', 'umlal', 'smlsl', 'umlsl', 'sqdmull', 'sqdmlal', 'sqdmlsl']:
    for w, nlo, nhi in L[1:]:
        e = nlo[-1]
        for idx in ([1, 6] if e == 'h' else [0, 3]):
            both('%s v0.%s, v1.%s, v2.%s[%d]' % (op, w, nlo, e, idx), ['v0', 'qc'])
            both('%s2 v2.%s, v1.%s, v2.%s[%d]' % (op, w, nhi, e, idx), ['v2', 'qc'])
for op in ['sqdmulh', 'sqrdmulh']:
    both('%s h0, h1, v2.h[3]' % op, ['v0', 'qc'])
    both('%s s0, s1, v2.s[2]' % op, ['v0', 'qc'])
for op in ['sqdmull', 'sqdmlal', 'sqdmlsl']:
    both('%s s0, h1, v2.h[7]' % op, ['v0', 'qc'])
    both('%s d0, s1, v2.s[1]' % op, ['v0', 'qc'])
