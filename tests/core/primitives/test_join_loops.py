"""join_loops: adjacent ranges with equal bodies."""

from __future__ import annotations

import pytest

from exo_core import SchedulingError, proc
from exo_stdlib.scheduling import join_loops

from tests.core.primitives.equivalence import assert_equivalent
from tests.core.primitives.loop_procs import two_halves
from tests.core.primitives.scope_golden import check_golden


@proc
def gap(n: size, x: f32[n + 5]):
    for i in seq(0, n):
        x[i] = 1.0
    for i in seq(n + 1, n + 5):
        x[i] = 1.0


@proc
def differ(n: size, x: f32[n]):
    assert n >= 4
    for i in seq(0, 2):
        x[i] = 1.0
    for i in seq(2, n):
        x[i] = 2.0


def test_golden_and_equivalent():
    loops = two_halves.find_loop("i", many=True)
    p = join_loops(two_halves, loops[0], loops[1])
    check_golden("loops_join_loops", p)
    assert_equivalent(two_halves, p, n=6)


def test_rejects():
    with pytest.raises(SchedulingError, match="start where the first ends"):
        join_loops(gap, gap.find_loop("i"), gap.find_loop("i #1"))
    with pytest.raises(SchedulingError, match="same body"):
        join_loops(differ, differ.find_loop("i"), differ.find_loop("i #1"))
    with pytest.raises(SchedulingError, match="right after the first"):
        join_loops(gap, gap.find_loop("i #1"), gap.find_loop("i"))


def test_cursors_forward():
    l1, l2 = two_halves.find_loop("i"), two_halves.find_loop("i #1")
    s1 = two_halves.find("x[_] = _")
    p = join_loops(two_halves, l1, l2)
    assert p.forward(l1).hi().__class__.__name__ == "ReadCursor"
    assert p.forward(s1).parent() == p.forward(l1)
    assert not p.forward(l2)
