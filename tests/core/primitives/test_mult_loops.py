"""mult_loops: merging two nested loops."""

from __future__ import annotations

import pytest

from exo_core import SchedulingError, proc
from exo_stdlib.scheduling import mult_loops

from tests.core.primitives.equivalence import assert_equivalent
from tests.core.primitives.loop_procs import copy2d, matmul
from tests.core.primitives.scope_golden import check_golden


@proc
def sized(n: size, x: f32[n, 4]):
    for i in seq(0, n):
        for j in seq(0, 4):
            x[i, j] = 2.0


def test_golden_and_equivalent():
    p = mult_loops(sized, "i j", "k")
    check_golden("loops_mult_loops", p)
    assert_equivalent(sized, p, n=5)
    assert_equivalent(copy2d, mult_loops(copy2d, "i j", "ij"))


def test_errors():
    with pytest.raises(SchedulingError, match="literal positive bound"):
        mult_loops(matmul, "i j", "k2")
    with pytest.raises(SchedulingError, match="already used"):
        mult_loops(sized, "i j", "x")


def test_cursors_forward():
    outer, body = sized.find_loop("i"), sized.find("x[_] = _")
    p = mult_loops(sized, outer, "k")
    assert p.forward(outer).name() == "k"
    assert p.forward(body).parent() == p.forward(outer)


@proc
def outer_from_two(x: f32[8, 4]):
    for i in seq(2, 8):
        for j in seq(0, 4):
            x[i, j] = 1.0


@proc
def inner_from_one(x: f32[8, 4]):
    for i in seq(0, 8):
        for j in seq(1, 4):
            x[i, j] = 1.0


def test_both_loops_must_start_at_zero():
    # `for k in seq(2, 32): x[k / 4, k % 4]` would write rows 0 and 1
    with pytest.raises(SchedulingError, match="both loops must start at 0"):
        mult_loops(outer_from_two, "i j", "k")
    with pytest.raises(SchedulingError, match="both loops must start at 0"):
        mult_loops(inner_from_one, "i j", "k")
