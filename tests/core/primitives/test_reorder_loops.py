"""reorder_loops: interchange, dependence checks, forwarding, equivalence."""

from __future__ import annotations

import pytest

from exo_core import SchedulingError, proc
from exo_stdlib.scheduling import reorder_loops

from tests.core.primitives.equivalence import assert_equivalent
from tests.core.primitives.loop_procs import matmul, skew_anti, skew_diag
from tests.core.primitives.scope_golden import check_golden


def test_matmul_golden_and_equivalent():
    p = reorder_loops(matmul, "i j")
    check_golden("loops_reorder_matmul", p)
    assert_equivalent(matmul, p, n=3, m=4, k=5)


def test_safe_diagonal_dependence():
    p = reorder_loops(skew_diag, skew_diag.find_loop("i"))
    assert_equivalent(skew_diag, p, n=5)


def test_rejects_less_greater_dependence():
    with pytest.raises(SchedulingError) as e:
        reorder_loops(skew_anti, "i j")
    msg = e.value.message
    assert msg.startswith("reorder_loops: iteration (i=")
    assert "writes x[" in msg and "reads x[" in msg
    assert "swapping the loops would reorder them" in msg
    assert e.value.srcinfo.filename == __file__


@proc
def triangular(n: size, x: f32[n, n]):
    for i in seq(0, n):
        for j in seq(0, i):
            x[i, j] = 0.0


@proc
def scalar_acc(n: size, m: size, x: f32[n], s: f32[1]):
    for i in seq(0, n):
        for j in seq(0, m):
            s[0] = s[0] * 2.0 + x[i]


@proc
def not_nested(n: size, x: f32[n, n]):
    for i in seq(0, n):
        x[i, 0] = 0.0
        for j in seq(0, n):
            x[i, j] = 1.0


def test_errors():
    with pytest.raises(SchedulingError, match="the bounds of loop j depend on i"):
        reorder_loops(triangular, "i j")
    with pytest.raises(SchedulingError, match="reorder_loops: iteration"):
        reorder_loops(scalar_acc, "i j")
    with pytest.raises(SchedulingError, match="exactly one statement"):
        reorder_loops(not_nested, not_nested.find_loop("i"))


def test_reductions_commute():
    @proc
    def colsum(n: size, m: size, x: f32[n, m], s: f32[m]):
        for i in seq(0, n):
            for j in seq(0, m):
                s[j] += x[i, j]
                s[0] += x[i, j]

    p = reorder_loops(colsum, "i j")
    assert_equivalent(colsum, p, n=3, m=4)


def test_cursors_forward():
    outer = matmul.find_loop("i")
    inner = matmul.find_loop("j")
    body = matmul.find("c[_] += _")
    p = reorder_loops(matmul, outer)
    assert p.forward(outer).name() == "j"
    assert p.forward(inner).name() == "i"
    assert p.forward(body).parent().name() == "p"
