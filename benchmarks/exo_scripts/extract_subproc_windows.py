from __future__ import annotations
from exo import proc
from exo.stdlib.scheduling import *

@proc
def window_arg(n: size, x: f32[n, 16], y: [f32][n, 8]):
    assert n >= 4
    for i in seq(0, n):
        for j in seq(0, 8):
            y[i, j] = x[i, j + 8]

@proc
def window_stmt(n: size, x: f32[n, 8], y: f32[8]):
    acc: f32[8]
    for j in seq(0, 8):
        acc[j] = 0.0
    for i in seq(0, n):
        row = x[i, 0:8]
        for j in seq(0, 8):
            acc[j] += row[j]
    for j in seq(0, 8):
        y[j] = acc[j]

p, sub = extract_subproc(window_arg, window_arg.find_loop("j"), "sub_window_arg")
print(p)
print(sub)
p, sub = extract_subproc(window_stmt, window_stmt.find("row = _").expand(0, 1), "sub_window_stmt")
print(p)
print(sub)
