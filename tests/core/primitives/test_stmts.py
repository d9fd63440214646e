"""rename, insert_pass, delete_pass, reorder_stmts."""

from __future__ import annotations

import pytest

from exo_core import proc, SchedulingError
from exo_stdlib.scheduling import rename, insert_pass, delete_pass, reorder_stmts

from tests.core.primitives.scope_equivalence import assert_same_outputs
from tests.core.primitives.scope_golden import check_golden


@proc
def three(n: size, x: f32[n], y: f32[n], z: f32[n]):
    for i in seq(0, n):
        x[i] = 1.0
        y[i] = 2.0
        z[i] = x[i] + y[i]
    pass
    for j in seq(0, n):
        pass
        if j < 2:
            pass


def test_rename_golden_and_cursors():
    c = three.find("y = _")
    p = rename(three, "three_v2")
    check_golden("rename", p)
    assert p.forward(c)._node() is c._node()


@pytest.mark.parametrize("bad", ["3x", "with", "", "a-b", 7])
def test_rename_rejects_bad_names(bad):
    with pytest.raises(SchedulingError, match="rename"):
        rename(three, bad)


def test_insert_pass_golden_and_cursors():
    c = three.find("z = _")
    p = insert_pass(three, three.find("y = _").after())
    check_golden("insert_pass", p)
    assert p.forward(c)._node() is c._node()
    assert p.forward(c).prev()._node().__class__.__name__ == "Pass"


def test_insert_pass_needs_a_gap():
    with pytest.raises(SchedulingError, match="gap"):
        insert_pass(three, three.find("y = _"))


def test_delete_pass_golden_and_cursors():
    c = three.find("z = _")
    loop_j = three.find_loop("j")
    p = delete_pass(three)
    check_golden("delete_pass", p)
    assert p.forward(c)._node() is c._node()
    assert not p.forward(loop_j)  # the loop held only passes
    assert_same_outputs(three, p, n=5)


@proc
def only_pass(x: f32):
    pass


def test_delete_pass_keeps_a_required_pass():
    assert "pass" in str(delete_pass(only_pass))


def test_reorder_stmts_golden_and_equivalence():
    c = three.find("x = _")
    p = reorder_stmts(three, three.find("x = _ ; y = _"))
    check_golden("reorder_stmts", p)
    assert p.forward(c)._node() is c._node()
    assert p.forward(c).prev()._node().name.name == "y"
    assert_same_outputs(three, p, n=5)


def test_reorder_stmts_rejects_a_dependence():
    with pytest.raises(SchedulingError,
                       match=r"reorder_stmts: the first block writes y\[0\] .* reads y\[0\]"):
        reorder_stmts(three, three.find("y = _ ; z = _"))


@proc
def with_alloc(x: f32[4]):
    t: f32
    t = 1.0
    x[0] = t


def test_reorder_stmts_rejects_moving_an_alloc_past_its_use():
    with pytest.raises(SchedulingError, match="t is used by the other statements"):
        reorder_stmts(with_alloc, with_alloc.find("t : _").expand(0, 1))


def test_reorder_stmts_needs_two_statements():
    with pytest.raises(SchedulingError, match="exactly two statements"):
        reorder_stmts(three, three.find("x = _"))


@proc
def reductions(x: f32[4], y: f32[4]):
    x[0] += y[1]
    x[0] += y[2]


def test_two_reductions_commute():
    p = reorder_stmts(reductions, reductions.body())
    assert str(p).index("y[2]") < str(p).index("y[1]")
