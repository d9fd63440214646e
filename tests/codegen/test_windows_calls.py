"""Window parameters, window statements, calls passing windows, tensors and
scalars, ``const`` inference and stride assertions."""

from __future__ import annotations

import numpy as np

from exo_core import proc, f32, i32, size, index, compile_procs_to_strings
from exo_codegen.jit import jit


@proc
def fill_win(n: size, x: [f32][n], v: f32):
    for i in seq(0, n):
        x[i] = v


@proc
def copy_win(n: size, dst: [f32][n], src: [f32][n]):
    for i in seq(0, n):
        dst[i] = src[i]


@proc
def blocks(a: f32[6, 8], b: f32[6, 8], v: f32):
    for i in seq(0, 6):
        fill_win(4, a[i, 2:6], v)
    copy_win(8, b[5, 0:8], a[1, 0:8])
    col = b[0:6, 7]
    for i in seq(0, 6):
        col[i] = a[i, 3] + 1.0


def test_windows_and_calls_match_numpy(cc):
    a = np.zeros((6, 8), np.float32)
    b = np.full((6, 8), -1.0, np.float32)
    v = np.array(2.5, np.float32)
    jit(blocks, cc=cc)(a, b, v)
    ea = np.zeros((6, 8), np.float32)
    ea[:, 2:6] = 2.5
    eb = np.full((6, 8), -1.0, np.float32)
    eb[5, :] = ea[1, :]
    eb[:, 7] = ea[:, 3] + 1
    np.testing.assert_array_equal(a, ea)
    np.testing.assert_array_equal(b, eb)


def test_const_inference_through_calls():
    c_text, h_text = compile_procs_to_strings([blocks, copy_win], "blocks.h")
    # `v` is only read; `a` is written through fill_win, `b` through copy_win
    # and through the window statement `col`
    assert "void blocks(void *ctxt, float* a, float* b, const float* v);" in h_text
    assert ("void copy_win(void *ctxt, int_fast32_t n, struct exo_win_1f32 dst, "
            "struct exo_win_1f32c src);") in h_text
    # read-only windows get the `c` struct variant at call sites
    assert "copy_win(ctxt, 8, (struct exo_win_1f32){ &b[40], { 1 } }, " \
           "(struct exo_win_1f32c){ &a[8], { 1 } });" in c_text
    assert "fill_win(ctxt, 4, (struct exo_win_1f32){ &a[i * 8 + 2], { 1 } }, v);" in c_text
    assert "struct exo_win_1f32 col = (struct exo_win_1f32){ &b[7], { 8 } };" in c_text
    # the window statement's stride is known statically (8)
    assert "col.data[i * 8] = a[i * 8 + 3] + 1.0f;" in c_text
    assert "#ifndef EXO_WIN_1F32C" in h_text


def test_strided_numpy_views_as_window_args(cc):
    f = jit(copy_win, cc=cc)
    src = np.arange(20, dtype=np.float32)
    dst = np.zeros((5, 4), np.float32)
    f(5, dst[:, 2], src[::4])
    np.testing.assert_array_equal(dst[:, 2], src[::4])
    np.testing.assert_array_equal(dst[:, [0, 1, 3]], 0)
    back = np.zeros(5, np.float32)
    f(5, back, src[::-4])  # negative strides are element strides too
    np.testing.assert_array_equal(back, src[::-4])


@proc
def unit_stride(n: size, x: [f32][n, 4], y: [i32][n]):
    assert stride(x, 1) == 1
    for i in seq(0, n):
        for j in seq(0, 4):
            x[i, j] = 1.0
        y[i] = 2


def test_stride_assertion_used_in_indexing(cc):
    text = unit_stride.c_code_str()
    assert "x.data[i * x.strides[0] + j] = 1.0f;" in text
    assert "y.data[i * y.strides[0]] = ((int32_t) 2);" in text
    x = np.zeros((3, 6), np.float32)
    y = np.zeros(3, np.int32)
    jit(unit_stride, cc=cc)(3, x[:, 1:5], y)
    assert (x[:, 1:5] == 1).all() and (x[:, [0, 5]] == 0).all()
    assert (y == 2).all()


@proc
def scalar_callee(a: f32, b: f32):
    b += a * 2.0


@proc
def scalar_caller(x: f32[4], out: f32):
    acc: f32
    acc = 0.0
    for i in seq(0, 4):
        scalar_callee(x[i], acc)
    scalar_callee(acc, out)


def test_scalar_args_by_pointer(cc):
    text = scalar_caller.c_code_str()
    assert "scalar_callee(ctxt, &x[i], &acc);" in text
    assert "scalar_callee(ctxt, &acc, out);" in text
    assert "static void scalar_callee(void *ctxt, const float* a, float* b);" in text
    x = np.array([1, 2, 3, 4], np.float32)
    out = np.array([1.0], np.float32)
    jit(scalar_caller, cc=cc)(x, out)
    assert out[0] == 1 + 2 * (2 * 10)


@proc
def tensor_callee(n: size, t: f32[n, 2]):
    for i in seq(0, n):
        t[i, 1] = t[i, 0]


@proc
def window_of_window(n: size, t: f32[n, 2], w: [f32][n, 2]):
    tensor_callee(n, t)
    sub = w[0:n, 1]
    for i in seq(0, n):
        sub[i] = 9.0
    copy_win(n, sub, t[0:n, 0])


def test_whole_tensor_and_window_of_window(cc):
    t = np.arange(8, dtype=np.float32).reshape(4, 2)
    big = np.zeros((4, 5), np.float32)
    jit(window_of_window, cc=cc)(4, t, big[:, 1:3])
    np.testing.assert_array_equal(t[:, 1], t[:, 0])
    np.testing.assert_array_equal(big[:, 2], t[:, 0])
    text = window_of_window.c_code_str()
    assert "tensor_callee(ctxt, n, t);" in text
    assert "struct exo_win_1f32 sub = (struct exo_win_1f32){ &w.data[w.strides[1]], " \
           "{ w.strides[0] } };" in text
    assert "sub.data[i * sub.strides[0]] = 9.0f;" in text
    assert "copy_win(ctxt, n, sub, (struct exo_win_1f32c){ &t[0], { 2 } });" in text


def test_compiled_calls_pass_gcc(c_syntax_check):
    c_text, h_text = compile_procs_to_strings(
        [blocks, unit_stride, scalar_caller, window_of_window], "calls.h")
    c_syntax_check(c_text, h_text, "calls.h")


@proc
def read_only_window_stmt(src: f32[8], dst: f32[4]):
    half = src[2:6]
    copy_win(4, dst[0:4], half)


def test_window_statement_over_read_only_buffer(cc):
    text = read_only_window_stmt.c_code_str()
    assert "struct exo_win_1f32c half = (struct exo_win_1f32c){ &src[2], { 1 } };" in text
    assert "copy_win(ctxt, 4, (struct exo_win_1f32){ &dst[0], { 1 } }, half);" in text
    src = np.arange(8, dtype=np.float32)
    dst = np.zeros(4, np.float32)
    jit(read_only_window_stmt, cc=cc)(src, dst)
    np.testing.assert_array_equal(dst, src[2:6])
