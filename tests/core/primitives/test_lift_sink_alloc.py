"""lift_alloc, sink_alloc, delete_buffer: goldens (equal to Exo 1.0's print),
errors, forwarding, jit equivalence."""

from __future__ import annotations

import pytest

from exo_core import SchedulingError, proc
from exo_stdlib.scheduling import delete_buffer, lift_alloc, sink_alloc

from tests.core.primitives.buffer_procs import (carried, guarded_tmp, outer_tmp, tile_copy,
                                                tmp_buffer)
from tests.core.primitives.equivalence import assert_equivalent
from tests.core.primitives.scope_golden import check_golden


def test_lift_alloc_one_and_two_levels():
    p = lift_alloc(tile_copy, "t : _")
    check_golden("buffers_lift_alloc", p)
    assert_equivalent(tile_copy, p, n=3)
    q = lift_alloc(tile_copy, "t : _", n_lifts=2)
    check_golden("buffers_lift_alloc_2", q)
    assert_equivalent(tile_copy, q, n=3)


def test_lift_alloc_past_an_if():
    p = lift_alloc(guarded_tmp, "t : _", n_lifts=2)
    assert str(p) == str(outer_tmp).replace("outer_tmp", "guarded_tmp")
    assert_equivalent(guarded_tmp, p, n=5)


@pytest.mark.parametrize("n_lifts, message", [
    (3, "specified lift level 3 is more than 2, the number of loops and ifs above"),
    (0, "n_lifts must be at least 1"),
    ("1", "n_lifts must be an integer constant"),
])
def test_lift_alloc_errors(n_lifts, message):
    with pytest.raises(SchedulingError, match=message):
        lift_alloc(tile_copy, "t : _", n_lifts=n_lifts)


def test_lift_alloc_refuses_a_shape_that_depends_on_the_loop():
    @proc
    def f(n: size, x: f32[n] @ DRAM):
        for i in seq(0, n):
            t: f32[i + 1] @ DRAM
            t[i] = x[i]
            x[i] = t[i]
    with pytest.raises(SchedulingError, match="past loop i: its size depends on i"):
        lift_alloc(f, "t : _")
    with pytest.raises(SchedulingError, match="expected an allocation"):
        lift_alloc(f, "x")


def test_lift_alloc_refuses_a_size_only_the_if_keeps_positive():
    @proc
    def tail_tmp(K: size, x: f32[K]):
        if K % 4 > 0:
            t: f32[K % 4]
            for i in seq(0, K % 4):
                t[i] = x[i]
            for i in seq(0, K % 4):
                x[i] = t[i] * 2.0

    # K % 4 may be 0 outside the if: a zero-sized buffer is not a valid allocation
    with pytest.raises(SchedulingError, match=r"the size K % 4 of t must be positive"):
        lift_alloc(tail_tmp, "t : _")

    @proc
    def asserted_tmp(K: size, x: f32[K]):
        assert K % 4 > 0
        if K > 0:
            t: f32[K % 4]
            for i in seq(0, K % 4):
                t[i] = x[i]
            for i in seq(0, K % 4):
                x[i] = t[i] * 2.0

    p = lift_alloc(asserted_tmp, "t : _")
    assert_equivalent(asserted_tmp, p, K=7)


def test_lift_alloc_forwards():
    a = tile_copy.find("t : _")
    s = tile_copy.find("y = _")
    p = lift_alloc(tile_copy, a, n_lifts=2)
    assert p.forward(a).name() == "t" and p.forward(a)._loc.steps == (("body", 0),)
    assert p.forward(s).parent().name() == "j"


def test_sink_alloc_into_loop_and_if():
    p = sink_alloc(outer_tmp, "t : _")
    check_golden("buffers_sink_alloc", p)
    assert_equivalent(outer_tmp, p, n=5)

    @proc
    def ifs(n: size, x: f32[n] @ DRAM, y: f32[n] @ DRAM):
        t: f32[n] @ DRAM
        if n > 3:
            for i in seq(0, n):
                t[i] = x[i]
                y[i] = t[i]
        else:
            for i in seq(0, n):
                t[i] = 2.0 * x[i]
                y[i] = t[i]
    q = sink_alloc(ifs, "t : _")
    check_golden("buffers_sink_alloc_if_else", q)
    for n in (2, 5):
        assert_equivalent(ifs, q, n=n)


def test_sink_alloc_refuses_values_carried_across_iterations():
    with pytest.raises(SchedulingError, match="the statement after the allocation of t must be "
                                              "a loop or an if, but it is an assignment"):
        sink_alloc(carried, "t : _")

    @proc
    def carry(n: size, x: f32[n] @ DRAM, y: f32[n] @ DRAM):
        t: f32[2] @ DRAM
        for i in seq(0, n):
            t[1] = x[i]
            t[0] += t[1]
            y[i] = t[0]
    with pytest.raises(SchedulingError, match=r"iteration i = \d+ reads t \(line \d+\), which "
                                              r"iteration \d+ wrote"):
        sink_alloc(carry, "t : _")


def test_sink_alloc_refuses_a_use_after_the_scope():
    @proc
    def after(n: size, x: f32[n] @ DRAM, y: f32[n] @ DRAM):
        t: f32[n] @ DRAM
        for i in seq(0, n):
            t[i] = x[i]
        for i in seq(0, n):
            y[i] = t[i]
    with pytest.raises(SchedulingError, match="t is used after the scope"):
        sink_alloc(after, "t : _")


def test_sink_alloc_forwards():
    a = outer_tmp.find("t : _")
    p = sink_alloc(outer_tmp, a)
    assert p.forward(a).parent().name() == "i"


def test_delete_buffer():
    @proc
    def f(n: size, x: f32[n] @ DRAM):
        u: f32 @ DRAM
        for i in seq(0, n):
            x[i] = 1.0
    p = delete_buffer(f, "u : _")
    check_golden("buffers_delete_buffer", p)
    # the original does not compile with -Werror (unused variable): interpreter
    assert_equivalent(f, p, backend="interp", n=3)
    s = f.find("x = _")
    assert p.forward(s).parent().name() == "i"
    with pytest.raises(SchedulingError, match="t is used .*only an unused buffer can be deleted"):
        delete_buffer(tmp_buffer, "t : _")
