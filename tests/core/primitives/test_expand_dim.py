"""expand_dim: goldens (equal to Exo 1.0's print), the size and index
checks, window statements, forwarding, jit equivalence."""

from __future__ import annotations

import pytest

from exo_core import SchedulingError, proc
from exo_stdlib.scheduling import expand_dim

from tests.core.primitives.buffer_procs import guarded_tmp, tile_copy
from tests.core.primitives.equivalence import assert_equivalent
from tests.core.primitives.scope_golden import check_golden


def test_golden_and_equivalent():
    p = expand_dim(tile_copy, "t : _", "n", "i")
    check_golden("buffers_expand_dim", p)
    assert_equivalent(tile_copy, p, n=3)
    q = expand_dim(tile_copy, "t : _", 4, "j")
    check_golden("buffers_expand_dim_const", q)
    assert_equivalent(tile_copy, q, n=2)
    r = expand_dim(tile_copy, "t : _", "n", "j + i - j")
    assert "t[j + i - j, j] = x[i, j]" in str(r)


def test_index_checked_where_the_buffer_is_used():
    # i < 3 holds at every use, so a dimension of 3 suffices
    p = expand_dim(guarded_tmp, "t : _", 3, "i")
    check_golden("buffers_expand_dim_guarded", p)
    assert_equivalent(guarded_tmp, p, n=5)


@pytest.mark.parametrize("dim, index, message", [
    (4, "i", r"the index i of t must be within \[0, 4\) where t is used \(line \d+\), but "
             r"this fails when i = 4"),
    (0, "j", "the new dimension's size 0 must be positive"),
    ("n", "j+1", r"the index j \+ 1 of t must be within \[0, n\)"),
    ("n", "k", "k is not a variable visible here"),
    ("n", 2.5, "expected an expression"),
])
def test_errors(dim, index, message):
    with pytest.raises(SchedulingError, match=message):
        expand_dim(tile_copy, "t : _", dim, index)


def test_window_statement_gets_a_point():
    @proc
    def winuse(n: size, x: f32[n] @ DRAM, y: f32[n] @ DRAM):
        for i in seq(0, n):
            t: f32[4] @ DRAM
            w = t[1:3]
            w[0] = x[i]
            y[i] = w[0]
    p = expand_dim(winuse, "t : _", "n", "i")
    assert "w = t[i, 1:3]" in str(p)
    assert_equivalent(winuse, p, n=3)


def test_whole_buffer_argument_is_refused():
    @proc
    def callee(a: f32[4] @ DRAM):
        a[0] = 1.0

    @proc
    def caller(x: f32[4] @ DRAM):
        t: f32[4] @ DRAM
        callee(t)
        x[0] = t[0]
    with pytest.raises(SchedulingError, match="passed whole to a call"):
        expand_dim(caller, "t : _", 2, 0)


def test_cursors_forward():
    a = tile_copy.find("t : _")
    s = tile_copy.find("y = _")
    p = expand_dim(tile_copy, a, 4, "j")
    assert str(p.forward(a)._node().type) == "f32[4, 4]"
    assert p.forward(a).name() == "t"
    assert p.forward(s).parent().name() == "j"
