from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(n: size, x: f32[n, 8], y: f32[n, 8]):
    for i in seq(0, n):
        for j in seq(0, 8):
            t: f32
            t = x[i, j]
            y[i, j] = t + t

p = expand_dim(foo, "t", "8", "j")
print(p)
p = lift_alloc(p, "t")
print(p)
p = expand_dim(p, "t", "n", "i")
p = lift_alloc(p, "t")
print(p)
