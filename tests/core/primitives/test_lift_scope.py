"""lift_scope: every supported interchange of loops and ifs, and its checks."""

from __future__ import annotations

import pytest

from exo_core import proc, SchedulingError
from exo_core.cursors import ForCursor, IfCursor
from exo_stdlib.scheduling import lift_scope

from tests.core.primitives.scope_equivalence import assert_same_outputs
from tests.core.primitives.scope_golden import check_golden


@proc
def scopes(n: size, m: size, x: f32[n, m], y: f32[n]):
    for i in seq(0, n):
        for j in seq(0, m):
            x[i, j] = 1.0
    for i in seq(0, n):
        if m > 4:
            y[i] = 1.0
        else:
            y[i] = 2.0
    if m > 4:
        for i in seq(0, n):
            y[i] += 1.0
    if m > 5:
        for i in seq(0, n):
            y[i] += 1.0
    else:
        for k in seq(0, n):
            y[k] = 3.0
    if m > 4:
        if n > 2:
            y[0] = 1.0
        else:
            y[0] = 2.0


def test_all_cases_golden_forwarding_equivalence():
    b = scopes.body()
    inner = [b[k].body()[0] for k in range(5)]
    p = scopes
    for c in inner:
        p = lift_scope(p, c)
        lifted = p.forward(c)
        assert isinstance(lifted, (ForCursor, IfCursor))
        assert lifted.parent() == p.forward(c).parent() and not lifted.parent()  # top level
    check_golden("lift_scope_all", p)
    for m in (3, 5, 6):
        assert_same_outputs(scopes, p, n=4, m=m)


def test_repeated_lift_of_one_cursor():
    @proc
    def nest(n: size, x: f32[n, n, n]):
        for a in seq(0, n):
            for b in seq(0, n):
                for c in seq(0, n):
                    x[a, b, c] = 1.0
    c = nest.find_loop("c")
    p = lift_scope(nest, c)
    p = lift_scope(p, c)
    assert str(p).index("for c") < str(p).index("for a") < str(p).index("for b")
    assert_same_outputs(nest, p, n=3)


@proc
def transpose(n: size, x: f32[n, n]):
    for i in seq(0, n):
        for j in seq(0, n):
            x[i, j] = x[j, i]


@proc
def bad_cases(n: size, x: f32[n]):
    assert n >= 2
    for i in seq(0, n):
        if i > 2:
            x[i] = 1.0
    for i in seq(0, n):
        for j in seq(0, i):
            x[j] = 1.0
    for i in seq(0, n):
        x[i] = 2.0
        if n > 2:
            x[0] = 1.0
    if n > 3:
        if n > 4:
            x[0] = 1.0
    else:
        x[1] = 1.0
    if n > 3:
        for i in seq(0, n):
            x[i] = 1.0
    else:
        x[0] = 2.0


def test_errors():
    with pytest.raises(SchedulingError,
                       match=r"iteration \(i=0, j=1\) reads x\[1, 0\].*swapping the loops"):
        lift_scope(transpose, transpose.find_loop("j"))
    with pytest.raises(SchedulingError, match="depends on the loop iterator i"):
        lift_scope(bad_cases, bad_cases.find("if i > 2: _"))
    with pytest.raises(SchedulingError, match="bounds of loop j depend on i"):
        lift_scope(bad_cases, bad_cases.find_loop("j"))
    with pytest.raises(SchedulingError, match="must be the only statement"):
        lift_scope(bad_cases, bad_cases.find("if n > 2: _"))
    with pytest.raises(SchedulingError, match="not supported yet"):
        lift_scope(bad_cases, bad_cases.find("if n > 4: _"))
    with pytest.raises(SchedulingError, match="else branch must be one loop"):
        lift_scope(bad_cases, bad_cases.find("if n > 3: _ #1").body()[0])
    with pytest.raises(SchedulingError, match="not inside a loop or an if"):
        lift_scope(bad_cases, bad_cases.find_loop("i"))
    with pytest.raises(SchedulingError, match="expects a loop or an if"):
        lift_scope(transpose, transpose.find("x = _"))
