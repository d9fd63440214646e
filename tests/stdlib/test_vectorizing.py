"""Vectorisation helpers: vectorize, vectorize_predicate_tail,
parallelize_and_lift_alloc, parallelize_allocs, fma_rule, abs_rule (goldens equal to Exo 1.0's print, errors, jit equivalence)."""

from __future__ import annotations

import textwrap

import pytest

from exo_core import SchedulingError, proc
from exo_stdlib.scheduling import (abs_rule, fma_rule, parallelize_allocs,
                                   parallelize_and_lift_alloc)

from tests.core.primitives.equivalence import assert_equivalent


def _text(src: str) -> str:
    return textwrap.dedent(src).strip()


@proc
def rows(n: size, x: f32[n, 8, 4], y: f32[n, 8, 4]):
    for i in seq(0, n):
        for k in seq(0, 8):
            s: f32
            t: f32[4] @ DRAM
            for j in seq(0, 4):
                t[j] = x[i, k, j]
            s = t[0]
            for j in seq(0, 4):
                y[i, k, j] = t[j] * s


@proc
def guarded(n: size, x: f32[n, 8], y: f32[n, 8]):
    assert n > 2
    for i in seq(2, n):
        if i > 3:
            t: f32[8]
            for j in seq(0, 8):
                t[j] = x[i, j]
            for j in seq(0, 8):
                y[i, j] = t[j] * 2.0


def test_parallelize_and_lift_alloc_one_loop():
    p = parallelize_and_lift_alloc(rows, rows.find("t : _"))
    assert str(p).strip() == _text("""
        def rows(n: size, x: f32[n, 8, 4] @ DRAM, y: f32[n, 8, 4] @ DRAM):
            for i in seq(0, n):
                t: f32[8, 4] @ DRAM
                for k in seq(0, 8):
                    s: f32 @ DRAM
                    for j in seq(0, 4):
                        t[k, j] = x[i, k, j]
                    s = t[k, 0]
                    for j in seq(0, 4):
                        y[i, k, j] = t[k, j] * s
    """)
    assert_equivalent(rows, p, n=3)


def test_parallelize_and_lift_alloc_two_loops_scalar():
    p = parallelize_and_lift_alloc(rows, rows.find("s : _"), 2)
    assert str(p).strip() == _text("""
        def rows(n: size, x: f32[n, 8, 4] @ DRAM, y: f32[n, 8, 4] @ DRAM):
            s: f32[n, 8] @ DRAM
            for i in seq(0, n):
                for k in seq(0, 8):
                    t: f32[4] @ DRAM
                    for j in seq(0, 4):
                        t[j] = x[i, k, j]
                    s[i, k] = t[0]
                    for j in seq(0, 4):
                        y[i, k, j] = t[j] * s[i, k]
    """)
    assert_equivalent(rows, p, n=3)


def test_parallelize_and_lift_alloc_through_an_if_adds_no_dimension():
    # the loop starts at 2: the dimension is still the upper bound, indexed by i
    p = parallelize_and_lift_alloc(guarded, guarded.find("t : _"), 2)
    assert str(p).strip() == _text("""
        def guarded(n: size, x: f32[n, 8] @ DRAM, y: f32[n, 8] @ DRAM):
            assert n > 2
            t: f32[n, 8] @ DRAM
            for i in seq(2, n):
                if i > 3:
                    for j in seq(0, 8):
                        t[i, j] = x[i, j]
                    for j in seq(0, 8):
                        y[i, j] = t[i, j] * 2.0
    """)
    assert_equivalent(guarded, p, n=6)


def test_parallelize_and_lift_alloc_zero_lifts_is_the_identity():
    p = parallelize_and_lift_alloc(rows, rows.find("t : _"), 0)
    assert str(p) == str(rows)


def test_parallelize_and_lift_alloc_errors():
    with pytest.raises(SchedulingError, match="expected an allocation cursor, got ForCursor"):
        parallelize_and_lift_alloc(rows, rows.find_loop("i"))
    with pytest.raises(SchedulingError, match="specified lift level 1 is more than 0"):
        parallelize_and_lift_alloc(rows, rows.find("t : _"), 3)
    with pytest.raises(SchedulingError, match="n_lifts must be a non-negative int"):
        parallelize_and_lift_alloc(rows, rows.find("t : _"), -1)


def test_parallelize_allocs_out_of_the_outer_loop():
    p = parallelize_allocs(rows, rows.find_loop("i"))
    assert str(p).strip() == _text("""
        def rows(n: size, x: f32[n, 8, 4] @ DRAM, y: f32[n, 8, 4] @ DRAM):
            s: f32[n, 8] @ DRAM
            t: f32[n, 8, 4] @ DRAM
            for i in seq(0, n):
                for k in seq(0, 8):
                    for j in seq(0, 4):
                        t[i, k, j] = x[i, k, j]
                    s[i, k] = t[i, k, 0]
                    for j in seq(0, 4):
                        y[i, k, j] = t[i, k, j] * s[i, k]
    """)
    assert_equivalent(rows, p, n=3)


def test_parallelize_allocs_out_of_an_inner_loop():
    p = parallelize_allocs(rows, rows.find_loop("k"))
    assert str(p).strip() == _text("""
        def rows(n: size, x: f32[n, 8, 4] @ DRAM, y: f32[n, 8, 4] @ DRAM):
            for i in seq(0, n):
                s: f32[8] @ DRAM
                t: f32[8, 4] @ DRAM
                for k in seq(0, 8):
                    for j in seq(0, 4):
                        t[k, j] = x[i, k, j]
                    s[k] = t[k, 0]
                    for j in seq(0, 4):
                        y[i, k, j] = t[k, j] * s[k]
    """)
    assert_equivalent(rows, p, n=2)


def test_parallelize_allocs_out_of_an_if():
    p = parallelize_allocs(guarded, guarded.find("if _: _"))
    assert str(p).strip() == _text("""
        def guarded(n: size, x: f32[n, 8] @ DRAM, y: f32[n, 8] @ DRAM):
            assert n > 2
            for i in seq(2, n):
                t: f32[8] @ DRAM
                if i > 3:
                    for j in seq(0, 8):
                        t[j] = x[i, j]
                    for j in seq(0, 8):
                        y[i, j] = t[j] * 2.0
    """)
    assert_equivalent(guarded, p, n=6)


@pytest.mark.parametrize("where", ["body", "alloc"])
def test_parallelize_allocs_needs_a_loop_or_an_if(where):
    c = rows.body() if where == "body" else rows.find("t : _")
    with pytest.raises(SchedulingError, match="expected a loop or an if cursor"):
        parallelize_allocs(rows, c)


# --------------------------------------------------------------------------
# fma_rule, abs_rule (their results agree with Exo 1.0's, case by case)

@proc
def shapes(x: f32[8], y: f32[8], z: f32[8]):
    for i in seq(0, 8):
        y[i] = x[i] * z[i] + x[i] * y[i]
        y[i] = y[i] + x[i] * z[i]
        y[i] = x[i] * z[i] * y[i] + 2.0
        y[i] = y[i] + (x[i] * z[i] + 2.0)
        y[i] = select(0.0, x[i] + 1.0, x[i] + 1.0, -(x[i] + 1.0))
        y[i] = select(0.0, x[i], x[i], -x[i])
        y[i] = select(0.0, 2.0 * x[i], x[i] * 2.0, -(x[i] * 2.0))
        y[i] = select(1.0, x[i], x[i], -x[i])
        y[i] = select(0.0, x[i], -x[i], x[i])
        y[i] = -x[i]


def _rhs(k):
    return shapes.find_loop("i").body()[k].rhs()


def _texts(found):
    if found is None:
        return None
    return [_texts(c) if isinstance(c, list) else str(c) for c in found]


@pytest.mark.parametrize("k, expected", [
    (0, ["x[i]", "z[i]", "x[i] * y[i]"]),
    (1, ["y[i]", "x[i]", "z[i]"]),
    (2, ["x[i] * z[i]", "y[i]", "2.0"]),
    (3, None), (4, None), (9, None),
])
def test_fma_rule(k, expected):
    assert _texts(fma_rule(shapes, _rhs(k))) == expected


@pytest.mark.parametrize("k, expected", [
    (4, [["x[i] + 1.0"] * 3]),
    (5, [["x[i]"] * 3]),
    (6, None), (7, None), (8, None), (0, None), (9, None),
])
def test_abs_rule(k, expected):
    assert _texts(abs_rule(shapes, _rhs(k))) == expected


def test_rules_of_a_statement_and_of_a_non_cursor():
    assert fma_rule(shapes, shapes.find_loop("i")) is None
    assert abs_rule(shapes, shapes.find_loop("i")) is None
    with pytest.raises(SchedulingError, match="fma_rule: expected an expression cursor, got int"):
        fma_rule(shapes, 3)
