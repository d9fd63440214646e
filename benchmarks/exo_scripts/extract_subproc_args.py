from __future__ import annotations
from exo import proc
from exo.stdlib.scheduling import *

@proc
def scalars(a: f32, n: size, m: size, y: f32[m], x: f32[n]):
    assert m >= 1
    assert n >= 1
    for i in seq(0, n):
        t: f32
        t = x[i] * a
        for j in seq(0, m):
            y[j] += t

@proc
def shape_only(n: size, m: size, k: size, x: f32[n, m], y: f32[k]):
    assert k >= 1
    assert n >= 1
    assert m == 2 * n
    for i in seq(0, n):
        x[i, 0] = y[0]

p, sub = extract_subproc(scalars, scalars.find_loop("j"), "sub_scalars_loop")
print(p)
print(sub)
p, sub = extract_subproc(scalars, scalars.find("t = _").expand(0, 1), "sub_scalars_block")
print(p)
print(sub)
p, sub = extract_subproc(shape_only, shape_only.find("x[_] = _"), "sub_shape_only")
print(p)
print(sub)
