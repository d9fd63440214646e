from __future__ import annotations
from exo import proc
from exo.stdlib.scheduling import *
from exo.stdlib.halide_scheduling_ops import *

def t(name, f):
    try:
        r = f()
        print(name, "ACCEPT"); print(r)
    except Exception:
        print(name, "REJECT")

@proc
def over1(H: size, inp: f32[H + 2], out: f32[H]):
    prod: f32[H + 2]
    for y in seq(0, H + 2):
        prod[y] = inp[y] * 2.0
    for y in seq(0, H):
        out[y] = prod[y]

t("over1 nopro", lambda: halide_compute_at(over1, "prod", "out", "y", with_prologue=False))
t("over1 pro", lambda: halide_compute_at(over1, "prod", "out", "y", with_prologue=True))
t("over1 inline", lambda: halide_fully_inline(over1, "prod", "out"))

@proc
def over2(H: size, inp: f32[H + 2], out: f32[H]):
    prod: f32[H + 2]
    for y in seq(0, H + 2):
        prod[y] = inp[y] * 2.0
    for y in seq(0, H):
        out[y] = prod[y + 1]

t("over2 nopro", lambda: halide_compute_at(over2, "prod", "out", "y", with_prologue=False))
t("over2 pro", lambda: halide_compute_at(over2, "prod", "out", "y", with_prologue=True))
t("over2 inline", lambda: halide_fully_inline(over2, "prod", "out"))

@proc
def over3(H: size, inp: f32[H + 4], out: f32[H]):
    prod: f32[H + 4]
    for y in seq(0, H + 4):
        prod[y] = inp[y] * 2.0
    for y in seq(0, H):
        out[y] = prod[y] + prod[y + 1] + prod[y + 2]

t("over3 nopro", lambda: halide_compute_at(over3, "prod", "out", "y", with_prologue=False))
t("over3 pro", lambda: halide_compute_at(over3, "prod", "out", "y", with_prologue=True))

@proc
def over2d(H: size, W: size, inp: f32[H + 2, W + 2], out: f32[H, W]):
    prod: f32[H + 2, W + 2]
    for y in seq(0, H + 2):
        for x in seq(0, W + 2):
            prod[y, x] = inp[y, x] * 2.0
    for y in seq(0, H):
        for x in seq(0, W):
            out[y, x] = prod[y, x] + prod[y + 1, x + 1]

t("over2d y nopro", lambda: halide_compute_at(over2d, "prod", "out", "y", with_prologue=False))
t("over2d y pro", lambda: halide_compute_at(over2d, "prod", "out", "y", with_prologue=True))
t("over2d x nopro", lambda: halide_compute_at(over2d, "prod", "out", "x", with_prologue=False))
t("over2d x pro", lambda: halide_compute_at(over2d, "prod", "out", "x", with_prologue=True))
t("over2d store y", lambda: halide_compute_and_store_at(over2d, "prod", "out", "x", "y"))
t("over2d same y", lambda: halide_compute_and_store_at_same(over2d, "prod", "out", "y"))

@proc
def tiled_over(H: size, inp: f32[H + 6], out: f32[H]):
    assert H % 4 == 0
    prod: f32[H + 6]
    for y in seq(0, H + 6):
        prod[y] = inp[y] * 2.0
    for y in seq(0, H / 4):
        for yi in seq(0, 4):
            out[4 * y + yi] = prod[4 * y + yi] + prod[4 * y + yi + 2]

t("tiled_over nopro", lambda: halide_compute_at(tiled_over, "prod", "out", "y", with_prologue=False))
t("tiled_over pro", lambda: halide_compute_at(tiled_over, "prod", "out", "y", with_prologue=True))

@proc
def under(H: size, inp: f32[H], out: f32[H]):
    prod: f32[H]
    for y in seq(0, H):
        prod[y] = inp[y] * 2.0
    for y in seq(0, H - 1):
        out[y] = prod[y] + prod[y + 1]

t("under nopro", lambda: halide_compute_at(under, "prod", "out", "y", with_prologue=False))
t("under pro", lambda: halide_compute_at(under, "prod", "out", "y", with_prologue=True))

@proc
def rev(H: size, inp: f32[H], out: f32[H]):
    prod: f32[H]
    for y in seq(0, H):
        prod[y] = inp[y] * 2.0
    for y in seq(0, H):
        out[y] = prod[H - 1 - y]

t("rev", lambda: halide_compute_at(rev, "prod", "out", "y", with_prologue=False))

@proc
def scaled(H: size, inp: f32[2 * H], out: f32[H]):
    prod: f32[2 * H]
    for y in seq(0, 2 * H):
        prod[y] = inp[y] * 2.0
    for y in seq(0, H):
        out[y] = prod[2 * y] + prod[2 * y + 1]

t("scaled nopro", lambda: halide_compute_at(scaled, "prod", "out", "y", with_prologue=False))
t("scaled pro", lambda: halide_compute_at(scaled, "prod", "out", "y", with_prologue=True))
