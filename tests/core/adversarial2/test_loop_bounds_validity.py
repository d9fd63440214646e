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

from exo_core import proc
from exo_core.api import proc_from_source
from exo_stdlib.scheduling import divide_loop, lift_scope, reorder_loops

from tests.core.adversarial.harness import assert_same_results

REVERSED = ("the rewrite moves loop j out of the scope whose facts (an enclosing if's "
            "condition / loop range) make its bounds non-reversed; the result has a loop "
            "seq(0, n - 4) that may be reversed, which the definition checks reject (the "
            "printed procedure cannot be parsed again)")


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


@pytest.mark.xfail(strict=True, reason=REVERSED)
def test_reorder_loops_keeps_bounds_valid():
    p = nested_dependent_ranges
    q = reorder_loops(p, "i j")
    assert_same_results(p, q, n=[3, 4, 6])  # same values: the loops are empty together
    _reparses(q)


@pytest.mark.xfail(strict=True, reason=REVERSED)
def test_lift_scope_loop_out_of_loop_keeps_bounds_valid():
    p = nested_dependent_ranges
    q = lift_scope(p, p.find_loop("j"))
    assert_same_results(p, q, n=[3, 4, 6])
    _reparses(q)


@pytest.mark.xfail(strict=True, reason=REVERSED)
def test_lift_scope_loop_out_of_if_keeps_bounds_valid():
    p = loop_under_if
    q = lift_scope(p, p.find_loop("j"))
    assert_same_results(p, q, n=[1, 3, 4, 6])
    _reparses(q)


def test_divide_cut_after_reversing_lift_still_equivalent():
    # The remainder loop of the reversed loop runs (n - 4) % 4 > 0 times for
    # n < 4; only the if that stayed inside keeps the body from running.
    p = loop_under_if
    q = lift_scope(p, p.find_loop("j"))
    for tail in ("cut", "cut_and_guard", "guard"):
        assert_same_results(p, divide_loop(q, "j", 4, ["jo", "ji"], tail=tail),
                            n=[1, 2, 3, 5, 8])
