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
    with pytest.raises(SchedulingError, match="else branch must be one loop"):
        lift_scope(bad_cases, bad_cases.find("if n > 3: _ #1").body()[0])
    with pytest.raises(SchedulingError, match="not inside a loop or an if"):
        lift_scope(bad_cases, bad_cases.find_loop("i"))
    with pytest.raises(SchedulingError, match="expects a loop or an if"):
        lift_scope(transpose, transpose.find("x = _"))


# --- ifs lifted out of an if that has an else, and out of an else branch -----

@proc
def if_else_nests(n: size, x: f32[n]):
    for i in seq(0, n):
        if i < 5:
            if i > 2:
                x[i] = 1.0
        else:
            t: f32
            t = 3.0
            x[i] = t
    for i in seq(0, n):
        if i < 6:
            if i > 1:
                x[i] += 1.0
            else:
                x[i] += 2.0
        else:
            x[i] += 3.0
    for i in seq(0, n):
        if i < 5:
            x[i] += 4.0
        else:
            if i > 7:
                x[i] += 5.0
    for i in seq(0, n):
        if i < 4:
            for k in seq(0, 2):
                x[i] += 6.0
        else:
            if i > 6:
                x[i] += 7.0
            else:
                x[i] += 8.0


def test_if_out_of_if_else_and_out_of_else_golden_equivalence():
    inner = [if_else_nests.find("if i > 2: _"), if_else_nests.find("if i > 1: _"),
             if_else_nests.find("if i > 7: _"), if_else_nests.find("if i > 6: _")]
    p = if_else_nests
    for c in inner:
        p = lift_scope(p, c)
        lifted = p.forward(c)
        assert isinstance(lifted, IfCursor) and lifted.parent() == p.forward(c).parent()
        assert isinstance(lifted.parent(), ForCursor)
    check_golden("lift_scope_if_else", p)
    for n in (1, 3, 6, 9, 12):
        assert_same_outputs(if_else_nests, p, n=n)


def test_the_duplicated_branch_forwards_to_its_first_copy_and_is_renamed():
    p = lift_scope(if_else_nests, if_else_nests.find("if i > 2: _"))
    t_write = p.forward(if_else_nests.find("t = 3.0"))
    # the first copy is in the then branch of the lifted if
    assert t_write.parent().parent() == p.forward(if_else_nests.find("if i > 2: _"))
    allocs = [s for s in p.find("t: _", many=True)]
    assert len(allocs) == 2
    assert allocs[0]._node().name is not allocs[1]._node().name  # each copy binds its own t
    e = lift_scope(if_else_nests, if_else_nests.find("if i > 6: _"))
    k_loops = e.find_loop("k", many=True)
    assert len(k_loops) == 2 and k_loops[0]._node().iter is not k_loops[1]._node().iter
    assert e.forward(if_else_nests.find_loop("k")) == k_loops[0]


@proc
def loops_in_both_branches(n: size, m: size, x: f32[n]):
    assert m <= n
    if m > 4:
        for j in seq(0, m):
            x[j] = 1.0
    else:
        for i in seq(0, m):
            x[i] = 2.0
    if m == 4:
        for i in seq(0, 4):
            x[i] += 1.0
    else:
        for j in seq(0, m):
            x[j] += 2.0


def test_loop_out_of_an_else_branch_golden_equivalence():
    c = loops_in_both_branches.find_loop("i")
    p = lift_scope(loops_in_both_branches, c)
    assert isinstance(p.forward(c), ForCursor) and not p.forward(c).parent()
    check_golden("lift_scope_loop_out_of_else", p)
    for m in (2, 4, 5):
        assert_same_outputs(loops_in_both_branches, p, n=6, m=m)


def test_two_loops_need_equal_bounds_where_the_other_branch_runs():
    # `4 == m` holds where the then branch runs, not where the else branch runs
    with pytest.raises(SchedulingError,
                       match=r"bounds of the two loops differ: 4 vs m \(e.g. when n = \d+, m = 5\)"):
        lift_scope(loops_in_both_branches, loops_in_both_branches.find_loop("i #1"))
    # ... while lifting the else's `for j in seq(0, m)` is sound: `m == 4` where
    # the then branch's `seq(0, 4)` runs
    p = lift_scope(loops_in_both_branches, loops_in_both_branches.find_loop("j #1"))
    assert "for j in seq(0, m):\n        if m == 4:" in str(p)
    for m in (3, 4, 5):
        assert_same_outputs(loops_in_both_branches, p, n=6, m=m)


@proc
def loop_else_not_a_loop(n: size, x: f32[n]):
    if n > 3:
        x[0] = 1.0
    else:
        for i in seq(0, n):
            x[i] = 2.0


def test_loop_out_of_an_else_needs_a_loop_in_the_then_branch():
    with pytest.raises(SchedulingError, match="the if's body must be one loop"):
        lift_scope(loop_else_not_a_loop, loop_else_not_a_loop.find_loop("i"))
