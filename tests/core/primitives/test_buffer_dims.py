"""resize_dim, rearrange_dim, divide_dim, mult_dim: goldens (equal to Exo
1.0's print), the checks, errors, forwarding, jit equivalence."""

from __future__ import annotations

import pytest

from exo_core import SchedulingError
from exo_stdlib.scheduling import divide_dim, mult_dim, rearrange_dim, resize_dim

from tests.core.primitives.buffer_procs import two_phase, window_rows, windowed_tmp
from tests.core.primitives.equivalence import assert_equivalent
from tests.core.primitives.scope_golden import check_golden


def test_resize_dim_shifts():
    p = resize_dim(window_rows, "t", 0, 4, 2)
    check_golden("buffers_resize_dim", p)
    assert_equivalent(window_rows, p, n=8)
    assert str(resize_dim(window_rows, "t", 0, "4", "2")) == str(p)
    q = resize_dim(windowed_tmp, "t", 1, 4, 0)
    check_golden("buffers_resize_dim_window", q)
    assert_equivalent(windowed_tmp, q, backend="interp")


def test_resize_dim_fold():
    p = resize_dim(window_rows, "t", 0, 4, 0, fold=True)
    check_golden("buffers_resize_dim_fold", p)
    assert_equivalent(window_rows, p, n=9)
    with pytest.raises(SchedulingError, match=r"the indices of t in dimension 1 must be less "
                                              r"than 4 apart"):
        resize_dim(two_phase, "t", 1, 4, 0, fold=True)


@pytest.mark.parametrize("args, message", [
    ((0, 3, 2), r"the access to t \(line \d+\) must stay within \[2, 2 \+ 3\) in dimension 0, "
                r"but this fails when i = 5"),
    ((0, 4, 3), r"must stay within \[3, 3 \+ 4\).*when i = 2"),
    ((0, 0, 2), "the new size 0 must be positive"),
    ((2, 4, 2), "dimension index 2 is out of range: t has 2 dimensions"),
    ((-1, 4, 2), "dim_idx must be at least 0"),
])
def test_resize_dim_errors(args, message):
    with pytest.raises(SchedulingError, match=message):
        resize_dim(window_rows, "t", *args)


def test_divide_and_mult_dim():
    p = divide_dim(window_rows, "t", 1, 4)
    check_golden("buffers_divide_dim", p)
    assert_equivalent(window_rows, p, n=8)
    q = mult_dim(window_rows, "t", 0, 1)
    check_golden("buffers_mult_dim", q)
    assert_equivalent(window_rows, q, n=8)
    r = mult_dim(divide_dim(two_phase, "t", 1, 4), "t", 1, 2)
    assert "t: f32[4, 4 * 2] @ DRAM" in str(r)
    assert_equivalent(two_phase, r)


@pytest.mark.parametrize("call, message", [
    (lambda: divide_dim(window_rows, "t", 1, 5), "cannot perfectly divide '12' by 5"),
    (lambda: divide_dim(window_rows, "t", 0, 4), "cannot perfectly divide 'n' by 4"),
    (lambda: divide_dim(window_rows, "t", 1, 0), "quotient must be at least 1"),
    (lambda: divide_dim(window_rows, "t", 2, 4), "dimension index 2 is out of range"),
    (lambda: divide_dim(windowed_tmp, "t", 1, 4), r"cannot divide t because it is windowed"),
    (lambda: mult_dim(window_rows, "t", 1, 0), "non-literal lower dimension: n"),
    (lambda: mult_dim(window_rows, "t", 0, 0), "cannot multiply dimension 0 by itself"),
    (lambda: mult_dim(window_rows, "t", 0, 2), "lo_dim_idx index 2 is out of range"),
    (lambda: rearrange_dim(window_rows, "t", [0, 0]), r"\[0, 0\] is not a permutation of"),
    (lambda: rearrange_dim(window_rows, "t", [0]), r"is not a permutation of \{0, 1\}"),
    (lambda: rearrange_dim(window_rows, "t", "10"), "permute_vector must be a list"),
])
def test_errors(call, message):
    with pytest.raises(SchedulingError, match=message):
        call()


def test_rearrange_dim():
    p = rearrange_dim(two_phase, "t", [1, 0])
    check_golden("buffers_rearrange_dim", p)
    assert_equivalent(two_phase, p)
    q = rearrange_dim(windowed_tmp, "t", [1, 0])
    assert "w = t[0:4, 1]" in str(q)
    assert_equivalent(windowed_tmp, q, backend="interp")


def test_cursors_forward():
    a = two_phase.find("t : _")
    s = two_phase.find("x = _")
    p = divide_dim(rearrange_dim(two_phase, a, [1, 0]), a, 0, 4)
    assert str(p.forward(a)._node().type) == "f32[2, 4, 4]"
    assert p.forward(s).parent().name() == "j"
