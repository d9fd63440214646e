"""fission / autofission against adversarial code: writes hidden in calls,
configuration fields in conditions, windows, reductions, multi-level lifts."""

from __future__ import annotations

from exo_core import proc
from exo_stdlib.scheduling import autofission, fission

from tests.core.adversarial.callees import Knobs, set_knob_k, set_one, set_pair
from tests.core.adversarial.harness import (assert_same_results, assert_scheduling_error,
                                            rejected_or_equivalent)

@proc
def element_call(x: f32[4], y: f32[4]):
    for i in seq(0, 3):
        set_one(x[i])
        y[i] = x[i + 1]


# Regression (was a strict xfail): a call passing a buffer element x[i] to a scalar
# parameter is analysed as a read of x[i], but the callee writes it
def test_write_through_scalar_element_call():
    rejected_or_equivalent(lambda: fission(element_call, element_call.find("set_one(_)").after()),
                           element_call, backend="jit")


@proc
def window_call(x: f32[8], y: f32[8]):
    for i in seq(0, 4):
        y[i] = x[2 * i + 1]
        set_pair(x[2 * i:2 * i + 2])


def test_write_through_window_call_to_disjoint_place():
    q = fission(window_call, window_call.find("y[_] = _").after())
    assert_same_results(window_call, q)


@proc
def window_call_overlap(x: f32[8], y: f32[8]):
    for i in seq(0, 3):
        set_pair(x[2 * i:2 * i + 2])
        y[i] = x[2 * i + 2]


def test_write_through_window_call_read_later_rejected():
    assert_scheduling_error(
        lambda: fission(window_call_overlap, window_call_overlap.find("set_pair(_)").after()),
        "fission would reorder them")


@proc
def knob_cond(x: f32[8], y: f32[8]):
    Knobs.k = 1
    if Knobs.k == 1:
        x[0] = 1.0
        set_knob_k()
        y[0] = 1.0


def test_if_condition_changed_by_callee_before_cut_rejected():
    assert_scheduling_error(lambda: fission(knob_cond, knob_cond.find("set_knob_k()").after()),
                            "configuration field")


@proc
def guarded_chain(x: f32[8], y: f32[8]):
    for i in seq(0, 7):
        if i > 0:
            x[i] = y[i - 1]
            y[i] = 2.0


def test_two_levels_through_if_rejected():
    assert_scheduling_error(
        lambda: fission(guarded_chain, guarded_chain.find("x[_] = _").after(), n_lifts=2),
        "iteration i=", "y[")


@proc
def guarded_disjoint(x: f32[8], y: f32[8]):
    for i in seq(0, 7):
        if i > 0:
            x[i] = y[i]
            y[i - 1] = 2.0


def test_two_levels_through_if_accepted():
    q = fission(guarded_disjoint, guarded_disjoint.find("x[_] = _").after(), n_lifts=2)
    assert_same_results(guarded_disjoint, q)


@proc
def two_reductions(x: f32[8], s: f32[8]):
    for i in seq(0, 8):
        s[0] += x[i]
        s[0] += 2.0


def test_reductions_commute():
    q = fission(two_reductions, two_reductions.find("s[_] += _").after())
    assert_same_results(two_reductions, q)


@proc
def reduce_then_read(x: f32[8], s: f32):
    for i in seq(0, 8):
        s += x[i]
        x[i] = s


def test_reduction_then_read_rejected():
    assert_scheduling_error(lambda: fission(reduce_then_read,
                                            reduce_then_read.find("s += _").after()),
                            "adds to s")


@proc
def private_alloc(n: size, x: f32[8], y: f32[8]):
    assert n >= 1 and n <= 8
    for i in seq(0, n):
        t: f32
        t = x[i]
        y[i] = t
        x[0] = 3.0


def test_per_iteration_alloc_used_after_cut_rejected():
    assert_scheduling_error(lambda: fission(private_alloc, private_alloc.find("t = _").after()),
                            "t is defined before the cut")


def test_autofission_removes_the_loop_it_can():
    # later iterations read x[i] with i >= 1, so x[0] = 3.0 may go after the
    # loop, and its own loop (n >= 1, idempotent) disappears
    q = autofission(private_alloc, private_alloc.find("y[_] = _").after())
    assert str(q).rstrip().endswith("x[0] = 3.0")
    assert str(q).count("for i in") == 1
    assert_same_results(private_alloc, q, n=[1, 2, 8])


@proc
def outer_alloc(x: f32[4, 8], y: f32[4, 8]):
    for i in seq(0, 4):
        t: f32[8]
        for j in seq(0, 8):
            t[j] = x[i, j]
            y[i, j] = t[j]


def test_alloc_one_level_up_used_after_the_second_cut_rejected():
    # level 1 splits the j loop (t is bound outside it); level 2 would leave
    # the second j loop outside the scope of t
    p = outer_alloc
    assert_scheduling_error(lambda: fission(p, p.find("t[_] = _").after(), n_lifts=2),
                            "t is defined before the cut")
    assert_same_results(p, fission(p, p.find("t[_] = _").after()))
