"""Staging helpers: unroll_buffers (goldens equal to Exo 1.0's print where Exo
accepts the case, errors, jit equivalence)."""

from __future__ import annotations

import textwrap

import pytest

from exo_core import DRAM, SchedulingError, proc
from exo_codegen.memories import AVX2, DRAM_STATIC
from exo_stdlib.scheduling import unroll_buffers, unroll_loop

from tests.core.primitives.equivalence import assert_equivalent


def _text(src: str) -> str:
    return textwrap.dedent(src).strip()


@proc
def mixed(x: f32[8], y: f32[8]):
    t: f32[2] @ DRAM_STATIC
    u: f32[2, 8] @ AVX2
    s: f32
    w: f32[1]
    t[0] = x[0]
    t[1] = x[1]
    w[0] = x[3]
    s = x[2]
    y[0] = t[0] + t[1] + s + w[0]
    for i in seq(0, 8):
        u[0, i] = x[i]
    for i in seq(0, 8):
        u[1, i] = x[i]
    for i in seq(0, 8):
        y[i] = u[0, i] + u[1, i]


@proc
def sparse(x: f32[8], y: f32[8]):
    t: f32[4, 2]
    u: f32[4]
    for i in seq(0, 8):
        y[i] = 0.0
    t[3, 1] = x[0]
    t[1, 0] = x[1]
    y[0] = t[3, 1] + t[1, 0]


def test_unroll_buffers_keeps_the_vector_dimension_of_mem():
    p = unroll_buffers(mixed, mem=AVX2)
    assert str(p).strip() == _text("""
        def mixed(x: f32[8] @ DRAM, y: f32[8] @ DRAM):
            t_0: f32 @ DRAM_STATIC
            t_1: f32 @ DRAM_STATIC
            u_0: f32[8] @ AVX2
            u_1: f32[8] @ AVX2
            s: f32 @ DRAM
            w_0: f32 @ DRAM
            t_0 = x[0]
            t_1 = x[1]
            w_0 = x[3]
            s = x[2]
            y[0] = t_0 + t_1 + s + w_0
            for i in seq(0, 8):
                u_0[i] = x[i]
            for i in seq(0, 8):
                u_1[i] = x[i]
            for i in seq(0, 8):
                y[i] = u_0[i] + u_1[i]
    """)


def test_unroll_buffers_one_buffer_per_index_used():
    # the unused buffer u and the unused rows of t disappear, as in Exo
    p = unroll_buffers(sparse)
    assert str(p).strip() == _text("""
        def sparse(x: f32[8] @ DRAM, y: f32[8] @ DRAM):
            t_1_0: f32 @ DRAM
            t_3_1: f32 @ DRAM
            for i in seq(0, 8):
                y[i] = 0.0
            t_3_1 = x[0]
            t_1_0 = x[1]
            y[0] = t_3_1 + t_1_0
    """)
    assert_equivalent(sparse, p)


def test_unroll_buffers_after_unrolling_the_loop():
    @proc
    def staged(x: f32[8], y: f32[8]):
        t: f32[4]
        for i in seq(0, 4):
            t[i] = x[i]
        y[0] = t[0] + t[1]
        y[1] = t[2] * t[3]
    p = unroll_buffers(unroll_loop(staged, "i"))
    assert str(p).strip() == _text("""
        def staged(x: f32[8] @ DRAM, y: f32[8] @ DRAM):
            t_0: f32 @ DRAM
            t_1: f32 @ DRAM
            t_2: f32 @ DRAM
            t_3: f32 @ DRAM
            t_0 = x[0]
            t_1 = x[1]
            t_2 = x[2]
            t_3 = x[3]
            y[0] = t_0 + t_1
            y[1] = t_2 * t_3
    """)
    assert_equivalent(staged, p)


def test_unroll_buffers_in_a_statement_only():
    # Exo loses its cursor here (InvalidCursorError); the buffer in the block is unrolled
    p = unroll_buffers(mixed, mixed.body()[0])
    assert "t_0: f32 @ DRAM_STATIC" in str(p) and "u: f32[2, 8] @ AVX2" in str(p)
    assert "w: f32[1] @ DRAM" in str(p)
    q = unroll_buffers(mixed, mixed.find_loop("i"))  # nothing allocated there
    assert str(q) == str(mixed)


@pytest.mark.parametrize("mem", [None, DRAM, DRAM_STATIC])
def test_unroll_buffers_needs_constant_indices(mem):
    # u_0[i]: Exo raises unroll_buffer's error too
    with pytest.raises(SchedulingError, match="expected a constant index of u_0 in dimension 0, "
                                              "got i"):
        unroll_buffers(mixed, mem=mem)


def test_unroll_buffers_needs_a_statement_or_block():
    with pytest.raises(SchedulingError, match="expected a statement or a block cursor"):
        unroll_buffers(mixed, mixed.find("x[_]"))
