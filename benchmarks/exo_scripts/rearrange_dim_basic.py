from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(x: f32[4, 8]):
    a: f32[4, 8]
    for i in seq(0, 4):
        for j in seq(0, 8):
            a[i, j] = x[i, j]
    for i in seq(0, 4):
        for j in seq(0, 8):
            x[i, j] = a[i, j] + 1.0

print(rearrange_dim(foo, "a", [1, 0]))
