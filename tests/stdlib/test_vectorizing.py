"""Vectorisation helpers: vectorize, vectorize_predicate_tail,
parallelize_reduction, parallelize_all_reductions, parallelize_and_lift_alloc,
parallelize_allocs, fma_rule, abs_rule (goldens compared with Exo 1.0's print,
errors, jit runs with AVX2 / AVX-512 instructions, equivalence)."""

from __future__ import annotations

import textwrap

import numpy as np
import pytest

from exo_core import DRAM, SchedulingError, proc
from exo_codegen.jit import jit
from exo_codegen.memories import AVX2, AVX512
from exo_codegen.platforms.x86 import (avx2_assoc_reduce_add_ps, mm256_add_ps, mm256_fmadd_ps,
                                       mm256_loadu_ps, mm256_mul_ps, mm256_setzero_ps,
                                       mm256_storeu_ps, mm512_add_ps, mm512_loadu_ps,
                                       mm512_storeu_ps)
from exo_codegen.targets import profile
from exo_stdlib.scheduling import (abs_rule, divide_loop, fma_rule, parallelize_all_reductions,
                                   parallelize_allocs, parallelize_and_lift_alloc,
                                   parallelize_reduction, vectorize, vectorize_cursors,
                                   vectorize_predicate_tail)

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


# --------------------------------------------------------------------------
# vectorize, vectorize_predicate_tail

@proc
def vadd(n: size, x: f32[n], y: f32[n], z: f32[n]):
    for k in seq(0, n):
        z[k] = x[k] + y[k]


@proc
def vfma(n: size, x: f32[n], y: f32[n], z: f32[n]):
    for k in seq(0, n):
        z[k] = x[k] * y[k] + z[k]


def test_vectorize_cut():
    p = vectorize(vadd, vadd.find_loop("k"), 8, "f32", AVX2, tail="cut")
    assert str(p).strip() == _text("""
        def vadd(n: size, x: f32[n] @ DRAM, y: f32[n] @ DRAM, z: f32[n] @ DRAM):
            for ko in seq(0, n / 8):
                var0: f32[8] @ AVX2
                var1: f32[8] @ AVX2
                var2: f32[8] @ AVX2
                for ki in seq(0, 8):
                    var1[ki] = x[8 * ko + ki]
                for ki in seq(0, 8):
                    var2[ki] = y[8 * ko + ki]
                for ki in seq(0, 8):
                    var0[ki] = var1[ki] + var2[ki]
                for ki in seq(0, 8):
                    z[8 * ko + ki] = var0[ki]
            for ki in seq(0, n % 8):
                z[ki + n / 8 * 8] = x[ki + n / 8 * 8] + y[ki + n / 8 * 8]
    """)  # Exo 1.0 prints the same


def test_vectorize_cut_and_guard_and_guard():
    p = vectorize(vadd, vadd.find_loop("k"), 8, "f32", AVX2, tail="cut_and_guard")
    assert "    if n % 8 > 0:\n        for ki in seq(0, n % 8):" in str(p)
    q = vectorize(vadd, vadd.find_loop("k"), 8, "f32", AVX2, tail="guard")
    assert str(q).strip() == _text("""
        def vadd(n: size, x: f32[n] @ DRAM, y: f32[n] @ DRAM, z: f32[n] @ DRAM):
            for ko in seq(0, (n + 7) / 8):
                var0: f32[8] @ AVX2
                var1: f32[8] @ AVX2
                var2: f32[8] @ AVX2
                for ki in seq(0, 8):
                    if 8 * ko + ki < n:
                        var1[ki] = x[8 * ko + ki]
                for ki in seq(0, 8):
                    if 8 * ko + ki < n:
                        var2[ki] = y[8 * ko + ki]
                for ki in seq(0, 8):
                    if 8 * ko + ki < n:
                        var0[ki] = var1[ki] + var2[ki]
                for ki in seq(0, 8):
                    if 8 * ko + ki < n:
                        z[8 * ko + ki] = var0[ki]
    """)  # Exo 1.0 prints the same


def test_vectorize_predicate_tails():
    p = vectorize(vadd, vadd.find_loop("k"), 8, "f32", AVX2, tail="predicate")
    lines = str(p).splitlines()
    assert lines[1] == "    for ko in seq(0, (7 + n) / 8):"
    assert lines[5:7] == ["        for ki in seq(0, 8):", "            if ki + 8 * ko < n:"]
    q = vectorize(vadd, vadd.find_loop("k"), 8, "f32", AVX2)  # tail="cut_and_predicate"
    assert str(q).strip() == _text("""
        def vadd(n: size, x: f32[n] @ DRAM, y: f32[n] @ DRAM, z: f32[n] @ DRAM):
            for ko in seq(0, (n + 7) / 8 - 1):
                var0: f32[8] @ AVX2
                var1: f32[8] @ AVX2
                var2: f32[8] @ AVX2
                for ki in seq(0, 8):
                    var1[ki] = x[ki + 8 * ko]
                for ki in seq(0, 8):
                    var2[ki] = y[ki + 8 * ko]
                for ki in seq(0, 8):
                    var0[ki] = var1[ki] + var2[ki]
                for ki in seq(0, 8):
                    z[ki + 8 * ko] = var0[ki]
            for ko in seq((n + 7) / 8 - 1, (7 + n) / 8):
                var0: f32[8] @ AVX2
                var1: f32[8] @ AVX2
                var2: f32[8] @ AVX2
                for ki in seq(0, 8):
                    if ki + 8 * ko < n:
                        var1[ki] = x[ki + 8 * ko]
                for ki in seq(0, 8):
                    if ki + 8 * ko < n:
                        var2[ki] = y[ki + 8 * ko]
                for ki in seq(0, 8):
                    if ki + 8 * ko < n:
                        var0[ki] = var1[ki] + var2[ki]
                for ki in seq(0, 8):
                    if ki + 8 * ko < n:
                        z[ki + 8 * ko] = var0[ki]
    """)  # Exo 1.0 prints the same but for the first bound's (7 + n) / 8 - 1
    r = vectorize_predicate_tail(vadd, vadd.find_loop("k"), 8, "f32", AVX2)
    assert str(r) == str(q)
    in_dram = vectorize_predicate_tail(vadd, vadd.find_loop("k"), 8, "f32", DRAM)
    assert "for ko in seq(0, (n + 7) / 8 - 1):" in str(in_dram)  # DRAM: nothing staged
    assert_equivalent(vadd, in_dram, n=13)


def test_vectorize_with_instructions_and_cursors():
    p, cs = vectorize(vadd, vadd.find_loop("k"), 8, "f32", AVX2,
                      [mm256_loadu_ps, mm256_storeu_ps, mm256_add_ps], tail="cut", rc=True)
    assert "\n".join(str(p).splitlines()[1:10]) == textwrap.indent(_text("""
        for ko in seq(0, n / 8):
            var0: f32[8] @ AVX2
            var1: f32[8] @ AVX2
            var2: f32[8] @ AVX2
            mm256_loadu_ps(var1[0:8], x[8 * ko:8 + 8 * ko])
            mm256_loadu_ps(var2[0:8], y[8 * ko:8 + 8 * ko])
            mm256_add_ps(var0[0:8], var1[0:8], var2[0:8])
            mm256_storeu_ps(z[8 * ko:8 + 8 * ko], var0[0:8])
        for ki in seq(0, n % 8):
    """), "    ")
    assert isinstance(cs, vectorize_cursors) and cs.loop.name() == "ko"
    assert cs.loop.proc() is p


def test_vectorize_with_the_fma_rule():
    p = vectorize(vfma, vfma.find_loop("k"), 8, "f32", AVX2, rules=[fma_rule], tail="cut")
    assert "var0[ki] = var1[ki] * var2[ki] + var3[ki]" in str(p)
    assert "for ki in seq(0, 8):\n            z[8 * ko + ki] = var0[ki]" in str(p)


def test_vectorize_errors():
    with pytest.raises(SchedulingError, match="vectorize: expected a loop cursor, got "
                                              "AssignCursor"):
        vectorize(vadd, vadd.find("z[_] = _"), 8, "f32", AVX2)
    with pytest.raises(SchedulingError, match="tail must be one of cut, guard, cut_and_guard, "
                                              "perfect, predicate, cut_and_predicate; got 'x'"):
        vectorize(vadd, vadd.find_loop("k"), 8, "f32", AVX2, tail="x")
    with pytest.raises(SchedulingError, match="the trip count must be divisible by 8"):
        vectorize(vadd, vadd.find_loop("k"), 8, "f32", AVX2, tail="perfect")


def _profile_flags(name: str):
    p = profile(name)
    why = p.missing()
    if why is not None:
        pytest.skip(why)
    return tuple(p.cflags) + ("-Wno-psabi",)


@pytest.mark.parametrize("tail", ["cut", "cut_and_guard"])  # a predicated tail needs masked instructions
def test_vectorized_avx2_kernels_match_numpy(tail):
    flags = _profile_flags("avx2")
    p = vectorize(vfma, vfma.find_loop("k"), 8, "f32", AVX2,
                  [mm256_loadu_ps, mm256_storeu_ps, mm256_mul_ps, mm256_add_ps], tail=tail)
    assert "mm256_mul_ps(" in str(p) and "mm256_add_ps(" in str(p)
    f = jit(p, cflags=flags)
    rng = np.random.default_rng(3)
    for n in (1, 7, 8, 37):
        x, y, z = (rng.standard_normal(n).astype(np.float32) for _ in range(3))
        want = x * y + z
        f(n, x, y, z)
        np.testing.assert_allclose(z, want, rtol=1e-6, atol=1e-6)


def test_vectorized_avx512_kernel_matches_numpy():
    flags = _profile_flags("avx512-simde")
    p = vectorize(vadd, vadd.find_loop("k"), 16, "f32", AVX512,
                  [mm512_loadu_ps, mm512_storeu_ps, mm512_add_ps], tail="cut")
    assert "mm512_add_ps(" in str(p)
    f = jit(p, cflags=flags, include_dirs=())
    rng = np.random.default_rng(4)
    for n in (3, 16, 50):
        x, y = (rng.standard_normal(n).astype(np.float32) for _ in range(2))
        z = np.zeros(n, dtype=np.float32)
        f(n, x, y, z)
        np.testing.assert_allclose(z, x + y, rtol=1e-6)


@proc
def vdot(n: size, x: f32[n], y: f32[n], s: f32):
    for k in seq(0, n):
        s += x[k] * y[k]


def test_vectorize_a_reduction_gives_it_partial_sums():
    p = vectorize(vdot, vdot.find_loop("k"), 8, "f32", AVX2, tail="cut")
    assert str(p).strip() == _text("""
        def vdot(n: size, x: f32[n] @ DRAM, y: f32[n] @ DRAM, s: f32 @ DRAM):
            var0: f32[8] @ AVX2
            for ki in seq(0, 8):
                var0[ki] = 0.0
            for ko in seq(0, n / 8):
                var1: f32[8] @ AVX2
                var2: f32[8] @ AVX2
                var3: f32[8] @ AVX2
                for ki in seq(0, 8):
                    var2[ki] = x[ki + 8 * ko]
                for ki in seq(0, 8):
                    var3[ki] = y[ki + 8 * ko]
                for ki in seq(0, 8):
                    var1[ki] = var2[ki] * var3[ki]
                for ki in seq(0, 8):
                    var0[ki] += var1[ki]
            for ki in seq(0, 8):
                s += var0[ki]
            for ki in seq(0, n % 8):
                s += x[ki + 8 * (n / 8)] * y[ki + 8 * (n / 8)]
    """)  # Exo 1.0 prints the same but for the tail's index (ki + n / 8 * 8)


def test_vectorized_avx2_dot_product_matches_numpy():
    flags = _profile_flags("avx2")
    p = vectorize(vdot, vdot.find_loop("k"), 8, "f32", AVX2,
                  [mm256_setzero_ps, mm256_loadu_ps, mm256_fmadd_ps, avx2_assoc_reduce_add_ps],
                  rules=[fma_rule], tail="cut")
    assert "mm256_fmadd_ps(var0[0:8], var1[0:8], var2[0:8])" in str(p)
    assert "avx2_assoc_reduce_add_ps(var0[0:8], s)" in str(p)
    f = jit(p, cflags=flags)
    rng = np.random.default_rng(5)
    for n in (3, 8, 29):
        x, y = (rng.integers(-4, 5, n).astype(np.float32) for _ in range(2))
        s = np.zeros(1, dtype=np.float32)
        f(n, x, y, s)
        assert s[0] == float(x @ y)


def test_vectorize_in_dram_runs_equivalent():
    p = vectorize(vadd, vadd.find_loop("k"), 4, "f32", DRAM, tail="cut_and_predicate")
    assert_equivalent(vadd, p, n=11)
    q = vectorize(vfma, vfma.find_loop("k"), 4, "f32", DRAM, rules=[fma_rule], tail="guard")
    assert_equivalent(vfma, q, n=6)
    r = vectorize(vdot, vdot.find_loop("k"), 4, "f32", DRAM, tail="cut")
    assert_equivalent(vdot, r, n=11)


# --------------------------------------------------------------------------
# parallelize_reduction, parallelize_all_reductions

@proc
def dot64(x: f32[64], y: f32[64], s: f32):
    for i in seq(0, 64):
        s += x[i] * y[i]


@proc
def dot_n(n: size, x: f32[n], y: f32[n], s: f32):
    for i in seq(0, n):
        s += x[i] * y[i]


_dot_blocked = divide_loop(dot64, "i", 8, ["io", "ii"], perfect=True)

_PARTIAL_SUMS = """
    def dot64(x: f32[64] @ DRAM, y: f32[64] @ DRAM, s: f32 @ DRAM):
        var0: f32[8] @ DRAM
        for ii in seq(0, 8):
            var0[ii] = 0.0
        for io in seq(0, 8):
            for ii in seq(0, 8):
                var0[ii] += x[ii + 8 * io] * y[ii + 8 * io]
        for ii in seq(0, 8):
            s += var0[ii]
"""


def test_parallelize_reduction_over_the_second_loop():
    p = parallelize_reduction(_dot_blocked, _dot_blocked.find("s += _"), nth_loop=2)
    assert str(p).strip() == _text(_PARTIAL_SUMS)  # Exo 1.0 prints the same
    assert_equivalent(_dot_blocked, p)
    q = parallelize_all_reductions(_dot_blocked, _dot_blocked.find_loop("io"))
    assert str(q) == str(p)
    # over the inner loop alone there is nothing to reorder: left alone
    r = parallelize_all_reductions(_dot_blocked, _dot_blocked.find_loop("ii"))
    assert str(r) == str(_dot_blocked)


def test_parallelize_reduction_unrolled_in_registers():
    p = parallelize_reduction(_dot_blocked, _dot_blocked.find("s += _"), memory=AVX2,
                              nth_loop=2, unroll=True)
    lines = [ln.strip() for ln in str(p).splitlines()]
    assert lines[1] == "var0: f32[8] @ AVX2"
    assert lines[2:10] == [f"var0[{k}] = 0.0" for k in range(8)]
    assert lines[-8:] == [f"s += var0[{k}]" for k in range(8)]


def test_parallelize_reduction_with_a_factor():
    # Exo prints seq(0, 0 + 64) and x[i]; the loops are joined back by mult_loops
    p = parallelize_reduction(dot64, dot64.find("s += _"), 8)
    assert str(p).strip() == _text("""
        def dot64(x: f32[64] @ DRAM, y: f32[64] @ DRAM, s: f32 @ DRAM):
            var0: f32[8] @ DRAM
            for ii in seq(0, 8):
                var0[ii] = 0.0
            for i in seq(0, 64):
                var0[i % 8] += x[i % 8 + 8 * (i / 8)] * y[i % 8 + 8 * (i / 8)]
            for ii in seq(0, 8):
                s += var0[ii]
    """)
    assert_equivalent(dot64, p)
    q = parallelize_reduction(dot_n, dot_n.find("s += _"), 8)
    assert "for i in seq(0, n):\n        var0[i % 8] +=" in str(q)
    assert "for i in seq(n, (7 + n) / 8 * 8):\n        pass" in str(q)
    assert_equivalent(dot_n, q, n=13)
    r = parallelize_all_reductions(dot64, dot64.find_loop("i"), 4)
    assert "var0: f32[4] @ DRAM" in str(r)
    assert_equivalent(dot64, r)


def test_parallelize_reduction_errors():
    with pytest.raises(SchedulingError, match="expected loop i to contain exactly one statement"):
        parallelize_reduction(dot64, dot64.find("s += _"))
    with pytest.raises(SchedulingError, match="inside fewer than 3 loops"):
        parallelize_reduction(_dot_blocked, _dot_blocked.find("s += _"), nth_loop=3)
    with pytest.raises(SchedulingError, match="expected a reduction, got ForCursor"):
        parallelize_reduction(dot64, dot64.find_loop("i"))
    with pytest.raises(SchedulingError, match="nth_loop must be a positive int"):
        parallelize_reduction(dot64, dot64.find("s += _"), nth_loop=0)
