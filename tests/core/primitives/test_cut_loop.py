"""cut_loop: splitting a range at a point."""

from __future__ import annotations

import pytest

from exo_core import SchedulingError
from exo_stdlib.scheduling import cut_loop, join_loops

from tests.core.primitives.equivalence import assert_equivalent
from tests.core.primitives.loop_procs import add1, copy2d
from tests.core.primitives.scope_golden import check_golden


def test_golden_and_equivalent():
    p = cut_loop(add1, "i", "n / 2")
    check_golden("loops_cut_loop", p)
    for n in (1, 2, 5):
        assert_equivalent(add1, p, n=n)
    q = cut_loop(copy2d, "j", 3)
    assert_equivalent(copy2d, q)
    # cut then join is the identity
    r = join_loops(q, q.find_loop("j"), q.find_loop("j #1"))
    assert str(r) == str(copy2d)


def test_rejects():
    with pytest.raises(SchedulingError, match=r"cut point must lie within .* fails when n = 1"):
        cut_loop(add1, "i", 2)
    with pytest.raises(SchedulingError, match="fails"):
        cut_loop(copy2d, "j", 9)
    with pytest.raises(SchedulingError, match="cannot parse"):
        cut_loop(add1, "i", "n +")
    with pytest.raises(SchedulingError, match="not a control variable"):
        cut_loop(add1, "i", "x")


def test_cursors_forward():
    loop, s = add1.find_loop("i"), add1.find("x[_] = _")
    p = cut_loop(add1, loop, "n / 2")
    assert p.forward(loop).hi().__class__.__name__ == "BinOpCursor"
    assert p.forward(s).parent() == p.forward(loop)
