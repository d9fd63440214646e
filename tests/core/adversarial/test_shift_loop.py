"""shift_loop against adversarial code: lower bounds that the body changes,
negative new bounds, triangular loops."""

from __future__ import annotations

import pytest

from exo_core import proc
from exo_stdlib.scheduling import shift_loop, simplify

from tests.core.adversarial.callees import Knobs
from tests.core.adversarial.harness import (assert_same_results, assert_scheduling_error,
                                            rejected_or_equivalent)


@proc
def knob_lo(x: f32[8]):
    Knobs.k = 2
    for i in seq(Knobs.k % 4, 6):
        Knobs.k = 0
        x[i] = 1.0


# Regression (was a strict xfail): the loop's lower bound reads a configuration field the
# body writes; the shifted index i + (lo - new_lo) re-reads it in every iteration
def test_lower_bound_read_from_config_written_in_body():
    rejected_or_equivalent(lambda: shift_loop(knob_lo, "i", 0), knob_lo)


@proc
def knob_hi(x: f32[8]):
    Knobs.k = 6
    for i in seq(2, Knobs.k % 8):
        Knobs.k = 3
        x[i] = 1.0


def test_upper_bound_from_config_is_evaluated_once():
    # new_hi = new_lo + (hi - lo) is evaluated once, like the original bound
    assert_same_results(knob_hi, shift_loop(knob_hi, "i", 0))


@proc
def triangle(n: size, x: f32[8, 8], y: f32[8]):
    assert n <= 8
    for i in seq(0, n):
        for j in seq(0, i):
            x[i, j] = y[j] + x[j, i]
        y[i] = x[i, 0]


def test_shift_by_outer_iterator():
    q = simplify(shift_loop(triangle, "j", "i"))
    assert_same_results(triangle, q, n=list(range(9)))


@pytest.mark.parametrize("new_lo", [-1, "n - 4", "i - 1"])
def test_possibly_negative_new_lo_rejected(new_lo):
    assert_scheduling_error(lambda: shift_loop(triangle, "j", new_lo), "non-negative")


def test_lower_bound_read_from_config_written_in_body_rejected_with_reason():
    assert_scheduling_error(lambda: shift_loop(knob_lo, "i", 0), "lower bound of loop i",
                            "Knobs.k", "every iteration")
