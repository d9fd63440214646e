"""reuse_buffer, unroll_buffer, inline_window: goldens (equal to Exo 1.0's
print where Exo accepts the case), errors, forwarding, jit equivalence."""

from __future__ import annotations

import pytest

from exo_core import SchedulingError, proc
from exo_stdlib.scheduling import inline_window, reuse_buffer, unroll_buffer

from tests.core.primitives.buffer_procs import both_live, pair_rows, row_window, two_temps
from tests.core.primitives.equivalence import assert_equivalent
from tests.core.primitives.scope_golden import check_golden


def test_reuse_buffer():
    p = reuse_buffer(two_temps, "a", "b")
    check_golden("buffers_reuse_buffer", p)
    assert_equivalent(two_temps, p)


@pytest.mark.parametrize("args, message", [
    (("b", "a"), "the allocation of a must come after the allocation of b"),
    (("a", "a"), "the two allocations must be different"),
])
def test_reuse_buffer_order(args, message):
    with pytest.raises(SchedulingError, match=message):
        reuse_buffer(two_temps, *args)


def test_reuse_buffer_needs_the_first_dead():
    with pytest.raises(SchedulingError, match=r"a is not dead where b is first used: a is used "
                                              r"after that \(line \d+\)"):
        reuse_buffer(both_live, "a", "b")

    @proc
    def types(x: f32[4] @ DRAM):
        a: f32[4] @ DRAM
        a[0] = x[0]
        x[1] = a[0]
        c: i32[4] @ DRAM
        c[0] = 1
    with pytest.raises(SchedulingError, match="must have the same type, but they are f32.4. "
                                              "and i32.4."):
        reuse_buffer(types, "a", "c")


# Decisions compared with Exo 1.0 on the same procedures: the first buffer
# must be dead from the first statement using the second one on.


@proc
def dead_before_first_use(a: f32[4], b: f32[4]):
    x: f32
    y: f32
    x = a[0]
    b[0] = x
    y = a[1]
    b[1] = y


@proc
def live_at_first_use(a: f32[4], b: f32[4]):
    x: f32
    y: f32
    x = a[0]
    y = a[1]
    b[0] = x
    b[1] = y


@proc
def read_in_later_iteration(a: f32[4], b: f32[4]):
    x: f32
    x = a[0]
    for i in seq(0, 4):
        b[i] = x
        y: f32
        y = a[i]
        b[i] += y


@proc
def fresh_in_each_iteration(a: f32[4], b: f32[4]):
    for i in seq(0, 4):
        x: f32
        y: f32
        x = a[i]
        b[i] = x
        y = a[i]
        b[i] += y


def test_reuse_buffer_after_the_last_use():
    # the case study's step: x is allocated before y's allocation and used
    # after it, but not after y's first use
    p = reuse_buffer(dead_before_first_use, "x : _", "y : _")
    assert str(p) == """def dead_before_first_use(a: f32[4] @ DRAM, b: f32[4] @ DRAM):
    x: f32 @ DRAM
    x = a[0]
    b[0] = x
    x = a[1]
    b[1] = x"""  # Exo 1.0 prints the same
    assert_equivalent(dead_before_first_use, p)
    q = reuse_buffer(fresh_in_each_iteration, "x : _", "y : _")
    assert_equivalent(fresh_in_each_iteration, q)


@pytest.mark.parametrize("p", [live_at_first_use, read_in_later_iteration])
def test_reuse_buffer_refuses_a_live_buffer(p):
    # read_in_later_iteration: x is used before y in the loop body, so the
    # next iteration would read what y left in x's storage
    with pytest.raises(SchedulingError, match=r"x is not dead where y is first used"):
        reuse_buffer(p, "x : _", "y : _")


def test_unroll_buffer():
    p = unroll_buffer(pair_rows, "a : _", 0)
    check_golden("buffers_unroll_buffer", p)
    assert_equivalent(pair_rows, p)

    @proc
    def scalars(x: f32[4] @ DRAM):
        t: f32[2] @ DRAM
        t[0] = x[0]
        t[1] = x[1]
        x[2] = t[0] + t[1]
    q = unroll_buffer(scalars, "t : _", 0)
    assert "t_0: f32 @ DRAM" in str(q) and "x[2] = t_0 + t_1" in str(q)
    assert_equivalent(scalars, q)


def test_unroll_buffer_errors():
    with pytest.raises(SchedulingError, match="expected a constant index of a in dimension 1, "
                                              "got i"):
        unroll_buffer(pair_rows, "a : _", 1)
    with pytest.raises(SchedulingError, match="dimension index 2 is out of range"):
        unroll_buffer(pair_rows, "a : _", 2)

    @proc
    def win(x: f32[4] @ DRAM):
        a: f32[4] @ DRAM
        a[0] = x[0]
        w = a[0:2]
        x[2] = w[1]
    with pytest.raises(SchedulingError, match="cannot unroll a at a dimension a window spans"):
        unroll_buffer(win, "a : _", 0)

    @proc
    def var(n: size, x: f32[n] @ DRAM):
        a: f32[n] @ DRAM
        a[0] = x[0]
    with pytest.raises(SchedulingError, match="dimension 0 of a must be a constant, got n"):
        unroll_buffer(var, "a : _", 0)


def test_inline_window():
    p = inline_window(row_window, "w = _")
    check_golden("buffers_inline_window", p)
    assert_equivalent(row_window, p, n=3)
    with pytest.raises(SchedulingError, match="expected a WindowStmt cursor, got a For cursor"):
        inline_window(row_window, "for i in _:_")


def test_inline_window_of_calls_and_strides():
    @proc
    def callee(n: size, a: [f32][n] @ DRAM):
        for i in seq(0, n):
            a[i] = 1.0

    @proc
    def caller(x: f32[8, 8] @ DRAM):
        w = x[1:5, 2]
        callee(4, w)
        callee(2, w[1:3])
        x[0, 0] = w[0]
    p = inline_window(caller, "w = _")
    assert "callee(4, x[1:5, 2])" in str(p)
    assert "callee(2, x[1 + 1:3 + 1, 2])" in str(p)
    assert "x[0, 0] = x[0 + 1, 2]" in str(p)
    assert_equivalent(caller, p)


def test_cursors_forward():
    s = row_window.find_loop("j")
    p = inline_window(row_window, "w = _")
    assert p.forward(s).name() == "j"
    a = pair_rows.find_loop("i")
    q = unroll_buffer(pair_rows, "a : _", 0)
    assert q.forward(a).name() == "i"
    r = reuse_buffer(two_temps, "a", "b")
    loop = two_temps.find_loop("i #2")
    assert r.forward(loop).name() == "i"
