"""specialize and add_unsafe_guard against adversarial code: blocks that bind
names used after them, conditions the verifier cannot state."""

from __future__ import annotations

from exo_core import SchedulingError, proc
from exo_stdlib.scheduling import add_unsafe_guard, specialize

from tests.core.adversarial.harness import (assert_same_results, assert_scheduling_error,
                                            assert_well_scoped, rejected_or_equivalent)


@proc
def alloc_then_use(n: size, x: f32[4]):
    t: f32
    t = x[0]
    x[1] = t


@proc
def window_then_use(n: size, x: f32[4]):
    y = x[1:3]
    y[0] = 2.0


# Regression (was a strict xfail): wrapping an allocation or window statement in an if
# ends its scope, but later statements still use the name (the C code does not compile)
def test_specialize_alloc_used_after_the_block():
    p = alloc_then_use
    rejected_or_equivalent(lambda: specialize(p, p.find("t : _"), "n < 4"), p, n=[2, 5])


# Regression (was a strict xfail): wrapping an allocation or window statement in an if
# ends its scope, but later statements still use the name (the C code does not compile)
def test_specialize_window_used_after_the_block():
    p = window_then_use
    rejected_or_equivalent(lambda: specialize(p, p.find("y = _"), "n < 4"), p, n=[2, 5])


# Regression (was a strict xfail): wrapping an allocation or window statement in an if
# ends its scope, but later statements still use the name (the C code does not compile)
def test_unsafe_guard_alloc_used_after_the_block():
    # the guard itself is the user's responsibility; the scoping is not
    p = alloc_then_use
    try:
        q = add_unsafe_guard(p, p.find("t : _"), "n > 0")
    except SchedulingError:  # refusing clearly is a fix too
        return
    assert_well_scoped(q)


def test_specialize_whole_scope_accepted():
    p = alloc_then_use
    q = specialize(p, p.find("t : _").expand(0, 2), ["n < 2", "n < 4"])
    assert_same_results(p, q, n=[1, 3, 5])


def test_specialize_rejects_config_and_data_conditions():
    p = alloc_then_use
    assert_scheduling_error(lambda: specialize(p, p.find("x[_] = _"), "x[0] < 1.0"),
                            "control")
    assert_scheduling_error(lambda: specialize(p, p.find("x[_] = _"), "m < 3"),
                            "m is not a variable visible here")


def test_scope_errors_name_the_variable():
    p = alloc_then_use
    for rewrite in (lambda: specialize(p, p.find("t : _"), "n < 4"),
                    lambda: add_unsafe_guard(p, p.find("t : _").expand(0, 1), "n > 0")):
        assert_scheduling_error(rewrite, "t is bound by the allocation", "used after it")
    p = window_then_use
    assert_scheduling_error(lambda: specialize(p, p.find("y = _"), "n < 4"),
                            "y is bound by the window statement")
