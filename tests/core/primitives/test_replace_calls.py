"""replace with a subprocedure whose body calls other procedures: a call of
the body unifies with a call of the block (same callee; windows, elements,
whole buffers and index arguments unified like any access)."""

from __future__ import annotations

import numpy as np
import pytest

from exo_core import SchedulingError, proc
from exo_core.errors import UnificationError
from exo_codegen.memories import AVX2
from exo_codegen.platforms.x86 import mm256_loadu_ps, mm256_storeu_ps
from exo_codegen.jit import jit
from exo_stdlib.scheduling import extract_subproc, inline, replace

from tests.codegen.target_tools import require
from tests.core.primitives.equivalence import assert_equivalent


@proc
def add4(x: [f32][4], y: [f32][4]):
    for i in seq(0, 4):
        y[i] += x[i]


@proc
def add8(x: [f32][8], y: [f32][8]):
    for k in seq(0, 2):
        add4(x[4 * k:4 * k + 4], y[4 * k:4 * k + 4])


@proc
def rows(a: f32[4, 8], b: f32[4, 8]):
    for r in seq(0, 4):
        for k in seq(0, 2):
            add4(a[r, 4 * k:4 * k + 4], b[r, 4 * k:4 * k + 4])


def test_windows_of_parameters_passed_on():
    p = replace(rows, "for k in _:_", add8)
    assert str(p) == (
        "def rows(a: f32[4, 8] @ DRAM, b: f32[4, 8] @ DRAM):\n"
        "    for r in seq(0, 4):\n"
        "        add8(a[r, 0:8], b[r, 0:8])")
    assert_equivalent(rows, p)


def test_extracted_block_with_a_call_is_replaced_back():
    p, sub = extract_subproc(rows, "for k in _:_", "row8")
    back = replace(inline(p, "row8(_)"), "for k in _:_", sub)
    assert str(back) == str(p)
    assert "row8(a, b, r)" in str(back)
    assert_equivalent(rows, back)


def test_whole_tensors_passed_on_print_as_exo():
    # Exo 1.0 accepts this case and prints the same procedure
    @proc
    def add4_t(x: f32[4], y: f32[4]):
        add4(x, y)

    @proc
    def p(a: f32[4], b: f32[4]):
        add4(a, b)

    q = replace(p, "add4(_)", add4_t)
    assert str(q) == "def p(a: f32[4] @ DRAM, b: f32[4] @ DRAM):\n    add4_t(a, b)"
    assert_equivalent(p, q)


def test_window_offsets_are_solved():
    @proc
    def shifted(x: [f32][8], y: [f32][8]):
        add4(x[0:4], y[4:8])

    @proc
    def p(a: f32[16], b: f32[16]):
        add4(a[2:6], b[8:12])

    q = replace(p, "add4(_)", shifted)
    assert "shifted(a[2:10], b[4:12])" in str(q)
    assert_equivalent(p, q)


def test_elements_and_index_arguments():
    @proc
    def scale(n: size, c: f32, y: [f32][n]):
        for i in seq(0, n):
            y[i] = c * y[i]

    @proc
    def scale_row(m: size, j: index, c: f32, y: [f32][m]):
        assert j >= 0 and j < m
        scale(m - j, c, y[j:m])

    @proc
    def p(n: size, a: f32[n], b: f32[n, 12]):
        for r in seq(0, n):
            scale(9, a[r], b[r, 3:12])

    q = replace(p, "scale(_)", scale_row)
    assert "scale_row(9, 0, a[r], b[r, 3:12])" in str(q)
    assert_equivalent(p, q, n=3)


def test_buffers_allocated_inside_are_paired():
    @proc
    def copy16(dst: [f32][16], src: [f32][16]):
        for k in seq(0, 2):
            v: f32[8] @ AVX2
            mm256_loadu_ps(v, src[8 * k:8 * k + 8])
            mm256_storeu_ps(dst[8 * k:8 * k + 8], v)

    @proc
    def p(a: f32[3, 16], b: f32[3, 16]):
        for r in seq(0, 3):
            for k in seq(0, 2):
                t: f32[8] @ AVX2
                mm256_loadu_ps(t, b[r, 8 * k:8 * k + 8])
                mm256_storeu_ps(a[r, 8 * k:8 * k + 8], t)

    q = replace(p, "for k in _:_", copy16)
    assert "copy16(a[r, 0:16], b[r, 0:16])" in str(q)
    assert_equivalent(p, q, backend="interp")
    flags = require("avx2").cflags + ("-Wno-psabi",)
    b = np.random.default_rng(0).integers(-4, 5, size=(3, 16)).astype(np.float32)
    for f in (p, q, inline(q, "copy16(_)")):
        a = np.zeros((3, 16), dtype=np.float32)
        jit(f, cflags=flags)(a, b.copy())
        np.testing.assert_array_equal(a, b)


# --------------------------------------------------------------------------
# Refusals


def test_different_callee():
    @proc
    def add4b(x: [f32][4], y: [f32][4]):
        for i in seq(0, 4):
            y[i] += x[i]

    @proc
    def wrap(x: [f32][4], y: [f32][4]):
        add4(x, y)

    @proc
    def p(a: f32[4], b: f32[4]):
        add4b(a, b)

    with pytest.raises(UnificationError, match="the call `add4\\(x, y\\)`.*add4 is not add4b"):
        replace(p, "add4b(_)", wrap, quiet=True)


def test_windows_that_no_offset_makes_equal():
    @proc
    def two(x: [f32][8], y: [f32][8]):
        add4(x[0:4], y[0:4])
        add4(x[4:8], y[4:8])

    @proc
    def p(a: f32[16], b: f32[16]):
        add4(a[0:4], b[0:4])
        add4(a[8:12], b[4:8])

    with pytest.raises(UnificationError, match="dimension 0 of a cannot be"):
        replace(p, "add4(_) ; add4(_)", two, quiet=True)


def test_interval_is_not_a_point():
    @proc
    def col(x: [f32][4, 4], y: [f32][4]):
        add4(x[0, 0:4], y)

    @proc
    def p(a: f32[4, 4], b: f32[4]):
        add4(a[0:4, 1], b)

    with pytest.raises(UnificationError, match="dimension 0 of a is a point of the "
                                               "subprocedure's window but an interval"):
        replace(p, "add4(_)", col, quiet=True)


def test_one_parameter_two_buffers():
    @proc
    def twice(x: [f32][4], y: [f32][4], z: [f32][4]):
        add4(x, y)
        add4(x, z)

    @proc
    def p(a: f32[4], b: f32[4], c: f32[4], d: f32[4]):
        add4(a, b)
        add4(d, c)

    with pytest.raises(UnificationError, match="the parameter x stands for a elsewhere"):
        replace(p, "add4(_) ; add4(_)", twice, quiet=True)


def test_whole_tensor_parameter_refuses_a_window():
    @proc
    def add4_t(x: f32[4], y: f32[4]):
        add4(x, y)

    @proc
    def p(a: f32[4, 4], b: f32[4, 4]):
        add4(a[1, 0:4], b[1, 0:4])

    with pytest.raises(UnificationError, match="the parameter x is a whole tensor"):
        replace(p, "add4(_)", add4_t, quiet=True)


def test_arguments_that_would_alias():
    @proc
    def two(x: [f32][4], y: [f32][4], z: [f32][4], w: [f32][4]):
        add4(x, z)
        add4(y, w)

    @proc
    def p(a: f32[8], b: f32[4], c: f32[4]):
        add4(a[0:4], b)
        add4(a[4:8], c)

    with pytest.raises(SchedulingError, match="buffer a is passed to two as both x and y"):
        replace(p, p.body(), two)


def test_local_buffer_stands_for_one_buffer():
    @proc
    def via(x: [f32][4], y: [f32][4]):
        t: f32[4]
        for i in seq(0, 4):
            t[i] = x[i]
        add4(t, y)

    @proc
    def p(a: f32[4], b: f32[4], c: f32[4]):
        t: f32[4]
        for i in seq(0, 4):
            t[i] = a[i]
        add4(c, b)

    with pytest.raises(UnificationError, match="t stands for t here, not c"):
        replace(p, p.body(), via, quiet=True)
