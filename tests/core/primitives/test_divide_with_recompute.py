"""divide_with_recompute: overlapping chunks."""

from __future__ import annotations

import pytest

from exo_core import SchedulingError, proc
from exo_stdlib.scheduling import divide_with_recompute

from tests.core.primitives.equivalence import assert_equivalent
from tests.core.primitives.scope_golden import check_golden


@proc
def blur(x: f32[11], y: f32[10]):
    for i in seq(0, 10):
        y[i] = x[i] + x[i + 1]


@proc
def chain(x: f32[11]):
    for i in seq(0, 10):
        x[i + 1] = x[i]


@proc
def acc(x: f32[10], y: f32[10]):
    for i in seq(0, 10):
        y[i] += x[i]


def test_golden_and_equivalent():
    p = divide_with_recompute(blur, "i", 3, 3, ["io", "ii"])
    check_golden("loops_divide_with_recompute", p)
    assert "for ii in seq(0, 4)" in str(p)
    assert_equivalent(blur, p)


def test_rejects():
    with pytest.raises(SchedulingError, match="iterations must be independent|writes x"):
        divide_with_recompute(chain, "i", 3, 3, ["io", "ii"])
    with pytest.raises(SchedulingError, match="adds to y"):
        divide_with_recompute(acc, "i", 3, 3, ["io", "ii"])
    with pytest.raises(SchedulingError, match="chunks must cover"):
        divide_with_recompute(blur, "i", 4, 3, ["io", "ii"])
    with pytest.raises(SchedulingError, match="outer_stride must be at least 1"):
        divide_with_recompute(blur, "i", 3, 0, ["io", "ii"])


def test_cursors_forward():
    s = blur.find("y[_] = _")
    p = divide_with_recompute(blur, blur.find_loop("i"), 3, 3, ["io", "ii"])
    assert p.forward(s).parent().name() == "ii"
