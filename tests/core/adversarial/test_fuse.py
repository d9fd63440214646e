"""fuse against adversarial code: writes hidden in calls, loop-carried
dependences, configuration-dependent conditions."""

from __future__ import annotations

import pytest

from exo_core import proc
from exo_stdlib.scheduling import fuse

from tests.core.adversarial.callees import Knobs, set_one
from tests.core.adversarial.harness import (assert_same_results, assert_scheduling_error,
                                            rejected_or_equivalent)


@proc
def element_call(x: f32[8], y: f32[8]):
    for i in seq(0, 7):
        y[i] = x[i]
    for j in seq(0, 7):
        set_one(x[j + 1])


# Regression (was a strict xfail): set_one(x[j + 1]) writes x[j + 1] but is analysed as a
# read; after fusion iteration i reads the value written at i - 1
def test_write_through_scalar_element_call():
    p = element_call
    rejected_or_equivalent(lambda: fuse(p, p.find_loop("i"), p.find_loop("j")), p,
                           backend="jit")


@proc
def flow_forward(n: size, x: f32[9], y: f32[9]):
    assert n <= 8
    for i in seq(0, n):
        x[i] = y[i]
    for j in seq(0, n):
        y[j + 1] = x[j]


@proc
def anti_dependence(n: size, x: f32[9], y: f32[9]):
    assert n <= 8
    for i in seq(0, n):
        x[i] = y[i + 1]
    for j in seq(0, n):
        y[j] = x[j]


@proc
def scalar_carried(n: size, x: f32[8], y: f32[8]):
    assert n <= 8
    t: f32
    for i in seq(0, n):
        t = x[i]
    for j in seq(0, n):
        y[j] = t


@proc
def reduce_then_read(n: size, x: f32[8], s: f32):
    assert n <= 8
    for i in seq(0, n):
        s += x[i]
    for j in seq(0, n):
        x[j] = s


@pytest.mark.parametrize("p, fragment", [(flow_forward, "writes y[1]"),
                                         (scalar_carried, "reads t"),
                                         (reduce_then_read, "adds to s")])
def test_loop_carried_conflicts_rejected(p, fragment):
    assert_scheduling_error(lambda: fuse(p, p.find_loop("i"), p.find_loop("j")), fragment,
                            "fusing the loops would reorder them")


def test_anti_dependence_in_order_accepted():
    p = anti_dependence
    assert_same_results(p, fuse(p, p.find_loop("i"), p.find_loop("j")), n=[1, 4, 8])


@proc
def knob_ifs(x: f32[4]):
    Knobs.k = 1
    if Knobs.k == 1:
        Knobs.k = 2
    if Knobs.k == 1:
        x[0] = 1.0


def test_ifs_whose_condition_the_first_body_changes_rejected():
    p = knob_ifs
    assert_scheduling_error(lambda: fuse(p, p.find("if _:_"), p.find("if _:_ #1")),
                            "Knobs.k == 1")


@proc
def different_bounds(n: size, x: f32[8]):
    assert n <= 8
    for i in seq(0, n):
        x[i] = 1.0
    for j in seq(0, 8):
        x[j] = 2.0


def test_different_bounds_rejected():
    p = different_bounds
    assert_scheduling_error(lambda: fuse(p, p.find_loop("i"), p.find_loop("j")), "bounds")
