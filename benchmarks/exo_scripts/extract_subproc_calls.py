from __future__ import annotations
from exo import proc
from exo.stdlib.scheduling import *

@proc
def scale(n: size, x: [f32][n]):
    for i in seq(0, n):
        x[i] = x[i] * 2.0

@proc
def foo(n: size, m: size, x: f32[n, m]):
    assert m >= 4
    for i in seq(0, n):
        row = x[i, 0:m]
        scale(m, row)
        scale(m - 2, x[i, 2:m])

p, sub = extract_subproc(foo, foo.find("row = _").expand(0, 2), "rowop")
print(p)
print(sub)
p, sub = extract_subproc(foo, foo.find("scale(_) #1"), "tailop")
print(p)
print(sub)
