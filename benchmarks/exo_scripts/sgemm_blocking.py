from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *
from exo.stdlib.stdlib import *

@proc
def sgemm(M: size, N: size, K: size, A: f32[M, K], B: f32[K, N], C: f32[M, N]):
    assert M % 4 == 0
    assert N % 8 == 0
    for i in seq(0, M):
        for j in seq(0, N):
            for k in seq(0, K):
                C[i, j] += A[i, k] * B[k, j]

p = divide_loop(sgemm, "i", 4, ["io", "ii"], perfect=True)
p = divide_loop(p, "j", 8, ["jo", "ji"], perfect=True)
p = reorder_loops(p, "ii jo")
p = reorder_loops(p, "ji k")
p = reorder_loops(p, "ii k")
print(p)
p = stage_mem(p, p.find_loop("k"), "C[4 * io:4 * io + 4, 8 * jo:8 * jo + 8]", "C_reg")
p = simplify(p)
print(p)
p = stage_mem(p, p.find_loop("ii"), "B[k, 8 * jo:8 * jo + 8]", "B_reg")
p = simplify(p)
print(p)
