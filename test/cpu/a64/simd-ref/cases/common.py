E1 = 'ff7f0080ffffffff00000080ffffff7f'
E2 = '0080ff7f01000000ffffff7f00000080'
E3 = '80808080000000807fffffff01020304'
CASES = []
def c(asm, out, **kw):
    CASES.append(dict(asm=asm, out=out, **kw))
def both(asm, out, extra=None):
    # default pattern inputs, then edge inputs in v1/v2 (v0 keeps its pattern for accumulators)
    c(asm, out)
    c(asm, out + ['qc'] if 'qc' not in out else out, v={1: E1, 2: E2})
    c(asm, out + ['qc'] if 'qc' not in out else out, v={1: E3, 2: E1})
