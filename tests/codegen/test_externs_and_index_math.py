"""Externs (select, relu, sin), floor division/modulo on index values, and
parallel loops."""

from __future__ import annotations

import math

import numpy as np

from exo_core import proc, f32, f64, size, index, compile_procs_to_strings
from exo_core.ir.extern import select, relu, sin
from exo_codegen.jit import jit


@proc
def activations(n: size, x: f32[n], y: f32[n], z: f32[n]):
    for i in seq(0, n):
        y[i] = relu(x[i])
        z[i] = select(x[i], 0.5, x[i] * 2.0, relu(x[i] - 1.0))


def test_select_relu_match_numpy(cc):
    x = np.linspace(-2, 3, 11).astype(np.float32)
    y = np.zeros_like(x)
    z = np.zeros_like(x)
    jit(activations, cc=cc)(11, x, y, z)
    np.testing.assert_allclose(y, np.maximum(x, 0))
    np.testing.assert_allclose(z, np.where(x < 0.5, x * 2, np.maximum(x - 1, 0)))
    text = activations.c_code_str()
    assert text.count("float _relu_float(float x)") == 1  # globl emitted once per type


@proc
def sin_f64(x: f64):
    x = sin(x) * 3.0


def test_sin_extern_as_in_the_externs_doc(cc):
    text = sin_f64.c_code_str()
    assert "#include <math.h>" in text
    assert "*x = sin((double)*x) * 3.0;" in text
    x = np.array([0.5])
    jit(sin_f64, cc=cc)(x)
    assert x[0] == math.sin(0.5) * 3.0


@proc
def floor_index(n: size, k: index, src: f32[n], q: f32[n], r: f32[n]):
    assert n == 8
    assert k >= -16 and k <= 8
    for i in seq(0, n):
        q[i] = src[(i + k) / 4 + 4]
        r[i] = src[(i + k) % 4]


def test_floor_semantics_on_negative_values(cc):
    src = np.arange(8, dtype=np.float32) * 10
    f = jit(floor_index, cc=cc)
    for k in (-7, -4, -1, 0, 3):
        q = np.zeros(8, np.float32)
        r = np.zeros(8, np.float32)
        f(8, k, src, q, r)
        idx = np.arange(8) + k
        np.testing.assert_array_equal(q, src[idx // 4 + 4], err_msg=f"k={k}")
        np.testing.assert_array_equal(r, src[idx % 4], err_msg=f"k={k}")
    text = floor_index.c_code_str()
    assert "exo_floor_div(i + k, 4)" in text and "exo_mod(i + k, 4)" in text


@proc
def nonneg_index(n: size, src: f32[n], dst: f32[n]):
    assert n % 4 == 0
    for i in seq(0, n):
        dst[i] = src[4 * (i / 4) + i % 4]


def test_plain_c_division_when_dividend_is_nonnegative(cc):
    c_text, _ = compile_procs_to_strings([nonneg_index], "nn.h")
    assert "dst[i] = src[4 * (i / 4) + i % 4];" in c_text
    assert "exo_floor_div" not in c_text and "exo_mod" not in c_text
    src = np.arange(12, dtype=np.float32)
    dst = np.zeros(12, np.float32)
    jit(nonneg_index, cc=cc)(12, src, dst)
    np.testing.assert_array_equal(dst, src)


def test_extern_used_in_both_precisions_emits_both_globals(c_syntax_check):
    @proc
    def two_relus(a: f32, b: f64):
        a = relu(a)
        b = relu(b)

    c_text, h_text = compile_procs_to_strings([two_relus], "relus.h")
    assert "float _relu_float(float x)" in c_text
    assert "double _relu_double(double x)" in c_text
    c_syntax_check(c_text, h_text, "relus.h")


@proc
def sqrt_of_sum(x: f64[2], y: f64[2]):
    for i in seq(0, 2):
        y[i] = sqrt(x[i] + x[i])


def test_math_extern_casts_a_compound_argument_whole(cc):
    text = sqrt_of_sum.c_code_str()
    assert "sqrt((double)(x[i] + x[i]))" in text
    x = np.array([2.0, 8.0])
    y = np.zeros(2)
    jit(sqrt_of_sum, cc=cc)(x, y)
    np.testing.assert_allclose(y, [2.0, 4.0])
