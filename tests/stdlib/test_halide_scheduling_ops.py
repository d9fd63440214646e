"""split, tile, compute_at and the halide_* operations (Exo's
exo.stdlib.halide_scheduling_ops); goldens read against Exo 1.0's prints
(which wrap lines past 80 columns, where ours print each statement on one
line)."""

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
    with pytest.raises(SchedulingError, match="whole body of the first"):
        tile(pointwise, pointwise.find_loop("x #1"), pointwise.find_loop("y #1"), ["a", "b"],
             ["c", "d"], 4, 4)


def test_halide_split_and_split_tails():
    p = halide_split(pointwise, "prod", "x", "xo", "xi", 4)
    _same(p, """
        def pointwise(W: size, H: size, inp: f32[H, W] @ DRAM, out: f32[H, W] @ DRAM):
            assert W % 4 == 0
            assert H % 4 == 0
            prod: f32[H, W] @ DRAM
            for y in seq(0, H):
                for xo in seq(0, W / 4):
                    for xi in seq(0, 4):
                        prod[y, 4 * xo + xi] = inp[y, 4 * xo + xi] * 2.0
            for y in seq(0, H):
                for x in seq(0, W):
                    out[y, x] = prod[y, x] + 1.0
    """)
    assert_equivalent(pointwise, p, W=8, H=4)
    guarded = split(pointwise, pointwise.find_loop("x"), "xo", "xi", 3, "guard")
    assert "if 3 * xo + xi < W:" in str(guarded)
    assert_equivalent(pointwise, guarded, W=8, H=4)
    with pytest.raises(SchedulingError, match="no loop named 'z'"):
        halide_split(pointwise, "prod", "z", "zo", "zi", 4)


def test_halide_parallel():
    p = halide_parallel(pointwise, "y #1")
    _same(p, """
        def pointwise(W: size, H: size, inp: f32[H, W] @ DRAM, out: f32[H, W] @ DRAM):
            assert W % 4 == 0
            assert H % 4 == 0
            prod: f32[H, W] @ DRAM
            for y in seq(0, H):
                for x in seq(0, W):
                    prod[y, x] = inp[y, x] * 2.0
            for y in par(0, H):
                for x in seq(0, W):
                    out[y, x] = prod[y, x] + 1.0
    """)
    assert_equivalent(pointwise, p, W=4, H=4)


@proc
def blur2(W: size, H: size, inp: f32[H + 2, W + 2], out: f32[H, W]):
    prod: f32[H + 2, W + 2]
    for y in seq(0, H + 2):
        for x in seq(0, W + 2):
            prod[y, x] = inp[y, x] * 2.0
    for y in seq(0, H):
        for x in seq(0, W):
            out[y, x] = prod[y, x] + prod[y + 1, x + 1] + prod[y + 2, x + 2]


@proc
def blur1(W: size, inp: f32[W + 2], out: f32[W]):
    prod: f32[W + 2]
    for x in seq(0, W + 2):
        prod[x] = inp[x] * 2.0
    for x in seq(0, W):
        out[x] = prod[x] + prod[x + 1] + prod[x + 2]


@proc
def ragged(W: size, H: size, inp: f32[H, W], out: f32[H, W]):
    for y in seq(0, H):
        for x in seq(0, W):
            out[y, x] = inp[y, x] + 1.0


def test_tile_not_perfect_guards_the_last_tiles():
    p = tile(ragged, ragged.find_loop("y"), ragged.find_loop("x"), ["yo", "yi"], ["xo", "xi"], 4,
             3, perfect=False)
    _same(p, """
        def ragged(W: size, H: size, inp: f32[H, W] @ DRAM, out: f32[H, W] @ DRAM):
            for yo in seq(0, (H + 3) / 4):
                for xo in seq(0, (W + 2) / 3):
                    for yi in seq(0, 4):
                        if 4 * yo + yi < H:
                            for xi in seq(0, 3):
                                if 3 * xo + xi < W:
                                    out[4 * yo + yi, 3 * xo + xi] = inp[4 * yo + yi, 3 * xo + xi] + 1.0
    """)
    assert_equivalent(ragged, p, W=5, H=6)
    assert_equivalent(ragged, p, W=3, H=1)


def test_compute_at_fuses_the_producer_into_the_tile():
    tiled = halide_tile(pointwise, "out", "y", "x", "yi", "xi", 4, 4)
    p = halide_compute_at(tiled, "prod", "out", "x", with_prologue=False)
    _same(p, """
        def pointwise(W: size, H: size, inp: f32[H, W] @ DRAM, out: f32[H, W] @ DRAM):
            assert W % 4 == 0
            assert H % 4 == 0
            prod: f32[H, W] @ DRAM
            for y in seq(0, H / 4):
                for x in seq(0, W / 4):
                    for xi in seq(0, 4):
                        for yi in seq(0, 4):
                            prod[yi + 4 * y, xi + 4 * x] = inp[yi + 4 * y, xi + 4 * x] * 2.0
                    for yi in seq(0, 4):
                        for xi in seq(0, 4):
                            out[yi + 4 * y, xi + 4 * x] = prod[yi + 4 * y, xi + 4 * x] + 1.0
    """)
    assert_equivalent(pointwise, p, W=8, H=8)
    # no halo: the prologue is empty (Exo 1.0 fails here)
    assert str(halide_compute_at(tiled, "prod", "out", "x")) == str(p)
    at_y = compute_at(tiled, tiled.find("prod = _"), tiled.find_loop("y #1"))
    assert_equivalent(pointwise, at_y, W=8, H=4)


def test_compute_at_recomputes_a_halo():
    tiled = halide_tile(blur, "out", "y", "x", "yi", "xi", 4, 4)
    p = halide_compute_at(tiled, "prod", "out", "x", with_prologue=False)
    _same(p, """
        def blur(W: size, H: size, inp: f32[H + 2, W] @ DRAM, out: f32[H, W] @ DRAM):
            assert W % 4 == 0
            assert H % 4 == 0
            prod: f32[2 + H, W] @ DRAM
            for y in seq(0, H / 4):
                for x in seq(0, W / 4):
                    for xi in seq(0, 4):
                        for yi in seq(0, 6):
                            prod[yi + 4 * y, xi + 4 * x] = inp[yi + 4 * y, xi + 4 * x] * 2.0
                    for yi in seq(0, 4):
                        for xi in seq(0, 4):
                            out[yi + 4 * y, xi + 4 * x] = prod[yi + 4 * y, xi + 4 * x] + prod[1 + yi + 4 * y, xi + 4 * x] + prod[2 + yi + 4 * y, xi + 4 * x]
    """)
    assert_equivalent(blur, p, W=8, H=8)
    p = compute_at(blur1, blur1.find("prod = _"), blur1.find_loop("x #1"))
    _same(p, """
        def blur1(W: size, inp: f32[W + 2] @ DRAM, out: f32[W] @ DRAM):
            prod: f32[2 + W] @ DRAM
            for x in seq(0, W):
                for xi in seq(0, 3):
                    prod[x + xi] = inp[x + xi] * 2.0
                out[x] = prod[x] + prod[1 + x] + prod[2 + x]
    """)
    assert_equivalent(blur1, p, W=5)
    p = halide_compute_at(blur2, "prod", "out", "x", with_prologue=False)
    assert "for xi in seq(0, 3):\n                for yi in seq(0, 3):" in str(p)
    assert_equivalent(blur2, p, W=4, H=3)


def test_compute_at_with_prologue_slides_the_window():
    p = halide_compute_at(blur, "prod", "out", "y")
    _same(p, """
        def blur(W: size, H: size, inp: f32[H + 2, W] @ DRAM, out: f32[H, W] @ DRAM):
            assert W % 4 == 0
            assert H % 4 == 0
            prod: f32[2 + H, W] @ DRAM
            for y in seq(0, 2):
                for x in seq(0, W):
                    prod[y, x] = inp[y, x] * 2.0
            for y in seq(0, H):
                for x in seq(0, W):
                    prod[2 + y, x] = inp[2 + y, x] * 2.0
                for x in seq(0, W):
                    out[y, x] = prod[y, x] + prod[1 + y, x] + prod[2 + y, x]
    """)
    assert_equivalent(blur, p, W=4, H=4)
    p = halide_compute_at(blur2, "prod", "out", "x")
    _same(p, """
        def blur2(W: size, H: size, inp: f32[H + 2, W + 2] @ DRAM, out: f32[H, W] @ DRAM):
            prod: f32[2 + H, 2 + W] @ DRAM
            for y in seq(0, 2):
                for x in seq(0, 2 + W):
                    prod[y, x] = inp[y, x] * 2.0
            for y in seq(0, H):
                for x in seq(0, 2):
                    prod[2 + y, x] = inp[2 + y, x] * 2.0
                for x in seq(0, W):
                    prod[2 + y, 2 + x] = inp[2 + y, 2 + x] * 2.0
                    out[y, x] = prod[y, x] + prod[1 + y, 1 + x] + prod[2 + y, 2 + x]
    """)
    assert_equivalent(blur2, p, W=3, H=4)
    # a stride of 4 (Exo 1.0 fails): two rows ahead, then four new rows per tile row
    tiled = halide_tile(blur, "out", "y", "x", "yi", "xi", 4, 4)
    p = halide_compute_at(tiled, "prod", "out", "x")
    assert "for y in seq(0, 2):" in str(p)
    assert "prod[2 + yi + 4 * y, xi + 4 * x] = inp[2 + yi + 4 * y, xi + 4 * x] * 2.0" in str(p)
    assert_equivalent(blur, p, W=8, H=8)


@proc
def blur_overwrites_input(H: size, inp: f32[H + 1], out: f32[H]):
    prod: f32[H + 1]
    for y in seq(0, H + 1):
        prod[y] = inp[y] * 2.0
    for y in seq(0, H):
        out[y] = prod[y] + prod[y + 1]
        inp[y + 1] = 0.0


@proc
def blur_reads_back(H: size, inp: f32[H + 1], out: f32[H]):
    prod: f32[H + 1]
    for y in seq(0, H + 1):
        prod[y] = inp[y] * 2.0
    for y in seq(0, H):
        out[y] = prod[y] + prod[y + 1] + prod[0]


def test_compute_at_errors():
    with pytest.raises(SchedulingError, match="the loops write inp, which it reads"):
        compute_at(blur_overwrites_input, blur_overwrites_input.find("prod = _"),
                   blur_overwrites_input.find_loop("y #1"))
    with pytest.raises(SchedulingError, match="every read of it there to depend on y"):
        compute_at(blur_reads_back, blur_reads_back.find("prod = _"),
                   blur_reads_back.find_loop("y #1"))
    with pytest.raises(SchedulingError, match="right before the consumer's"):
        compute_at(blur, blur.find("prod = _"), blur.find_loop("x"))
    with pytest.raises(SchedulingError, match="must write prod at its loops' iterators"):
        compute_at(strided_producer, strided_producer.find("prod = _"),
                   strided_producer.find_loop("y #1"))
    # a producer computing more than the sliding window uses: refused, as by Exo 1.0
    with pytest.raises(SchedulingError, match=r"a sliding window \(with_prologue\) needs the "
                                              r"producer's loop y to compute the values the loop y "
                                              r"reads, 1 per iteration and 0 ahead; it computes \(H \+ 2\)"):
        halide_compute_at(over1, "prod", "out", "y", with_prologue=True)
    # the chunks of the recomputation need at least one consumer iteration (Exo 1.0
    # does not ask)
    with pytest.raises(SchedulingError, match="the chunks must cover the loop's range"):
        halide_compute_at(under, "prod", "out", "y", with_prologue=False)


def test_compute_at_a_producer_written_at_an_offset():
    # the sliding window's second stage writes prod[2 + y, x]: fused into the x loop
    slid = halide_compute_at(blur, "prod", "out", "y")
    p = compute_at(slid, slid.find("prod = _ #1"), slid.find_loop("x #2"))
    assert "prod[2 + y, x] = inp[2 + y, x] * 2.0\n" \
           "            out[y, x] = prod[y, x]" in str(p)
    assert_equivalent(blur, p, W=4, H=4)
    for with_prologue, src in ((False, """
        def prod_off(H: size, inp: f32[H + 2] @ DRAM, out: f32[H] @ DRAM):
            prod: f32[2 + H] @ DRAM
            for y in seq(0, H):
                for yi in seq(0, 2):
                    prod[1 + y + yi] = inp[y + yi] * 2.0
                out[y] = prod[1 + y] + prod[2 + y]
    """), (True, """
        def prod_off(H: size, inp: f32[H + 2] @ DRAM, out: f32[H] @ DRAM):
            prod: f32[2 + H] @ DRAM
            for y in seq(0, 1):
                prod[1 + y] = inp[y] * 2.0
            for y in seq(0, H):
                prod[2 + y] = inp[1 + y] * 2.0
                out[y] = prod[1 + y] + prod[2 + y]
    """)):
        p = halide_compute_at(prod_off, "prod", "out", "y", with_prologue=with_prologue)
        _same(p, src)
        assert_equivalent(prod_off, p, H=4)


@proc
def strided_producer(H: size, inp: f32[2 * H], out: f32[H]):
    prod: f32[2 * H]
    for y in seq(0, H):
        prod[2 * y] = inp[y]
    for y in seq(0, H):
        out[y] = prod[2 * y]


@proc
def prod_off(H: size, inp: f32[H + 2], out: f32[H]):
    prod: f32[H + 2]
    for y in seq(0, H + 1):
        prod[y + 1] = inp[y] * 2.0
    for y in seq(0, H):
        out[y] = prod[y + 1] + prod[y + 2]


@proc
def over1(H: size, inp: f32[H + 2], out: f32[H]):
    prod: f32[H + 2]
    for y in seq(0, H + 2):
        prod[y] = inp[y] * 2.0
    for y in seq(0, H):
        out[y] = prod[y]


@proc
def over2d(H: size, W: size, inp: f32[H + 2, W + 2], out: f32[H, W]):
    prod: f32[H + 2, W + 2]
    for y in seq(0, H + 2):
        for x in seq(0, W + 2):
            prod[y, x] = inp[y, x] * 2.0
    for y in seq(0, H):
        for x in seq(0, W):
            out[y, x] = prod[y, x] + prod[y + 1, x + 1]


@proc
def tiled_over(H: size, inp: f32[H + 6], out: f32[H]):
    assert H % 4 == 0
    prod: f32[H + 6]
    for y in seq(0, H + 6):
        prod[y] = inp[y] * 2.0
    for y in seq(0, H / 4):
        for yi in seq(0, 4):
            out[4 * y + yi] = prod[4 * y + yi] + prod[4 * y + yi + 2]


@proc
def under(H: size, inp: f32[H], out: f32[H]):
    prod: f32[H]
    for y in seq(0, H):
        prod[y] = inp[y] * 2.0
    for y in seq(0, H - 1):
        out[y] = prod[y] + prod[y + 1]


@proc
def under_assert(H: size, inp: f32[H], out: f32[H]):
    assert H >= 2
    prod: f32[H]
    for y in seq(0, H):
        prod[y] = inp[y] * 2.0
    for y in seq(0, H - 1):
        out[y] = prod[y] + prod[y + 1]


def test_compute_at_a_producer_computing_more_than_read():
    # goldens: Exo 1.0's prints (lines joined); each chunk is what divide_with_recompute
    # makes of the producer's whole range, so every value it computed is still computed
    p = halide_compute_at(over1, "prod", "out", "y", with_prologue=False)
    _same(p, """
        def over1(H: size, inp: f32[H + 2] @ DRAM, out: f32[H] @ DRAM):
            prod: f32[2 + H] @ DRAM
            for y in seq(0, H):
                for yi in seq(0, 3):
                    prod[y + yi] = inp[y + yi] * 2.0
                out[y] = prod[y]
    """)
    assert_equivalent(over1, p, H=3)
    p = halide_compute_at(over2d, "prod", "out", "x", with_prologue=False)
    _same(p, """
        def over2d(H: size, W: size, inp: f32[H + 2, W + 2] @ DRAM, out: f32[H, W] @ DRAM):
            prod: f32[2 + H, 2 + W] @ DRAM
            for y in seq(0, H):
                for x in seq(0, W):
                    for xi in seq(0, 3):
                        for yi in seq(0, 3):
                            prod[y + yi, x + xi] = inp[y + yi, x + xi] * 2.0
                    out[y, x] = prod[y, x] + prod[1 + y, 1 + x]
    """)
    assert_equivalent(over2d, p, H=3, W=2)
    p = halide_compute_and_store_at_same(over2d, "prod", "out", "y")
    _same(p, """
        def over2d(H: size, W: size, inp: f32[H + 2, W + 2] @ DRAM, out: f32[H, W] @ DRAM):
            for y in seq(0, H):
                prod: f32[3, 2 + W] @ DRAM
                for yi in seq(0, 3):
                    for x in seq(0, 2 + W):
                        prod[yi, x] = inp[y + yi, x] * 2.0
                for x in seq(0, W):
                    out[y, x] = prod[0, x] + prod[1, 1 + x]
    """)
    assert_equivalent(over2d, p, H=3, W=2)
    p = halide_compute_at(tiled_over, "prod", "out", "y", with_prologue=False)
    _same(p, """
        def tiled_over(H: size, inp: f32[H + 6] @ DRAM, out: f32[H] @ DRAM):
            assert H % 4 == 0
            prod: f32[6 + H] @ DRAM
            for y in seq(0, H / 4):
                for yi in seq(0, 10):
                    prod[yi + 4 * y] = inp[yi + 4 * y] * 2.0
                for yi in seq(0, 4):
                    out[yi + 4 * y] = prod[yi + 4 * y] + prod[2 + yi + 4 * y]
    """)
    assert_equivalent(tiled_over, p, H=8)
    p = halide_compute_at(under_assert, "prod", "out", "y", with_prologue=False)
    _same(p, """
        def under_assert(H: size, inp: f32[H] @ DRAM, out: f32[H] @ DRAM):
            assert H >= 2
            prod: f32[H] @ DRAM
            for y in seq(0, -1 + H):
                for yi in seq(0, 2):
                    prod[y + yi] = inp[y + yi] * 2.0
                out[y] = prod[y] + prod[1 + y]
    """)
    assert_equivalent(under_assert, p, H=4)


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


def test_store_at_shrinks_the_buffer_to_the_loop_body():
    tiled = halide_tile(pointwise, "out", "y", "x", "yi", "xi", 4, 4)
    c = halide_compute_at(tiled, "prod", "out", "x", with_prologue=False)
    p = store_at(c, c.find("prod : _"), c.find_loop("y"))
    _same(p, """
        def pointwise(W: size, H: size, inp: f32[H, W] @ DRAM, out: f32[H, W] @ DRAM):
            assert W % 4 == 0
            assert H % 4 == 0
            for y in seq(0, H / 4):
                prod: f32[4, W] @ DRAM
                for x in seq(0, W / 4):
                    for xi in seq(0, 4):
                        for yi in seq(0, 4):
                            prod[yi, xi + 4 * x] = inp[yi + 4 * y, xi + 4 * x] * 2.0
                    for yi in seq(0, 4):
                        for xi in seq(0, 4):
                            out[yi + 4 * y, xi + 4 * x] = prod[yi, xi + 4 * x] + 1.0
    """)
    assert_equivalent(pointwise, p, W=8, H=8)
    at_x = halide_store_at(c, "prod", "out", "x")
    _same(at_x, """
        def pointwise(W: size, H: size, inp: f32[H, W] @ DRAM, out: f32[H, W] @ DRAM):
            assert W % 4 == 0
            assert H % 4 == 0
            for y in seq(0, H / 4):
                for x in seq(0, W / 4):
                    prod: f32[4, 4] @ DRAM
                    for xi in seq(0, 4):
                        for yi in seq(0, 4):
                            prod[yi, xi] = inp[yi + 4 * y, xi + 4 * x] * 2.0
                    for yi in seq(0, 4):
                        for xi in seq(0, 4):
                            out[yi + 4 * y, xi + 4 * x] = prod[yi, xi] + 1.0
    """)
    assert_equivalent(pointwise, at_x, W=8, H=4)
    assert str(compute_and_store_at(tiled, "prod", tiled.find_loop("x #1"))) == str(at_x)
    assert str(halide_compute_and_store_at_same(tiled, "prod", "out", "x")) == str(at_x)


def test_store_at_errors():
    slid = halide_compute_at(blur, "prod", "out", "y")
    # the sliding window keeps rows from one iteration to the next
    with pytest.raises(SchedulingError, match="must be reached from the allocation of prod"):
        store_at(slid, slid.find("prod : _"), slid.find_loop("y #1"))
    with pytest.raises(SchedulingError, match="must be reached from the allocation of prod"):
        store_at(pointwise, pointwise.find("prod : _"), pointwise.find_loop("y #1"))


def test_compute_and_store_at_with_a_halo():
    tiled = halide_tile(blur, "out", "y", "x", "yi", "xi", 4, 4)
    p = halide_compute_and_store_at_same(tiled, "prod", "out", "x")
    _same(p, """
        def blur(W: size, H: size, inp: f32[H + 2, W] @ DRAM, out: f32[H, W] @ DRAM):
            assert W % 4 == 0
            assert H % 4 == 0
            for y in seq(0, H / 4):
                for x in seq(0, W / 4):
                    prod: f32[6, 4] @ DRAM
                    for xi in seq(0, 4):
                        for yi in seq(0, 6):
                            prod[yi, xi] = inp[yi + 4 * y, xi + 4 * x] * 2.0
                    for yi in seq(0, 4):
                        for xi in seq(0, 4):
                            out[yi + 4 * y, xi + 4 * x] = prod[yi, xi] + prod[1 + yi, xi] + prod[2 + yi, xi]
    """)
    assert_equivalent(blur, p, W=8, H=8)
    p = halide_compute_and_store_at_same(blur, "prod", "out", "x")
    _same(p, """
        def blur(W: size, H: size, inp: f32[H + 2, W] @ DRAM, out: f32[H, W] @ DRAM):
            assert W % 4 == 0
            assert H % 4 == 0
            for y in seq(0, H):
                for x in seq(0, W):
                    prod: f32[3, 1] @ DRAM
                    for yi in seq(0, 3):
                        prod[yi, 0] = inp[y + yi, x] * 2.0
                    out[y, x] = prod[0, 0] + prod[1, 0] + prod[2, 0]
    """)
    assert_equivalent(blur, p, W=4, H=4)
    p = halide_compute_and_store_at_same(blur1, "prod", "out", "x")
    _same(p, """
        def blur1(W: size, inp: f32[W + 2] @ DRAM, out: f32[W] @ DRAM):
            for x in seq(0, W):
                prod: f32[3] @ DRAM
                for xi in seq(0, 3):
                    prod[xi] = inp[x + xi] * 2.0
                out[x] = prod[0] + prod[1] + prod[2]
    """)
    assert_equivalent(blur1, p, W=5)


def test_halide_compute_and_store_at_slides_inside_the_store_loop():
    p = halide_compute_and_store_at(blur2, "prod", "out", "x", "y")
    _same(p, """
        def blur2(W: size, H: size, inp: f32[H + 2, W + 2] @ DRAM, out: f32[H, W] @ DRAM):
            for y in seq(0, H):
                prod: f32[3, 2 + W] @ DRAM
                for x in seq(0, 2):
                    for yi in seq(0, 3):
                        prod[yi, x] = inp[y + yi, x] * 2.0
                for x in seq(0, W):
                    for yi in seq(0, 3):
                        prod[yi, 2 + x] = inp[y + yi, 2 + x] * 2.0
                    out[y, x] = prod[0, x] + prod[1, 1 + x] + prod[2, 2 + x]
    """)
    assert_equivalent(blur2, p, W=4, H=3)
    same = halide_compute_and_store_at(blur1, "prod", "out", "x", "x")
    assert str(same) == str(halide_compute_and_store_at_same(blur1, "prod", "out", "x"))
    tiled = halide_tile(pointwise, "out", "y", "x", "yi", "xi", 4, 4)
    p = halide_compute_and_store_at(tiled, "prod", "out", "x", "y")  # Exo 1.0 fails here
    assert "prod: f32[4, W] @ DRAM" in str(p)
    assert_equivalent(pointwise, p, W=8, H=8)
    with pytest.raises(SchedulingError, match="store loop x must enclose the compute loop y"):
        halide_compute_and_store_at(tiled, "prod", "out", "y", "x")


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


def test_halide_compute_and_store_at_over_a_tiled_consumer():
    tiled = halide_tile(over_tiled2d, "out", "y", "x", "yi", "xi", 4, 4)
    # Exo 1.0 prints the same for these two
    p = halide_compute_and_store_at_same(tiled, "prod", "out", "x")
    assert "prod: f32[6, 6] @ DRAM" in str(p)
    assert "prod[yi, xi] = inp[yi + 4 * y, xi + 4 * x] * 2.0" in str(p)
    assert_equivalent(over_tiled2d, p, H=8, W=4)
    p = halide_compute_at(tiled, "prod", "out", "y", with_prologue=False)
    assert "for yi in seq(0, 6):\n            for x in seq(0, 2 + W):" in str(p)
    assert_equivalent(over_tiled2d, p, H=8, W=4)
    # Exo 1.0 fails ("Expressions are not equivalent"): a sliding window of stride 4
    p = halide_compute_and_store_at(tiled, "prod", "out", "x", "y")
    _same(p, """
        def over_tiled2d(H: size, W: size, inp: f32[H + 2, W + 2] @ DRAM, out: f32[H, W] @ DRAM):
            assert H % 4 == 0
            assert W % 4 == 0
            for y in seq(0, H / 4):
                prod: f32[6, 2 + W] @ DRAM
                for x in seq(0, 2):
                    for yi in seq(0, 6):
                        prod[yi, x] = inp[yi + 4 * y, x] * 2.0
                for x in seq(0, W / 4):
                    for xi in seq(0, 4):
                        for yi in seq(0, 6):
                            prod[yi, 2 + xi + 4 * x] = inp[yi + 4 * y, 2 + xi + 4 * x] * 2.0
                    for yi in seq(0, 4):
                        for xi in seq(0, 4):
                            out[yi + 4 * y, xi + 4 * x] = prod[yi, xi + 4 * x] + prod[2 + yi, 2 + xi + 4 * x]
    """)
    assert_equivalent(over_tiled2d, p, H=8, W=8)
