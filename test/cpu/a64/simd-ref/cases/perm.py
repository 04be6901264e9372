CASES = []
def c(asm, out, **kw):
    CASES.append(dict(asm=asm, out=out, **kw))
X = {1: 0x8899aabbccddeeff, 2: 0x0123456789abcdef}
c('dup v0.16b, v1.b[13]', ['v0'])
c('dup v0.4h, v1.h[7]', ['v0'])
c('dup v1.4s, v1.s[2]', ['v1'])
c('dup v0.2d, v3.d[1]', ['v0'])
c('dup v0.8b, w1\ndup v2.8h, w2\ndup v3.2s, w1\ndup v4.2d, x2', ['v0', 'v2', 'v3', 'v4'], x=X)
c('mov b0, v1.b[3]\nmov h2, v1.h[5]\nmov s3, v1.s[3]\nmov d4, v1.d[1]', ['v0', 'v2', 'v3', 'v4'])
c('mov v0.b[9], w1\nmov v2.h[3], w2\nmov v3.s[2], w1\nmov v4.d[1], x2', ['v0', 'v2', 'v3', 'v4'], x=X)
c('mov v0.b[15], v1.b[0]\nmov v2.h[0], v2.h[7]\nmov v3.s[1], v5.s[3]\nmov v4.d[0], v6.d[1]', ['v0', 'v2', 'v3', 'v4'])
c('umov w1, v0.b[7]\numov w2, v0.h[6]\nmov w3, v0.s[3]\nmov x4, v0.d[1]\nsmov w5, v0.b[1]\nsmov x6, v0.h[7]\nsmov x7, v0.s[3]\nsmov w8, v0.h[2]', ['x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'x8'],
  v={0: '00ff7f80017e8081fedc0080ba987f9e'}, x={1: -1, 2: -1, 3: -1, 5: -1, 8: -1})
for s in ['movi v0.16b, #0xa5', 'movi v0.8b, #0x7f', 'movi v0.4h, #0x12, lsl #8', 'movi v0.8h, #0x34', 'movi v0.2s, #0x56, lsl #24',
          'movi v0.4s, #0x78, lsl #16', 'movi v0.4s, #0x9a, msl #8', 'movi v0.2s, #0xbc, msl #16', 'movi d0, #0xff00ff0000ffff00',
          'movi v0.2d, #0x00ff00ff00ff00ff', 'mvni v0.4s, #0x12, lsl #8', 'mvni v0.4h, #0x34', 'mvni v0.2s, #0x56, msl #16',
          'mvni v0.8h, #0x9a, lsl #8', 'orr v0.4s, #0x12, lsl #24', 'orr v0.4h, #0x34, lsl #8', 'bic v0.2s, #0xff', 'bic v0.8h, #0xff, lsl #8']:
    c(s, ['v0'])
for op in ['zip1', 'zip2', 'uzp1', 'uzp2', 'trn1', 'trn2']:
    for t in ['16b', '8b', '8h', '4h', '4s', '2s', '2d']:
        c('%s v0.%s, v1.%s, v2.%s' % (op, t, t, t), ['v0'])
    c('%s v1.4s, v1.4s, v2.4s' % op, ['v1'])
    c('%s v2.8b, v1.8b, v2.8b' % op, ['v2'])
c('ext v0.16b, v1.16b, v2.16b, #3', ['v0'])
c('ext v1.16b, v1.16b, v1.16b, #15', ['v1'])
c('ext v0.8b, v1.8b, v2.8b, #5', ['v0'])
c('ext v2.8b, v1.8b, v2.8b, #0', ['v2'])
TV = {1: '00112233445566778899aabbccddeeff', 2: '101112131415161718191a1b1c1d1e1f', 3: '202122232425262728292a2b2c2d2e2f', 4: '303132333435363738393a3b3c3d3e3f'}
c('tbl v0.16b, {v1.16b}, v5.16b', ['v0'], v={**TV, 5: '000f10ff0102030405060708090a0b0c'})
c('tbl v0.8b, {v1.16b, v2.16b}, v5.8b', ['v0'], v={**TV, 5: '1f0f1020ff01113f05060708090a0b0c'})
c('tbl v5.16b, {v1.16b-v3.16b}, v5.16b', ['v5'], v={**TV, 5: '2f0f10203001113f050607082f2e2d2c'})
c('tbl v2.16b, {v1.16b-v4.16b}, v5.16b', ['v2'], v={**TV, 5: '3f0f1020300111403f0607082f2e2d2c'})
c('tbl v0.16b, {v31.16b, v0.16b}, v0.16b', ['v0'], v={0: '000f10ff0102030405060708191a1b1c'})
c('tbx v0.16b, {v1.16b}, v5.16b', ['v0'], v={**TV, 5: '000f10ff0102030405060708090a0b0c'})
c('tbx v0.8b, {v1.16b, v2.16b}, v5.8b', ['v0'], v={**TV, 5: '1f0f1020ff01113f05060708090a0b0c'})
c('tbx v0.16b, {v1.16b-v4.16b}, v5.16b', ['v0'], v={**TV, 5: '3f0f1020300111403f0607082f2e2d2c'})
for s in ['rev64 v0.16b, v1.16b', 'rev64 v0.4h, v1.4h', 'rev64 v0.4s, v1.4s', 'rev32 v0.8b, v1.8b', 'rev32 v0.8h, v1.8h', 'rev16 v0.16b, v1.16b', 'rev16 v1.8b, v1.8b']:
    c(s, ['v0', 'v1'])
