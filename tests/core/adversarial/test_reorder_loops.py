"""reorder_loops (and the interchange done by lift_scope) against adversarial
code: writes hidden in calls, windows, configuration-dependent bounds,
shadowed iterator names."""

from __future__ import annotations

from exo_core import proc
from exo_stdlib.scheduling import lift_scope, reorder_loops

from tests.core.adversarial.callees import Knobs, set_one
from tests.core.adversarial.harness import (assert_same_results, assert_scheduling_error,
                                            rejected_or_equivalent)


@proc
def element_call(x: f32[8, 8], y: f32[8, 8]):
    for i in seq(0, 7):
        for j in seq(0, 7):
            y[i, j] = x[i, j + 1]
            set_one(x[i + 1, j])


# Regression (was a strict xfail): set_one(x[i + 1, j]) writes x[i + 1, j] but is analysed
# as a read; iteration (i, j) reads what (i - 1, j + 1) wrote
def test_write_through_scalar_element_call():
    rejected_or_equivalent(lambda: reorder_loops(element_call, "i j"), element_call,
                           backend="jit")


@proc
def knob_inner_bound(x: f32[2, 8]):
    Knobs.k = 1
    for i in seq(0, 2):
        for j in seq(0, Knobs.k % 4):
            Knobs.k = 3  # the same value in every iteration (an iteration-dependent one is refused)
            x[i, j] = 1.0


def test_inner_bound_read_from_config_written_in_body_rejected():
    p = knob_inner_bound
    assert_scheduling_error(lambda: reorder_loops(p, "i j"), "configuration field")
    # lift_scope's interchange rejects it too (the bound read conflicts with the write)
    assert_scheduling_error(lambda: lift_scope(p, p.find_loop("j")), "Knobs.k")


@proc
def diagonal_window(x: f32[4, 8]):
    for i in seq(0, 3):
        for j in seq(0, 7):
            w = x[i:i + 2, j:j + 2]
            v = w[1, :]
            v[0] = w[0, 1]


@proc
def private_window(x: f32[4, 8]):
    for i in seq(0, 3):
        for j in seq(0, 8):
            w = x[i:i + 2, j:j + 1]
            w[1, 0] = w[0, 0]


def test_windows():
    assert_scheduling_error(lambda: reorder_loops(diagonal_window, "i j"),
                            "swapping the loops would reorder them")
    assert_same_results(private_window, reorder_loops(private_window, "i j"))


@proc
def shadowed(x: f32[4, 4]):
    for i in seq(0, 4):
        for i in seq(0, 3):
            x[i, 0] = x[i + 1, 0]


def test_shadowed_iterator_names():
    assert_scheduling_error(lambda: reorder_loops(shadowed, shadowed.find_loop("i")),
                            "swapping the loops would reorder them")


@proc
def triangle(n: size, x: f32[8, 8]):
    assert n <= 8
    for i in seq(0, n):
        for j in seq(0, i):
            x[i, j] = 1.0


def test_inner_bound_depends_on_outer_iterator_rejected():
    assert_scheduling_error(lambda: reorder_loops(triangle, "i j"), "depend on i")


@proc
def guarded_disjoint(x: f32[8, 8]):
    for i in seq(0, 8):
        for j in seq(0, 8):
            if i < j:
                x[i, j] = x[j, i]


def test_guard_makes_accesses_disjoint():
    assert_same_results(guarded_disjoint, reorder_loops(guarded_disjoint, "i j"))
