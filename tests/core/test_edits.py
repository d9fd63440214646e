"""The elementary edits of ProcEditor and their forwarding rules."""

from __future__ import annotations

import pytest

from exo_core import SchedulingError, InvalidCursorError, proc
from exo_core.cursors import (AssignCursor, BlockCursor, ForCursor, GapCursor,
                              InvalidCursor, PassCursor, IfCursor)
from exo_core.ir import Assign, BinOp, Const, For, If, Pass, Read
from exo_core.ir.prelude import Sym
from exo_core.cursors.proc_editor import ProcEditor
from exo_core.ir.types import INDEX, INT, R, BOOL


@proc
def five(x: f32[8]):
    x[0] = 0.0
    x[1] = 1.0
    x[2] = 2.0
    x[3] = 3.0
    x[4] = 4.0


@proc
def nest(x: f32[8, 8]):
    for i in seq(0, 8):
        x[i, 0] = 1.0
        for j in seq(0, 8):
            x[i, j] = 2.0
        x[i, 7] = 3.0
    x[0, 0] = 4.0


def _assign(k: float, x_sym):
    return Assign(x_sym, R, (Const(0, INT),), Const(k, R))


def _vals(p):
    """The constants assigned, in program order (statement fingerprints)."""
    return [c.rhs().value() for c in p.find("x = _", many=True)]


def _x(p):
    return p.INTERNAL_proc().args[0].name


def test_replace_and_forward_statements():
    s = [five.find(f"x[{k}] = _") for k in range(5)]
    ed = ProcEditor(five)
    new = ed.replace_block(five.body()[1:3], [_assign(10.0, _x(five))])
    assert isinstance(new, BlockCursor) and len(new) == 1
    p2 = ed.finish()
    assert _vals(p2) == [0.0, 10.0, 3.0, 4.0]
    assert p2.forward(s[0]) == p2.body()[0]
    assert not p2.forward(s[1]) and not p2.forward(s[2])
    assert p2.forward(s[3]) == p2.body()[2] and p2.forward(s[4]).rhs().value() == 4.0
    # blocks: equal -> the replacement; containing -> shrinks; partial -> invalid
    assert p2.forward(five.body()[1:3]) == p2.body()[1:2]
    assert p2.forward(five.body()) == p2.body()
    assert p2.forward(five.body()[0:4]) == p2.body()[0:3]
    assert not p2.forward(five.body()[2:4])
    assert not p2.forward(five.body()[1:2])
    # an expression inside a surviving statement
    assert p2.forward(s[4].rhs()).value() == 4.0
    assert not p2.forward(s[1].rhs())
    # the old version stays inspectable
    assert s[1].rhs().value() == 1.0 and s[1].proc() is five


def test_insert_gap_anchoring():
    s1, s2 = five.body()[1], five.body()[2]
    after1, before2 = s1.after(), s2.before()
    blk = five.body()[1:3]
    ed = ProcEditor(five)
    ins = ed.insert(before2, [_assign(9.0, _x(five)), _assign(9.5, _x(five))])
    p2 = ed.finish()
    assert _vals(p2) == [0.0, 1.0, 9.0, 9.5, 2.0, 3.0, 4.0]
    assert p2.forward(ins) is not None
    # gap anchored after s1 stays before the new statements; anchored before
    # s2 moves after them (it sticks to s2)
    assert p2.forward(after1).anchor() == p2.forward(s1) == p2.body()[1]
    assert p2.forward(after1) == p2.body()[1].after()
    assert p2.forward(before2) == p2.body()[4].before()
    # a block across the insertion point grows
    assert p2.forward(blk) == p2.body()[1:5]
    # blocks ending/starting at the point do not
    assert p2.forward(five.body()[0:2]) == p2.body()[0:2]
    assert p2.forward(five.body()[2:5]) == p2.body()[4:7]


def test_delete_keeps_bodies_non_empty():
    inner = nest.find_loop("j")
    body_stmt = inner.body()[0]
    ed = ProcEditor(nest)
    ed.delete(inner.body())
    p2 = ed.finish()
    j2 = p2.forward(inner)
    assert isinstance(j2, ForCursor) and isinstance(j2.body()[0], PassCursor)
    assert not p2.forward(body_stmt)
    assert not p2.forward(inner.body())  # the whole deleted block
    ed = ProcEditor(p2)
    ed.delete(p2.find_loop("i"))
    p3 = ed.finish()
    assert len(p3.body()) == 1 and not p3.forward(inner)


def test_wrap_forwards_into_new_body():
    s = list(five.body())
    gap_in, gap_lo_b, gap_lo_a = s[2].before(), s[1].before(), s[0].after()
    gap_hi_a, gap_hi_b = s[3].after(), s[4].before()
    i = Sym("i")
    ed = ProcEditor(five)
    loop = ed.wrap(five.body()[1:4],
                   lambda body: For(i, Const(0, INT), Const(2, INT), body, "seq"))
    p2 = ed.finish()
    assert isinstance(loop, ForCursor)
    lp = p2.forward(loop)
    assert lp == p2.body()[1] and len(lp.body()) == 3
    assert p2.forward(s[1]) == lp.body()[0] and p2.forward(s[3]) == lp.body()[2]
    assert p2.forward(s[4]) == p2.body()[2] and p2.forward(s[0]) == p2.body()[0]
    assert p2.forward(five.body()[1:4]) == lp.body()
    assert p2.forward(five.body()[2:3]) == lp.body()[1:2]
    assert p2.forward(five.body()) == p2.body()
    assert not p2.forward(five.body()[0:2])  # straddles the new loop's boundary
    assert p2.forward(gap_in) == lp.body()[1].before()
    assert p2.forward(gap_lo_b) == lp.body()[0].before()
    assert p2.forward(gap_lo_a) == p2.body()[0].after()
    assert p2.forward(gap_hi_a) == lp.body()[2].after()
    assert p2.forward(gap_hi_b) == p2.body()[2].before()
    assert p2.forward(s[2].rhs()).value() == 2.0


def test_unwrap_lifts_body():
    i_loop = nest.find_loop("i")
    j_loop = nest.find_loop("j")
    inner_stmt = j_loop.body()[0]
    ed = ProcEditor(nest)
    blk = ed.unwrap(i_loop)
    p2 = ed.finish()
    assert len(blk) == 3 and len(p2.body()) == 4
    assert not p2.forward(i_loop) and not p2.forward(i_loop.hi())
    assert p2.forward(j_loop) == p2.body()[1]
    assert p2.forward(inner_stmt) == p2.body()[1].body()[0]
    assert p2.forward(i_loop.body()) == p2.body()[0:3]
    assert p2.forward(i_loop.body()[1].before()) == p2.body()[1].before()
    assert p2.forward(nest.body()[1]) == p2.body()[3]
    assert p2.forward(nest.body()) == p2.body()


def test_unwrap_if_branches():
    @proc
    def branchy(x: f32[4], n: size):
        if n > 2:
            x[0] = 1.0
        else:
            x[1] = 2.0
            x[2] = 3.0
    if_c = branchy.find("if _:_")
    then_s, else_s = if_c.body()[0], if_c.orelse()[1]
    ed = ProcEditor(branchy)
    ed.unwrap(if_c, "orelse")
    p2 = ed.finish()
    assert not p2.forward(then_s) and p2.forward(else_s) == p2.body()[1]
    with pytest.raises(SchedulingError, match="cannot unwrap"):
        ProcEditor(nest).unwrap(nest.find_loop("i"), "orelse")


def test_move_tracks_moved_statements():
    # lift_alloc-like: move the inner loop's first statement before the outer loop
    i_loop = nest.find_loop("i")
    s0 = i_loop.body()[0]
    rest = i_loop.body()[1]
    ed = ProcEditor(nest)
    moved = ed.move(s0, i_loop.before())
    p2 = ed.finish()
    assert p2.forward(s0) == p2.body()[0] == moved[0]
    assert p2.forward(i_loop) == p2.body()[1]
    assert p2.forward(rest) == p2.body()[1].body()[0]
    assert p2.forward(s0.rhs()).value() == 1.0
    # gap that was before the outer loop (anchored to it) stays with the loop
    assert p2.forward(i_loop.before()) == p2.body()[1].before()
    # move a block down into a deeper block, past its own position
    ed = ProcEditor(five)
    ed.move(five.body()[0:2], five.body()[4].after())
    p3 = ed.finish()
    assert _vals(p3) == [2.0, 3.0, 4.0, 0.0, 1.0]
    assert p3.forward(five.body()[0]) == p3.body()[3]
    assert p3.forward(five.body()[0:2]) == p3.body()[3:5]
    assert p3.forward(five.body()[2]) == p3.body()[0]
    with pytest.raises(SchedulingError, match="into itself"):
        ProcEditor(nest).move(nest.find_loop("i"), nest.find_loop("j").before())
    with pytest.raises(SchedulingError, match="into itself"):
        ProcEditor(five).move(five.body()[0:3], five.body()[1].after())


def test_move_whole_body_out_leaves_pass():
    j_loop = nest.find_loop("j")
    inner = j_loop.body()[0]
    ed = ProcEditor(nest)
    ed.move(j_loop.body(), j_loop.after())
    p2 = ed.finish()
    j2 = p2.forward(j_loop)
    assert isinstance(j2.body()[0], PassCursor)
    assert p2.forward(inner) == j2.next()


def test_replace_expr_and_update():
    i_loop = nest.find_loop("i")
    hi = i_loop.hi()
    red = nest.find("x[i, j] = _")
    ed = ProcEditor(nest)
    new_hi = ed.replace_expr(hi, Const(4, INT))
    ed.update(i_loop, iter=Sym("ii"))
    p2 = ed.finish()
    assert new_hi.value() == 4 and p2.forward(i_loop).name() == "ii"
    assert not p2.forward(hi)  # the replaced expression
    assert p2.forward(i_loop).hi().value() == 4
    assert p2.forward(red).rhs().value() == 2.0
    ed = ProcEditor(p2)
    ed.update(p2.forward(red), rhs=Const(5.0, R))
    p3 = ed.finish()
    assert p3.forward(red).rhs().value() == 5.0
    assert not p3.forward(red.rhs())
    assert p3.forward(red.idx()[0]).name() == "i"  # untouched field survives
    with pytest.raises(SchedulingError, match="cannot change the body"):
        ProcEditor(nest).update(i_loop, body=[])
    with pytest.raises(SchedulingError, match="expected a cursor to an expression"):
        ProcEditor(nest).replace_expr(i_loop, Const(1, INT))


def test_map_exprs_invalidates_only_changed_exprs():
    j_loop = nest.find_loop("j")
    a, b = nest.find("x = _"), nest.find("x = _ #1")
    ed = ProcEditor(nest)

    def bump(e):
        if isinstance(e, Const) and e.val == 2.0:
            return Const(20.0, R)
        return e

    ed.map_exprs(nest.find_loop("i"), bump)
    p2 = ed.finish()
    assert _vals(p2) == [1.0, 20.0, 3.0, 4.0]
    assert p2.forward(b).rhs().value() == 20.0
    assert not p2.forward(b.rhs())
    assert p2.forward(a.rhs()).value() == 1.0
    assert p2.forward(j_loop.hi()).value() == 8


def test_set_args_and_update_proc():
    ed = ProcEditor(nest)
    ed.update_proc(name="renamed")
    p2 = ed.finish()
    assert p2.name() == "renamed" and p2.forward(nest.find_loop("j")) == p2.find_loop("j")
    arg = nest.args()[0]
    ed = ProcEditor(nest)
    ed.set_args([], mapping={})
    p3 = ed.finish()
    assert not p3.forward(arg)
    with pytest.raises(SchedulingError, match="needs a mapping"):
        ProcEditor(nest).set_args([])


def test_editor_accepts_intermediate_and_ancestor_cursors():
    s = list(five.body())
    ed = ProcEditor(five)
    blk = ed.insert(s[0].before(), [_assign(7.0, _x(five))])  # intermediate cursor
    ed.delete(s[4])  # cursor of the input: forwarded implicitly
    ed.move(blk, ed.cursor(s[3]).after())
    p2 = ed.finish()
    assert _vals(p2) == [0.0, 1.0, 2.0, 3.0, 7.0]
    # forward from an intermediate version through the final procedure
    assert p2.forward(blk)[0] == p2.body()[4]
    with pytest.raises(SchedulingError, match="removed"):
        ed.delete(s[4])


def test_forward_rejects_unrelated_procedures():
    with pytest.raises(InvalidCursorError, match="not an ancestor"):
        five.forward(nest.find_loop("i"))
    ed = ProcEditor(five)
    ed.delete(five.body()[0])
    p2 = ed.finish()
    with pytest.raises(InvalidCursorError, match="not an ancestor"):
        five.forward(p2.body()[0])  # backwards
    assert isinstance(p2.forward(InvalidCursor()), InvalidCursor)


def test_wrap_checks_its_statement():
    ed = ProcEditor(five)
    with pytest.raises(SchedulingError, match="exactly the wrapped"):
        ed.wrap(five.body()[0:2], lambda body: For(Sym("i"), Const(0, INT), Const(2, INT),
                                                   [Pass()], "seq"))
    with pytest.raises(SchedulingError, match="loop or an if"):
        ed.wrap(five.body()[0:2], lambda body: body[0])
    c = ed.wrap(five.body()[0:2], lambda body: If(BinOp("<", Const(0, INT), Const(1, INT),
                                                        BOOL), body))
    assert isinstance(c, IfCursor)


def test_no_edit_returns_input():
    assert ProcEditor(five).finish() is five
