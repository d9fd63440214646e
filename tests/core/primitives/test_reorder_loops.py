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
    """Each loop's cursor follows its loop, as in Exo 1.0 (checked there on
    the same proc): the outer loop's cursor points to the inner loop after."""
    outer = matmul.find_loop("i")
    inner = matmul.find_loop("j")
    body = matmul.find("c[_] += _")
    p = reorder_loops(matmul, outer)
    assert str(p).index("for j in") < str(p).index("for i in")
    assert p.forward(outer).name() == "i"
    assert p.forward(outer).parent().name() == "j"
    assert p.forward(inner).name() == "j"
    assert p.forward(body).parent().name() == "p"


@proc
def _zero(n: size, m: size, x: f32[n, m]):
    for i in seq(0, n):
        for j in seq(0, m):
            x[i, j] = 0.0


def test_header_expressions_and_the_outer_body_follow_their_loops():
    """As on Exo 1.0: a bound's cursor follows its loop; the outer loop's body
    block and the gaps in it follow the inner loop to the outer place."""
    outer = _zero.find_loop("i")
    hi_i, hi_j = outer.hi(), _zero.find_loop("j").hi()
    body, before, after = outer.body(), outer.body()[0].before(), outer.body()[0].after()
    p = reorder_loops(_zero, outer)
    assert str(p.forward(hi_i)) == "n" and p.forward(hi_i).parent().name() == "i"
    assert str(p.forward(hi_j)) == "m" and p.forward(hi_j).parent().name() == "j"
    moved = p.forward(body)
    assert len(moved) == 1 and moved[0].name() == "j"
    assert moved[0].parent() == p.forward(before).parent() == p.forward(after).parent()
    assert p.forward(before).after().name() == "j"
    assert p.forward(after).before().name() == "j"
    # the statement inside keeps its place
    assert p.forward(_zero.find("x[_] = _")).parent().name() == "i"
