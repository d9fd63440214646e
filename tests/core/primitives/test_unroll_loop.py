"""unroll_loop: copies of the body."""

from __future__ import annotations

import pytest

from exo_core import SchedulingError, proc
from exo_stdlib.scheduling import unroll_loop

from tests.core.primitives.equivalence import assert_equivalent
from tests.core.primitives.loop_procs import add1
from tests.core.primitives.scope_golden import check_golden


@proc
def small(x: f32[3], y: f32[3]):
    for i in seq(0, 3):
        t: f32
        t = y[i]
        x[i] = t * 2.0


def test_golden_and_equivalent():
    p = unroll_loop(small, "i")
    check_golden("loops_unroll_loop", p)
    assert_equivalent(small, p)
    allocs = [s for s in p.INTERNAL_proc().body]
    assert len({s.name for s in allocs if hasattr(s, "mem")}) == 3  # fresh names


def test_rejects():
    with pytest.raises(SchedulingError, match="must be literal integers"):
        unroll_loop(add1, "i")


def test_cursors_forward():
    s = small.find("x[_] = _")
    p = unroll_loop(small, small.find_loop("i"))
    assert p.forward(s) == p.body()[2]
