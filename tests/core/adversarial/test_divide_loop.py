"""divide_loop against adversarial code: bounds re-evaluated inside the body,
negative index arithmetic, triangular loops, name clashes."""

from __future__ import annotations

import pytest

from exo_core import proc
from exo_stdlib.scheduling import divide_loop, simplify

from tests.core.adversarial.callees import Knobs
from tests.core.adversarial.harness import (assert_same_results, assert_scheduling_error,
                                            rejected_or_equivalent)


@proc
def knob_bound(x: f32[8]):
    Knobs.k = 4
    for i in seq(0, Knobs.k):
        Knobs.k = 1
        if i < 8:
            x[i] = 1.0


@proc
def knob_lo(x: f32[8]):
    Knobs.k = 2
    for i in seq(Knobs.k % 4, 6):
        Knobs.k = 0
        x[i] = 1.0


# Regression (was a strict xfail): the loop's bound reads a configuration field the body
# writes; the guard (and the tail loop) re-read it after the body changed it, so fewer
# iterations run
@pytest.mark.parametrize("tail", ["guard", "cut", "cut_and_guard"])
def test_bound_read_from_config_written_in_body(tail):
    rejected_or_equivalent(lambda: divide_loop(knob_bound, "i", 3, ["io", "ii"], tail=tail),
                           knob_bound)


# Regression (was a strict xfail): the loop's lower bound reads a configuration field the
# body writes; the rewritten index i -> 2*io + ii + lo re-reads it in every iteration
def test_lower_bound_read_from_config_written_in_body():
    rejected_or_equivalent(lambda: divide_loop(knob_lo, "i", 2, ["io", "ii"]), knob_lo)


# Regression (was a strict xfail): new iterator names that are Python keywords are
# accepted; the printed procedure is no longer valid object code
def test_keyword_iterator_name_rejected():
    assert_scheduling_error(lambda: divide_loop(neg_index, "i", 2, ["for", "ii"]), "for")


@proc
def neg_index(n: size, x: f32[16], y: f32[16]):
    assert n <= 8
    for i in seq(0, n):
        y[(i - 3) % 4] = x[(i + 5) / 2 - 2]
        y[4 + (2 - i) % 4] += x[(-i + 9) / 3]
        y[8 + (i - 7) / 4 + 2] = x[15 - (7 - i) / 2]
        if (i - 1) / 2 == 0:
            y[12 + (i - 1) % 3] = 7.0
        if (i - 5) % 3 == -1:
            y[15] = 9.0
        if (i + 4) / 4 >= 2:
            y[15] = 8.0


@pytest.mark.parametrize("tail", ["guard", "cut", "cut_and_guard"])
def test_negative_floor_division_and_modulo(tail):
    q = simplify(divide_loop(neg_index, "i", 3, ["io", "ii"], tail=tail))
    assert_same_results(neg_index, q, n=list(range(9)))


def test_perfect_needs_a_proof():
    assert_scheduling_error(lambda: divide_loop(neg_index, "i", 4, ["io", "ii"], perfect=True),
                            "divisible by 4", "n = ")


@proc
def perfect_ok(n: size, x: f32[16]):
    assert n % 4 == 0 and n <= 16
    for i in seq(0, n):
        x[i] = x[15 - i] + 1.0


def test_perfect_with_assertion():
    q = divide_loop(perfect_ok, "i", 4, ["io", "ii"], perfect=True)
    assert "if" not in str(q)
    assert_same_results(perfect_ok, q, n=[0, 4, 8, 16])


@proc
def triangle(n: size, x: f32[8, 8], y: f32[8]):
    assert n <= 8
    for i in seq(0, n):
        for j in seq(0, i):
            x[i, j] = y[j]
        y[i] = x[i, 0]


def test_inner_bound_depends_on_outer_iterator():
    q = divide_loop(triangle, "j", 3, ["jo", "ji"], tail="cut_and_guard")
    assert_same_results(triangle, q, n=list(range(9)))


@pytest.mark.parametrize("names", [["n", "ii"], ["x", "ii"], ["io", "io"]])
def test_name_clashes_rejected(names):
    assert_scheduling_error(lambda: divide_loop(neg_index, "i", 2, names))


@pytest.mark.parametrize("tail", ["guard", "cut", "cut_and_guard"])
def test_config_bound_written_in_body_rejected_with_reason(tail):
    assert_scheduling_error(lambda: divide_loop(knob_bound, "i", 3, ["io", "ii"], tail=tail),
                            "upper bound of loop i", "Knobs.k", "may write")
    assert_scheduling_error(lambda: divide_loop(knob_lo, "i", 2, ["io", "ii"], tail=tail),
                            "lower bound of loop i", "Knobs.k")


@proc
def knob_bound_read_only(x: f32[8]):
    Knobs.k = 5
    for i in seq(0, Knobs.k % 8):
        x[i] = 1.0


@pytest.mark.parametrize("tail", ["guard", "cut", "cut_and_guard"])
def test_config_bound_the_body_does_not_write_accepted(tail):
    q = divide_loop(knob_bound_read_only, "i", 2, ["io", "ii"], tail=tail)
    assert_same_results(knob_bound_read_only, q)


@pytest.mark.parametrize("names", [["io", "class"], ["io", "2x"], ["io", ""], ["io", 3]])
def test_invalid_iterator_names_rejected(names):
    assert_scheduling_error(lambda: divide_loop(neg_index, "i", 2, names), "divide_loop")
