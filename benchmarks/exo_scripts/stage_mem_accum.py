from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(n: size, x: f32[n], y: f32[4]):
    for i in seq(0, n):
        for j in seq(0, 4):
            y[j] += x[i]

p = stage_mem(foo, foo.find_loop("j"), "y[0:4]", "y_acc", accum=True)
print(p)
