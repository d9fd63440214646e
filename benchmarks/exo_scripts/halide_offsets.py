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
def reads_back(H: size, inp: f32[H + 1], out: f32[H]):
    prod: f32[H + 1]
    for y in seq(0, H + 1):
        prod[y] = inp[y] * 2.0
    for y in seq(0, H):
        out[y] = prod[y] + prod[y + 1] + prod[0]
t("reads_back nopro", lambda: halide_compute_at(reads_back, "prod", "out", "y", with_prologue=False))
t("reads_back pro", lambda: halide_compute_at(reads_back, "prod", "out", "y", with_prologue=True))

@proc
def prod_off(H: size, inp: f32[H + 2], out: f32[H]):
    prod: f32[H + 2]
    for y in seq(0, H + 1):
        prod[y + 1] = inp[y] * 2.0
    for y in seq(0, H):
        out[y] = prod[y + 1] + prod[y + 2]
t("prod_off nopro", lambda: halide_compute_at(prod_off, "prod", "out", "y", with_prologue=False))
t("prod_off pro", lambda: halide_compute_at(prod_off, "prod", "out", "y", with_prologue=True))

@proc
def over_tiled2d(H: size, W: size, inp: f32[H + 2, W + 2], out: f32[H, W]):
    assert H % 4 == 0
    assert W % 4 == 0
    prod: f32[H + 2, W + 2]
    for y in seq(0, H + 2):
        for x in seq(0, W + 2):
            prod[y, x] = inp[y, x] * 2.0
    for y in seq(0, H):
        for x in seq(0, W):
            out[y, x] = prod[y, x] + prod[y + 2, x + 2]
p = halide_tile(over_tiled2d, "out", "y", "x", "yi", "xi", 4, 4)
t("over_tiled2d x nopro", lambda: halide_compute_at(p, "prod", "out", "x", with_prologue=False))
t("over_tiled2d y nopro", lambda: halide_compute_at(p, "prod", "out", "y", with_prologue=False))
t("over_tiled2d same x", lambda: halide_compute_and_store_at_same(p, "prod", "out", "x"))
t("over_tiled2d cs x y", lambda: halide_compute_and_store_at(p, "prod", "out", "x", "y"))

@proc
def more_no_halo(H: size, inp: f32[H + 5], out: f32[H]):
    prod: f32[H + 5]
    for y in seq(0, H + 5):
        prod[y] = inp[y] * 2.0
    for y in seq(0, H):
        out[y] = prod[y + 3]
t("more_no_halo nopro", lambda: halide_compute_at(more_no_halo, "prod", "out", "y", with_prologue=False))
t("more_no_halo inline", lambda: halide_fully_inline(more_no_halo, "prod", "out"))
t("more_no_halo store", lambda: halide_compute_and_store_at_same(more_no_halo, "prod", "out", "y"))

@proc
def under_assert(H: size, inp: f32[H], out: f32[H]):
    assert H >= 2
    prod: f32[H]
    for y in seq(0, H):
        prod[y] = inp[y] * 2.0
    for y in seq(0, H - 1):
        out[y] = prod[y] + prod[y + 1]
t("under_assert nopro", lambda: halide_compute_at(under_assert, "prod", "out", "y", with_prologue=False))
