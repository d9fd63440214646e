"""Small procedures the buffer primitive tests schedule."""

from __future__ import annotations

from exo_core import proc, f32, i32, size, index, DRAM


@proc
def shifted_2d(n: size, j: index, x: f32[n, 8] @ DRAM):
    assert j >= 1
    assert j < 8
    for i in seq(0, n - 1):
        x[i, j] = 2.0 * x[i + 1, j - 1]


@proc
def accumulate(n: size, x: f32[n] @ DRAM, y: f32[n] @ DRAM):
    for i in seq(0, n):
        x[i] += y[i]


@proc
def overwrite(n: size, x: f32[n] @ DRAM, y: f32[n] @ DRAM):
    for i in seq(0, n):
        x[i] = y[i]


@proc
def partial_overwrite(n: size, x: f32[n] @ DRAM, y: f32[n] @ DRAM):
    assert n >= 2
    for i in seq(0, n - 1):
        x[i] = y[i]


@proc
def init_then_add(n: size, x: f32[n] @ DRAM, y: f32[n] @ DRAM):
    for i in seq(0, n):
        x[i] = 0.0
        x[i] += y[i]


@proc
def maybe_init_then_add(n: size, x: f32[n] @ DRAM, y: f32[n] @ DRAM):
    for i in seq(0, n):
        if i < 3:
            x[i] = 0.0
        x[i] += y[i]


@proc
def column(n: size, m: size, k: index, x: f32[n, m] @ DRAM, y: f32[n] @ DRAM):
    assert k >= 0
    assert k < m
    for i in seq(0, n):
        y[i] = x[i, k]


@proc
def row_and_column(x: f32[8, 8] @ DRAM, y: f32[8] @ DRAM):
    for i in seq(0, 8):
        y[i] = x[i, 2] + x[2, i]


@proc
def tmp_buffer(n: size, x: i32[n] @ DRAM, y: i32[n] @ DRAM):
    for i in seq(0, n):
        t: i32 @ DRAM
        t = x[i] * 2
        y[i] = t + 1


@proc
def tile_copy(n: size, x: f32[n, 4] @ DRAM, y: f32[n, 4] @ DRAM):
    for i in seq(0, n):
        for j in seq(0, 4):
            t: f32[4] @ DRAM
            t[j] = x[i, j]
            y[i, j] = t[j]


@proc
def guarded_tmp(n: size, x: f32[n] @ DRAM, y: f32[n] @ DRAM):
    for i in seq(0, n):
        if i < 3:
            t: f32 @ DRAM
            t = x[i]
            y[i] = t


@proc
def outer_tmp(n: size, x: f32[n] @ DRAM, y: f32[n] @ DRAM):
    t: f32 @ DRAM
    for i in seq(0, n):
        if i < 3:
            t = x[i]
            y[i] = t


@proc
def carried(n: size, x: f32[n] @ DRAM, y: f32[n] @ DRAM):
    t: f32[2] @ DRAM
    t[0] = 0.0
    for i in seq(0, n):
        t[1] = x[i]
        t[0] += t[1]
        y[i] = t[0]


@proc
def window_rows(n: size, x: f32[n] @ DRAM, y: f32[n] @ DRAM):
    assert n >= 8
    t: f32[n, 12] @ DRAM
    for i in seq(2, 6):
        for j in seq(0, 12):
            t[i, j] = x[i]
            y[i] = t[i, j]


@proc
def two_phase(x: f32[4, 8] @ DRAM):
    t: f32[4, 8] @ DRAM
    for i in seq(0, 4):
        for j in seq(0, 8):
            t[i, j] = x[i, j]
    for i in seq(0, 4):
        for j in seq(0, 8):
            x[i, j] = t[i, j] + 1.0


@proc
def windowed_tmp(x: f32[4, 8] @ DRAM):
    t: f32[4, 8] @ DRAM
    w = t[1, 0:4]
    w[0] = 1.0
    x[0, 0] = t[1, 0]


@proc
def two_temps(x: f32[4] @ DRAM, y: f32[4] @ DRAM):
    a: f32[4] @ DRAM
    for i in seq(0, 4):
        a[i] = x[i]
    for i in seq(0, 4):
        y[i] = a[i]
    b: f32[4] @ DRAM
    for i in seq(0, 4):
        b[i] = y[i] * 2.0
    for i in seq(0, 4):
        x[i] = b[i]


@proc
def both_live(x: f32[4] @ DRAM, y: f32[4] @ DRAM):
    a: f32[4] @ DRAM
    for i in seq(0, 4):
        a[i] = x[i]
    b: f32[4] @ DRAM
    for i in seq(0, 4):
        b[i] = y[i] * 2.0
    for i in seq(0, 4):
        x[i] = b[i] + a[i]


@proc
def pair_rows(x: f32[4] @ DRAM, y: f32[4] @ DRAM):
    a: f32[2, 4] @ DRAM
    for i in seq(0, 4):
        a[0, i] = x[i]
        a[1, i] = y[i]
    for i in seq(0, 4):
        x[i] = a[1, i] + a[0, i]


@proc
def row_window(n: size, x: f32[n, 8] @ DRAM):
    for i in seq(0, n):
        w = x[i, 2:6]
        for j in seq(0, 4):
            w[j] = w[j] * 2.0
