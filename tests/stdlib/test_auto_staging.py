"""auto_stage_mem and autolift_alloc: goldens (autolift_alloc's equal to
Exo 1.0's print; auto_stage_mem's window equal to Exo's up to constant
folding, and exact where Exo over-approximates a strided index), the
reference's return cursors, errors, equivalence."""

from __future__ import annotations

import textwrap

import pytest

from exo_core import SchedulingError, proc
from exo_core.cursors import AllocCursor, AssignCursor, BlockCursor, ForCursor, InvalidCursor
from exo_stdlib.scheduling import auto_stage_mem, autolift_alloc, simplify

from tests.core.primitives.equivalence import assert_equivalent


@proc
def foo(n: size, A: f32[16, 32], B: f32[16, 32], x: f32[8]):
    assert n <= 8
    for i in seq(0, 4):
        for j in seq(0, 8):
            B[i + 2, j] += A[i + 2, 2 * j + 1]
    for k in seq(0, n):
        x[k] = 0.0


def _text(src: str) -> str:
    return textwrap.dedent(src).strip()


def test_auto_stage_mem_read_window():
    p, (alloc, load, block, after) = auto_stage_mem(foo, foo.find_loop("i"), "A", "A_t", rc=True)
    assert str(simplify(p)) == _text("""
        def foo(n: size, A: f32[16, 32] @ DRAM, B: f32[16, 32] @ DRAM, x: f32[8] @ DRAM):
            assert n <= 8
            A_t: f32[4, 15] @ DRAM
            for i0 in seq(0, 4):
                for i1 in seq(0, 15):
                    A_t[i0, i1] = A[2 + i0, 1 + i1]
            for i in seq(0, 4):
                for j in seq(0, 8):
                    B[2 + i, j] += A_t[i, 2 * j]
            for k in seq(0, n):
                x[k] = 0.0
    """)
    # the reference's cursors: allocation, load, the block, the statement after it
    assert isinstance(alloc, AllocCursor) and alloc.name() == "A_t"
    assert isinstance(load, ForCursor) and load.name() == "i0"
    assert isinstance(block, BlockCursor) and block[0].name() == "i"
    assert isinstance(after, ForCursor) and after.name() == "k"
    assert_equivalent(foo, p, n=5)


def test_auto_stage_mem_read_write_and_accum():
    p = auto_stage_mem(foo, foo.find_loop("j"), "B")
    assert "var0: f32[8 - 0] @ DRAM" in str(p)  # the default name, as the reference
    assert str(p).count("B[i + 2, i0 + 0] = var0[i0]") == 1  # stored back
    assert_equivalent(foo, p, n=3)
    q = auto_stage_mem(foo, foo.find_loop("i"), "B", "B_t", accum=True)
    assert "B_t[i0, i1] = 0.0" in str(q) and "+= B_t[i0, i1]" in str(q)
    assert_equivalent(foo, q, n=3)


def test_auto_stage_mem_cursors_without_load():
    # no load (x is overwritten): the reference's first cursor is then the
    # statement before the allocation
    p, (c0, c1, block, store) = auto_stage_mem(foo, foo.find_loop("k"), "x", "xt", rc=True)
    assert isinstance(c0, ForCursor) and c0.name() == "i"
    assert isinstance(c1, AllocCursor) and c1.name() == "xt"
    assert isinstance(store, ForCursor) and store.name() == "i0"
    # a point access in a statement: a scalar, nothing after it
    q, (c0, c1, _, c3) = auto_stage_mem(foo, foo.find("B[_] += _"), "A", "a", rc=True)
    assert "a: f32 @ DRAM" in str(q) and "B[i + 2, j] += a" in str(q)
    assert isinstance(c0, AllocCursor) and isinstance(c1, AssignCursor)
    assert isinstance(c3, InvalidCursor)
    assert_equivalent(foo, q, n=4)


def test_auto_stage_mem_errors():
    with pytest.raises(SchedulingError, match="A is not accessed in the block"):
        auto_stage_mem(foo, foo.find_loop("k"), "A", "a")

    @proc
    def data_index(A: f32[8], idx: i32[4], y: f32[4]):
        for i in seq(0, 4):
            y[i] = A[i] + A[i]
    with pytest.raises(SchedulingError, match="expected the buffer's name"):
        auto_stage_mem(data_index, data_index.find_loop("i"), data_index.find_loop("i"))


@proc
def bar(x: f32[8, 4]):
    for i in seq(0, 8):
        for j in seq(0, 4):
            t: f32[2]
            t[0] = x[i, j]
            t[1] = x[i, j]
            x[i, j] = t[0] + t[1]
    for i in seq(0, 8):
        if i < 4:
            u: f32
            u = x[i, 0]
            x[i, 1] = u


def test_autolift_alloc_goldens_match_exo():
    p = autolift_alloc(bar, "t : _", n_lifts=2, keep_dims=True)
    assert str(p) == _text("""
        def bar(x: f32[8, 4] @ DRAM):
            t: f32[8, 4, 2] @ DRAM
            for i in seq(0, 8):
                for j in seq(0, 4):
                    t[i, j, 0] = x[i, j]
                    t[i, j, 1] = x[i, j]
                    x[i, j] = t[i, j, 0] + t[i, j, 1]
            for i in seq(0, 8):
                if i < 4:
                    u: f32 @ DRAM
                    u = x[i, 0]
                    x[i, 1] = u
    """)
    assert_equivalent(bar, p)
    q = autolift_alloc(bar, "t : _", n_lifts=2, keep_dims=True, mode="col")
    assert "t: f32[2, 8, 4] @ DRAM" in str(q) and "t[1, i, j] = x[i, j]" in str(q)
    assert_equivalent(bar, q)
    r = autolift_alloc(bar, "t : _")  # no dims kept: a plain lift
    assert str(r).splitlines()[2].strip() == "t: f32[2] @ DRAM"
    # an if is lifted over without a dimension
    s = autolift_alloc(bar, "u : _", n_lifts=2, keep_dims=True)
    assert "u: f32[8] @ DRAM" in str(s) and "x[i, 1] = u[i]" in str(s)
    assert_equivalent(bar, s)


def test_autolift_alloc_errors():
    with pytest.raises(SchedulingError, match="cannot lift 3 times"):
        autolift_alloc(bar, "t : _", n_lifts=3)
    with pytest.raises(SchedulingError, match="mode must be 'row' or 'col'"):
        autolift_alloc(bar, "t : _", mode="diag")
    with pytest.raises(SchedulingError, match="n_lifts must be a positive integer"):
        autolift_alloc(bar, "t : _", n_lifts=0)
    with pytest.raises(SchedulingError, match="not supported yet"):
        autolift_alloc(bar, "t : _", keep_dims=True, size=16)
