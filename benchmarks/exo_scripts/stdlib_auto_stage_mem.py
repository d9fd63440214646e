from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *
from exo.stdlib.stdlib import *

@proc
def foo(A: f32[16, 16], B: f32[16]):
    for i in seq(0, 4):
        for j in seq(0, 16):
            B[j] += A[i, j]

p = auto_stage_mem(foo, foo.find_loop("j"), "A", "A_tmp")
print(p)
p = auto_stage_mem(p, p.find_loop("i"), "B", "B_acc", accum=True)
print(p)
