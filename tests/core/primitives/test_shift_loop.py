"""shift_loop: moving a loop's range."""

from __future__ import annotations

import pytest

from exo_core import SchedulingError
from exo_stdlib.scheduling import shift_loop

from tests.core.primitives.equivalence import assert_equivalent
from tests.core.primitives.loop_procs import add1, two_halves
from tests.core.primitives.scope_golden import check_golden


def test_golden_and_equivalent():
    p = shift_loop(add1, "i", 3)
    check_golden("loops_shift_loop", p)
    assert_equivalent(add1, p, n=5)
    q = shift_loop(two_halves, "i #1", 0)
    check_golden("loops_shift_loop_to_zero", q)
    assert_equivalent(two_halves, q, n=6)


def test_rejects():
    with pytest.raises(SchedulingError, match="must be non-negative, but this fails"):
        shift_loop(add1, "i", -1)
    with pytest.raises(SchedulingError, match="must be non-negative"):
        shift_loop(add1, "i", "n - 3")


def test_cursors_forward():
    s = add1.find("x[_] = _")
    p = shift_loop(add1, add1.find_loop("i"), 2)
    assert p.forward(s).parent().name() == "i"
