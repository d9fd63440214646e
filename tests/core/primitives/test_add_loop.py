"""add_loop: idempotence, guard, positive bound."""

from __future__ import annotations

import pytest

from exo_core import SchedulingError, proc
from exo_stdlib.scheduling import add_loop

from tests.core.primitives.equivalence import assert_equivalent
from tests.core.primitives.scope_golden import check_golden


@proc
def two(n: size, x: f32[4], y: f32[4]):
    assert n >= 2
    for j in seq(0, 4):
        x[j] = y[j] * 3.0
    for j in seq(0, 4):
        y[j] += 1.0


def test_golden_and_equivalent():
    p = add_loop(two, two.find_loop("j"), "k", "n")
    check_golden("loops_add_loop", p)
    assert_equivalent(two, p, n=3)
    q = add_loop(two, two.find_loop("j #1"), "k", 4, guard=True)
    check_golden("loops_add_loop_guard", q)
    assert_equivalent(two, q, n=3)


def test_rejects():
    with pytest.raises(SchedulingError, match="adds to y"):
        add_loop(two, two.find_loop("j #1"), "k", "n")
    with pytest.raises(SchedulingError, match="must run at least once, but this fails"):
        add_loop(two, two.find_loop("j"), "k", "n - 2")
    with pytest.raises(SchedulingError, match="already used"):
        add_loop(two, two.find_loop("j"), "x", "n")
    with pytest.raises(SchedulingError, match="add_loop: q is not a variable visible here"):
        add_loop(two, two.find_loop("j"), "k", "q")
    with pytest.raises(SchedulingError, match="guard must be True or False"):
        add_loop(two, two.find_loop("j"), "k", "n", guard="yes")


def test_cursors_forward():
    loop = two.find_loop("j")
    p = add_loop(two, loop, "k", "n")
    assert p.forward(loop).parent().name() == "k"
