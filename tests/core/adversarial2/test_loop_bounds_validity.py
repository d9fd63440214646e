"""Rewrites that move a loop out of the scope whose facts made its bounds
valid (``lo <= hi``).

The definition checks reject a procedure whose loop may have reversed bounds
(``seq(0, n - 4)`` with ``n = 3``). A rewrite must not produce one either:
the printed result of such a schedule cannot be read back with
`proc_from_source`, and later rewrites that split the loop's range
(``divide_loop(..., tail="cut")`` computes the remainder with ``%``, which is
positive for a negative trip count) are only sound for non-reversed loops.
"""

from __future__ import annotations

import pytest

from exo_core import SchedulingError, proc
from exo_core.api import proc_from_source
from exo_stdlib.scheduling import lift_scope, reorder_loops

from tests.core.adversarial.harness import assert_same_results

def _reparses(p) -> None:
    """The printed procedure is a valid procedure again."""
    proc_from_source(str(p))


@proc
def nested_dependent_ranges(n: size, x: f32[16, 16]):
    assert n >= 3
    assert n <= 8
    for i in seq(0, n - 3):
        for j in seq(0, n - 4):  # n >= 4 whenever this runs
            x[i, j] = 1.0


@proc
def loop_under_if(n: size, x: f32[16]):
    assert n <= 8
    if n > 3:
        for j in seq(0, n - 4):
            x[j] = 1.0


def test_originals_are_valid():
    _reparses(nested_dependent_ranges)
    _reparses(loop_under_if)


# Regression (was a strict xfail): moving a loop to where its bounds may run
# backwards is now rejected, with the counterexample.

def _rejected_reversed(call, when: str) -> None:
    with pytest.raises(SchedulingError, match=r"loop j must keep lo <= hi .*" + when) as e:
        call()
    assert e.value.srcinfo is not None and e.value.srcinfo.filename == __file__


def test_reorder_loops_rejects_reversing_the_moved_loop():
    p = nested_dependent_ranges
    _rejected_reversed(lambda: reorder_loops(p, "i j"), "n = 3")


def test_lift_scope_rejects_loop_out_of_loop_when_bounds_would_reverse():
    p = nested_dependent_ranges
    _rejected_reversed(lambda: lift_scope(p, p.find_loop("j")), "n = 3")


def test_lift_scope_rejects_loop_out_of_if_when_bounds_would_reverse():
    p = loop_under_if
    _rejected_reversed(lambda: lift_scope(p, p.find_loop("j")), r"n = \d")


@proc
def ordered_ranges(n: size, x: f32[16, 16]):
    assert n <= 8
    if n > 3:
        for i in seq(0, n):
            for j in seq(0, n - 1):
                x[i, j] = 1.0


def test_moves_that_keep_bounds_ordered_are_accepted():
    p = ordered_ranges
    q = reorder_loops(p, "i j")
    assert_same_results(p, q, n=[1, 4, 8])
    _reparses(q)
    r = lift_scope(q, q.find_loop("j"))
    assert_same_results(p, r, n=[1, 4, 8])
    _reparses(r)
