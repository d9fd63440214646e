"""The jit refuses bad arguments with `JitArgumentError` (a TypeError)."""

from __future__ import annotations

import numpy as np
import pytest

from exo_core import proc, f32, i32, size, index, ExoTypeError
from exo_codegen.errors import JitArgumentError, CCompilerError
from exo_codegen.jit import jit, build_shared_library


@proc
def saxpy(n: size, a: f32, x: [f32][n], y: f32[n]):
    assert stride(x, 0) == 1
    for i in seq(0, n):
        y[i] += a * x[i]


@pytest.fixture(scope="module")
def f(cc):
    return jit(saxpy, cc=cc)


def _args():
    return [4, np.array(2.0, np.float32), np.ones(4, np.float32), np.zeros(4, np.float32)]


def test_good_call_and_keywords(f):
    n, a, x, y = _args()
    f(n, a, x, y=y)
    np.testing.assert_array_equal(y, 2.0)


@pytest.mark.parametrize("k,bad,fragment", [
    (0, 4.0, "argument n (size) must be an int, got float"),
    (0, -1, "argument n (size) must be a positive size (at least 1), got -1"),
    (0, 0, "argument n (size) must be a positive size (at least 1), got 0"),
    (0, True, "must be an int, got bool"),
    (1, 2.0, "argument a (f32) must be a numpy array of dtype float32, got float"),
    (1, np.ones(2, np.float32), "must be a 0-d or 1-element array, got shape (2,)"),
    (2, np.ones(4, np.float64), "argument x ([f32][n]) must have dtype float32, got float64"),
    (2, np.ones(5, np.float32), "must have shape [n=4], got [5]"),
    (3, np.ones((2, 2), np.float32), "argument y (f32[n]) must have shape [n=4], got [2, 2]"),
    (3, np.ones(8, np.float32)[::2], "must be C-contiguous"),
    (3, [0.0] * 4, "must be a numpy array of dtype float32, got list"),
])
def test_bad_argument(f, k, bad, fragment):
    args = _args()
    args[k] = bad
    with pytest.raises(JitArgumentError) as info:
        f(*args)
    assert fragment in str(info.value)
    assert isinstance(info.value, TypeError) and isinstance(info.value, ExoTypeError)


def test_wrong_arity(f):
    with pytest.raises(JitArgumentError, match="saxpy takes 4 arguments but 5 were given"):
        f(*_args(), 1)
    with pytest.raises(JitArgumentError, match="missing y"):
        f(*_args()[:3])
    with pytest.raises(JitArgumentError, match="no parameter named z"):
        f(*_args(), z=1)


def test_precondition_checked(f):
    args = _args()
    args[2] = np.ones(8, np.float32)[::2]
    with pytest.raises(JitArgumentError, match=r"precondition `assert stride\(x, 0\) == 1`"):
        f(*args)


def test_aliasing_of_written_buffer_refused(f):
    buf = np.ones(4, np.float32)
    with pytest.raises(JitArgumentError, match="x and y overlap in memory"):
        f(4, np.array(1.0, np.float32), buf, buf)


def test_read_only_array_for_written_arg(f):
    n, a, x, y = _args()
    y.setflags(write=False)
    with pytest.raises(JitArgumentError, match="written by the procedure"):
        f(n, a, x, y)


def test_compiler_errors_are_reported(cc):
    with pytest.raises(CCompilerError, match="the C compiler failed"):
        build_shared_library("int f(void) { return x; }\n", "", cc=cc)
    with pytest.raises(CCompilerError, match="no C compiler found"):
        build_shared_library("int f(void);\n", "", cc="no-such-compiler-exists")


def test_library_of_several_procs(cc):
    @proc
    def set_to(n: size, x: i32[n], v: index):
        for i in seq(0, n):
            x[i] = 0
    lib = jit([saxpy, set_to], cc=cc)
    x = np.ones(3, np.int32)
    lib.set_to(3, x, 5)
    assert (x == 0).all()
    assert lib["saxpy"].name == "saxpy"
    with pytest.raises(AttributeError):
        lib.nothing
