"""tile_loops and tile_loops_bottom_up: printed results compared with Exo
1.0's (ours folds constant trip counts such as ``16 / 4``; see
docs/porting.md), returned cursors, errors, equivalence."""

from __future__ import annotations

import textwrap

import pytest

from exo_core import SchedulingError, proc
from exo_stdlib.scheduling import tile_loops, tile_loops_bottom_up

from tests.core.primitives.equivalence import assert_equivalent


@proc
def mm(A: f32[16, 32], B: f32[32, 24], C: f32[16, 24]):
    for i in seq(0, 16):
        for j in seq(0, 24):
            for k in seq(0, 32):
                C[i, j] += A[i, k] * B[k, j]


@proc
def zero_nm(n: size, m: size, A: f32[n, m]):
    for i in seq(0, n):
        for j in seq(0, m):
            A[i, j] = 0.0


@proc
def two_stmts(x: f32[16, 24]):
    for i in seq(0, 16):
        x[i, 0] = 0.0
        for j in seq(0, 24):
            x[i, j] += 1.0


def _text(src: str) -> str:
    return textwrap.dedent(src).strip()


def test_tile_two_loops_golden_cursors_equivalence():
    p, inner = tile_loops(mm, [(mm.find_loop("i"), 4), (mm.find_loop("j"), 8)], perfect=True)
    assert str(p) == _text("""
        def mm(A: f32[16, 32] @ DRAM, B: f32[32, 24] @ DRAM, C: f32[16, 24] @ DRAM):
            for io in seq(0, 4):
                for jo in seq(0, 3):
                    for ii in seq(0, 4):
                        for ji in seq(0, 8):
                            for k in seq(0, 32):
                                C[ii + 4 * io, ji + 8 * jo] += A[ii + 4 * io, k] * B[k, ji + 8 * jo]
    """)
    assert [c.name() for c in inner] == ["ii", "ji"]
    assert_equivalent(mm, p)


def test_tile_three_loops_lifts_each_outer_loop_past_the_inner_ones():
    p, inner = tile_loops(mm, [(mm.find_loop("i"), 4), (mm.find_loop("j"), 8),
                               (mm.find_loop("k"), 8)], perfect=True)
    loops = [line.split()[1] for line in str(p).splitlines() if "for " in line]
    assert loops == ["io", "jo", "ko", "ii", "ji", "ki"]
    assert [c.name() for c in inner] == ["ii", "ji", "ki"]
    assert_equivalent(mm, p)


def test_tile_with_tails_and_fission():
    # a tile that does not divide the trip count gets a tail loop (Exo: the
    # same nest, with ``16 / 5`` not folded)
    p, _ = tile_loops(mm, [(mm.find_loop("i"), 5), (mm.find_loop("j"), 8)])
    assert str(p) == _text("""
        def mm(A: f32[16, 32] @ DRAM, B: f32[32, 24] @ DRAM, C: f32[16, 24] @ DRAM):
            for io in seq(0, 3):
                for jo in seq(0, 3):
                    for ii in seq(0, 5):
                        for ji in seq(0, 8):
                            for k in seq(0, 32):
                                C[ii + 5 * io, ji + 8 * jo] += A[ii + 5 * io, k] * B[k, ji + 8 * jo]
            for ii in seq(0, 1):
                for j in seq(0, 24):
                    for k in seq(0, 32):
                        C[15 + ii, j] += A[15 + ii, k] * B[k, j]
    """)
    assert_equivalent(mm, p)
    # a statement before the inner loop is split off so the outer loop can move up
    q, _ = tile_loops(two_stmts, [(two_stmts.find_loop("i"), 4), (two_stmts.find_loop("j"), 8)],
                      perfect=True)
    assert str(q) == _text("""
        def two_stmts(x: f32[16, 24] @ DRAM):
            for io in seq(0, 4):
                for ii in seq(0, 4):
                    x[ii + 4 * io, 0] = 0.0
                for jo in seq(0, 3):
                    for ii in seq(0, 4):
                        for ji in seq(0, 8):
                            x[ii + 4 * io, ji + 8 * jo] += 1.0
    """)
    assert_equivalent(two_stmts, q)
    r, _ = tile_loops(zero_nm, [(zero_nm.find_loop("i"), 4), (zero_nm.find_loop("j"), 4)])
    assert_equivalent(zero_nm, r, n=10, m=7)


def test_tile_errors():
    with pytest.raises(SchedulingError, match="divisible by 5"):
        tile_loops(mm, [(mm.find_loop("i"), 5)], perfect=True)
    with pytest.raises(SchedulingError, match="loop cursor"):
        tile_loops(mm, [("i", 4)])
    with pytest.raises(SchedulingError, match="not nested in the loops tiled before it"):
        tile_loops(mm, [(mm.find_loop("j"), 8), (mm.find_loop("i"), 4)], perfect=True)
    p, inner = tile_loops(mm, [])
    assert p is mm and inner == []


def test_tile_bottom_up_golden_and_equivalence():
    p = tile_loops_bottom_up(zero_nm, zero_nm.find_loop("i"), [4, 4])
    assert str(p) == _text("""
        def zero_nm(n: size, m: size, A: f32[n, m] @ DRAM):
            for io in seq(0, n / 4):
                for jo in seq(0, m / 4):
                    for ii in seq(0, 4):
                        for ji in seq(0, 4):
                            A[4 * io + ii, 4 * jo + ji] = 0.0
                if m % 4 > 0:
                    for ii in seq(0, 4):
                        for ji in seq(0, m % 4):
                            A[4 * io + ii, ji + m / 4 * 4] = 0.0
            if n % 4 > 0:
                for jo in seq(0, m / 4):
                    for ii in seq(0, n % 4):
                        for ji in seq(0, 4):
                            A[ii + n / 4 * 4, 4 * jo + ji] = 0.0
                if m % 4 > 0:
                    for ii in seq(0, n % 4):
                        for ji in seq(0, m % 4):
                            A[ii + n / 4 * 4, ji + m / 4 * 4] = 0.0
    """)  # Exo 1.0 prints the same
    for n, m in ((8, 8), (9, 6), (3, 5)):
        assert_equivalent(zero_nm, p, n=n, m=m)
    # the untiled k loop stays above the inner tile loops
    q = tile_loops_bottom_up(mm, mm.find_loop("i"), [4, 8])
    loops = [line.split()[1] for line in str(q).splitlines() if "for " in line]
    assert loops == ["io", "jo", "k", "ii", "ji"]
    assert_equivalent(mm, q)


def test_tile_bottom_up_errors():
    with pytest.raises(SchedulingError, match="loop cursor"):
        tile_loops_bottom_up(mm, "i", [4])
    with pytest.raises(SchedulingError, match="non-empty list"):
        tile_loops_bottom_up(mm, mm.find_loop("i"), [])
    with pytest.raises(SchedulingError, match="exactly one loop in its body"):
        tile_loops_bottom_up(two_stmts, two_stmts.find_loop("i"), [4, 8])
