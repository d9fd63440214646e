"""split, tile, compute_at and the halide_* operations (Exo's
exo.stdlib.halide_scheduling_ops); goldens read against Exo 1.0's prints."""

from __future__ import annotations

import textwrap

import pytest

from exo_core import proc, SchedulingError
from exo_stdlib.scheduling import (compute_and_store_at, compute_at, halide_compute_and_store_at,
                                   halide_compute_and_store_at_same, halide_compute_at,
                                   halide_fully_inline, halide_parallel, halide_split,
                                   halide_store_at, halide_tile, split, store_at, tile)

from tests.core.primitives.equivalence import assert_equivalent


def _same(p, src: str) -> None:
    assert str(p).strip() == textwrap.dedent(src).strip()


@proc
def pointwise(W: size, H: size, inp: f32[H, W], out: f32[H, W]):
    assert W % 4 == 0
    assert H % 4 == 0
    prod: f32[H, W]
    for y in seq(0, H):
        for x in seq(0, W):
            prod[y, x] = inp[y, x] * 2.0
    for y in seq(0, H):
        for x in seq(0, W):
            out[y, x] = prod[y, x] + 1.0


@proc
def blur(W: size, H: size, inp: f32[H + 2, W], out: f32[H, W]):
    assert W % 4 == 0
    assert H % 4 == 0
    prod: f32[H + 2, W]
    for y in seq(0, H + 2):
        for x in seq(0, W):
            prod[y, x] = inp[y, x] * 2.0
    for y in seq(0, H):
        for x in seq(0, W):
            out[y, x] = prod[y, x] + prod[y + 1, x] + prod[y + 2, x]


def test_halide_tile_names_the_outer_loops_as_before():
    p = halide_tile(pointwise, "out", "y", "x", "yi", "xi", 4, 4)
    _same(p, """
        def pointwise(W: size, H: size, inp: f32[H, W] @ DRAM, out: f32[H, W] @ DRAM):
            assert W % 4 == 0
            assert H % 4 == 0
            prod: f32[H, W] @ DRAM
            for y in seq(0, H):
                for x in seq(0, W):
                    prod[y, x] = inp[y, x] * 2.0
            for y in seq(0, H / 4):
                for x in seq(0, W / 4):
                    for yi in seq(0, 4):
                        for xi in seq(0, 4):
                            out[4 * y + yi, 4 * x + xi] = prod[4 * y + yi, 4 * x + xi] + 1.0
    """)
    assert_equivalent(pointwise, p, W=8, H=4)
    t = tile(pointwise, pointwise.find_loop("y #1"), pointwise.find_loop("x #1"), ["y", "yi"],
             ["x", "xi"], 4, 4)
    assert str(t) == str(p)
    with pytest.raises(SchedulingError, match="perfect=False is not supported yet"):
        tile(pointwise, pointwise.find_loop("y #1"), pointwise.find_loop("x #1"), ["a", "b"],
             ["c", "d"], 4, 4, perfect=False)
    with pytest.raises(SchedulingError, match="whole body of the first"):
        tile(pointwise, pointwise.find_loop("x #1"), pointwise.find_loop("y #1"), ["a", "b"],
             ["c", "d"], 4, 4)


def test_halide_split_and_split_tails():
    p = halide_split(pointwise, "prod", "x", "xo", "xi", 4)
    assert "for xo in seq(0, W / 4):" in str(p) and "prod[y, 4 * xo + xi]" in str(p)
    guarded = split(pointwise, pointwise.find_loop("x"), "xo", "xi", 3, "guard")
    assert "if 3 * xo + xi < W:" in str(guarded)
    assert_equivalent(pointwise, guarded, W=8, H=4)
    with pytest.raises(SchedulingError, match="no loop named 'z'"):
        halide_split(pointwise, "prod", "z", "zo", "zi", 4)


def test_halide_parallel():
    p = halide_parallel(pointwise, "y #1")
    assert "for y in par(0, H):" in str(p)


def test_compute_at_fuses_the_producer_into_the_tile():
    tiled = halide_tile(pointwise, "out", "y", "x", "yi", "xi", 4, 4)
    p = halide_compute_at(tiled, "prod", "out", "x")
    _same(p, """
        def pointwise(W: size, H: size, inp: f32[H, W] @ DRAM, out: f32[H, W] @ DRAM):
            assert W % 4 == 0
            assert H % 4 == 0
            prod: f32[H, W] @ DRAM
            for y in seq(0, H / 4):
                for x in seq(0, W / 4):
                    for yi in seq(0, 4):
                        for xi in seq(0, 4):
                            prod[4 * y + yi, 4 * x + xi] = inp[4 * y + yi, 4 * x + xi] * 2.0
                    for yi in seq(0, 4):
                        for xi in seq(0, 4):
                            out[4 * y + yi, 4 * x + xi] = prod[4 * y + yi, 4 * x + xi] + 1.0
    """)
    assert_equivalent(pointwise, p, W=8, H=8)
    at_y = compute_at(tiled, tiled.find("prod = _"), tiled.find_loop("y #1"))
    assert_equivalent(pointwise, at_y, W=8, H=4)


def test_compute_at_refuses_overlapping_windows():
    tiled = halide_tile(blur, "out", "y", "x", "yi", "xi", 4, 4)
    with pytest.raises(SchedulingError, match="reads 6 elements of prod's dimension 0 but advances by 4"):
        halide_compute_at(tiled, "prod", "out", "x", with_prologue=False)


def test_halide_fully_inline():
    p = halide_fully_inline(pointwise, "prod", "out")
    _same(p, """
        def pointwise(W: size, H: size, inp: f32[H, W] @ DRAM, out: f32[H, W] @ DRAM):
            assert W % 4 == 0
            assert H % 4 == 0
            for y in seq(0, H):
                for x in seq(0, W):
                    out[y, x] = inp[y, x] * 2.0 + 1.0
    """)
    assert_equivalent(pointwise, p, W=4, H=4)


def test_storage_placement_is_not_supported_yet():
    tiled = halide_tile(pointwise, "out", "y", "x", "yi", "xi", 4, 4)
    calls = [
        lambda: store_at(tiled, tiled.find("prod : _"), tiled.find_loop("x #1")),
        lambda: compute_and_store_at(tiled, "prod", tiled.find_loop("x #1")),
        lambda: halide_store_at(tiled, "prod", "out", "x"),
        lambda: halide_compute_and_store_at(tiled, "prod", "out", "x", "y"),
        lambda: halide_compute_and_store_at_same(tiled, "prod", "out", "x"),
    ]
    for call in calls:
        with pytest.raises(SchedulingError, match="not supported yet"):
            call()
