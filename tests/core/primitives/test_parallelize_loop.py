"""parallelize_loop: golden, cursors, argument errors."""

from __future__ import annotations

import pytest

from exo_core import SchedulingError, proc
from exo_stdlib.scheduling import parallelize_loop


@proc
def scale(n: size, x: f32[n, 4], y: f32[n, 4]):
    for i in seq(0, n):
        for j in seq(0, 4):
            y[i, j] = x[i, j] * 2.0


GOLDEN = """\
def scale(n: size, x: f32[n, 4] @ DRAM, y: f32[n, 4] @ DRAM):
    for i in par(0, n):
        for j in seq(0, 4):
            y[i, j] = x[i, j] * 2.0"""


def test_golden():
    assert str(parallelize_loop(scale, "i")) == GOLDEN


def test_inner_loop_by_cursor():
    p = parallelize_loop(scale, scale.find_loop("j"))
    assert "        for j in par(0, 4):" in str(p)


def test_cursors_forward():
    loop = scale.find_loop("i")
    stmt = scale.find("y[_] = _")
    p = parallelize_loop(scale, loop)
    fl, fs = p.forward(loop), p.forward(stmt)
    assert fl.name() == "i" and fl._node().loop_mode == "par"
    assert fs.name() == "y" and fs.parent().parent() == fl


def test_not_a_loop():
    with pytest.raises(SchedulingError, match="expected a loop"):
        parallelize_loop(scale, scale.find("y[_] = _"))


def test_not_a_procedure():
    with pytest.raises(SchedulingError, match="parallelize_loop: expected a procedure"):
        parallelize_loop("scale", "i")


def test_no_such_loop():
    with pytest.raises(SchedulingError):
        parallelize_loop(scale, "k")
