from __future__ import annotations
from exo import proc
from exo.stdlib.scheduling import *

@proc
def matmul(n: size, m: size, k: size, A: f32[n, k], B: f32[k, m], C: f32[n, m]):
    assert n > 0
    assert k >= 4
    for i in seq(0, n):
        for j in seq(0, m):
            for kk in seq(0, k):
                C[i, j] += A[i, kk] * B[kk, j]

@proc
def split_rows(n: size, x: f32[n, 8]):
    assert n % 4 == 0
    for io in seq(0, n / 4):
        for ii in seq(0, 4):
            for j in seq(0, 8):
                x[4 * io + ii, j] = 0.0

p, sub = extract_subproc(matmul, matmul.find_loop("kk"), "sub_matmul_dot")
print(p)
print(sub)
p, sub = extract_subproc(matmul, matmul.find_loop("j"), "sub_matmul_row")
print(p)
print(sub)
p, sub = extract_subproc(split_rows, split_rows.find_loop("j"), "sub_split_rows")
print(p)
print(sub)
