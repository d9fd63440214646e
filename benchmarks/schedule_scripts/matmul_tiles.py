"""A loop-only matmul schedule: tile i and j by 4 and 16, k by 4, reorder,
unroll the innermost k, simplify; then C generation."""
from __future__ import annotations

from exo import proc
from exo.stdlib.scheduling import divide_loop, reorder_loops, simplify, unroll_loop


@proc
def matmul(M: size, N: size, K: size, A: f32[M, K], B: f32[K, N], C: f32[M, N]):
    assert M % 4 == 0
    assert N % 16 == 0
    assert K % 4 == 0
    for i in seq(0, M):
        for j in seq(0, N):
            for k in seq(0, K):
                C[i, j] += A[i, k] * B[k, j]


def schedule():
    p = divide_loop(matmul, "i", 4, ["io", "ii"], perfect=True)
    p = divide_loop(p, "j", 16, ["jo", "ji"], perfect=True)
    p = reorder_loops(p, "ii jo")
    p = divide_loop(p, "k", 4, ["ko", "ki"], perfect=True)
    p = reorder_loops(p, "ji ko")
    p = reorder_loops(p, "ii ko")
    p = unroll_loop(p, "ki")
    p = simplify(p)
    return [p]
