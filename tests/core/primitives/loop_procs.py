"""Small procedures the loop primitive tests schedule."""

from __future__ import annotations

from exo_core import proc, f32, size, DRAM


@proc
def add1(n: size, x: f32[n] @ DRAM, y: f32[n] @ DRAM):
    for i in seq(0, n):
        x[i] = y[i] + 1.0


@proc
def copy2d(x: f32[16, 8] @ DRAM, y: f32[16, 8] @ DRAM):
    for i in seq(0, 16):
        for j in seq(0, 8):
            x[i, j] = y[i, j]


@proc
def matmul(n: size, m: size, k: size, a: f32[n, k] @ DRAM, b: f32[k, m] @ DRAM,
           c: f32[n, m] @ DRAM):
    for i in seq(0, n):
        for j in seq(0, m):
            c[i, j] = 0.0
            for p in seq(0, k):
                c[i, j] += a[i, p] * b[p, j]


@proc
def skew_anti(n: size, x: f32[n + 1, n + 1] @ DRAM):
    # iteration (i, j) writes x[i+1, j], which iteration (i+1, j-1) reads:
    # a dependence with direction (<, >)
    for i in seq(0, n):
        for j in seq(0, n):
            x[i + 1, j] = x[i, j + 1]


@proc
def skew_diag(n: size, x: f32[n + 1, n + 1] @ DRAM):
    # dependence with direction (<, <): interchange is safe
    for i in seq(0, n):
        for j in seq(0, n):
            x[i + 1, j + 1] = x[i, j] + 1.0


@proc
def two_stmts(n: size, x: f32[n + 1] @ DRAM, y: f32[n + 1] @ DRAM, z: f32[n] @ DRAM):
    for i in seq(0, n):
        x[i] = y[i] * 2.0
        z[i] = x[i] + y[i + 1]


@proc
def shifted_read(n: size, x: f32[n + 1] @ DRAM, y: f32[n] @ DRAM):
    # the second statement reads x[i + 1], written by the NEXT iteration's
    # first statement: fission would make it read the new value
    for i in seq(0, n):
        x[i] = 1.0
        y[i] = x[i + 1]


@proc
def set_const(n: size, x: f32[4] @ DRAM, y: f32[4] @ DRAM):
    for k in seq(0, n - 1):
        for j in seq(0, 4):
            x[j] = y[j] * 3.0


@proc
def accumulate(x: f32[4] @ DRAM, y: f32[4] @ DRAM):
    for k in seq(0, 3):
        for j in seq(0, 4):
            x[j] += y[j]


@proc
def two_halves(n: size, x: f32[n] @ DRAM, y: f32[n] @ DRAM):
    assert n >= 4
    for i in seq(0, n - 4):
        x[i] = y[i] + 1.0
    for i in seq(n - 4, n):
        x[i] = y[i] + 1.0
