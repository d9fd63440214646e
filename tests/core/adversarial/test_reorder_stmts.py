"""reorder_stmts against adversarial code: writes hidden in calls, windows
and windows of windows, configuration fields, reductions."""

from __future__ import annotations

from exo_core import proc
from exo_stdlib.scheduling import reorder_stmts

from tests.core.adversarial.callees import Knobs, copy_pair, set_one, set_pair
from tests.core.adversarial.harness import (assert_same_results, assert_scheduling_error,
                                            rejected_or_equivalent)


@proc
def element_call(x: f32[4], y: f32[4]):
    set_one(x[0])
    y[0] = x[0]


# Regression (was a strict xfail): a call passing a buffer element x[0] to a scalar
# parameter is analysed as a read of x[0], but the callee writes it
def test_write_through_scalar_element_call():
    rejected_or_equivalent(lambda: reorder_stmts(element_call,
                                                 element_call.find("set_one(_)").expand(0, 1)),
                           element_call, backend="jit")


@proc
def through_window_stmt(x: f32[8], y: f32[8]):
    w = x[2:6]
    set_pair(w[2:4])
    y[0] = x[4]


@proc
def through_window_stmt_disjoint(x: f32[8], y: f32[8]):
    w = x[2:6]
    set_pair(w[0:2])
    y[0] = x[4]


def test_call_through_window_statement():
    p = through_window_stmt
    assert_scheduling_error(lambda: reorder_stmts(p, p.find("set_pair(_)").expand(0, 1)),
                            "writes x[4]")
    p = through_window_stmt_disjoint
    assert_same_results(p, reorder_stmts(p, p.find("set_pair(_)").expand(0, 1)))


@proc
def two_calls(x: f32[8], y: f32[8]):
    copy_pair(x[0:2], y[0:2])
    set_pair(y[1:3])


@proc
def two_calls_disjoint(x: f32[8], y: f32[8]):
    copy_pair(x[0:2], y[0:2])
    set_pair(y[2:4])


@proc
def two_calls_overlap(x: f32[8], y: f32[8]):
    copy_pair(x[0:2], y[1:3])
    set_pair(y[1:3])


def test_two_calls():
    # copy_pair writes only b[0] (y[0]) and set_pair touches y[1], y[2]: the
    # callees' precise effects commute, as Exo decides
    p = two_calls
    assert_same_results(p, reorder_stmts(p, p.find("copy_pair(_)").expand(0, 1)))
    p = two_calls_disjoint
    assert_same_results(p, reorder_stmts(p, p.find("copy_pair(_)").expand(0, 1)))
    # copy_pair(x[0:2], y[1:3]) writes y[1], which set_pair writes too
    p = two_calls_overlap
    assert_scheduling_error(lambda: reorder_stmts(p, p.find("copy_pair(_)").expand(0, 1)),
                            "writes y[1]")


@proc
def window_of_window_in_loop(x: f32[8, 8], y: f32[8]):
    for i in seq(0, 8):
        w = x[:, i]
        v = w[2:4]
        set_pair(v)
    y[0] = x[3, 5]


@proc
def column_window_in_loop(x: f32[8, 8], y: f32[8]):
    for i in seq(0, 8):
        w = x[:, i]
        w[1] = 2.0
    y[0] = x[3, 1]


def test_windows_in_loops():
    p = window_of_window_in_loop
    assert_scheduling_error(lambda: reorder_stmts(p, p.find_loop("i").expand(0, 1)),
                            "writes x[3, 5]")
    p = column_window_in_loop
    assert_same_results(p, reorder_stmts(p, p.find_loop("i").expand(0, 1)))


@proc
def knob_write_read(y: f32[8]):
    Knobs.a = 3.0
    y[0] = Knobs.a


def test_config_write_then_read_rejected():
    p = knob_write_read
    assert_scheduling_error(lambda: reorder_stmts(p, p.find("Knobs.a = _").expand(0, 1)),
                            "Knobs.a")


@proc
def reductions(x: f32[8], y: f32[8]):
    y[0] += x[0]
    y[0] += x[1]
    y[1] += y[0]


def test_reductions():
    p = reductions
    assert_same_results(p, reorder_stmts(p, p.find("y[_] += _").expand(0, 1)))
    assert_scheduling_error(lambda: reorder_stmts(p, p.find("y[_] += _ #1").expand(0, 1)),
                            "reads y[0]")


@proc
def alloc_then_use(x: f32[8]):
    t: f32
    t = x[0]


def test_alloc_cannot_move_past_its_use():
    p = alloc_then_use
    assert_scheduling_error(lambda: reorder_stmts(p, p.find("t : _").expand(0, 1)),
                            "t is used")


@proc
def window_bounds_read_knob(x: f32[8], y: f32[8]):
    Knobs.k = 2
    w = x[Knobs.k:Knobs.k + 2]
    y[0] = w[0]


# Regression: binding a window reads the config fields in its bounds; moving the
# binding above the write changed which elements the window views
def test_window_statement_reads_configs_in_its_bounds():
    p = window_bounds_read_knob
    assert_scheduling_error(lambda: reorder_stmts(p, p.find("Knobs.k = _").expand(0, 1)),
                            "reads Knobs.k", "do not commute")
