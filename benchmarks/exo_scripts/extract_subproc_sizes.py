from __future__ import annotations
from exo import proc
from exo.stdlib.scheduling import *

@proc
def sizes(n: size, m: size, x: f32[n, m], y: f32[m]):
    assert n >= 2
    assert m % 4 == 0
    for i in seq(0, n):
        for j in seq(0, m):
            y[j] += x[i, j]

@proc
def lower_bound(n: size, m: size, x: f32[n + m]):
    assert n >= m
    assert m > 2
    assert n < 100
    for i in seq(m, n):
        x[i] = 1.0

p, sub = extract_subproc(sizes, sizes.find_loop("j"), "sub_sizes_inner")
print(p)
print(sub)
p, sub = extract_subproc(sizes, sizes.find_loop("i"), "sub_sizes_outer")
print(p)
print(sub)
p, sub = extract_subproc(lower_bound, lower_bound.find("x[_] = _"), "sub_lower_bound_stmt")
print(p)
print(sub)
p, sub = extract_subproc(lower_bound, lower_bound.find_loop("i"), "sub_lower_bound_loop")
print(p)
print(sub)
p, sub = extract_subproc(lower_bound, lower_bound.find("x[_] = _"), "one", include_asserts=False)
print(p)
print(sub)
