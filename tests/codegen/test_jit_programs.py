"""Seed programs compiled to C, run through the jit, compared with numpy."""

from __future__ import annotations

import numpy as np
import pytest

from exo_core import proc, f32, f64, i8, ui8, ui16, i32, size, index, DRAM
from exo_codegen.jit import jit

from tests.seed_examples import IC, N, OC, W, generic_conv1d  # seed 001's proc


@proc
def sized_conv1d(
    IC: size, N: size, OC: size, W: size,
    data: i32[IC, N] @ DRAM,
    kernels: i32[OC, IC, W] @ DRAM,
    out: i32[OC, N] @ DRAM,
):
    for i in seq(0, OC):
        for j in seq(0, N):
            out[i, j] = 0.0
            for c in seq(0, IC):
                for r in seq(0, W):
                    y: i32
                    if j + r < N:
                        y = data[c, j + r]
                    else:
                        y = 0
                    out[i, j] += kernels[i, c, r] * y


def conv1d_reference(data, kernels):
    ic, n = data.shape
    oc, _, w = kernels.shape
    padded = np.concatenate([data, np.zeros((ic, w), data.dtype)], axis=1).astype(np.int64)
    out = np.zeros((oc, n), np.int64)
    for j in range(n):
        out[:, j] = np.einsum("ocr,cr->o", kernels.astype(np.int64), padded[:, j:j + w])
    return out.astype(np.int32)


def test_generic_conv1d_matches_numpy(cc):
    rng = np.random.default_rng(0)
    data = rng.integers(-50, 50, (IC, N), dtype=np.int32)
    kernels = rng.integers(-50, 50, (OC, IC, W), dtype=np.int32)
    out = np.full((OC, N), 7, np.int32)
    jit(generic_conv1d, cc=cc)(data, kernels, out)
    np.testing.assert_array_equal(out, conv1d_reference(data, kernels))


@pytest.mark.parametrize("ic,n,oc,w", [(4, 16, 16, 4), (3, 10, 5, 2), (1, 1, 1, 1)])
def test_sized_conv1d_matches_numpy(cc, ic, n, oc, w):
    rng = np.random.default_rng(ic * 100 + n)
    data = rng.integers(-50, 50, (ic, n), dtype=np.int32)
    kernels = rng.integers(-50, 50, (oc, ic, w), dtype=np.int32)
    out = np.zeros((oc, n), np.int32)
    jit(sized_conv1d, cc=cc)(ic, n, oc, w, data, kernels, out)
    np.testing.assert_array_equal(out, conv1d_reference(data, kernels))


def test_sized_conv1d_c_uses_size_strides():
    text = sized_conv1d.c_code_str()
    assert "void sized_conv1d(void *ctxt, int_fast32_t IC, int_fast32_t N, int_fast32_t OC, " \
           "int_fast32_t W, const int32_t* data, const int32_t* kernels, int32_t* out)" in text
    assert "out[i * N + j] += kernels[i * IC * W + c * W + r] * y;" in text
    assert "y = data[c * N + j + r];" in text


@proc
def axpy_f64(n: size, a: f64, x: f64[n], y: f64[n]):
    for i in seq(0, n):
        y[i] += a * x[i]


def test_f64_scalar_arg(cc):
    x = np.arange(5, dtype=np.float64)
    y = np.ones(5)
    a = np.array(0.5)
    jit(axpy_f64, cc=cc)(5, a, x, y)
    np.testing.assert_allclose(y, 1 + 0.5 * np.arange(5))
    assert "const double* a" in axpy_f64.c_code_str()


@proc
def int_kernels(n: size, a: i8[n], b: ui8[n], c: ui16[n], d: i32[n], s: i32):
    for i in seq(0, n):
        a[i] = a[i] * 2
        b[i] += 3
        bw: ui16  # precisions may not mix in one operation (as in Exo): widen first
        bw = b[i]
        c[i] = c[i] + bw
        d[i] = d[i] - 1
        s += d[i]


def test_integer_precisions(cc):
    n = 6
    a = np.array([1, -2, 3, 60, -64, 0], np.int8)
    b = np.array([0, 1, 250, 10, 7, 3], np.uint8)
    c = np.array([1, 2, 3, 65534, 9, 0], np.uint16)
    d = np.arange(n, dtype=np.int32) * 10
    s = np.zeros(1, np.int32)
    a0, b0, c0, d0 = a.copy(), b.copy(), c.copy(), d.copy()
    jit(int_kernels, cc=cc)(n, a, b, c, d, s)
    np.testing.assert_array_equal(a, (a0.astype(np.int32) * 2).astype(np.int8))
    b1 = (b0.astype(np.int32) + 3).astype(np.uint8)
    np.testing.assert_array_equal(b, b1)
    np.testing.assert_array_equal(c, (c0.astype(np.int64) + b1).astype(np.uint16))
    np.testing.assert_array_equal(d, d0 - 1)
    assert s[0] == (d0 - 1).sum()
    text = int_kernels.c_code_str()
    assert "b[i] += ((uint8_t) 3);" in text
    assert "a[i] = a[i] * ((int8_t) 2);" in text


@proc
def scale_rows(m: size, n: size, alpha: f32, a: f32[m, n], out: f32[m, n]):
    for i in seq(0, m):
        for j in seq(0, n):
            out[i, j] = alpha * a[i, j] + 1.0


def test_2d_f32_with_sizes(cc):
    a = np.random.default_rng(1).standard_normal((3, 5)).astype(np.float32)
    out = np.zeros_like(a)
    alpha = np.array([2.0], np.float32)
    jit(scale_rows, cc=cc)(3, 5, alpha, a, out)
    np.testing.assert_allclose(out, 2 * a + 1, rtol=1e-6)
