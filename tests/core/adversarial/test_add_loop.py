"""add_loop against adversarial code: hidden reductions in calls, blocks that
bind names used after them, zero-trip loops."""

from __future__ import annotations

from exo_core import proc
from exo_stdlib.scheduling import add_loop

from tests.core.adversarial.callees import add_one
from tests.core.adversarial.harness import (assert_same_results, assert_scheduling_error,
                                            rejected_or_equivalent)


@proc
def element_call(x: f32[8]):
    add_one(x[0])


# Regression (was a strict xfail): add_one(x[0]) reduces into x[0] but is analysed as a
# read, so the block passes as idempotent and runs twice
def test_reduction_through_scalar_element_call():
    rejected_or_equivalent(lambda: add_loop(element_call, "add_one(_)", "k", 2), element_call,
                           backend="jit")


@proc
def alloc_then_use(x: f32[4]):
    t: f32
    t = x[0]
    x[1] = t


@proc
def window_then_use(x: f32[4]):
    y = x[1:3]
    y[0] = 2.0


# Regression (was a strict xfail): wrapping an allocation or window statement in the new
# loop ends its scope, but later statements still use the name (the C code does not
# compile)
def test_alloc_used_after_the_block():
    p = alloc_then_use
    rejected_or_equivalent(lambda: add_loop(p, p.find("t : _").expand(0, 1), "k", 2), p)


# Regression (was a strict xfail): wrapping an allocation or window statement in the new
# loop ends its scope, but later statements still use the name (the C code does not
# compile)
def test_window_used_after_the_block():
    rejected_or_equivalent(lambda: add_loop(window_then_use, "y = _", "k", 2), window_then_use)


@proc
def reduce_one(n: size, x: f32[4]):
    x[0] += x[1]


def test_reduction_needs_guard():
    assert_scheduling_error(lambda: add_loop(reduce_one, "x[_] += _", "k", 3),
                            "not idempotent")
    q = add_loop(reduce_one, "x[_] += _", "k", 3, guard=True)
    assert_same_results(reduce_one, q, n=[1])


def test_loop_must_run():
    assert_scheduling_error(lambda: add_loop(reduce_one, "x[_] += _", "k", "n % 2",
                                             guard=True), "at least once", "n = ")
    assert_scheduling_error(lambda: add_loop(reduce_one, "x[_] += _", "k", 0, guard=True),
                            "at least once")


@proc
def idempotent(x: f32[4]):
    x[0] = x[1]
    x[2] = 1.0


def test_idempotent_block_accepted():
    p = idempotent
    assert_same_results(p, add_loop(p, p.find("x[_] = _").expand(0, 1), "k", 3))
