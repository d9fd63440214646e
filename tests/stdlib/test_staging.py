"""Staging helpers: unroll_buffers, bind_and_set_expr, stage_expr_into_memory,
dealias, ordered_stage_expr, cse, unfold_reduce, stage_compute (goldens equal to Exo 1.0's print where Exo
accepts the case, errors, jit equivalence)."""

from __future__ import annotations

import textwrap

import pytest

from exo_core import DRAM, SchedulingError, proc
from exo_codegen.memories import AVX2, DRAM_STATIC
from exo_stdlib.scheduling import (abs_rule, bind_and_set_expr, bind_and_set_expr_cursors, cse,
                                   dealias, dealiasing_pass, fma_rule, inline_copies,
                                   ordered_stage_expr, stage_compute, stage_expr_into_memory,
                                   unfold_reduce, unroll_buffers, unroll_loop)

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


# --------------------------------------------------------------------------
# bind_and_set_expr, stage_expr_into_memory

@proc
def two_products(x: f32[8], y: f32[8], z: f32[8]):
    for i in seq(0, 8):
        y[i] = x[i] * z[i] + x[i] * y[i]


def test_bind_and_set_expr_names_the_first_free_var():
    p = bind_and_set_expr(two_products, two_products.find("x[_] * z[_]"), "f32", AVX2)
    assert str(p).strip() == _text("""
        def two_products(x: f32[8] @ DRAM, y: f32[8] @ DRAM, z: f32[8] @ DRAM):
            for i in seq(0, 8):
                var0: f32 @ AVX2
                var0 = x[i] * z[i]
                y[i] = var0 + x[i] * y[i]
    """)
    q = bind_and_set_expr(p, p.find("x[_] * y[_]"), "f64", DRAM)
    assert "var1: f64 @ DRAM\n        var1 = x[i] * y[i]\n        y[i] = var0 + var1" in str(q)


def test_bind_and_set_expr_with_a_name_and_cursors():
    e = two_products.find("x[_] * z[_]")
    p, cs = bind_and_set_expr(two_products, e, "R", DRAM, new_name="tmp", rc=True)
    assert "tmp: R @ DRAM\n        tmp = x[i] * z[i]\n        y[i] = tmp + x[i] * y[i]" in str(p)
    assert isinstance(cs, bind_and_set_expr_cursors)
    assert cs.alloc.name() == "tmp" and str(cs.bound_expr) == "tmp"
    assert str(cs.expr_reads) == "x[i] * z[i]"
    assert_equivalent(two_products, p)


def test_bind_and_set_expr_of_several_occurrences():
    xs = [two_products.find("x[_]"), two_products.find("x[_] #1")]
    p = bind_and_set_expr(two_products, xs, "f32", DRAM)
    assert "var0 = x[i]\n        y[i] = var0 * z[i] + var0 * y[i]" in str(p)
    assert_equivalent(two_products, p)


def test_stage_expr_into_memory_skips_a_read_already_there():
    x = two_products.find("x[_]")
    p, c = stage_expr_into_memory(two_products, x, "f32", DRAM)
    assert p is two_products and str(c) == "x[i]"
    p, c = stage_expr_into_memory(two_products, x, "f32", AVX2)
    assert "var0: f32 @ AVX2\n        var0 = x[i]" in str(p) and str(c) == "var0"
    p, c = stage_expr_into_memory(two_products, two_products.find("x[_] * z[_]"), "f32", DRAM)
    assert "var0 = x[i] * z[i]" in str(p) and str(c) == "var0"
    assert_equivalent(two_products, p)


def test_bind_and_set_expr_errors():
    with pytest.raises(SchedulingError, match="expected expression cursors, got ForCursor"):
        bind_and_set_expr(two_products, two_products.find_loop("i"), "f32", DRAM)
    with pytest.raises(SchedulingError, match="expected at least one expression"):
        bind_and_set_expr(two_products, [], "f32", DRAM)
    with pytest.raises(SchedulingError, match="precision"):
        bind_and_set_expr(two_products, two_products.find("x[_]"), "f33", DRAM)


# --------------------------------------------------------------------------
# dealias

@proc
def aliased(x: f32[8], y: f32[8], z: f32[8]):
    y[0] = x[0] + x[1] + x[0] + z[0] + x[1] + z[1] + x[2]
    y[5] = y[5] * y[5]
    y[1] += y[1]
    y[4] = x[0] * z[0]


def test_dealias_binds_all_but_the_last_read_of_each_buffer():
    # buffer by buffer: x's reads first, then z's (Exo's order)
    p = dealias(aliased, aliased.body()[0])
    assert "\n".join(str(p).splitlines()[1:12]) == textwrap.indent(_text("""
        var0: f32 @ DRAM
        var0 = x[0]
        var1: f32 @ DRAM
        var1 = x[1]
        var2: f32 @ DRAM
        var2 = x[0]
        var3: f32 @ DRAM
        var3 = x[1]
        var4: f32 @ DRAM
        var4 = z[0]
        y[0] = var0 + var1 + var2 + var4 + var3 + z[1] + x[2]
    """), "    ")
    assert_equivalent(aliased, p)


def test_dealias_binds_the_right_hand_side_of_a_self_update():
    p = dealias(aliased, aliased.body()[1])
    assert "\n".join(str(p).splitlines()[2:7]) == textwrap.indent(_text("""
        var0: f32 @ DRAM
        var0 = y[5]
        var1: f32 @ DRAM
        var1 = var0 * y[5]
        y[5] = var1
    """), "    ")
    q = dealias(aliased, aliased.body()[2])
    assert "var0 = y[1]\n    y[1] += var0" in str(q)
    assert_equivalent(aliased, p)
    assert_equivalent(aliased, q)


def test_dealias_leaves_a_statement_without_aliases():
    assert str(dealias(aliased, aliased.body()[3])) == str(aliased)


def test_dealias_keeps_the_precision_of_each_read():
    @proc
    def doubles(y: f64[8], z: f64[8]):
        y[0] = y[0] * z[0] + z[1]
    p = dealias(doubles, doubles.body()[0])
    assert str(p).strip() == _text("""
        def doubles(y: f64[8] @ DRAM, z: f64[8] @ DRAM):
            var0: f64 @ DRAM
            var0 = z[0]
            var1: f64 @ DRAM
            var1 = y[0] * var0 + z[1]
            y[0] = var1
    """)
    assert_equivalent(doubles, p)


@pytest.mark.parametrize("what", ["loop", "expr"])
def test_dealias_needs_an_assignment_or_reduction(what):
    c = staged_loop.find_loop("i") if what == "loop" else staged_loop.find("x[_]")
    with pytest.raises(SchedulingError, match="dealias: expected an assignment or a reduction"):
        dealias(staged_loop, c)


# --------------------------------------------------------------------------
# ordered_stage_expr

@proc
def staged_loop(n: size, x: f32[n, 8], y: f32[n, 8], z: f32[8]):
    for i in seq(0, n):
        for j in seq(0, 8):
            y[i, j] = x[i, j] * z[j] + x[i, j] * y[i, j]


def test_ordered_stage_expr_one_loop():
    es = [staged_loop.find("x[_] * z[_]"), staged_loop.find("x[_] * y[_]")]
    p = ordered_stage_expr(staged_loop, es, "t", "f32")
    assert str(p).strip() == _text("""
        def staged_loop(n: size, x: f32[n, 8] @ DRAM, y: f32[n, 8] @ DRAM, z: f32[8] @ DRAM):
            for i in seq(0, n):
                t: f32[8] @ DRAM
                for j in seq(0, 8):
                    t[j] = x[i, j] * z[j]
                for j in seq(0, 8):
                    y[i, j] = t[j] + x[i, j] * y[i, j]
    """)
    assert_equivalent(staged_loop, p, n=3)


def test_ordered_stage_expr_two_loops_and_a_precision():
    xs = [staged_loop.find("x[_]"), staged_loop.find("x[_] #1")]
    p = ordered_stage_expr(staged_loop, xs, "t", "f64", n_lifts=2)
    assert str(p).strip() == _text("""
        def staged_loop(n: size, x: f32[n, 8] @ DRAM, y: f32[n, 8] @ DRAM, z: f32[8] @ DRAM):
            t: f64[n, 8] @ DRAM
            for i in seq(0, n):
                for j in seq(0, 8):
                    t[i, j] = x[i, j]
            for i in seq(0, n):
                for j in seq(0, 8):
                    y[i, j] = t[i, j] * z[j] + t[i, j] * y[i, j]
    """)


def test_ordered_stage_expr_zero_lifts_binds_in_place():
    # Exo 1.0 fails here with an AttributeError
    p = ordered_stage_expr(staged_loop, [staged_loop.find("x[_]")], "t", "f32", n_lifts=0)
    assert "t: f32 @ DRAM\n            t = x[i, j]\n            y[i, j] = t * z[j]" in str(p)
    assert_equivalent(staged_loop, p, n=2)


def test_ordered_stage_expr_out_of_a_loop_it_does_not_depend_on():
    # the computation is hoisted out of a loop it does not depend on: fission
    # splits off a prefix that writes the same values in every iteration
    p = ordered_stage_expr(staged_loop, [staged_loop.find("z[_]")], "t", "f32", n_lifts=2)
    assert str(p).strip() == _text("""
        def staged_loop(n: size, x: f32[n, 8] @ DRAM, y: f32[n, 8] @ DRAM, z: f32[8] @ DRAM):
            t: f32[8] @ DRAM
            for j in seq(0, 8):
                t[j] = z[j]
            for i in seq(0, n):
                for j in seq(0, 8):
                    y[i, j] = x[i, j] * t[j] + x[i, j] * y[i, j]
    """)  # Exo 1.0 prints the same
    assert_equivalent(staged_loop, p, n=3)

    @proc
    def invariant(n: size, x: f32[n, 8], y: f32[n, 8]):
        for i in seq(0, n):
            for j in seq(0, 8):
                y[i, j] = x[i, 0] * y[i, j]
    # Exo 1.0 fails here with an AttributeError
    q = ordered_stage_expr(invariant, [invariant.find("x[_]")], "t", "f32")
    assert "t = x[i, 0]\n        for j in seq(0, 8):\n            y[i, j] = t * y[i, j]" in str(q)
    assert_equivalent(invariant, q, n=3)


def test_ordered_stage_expr_errors():
    @proc
    def guarded(n: size, x: f32[n, 8], y: f32[n, 8]):
        for i in seq(0, n):
            if i > 2:
                for j in seq(0, 8):
                    y[i, j] = x[i, j] * 2.0
    with pytest.raises(SchedulingError, match="lifting the staged computation out of an if is "
                                              "not supported yet"):
        ordered_stage_expr(guarded, [guarded.find("x[_]")], "t", "f32", n_lifts=2)
    with pytest.raises(SchedulingError, match="out of the procedure is not supported yet"):
        ordered_stage_expr(staged_loop, [staged_loop.find("x[_] * z[_]")], "t", "f32", 3)
    with pytest.raises(SchedulingError, match="n_lifts must be a non-negative int"):
        ordered_stage_expr(staged_loop, [staged_loop.find("x[_]")], "t", "f32", n_lifts=-1)


# --------------------------------------------------------------------------
# cse

@proc
def repeated(n: size, x: f32[n, 8], y: f32[n, 8], z: f32[8]):
    for i in seq(0, n):
        for j in seq(0, 8):
            y[i, j] = x[i, j] * z[j] + x[i, j] * y[i, j] + z[j] * 2.0
            y[i, j] += x[i, j] * z[j]


def test_cse_of_a_loop_body():
    p = cse(repeated, repeated.find_loop("j").body(), "f32")
    assert str(p).strip() == _text("""
        def repeated(n: size, x: f32[n, 8] @ DRAM, y: f32[n, 8] @ DRAM, z: f32[8] @ DRAM):
            for i in seq(0, n):
                for j in seq(0, 8):
                    var0: f32 @ DRAM
                    var0 = x[i, j]
                    var1: f32 @ DRAM
                    var1 = z[j]
                    var2: f32 @ DRAM
                    var2 = y[i, j]
                    var2 = var0 * var1 + var0 * var2 + var1 * 2.0
                    var2 += var0 * var1
                    y[i, j] = var2
    """)
    assert_equivalent(repeated, p, n=3)


def test_cse_of_one_statement_in_r():
    p = cse(repeated, repeated.find("y[_] = _"), "R")
    assert "\n".join(str(p).splitlines()[3:12]) == textwrap.indent(_text("""
        var0: R @ DRAM
        var0 = x[i, j]
        var1: R @ DRAM
        var1 = z[j]
        var2: f32 @ DRAM
        var2 = y[i, j]
        var2 = var0 * var1 + var0 * var2 + var1 * 2.0
        y[i, j] = var2
        y[i, j] += x[i, j] * z[j]
    """), "            ")


def test_cse_across_statements():
    @proc
    def three(x: f32[8], y: f32[8]):
        y[0] = x[0] + x[0]
        y[1] = x[0] * x[1]
        y[2] = (x[0] + x[1]) * (x[0] + x[1])
    p = cse(three, three.body(), "f32")
    assert str(p).strip() == _text("""
        def three(x: f32[8] @ DRAM, y: f32[8] @ DRAM):
            var0: f32 @ DRAM
            var0 = x[0]
            y[0] = var0 + var0
            var1: f32 @ DRAM
            var1 = x[1]
            y[1] = var0 * var1
            y[2] = (var0 + var1) * (var0 + var1)
    """)
    assert_equivalent(three, p)


def test_cse_of_a_buffer_updated_at_several_places():
    @proc
    def shifted(x: f32[8], y: f32[8]):
        y[0] = y[1] + x[0]
    with pytest.raises(SchedulingError, match="y is read and written at several places in the "
                                              "block; staging it is not supported yet"):
        cse(shifted, shifted.body(), "f32")


# --------------------------------------------------------------------------
# unfold_reduce, stage_compute

@proc
def accumulate(n: size, x: f32[n, 8], y: f32[n, 8]):
    for i in seq(0, n):
        for j in seq(0, 8):
            y[i, j] += -(x[i, j] * 2.0) + x[i, 0] * (x[0, j] - 1.0)


@proc
def scaled(n: size, x: f32[n, 8], y: f32[n, 8]):
    for i in seq(0, n):
        for j in seq(0, 8):
            y[i, j] = x[i, j] * 2.0 + x[i, 0] * (x[0, j] - 1.0)


def test_unfold_reduce():
    p = unfold_reduce(accumulate, accumulate.find("y[_] += _"))
    assert str(p).strip() == _text("""
        def accumulate(n: size, x: f32[n, 8] @ DRAM, y: f32[n, 8] @ DRAM):
            for i in seq(0, n):
                for j in seq(0, 8):
                    y[i, j] = y[i, j] + (-(x[i, j] * 2.0) + x[i, 0] * (x[0, j] - 1.0))
    """)
    assert_equivalent(accumulate, p, n=2)
    with pytest.raises(SchedulingError, match="unfold_reduce: expected a reduction, got "
                                              "BinOpCursor"):
        unfold_reduce(accumulate, accumulate.find("y[_] += _").rhs())


def test_stage_compute_in_dram_in_r():
    # the destination is in DRAM: the right-hand side itself stays; reads of
    # DRAM buffers are not staged; precision R by default
    p = stage_compute(scaled)
    assert "\n".join(str(p).splitlines()[3:]) == textwrap.indent(_text("""
        var0: R @ DRAM
        var1: R @ DRAM
        var1 = 2.0
        var0 = x[i, j] * var1
        var2: R @ DRAM
        var3: R @ DRAM
        var4: R @ DRAM
        var4 = 1.0
        var3 = x[0, j] - var4
        var2 = x[i, 0] * var3
        y[i, j] = var0 + var2
    """), "            ")
    assert_equivalent(scaled, p, n=2)


def test_stage_compute_of_a_reduction_into_registers():
    p = stage_compute(accumulate, accumulate.find_loop("j"), "f32", AVX2)
    assert "\n".join(str(p).splitlines()[3:]) == textwrap.indent(_text("""
        var0: f32 @ AVX2
        var1: f32 @ AVX2
        var1 = y[i, j]
        var2: f32 @ AVX2
        var3: f32 @ AVX2
        var4: f32 @ AVX2
        var5: f32 @ AVX2
        var5 = x[i, j]
        var6: f32 @ AVX2
        var6 = 2.0
        var4 = var5 * var6
        var3 = -var4
        var7: f32 @ AVX2
        var8: f32 @ AVX2
        var8 = x[i, 0]
        var9: f32 @ AVX2
        var10: f32 @ AVX2
        var10 = x[0, j]
        var11: f32 @ AVX2
        var11 = 1.0
        var9 = var10 - var11
        var7 = var8 * var9
        var2 = var3 + var7
        var0 = var1 + var2
        y[i, j] = var0
    """), "            ")
    # the same in DRAM runs, and the reduction is folded back
    q = stage_compute(accumulate, accumulate.find("y[_] += _"), "f32")
    assert str(q).splitlines()[-1].strip() == "y[i, j] += var0"
    assert_equivalent(accumulate, q, n=2)


def test_stage_compute_with_rules():
    p = stage_compute(scaled, scaled.find_loop("j"), "f32", children_ops=[fma_rule])
    assert "\n".join(str(p).splitlines()[3:]) == textwrap.indent(_text("""
        var0: f32 @ DRAM
        var0 = 2.0
        var1: f32 @ DRAM
        var2: f32 @ DRAM
        var3: f32 @ DRAM
        var3 = 1.0
        var2 = x[0, j] - var3
        var1 = x[i, 0] * var2
        y[i, j] = x[i, j] * var0 + var1
    """), "            ")
    assert_equivalent(scaled, p, n=2)

    @proc
    def absolute(x: f32[8], y: f32[8]):
        for i in seq(0, 8):
            y[i] = select(0.0, x[i], x[i], -x[i])
    q = stage_compute(absolute, absolute.find_loop("i"), "f32", AVX2, children_ops=[abs_rule])
    assert "\n".join(str(q).splitlines()[2:]) == textwrap.indent(_text("""
        var0: f32 @ AVX2
        var1: f32 @ AVX2
        var1 = x[i]
        var2: f32 @ AVX2
        var2 = var1
        var3: f32 @ AVX2
        var3 = var1
        var0 = select(0.0, var2, var3, -var1)
        y[i] = var0
    """), "        ")


# --------------------------------------------------------------------------
# dealiasing_pass, inline_copies (Exo 1.0 prints the same)

@proc
def copies(x: f32[8], y: f32[8]):
    for i in seq(0, 8):
        y[i] = x[i] * x[i]
        t: f32
        t = y[i]
        y[i] = t + t


def test_dealiasing_pass():
    p = dealiasing_pass(copies)
    assert "\n".join(str(p).splitlines()[2:]) == textwrap.indent(_text("""
        var0: f32 @ DRAM
        var0 = x[i]
        y[i] = var0 * x[i]
        t: f32 @ DRAM
        t = y[i]
        var1: f32 @ DRAM
        var1 = t
        y[i] = var1 + t
    """), "        ")
    assert_equivalent(copies, p)
    assert dealiasing_pass.__name__ == "dealiasing_pass"


def test_inline_copies():
    p = inline_copies(copies)
    assert "\n".join(str(p).splitlines()[2:]) == textwrap.indent(_text("""
        y[i] = x[i] * x[i]
        t: f32 @ DRAM
        y[i] = y[i] + y[i]
    """), "        ")
    assert_equivalent(copies, p, backend="interp")  # the unused t does not compile with -Werror
    q = inline_copies(copies, copies.find_loop("i").body()[0])  # not a copy: unchanged
    assert str(q) == str(copies)
