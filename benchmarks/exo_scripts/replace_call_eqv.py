from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def inc8(x: [f32][8]):
    for j in seq(0, 8):
        x[j] = x[j] + 1.0

inc8b = rename(inc8, "inc8b")
inc8b = fold_into_reduce(inc8b, inc8b.find("x[_] = _"))

@proc
def foo(n: size, x: f32[n, 8]):
    for i in seq(0, n):
        for j in seq(0, 8):
            x[i, j] = x[i, j] + 1.0

p = replace(foo, foo.find_loop("j"), inc8)
print(p)
p = call_eqv(p, p.find("inc8(_)"), inc8b)
print(p)
