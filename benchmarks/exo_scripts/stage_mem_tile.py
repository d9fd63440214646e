from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(A: f32[16, 16], B: f32[16, 16]):
    for i in seq(0, 16):
        for j in seq(0, 16):
            B[i, j] = A[i, j] * 2.0

p = divide_loop(foo, foo.find_loop("i"), 4, ["io", "ii"], perfect=True)
p = divide_loop(p, p.find_loop("j"), 4, ["jo", "ji"], perfect=True)
p = reorder_loops(p, "ii jo")
p = stage_mem(p, p.find_loop("ii"), "A[4 * io:4 * io + 4, 4 * jo:4 * jo + 4]", "A_tile")
print(p)
p = simplify(p)
print(p)
