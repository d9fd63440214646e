"""Cursor kinds, navigation and inspection on the seeds' procedures."""

from __future__ import annotations

import pytest

from exo_core import InvalidCursorError, DRAM
from exo_core.cursors import (
    ArgCursor, AllocCursor, AssignCursor, BinOpCursor, BlockCursor, CallCursor,
    ExoType, ExprListCursor, ForCursor, GapCursor, GapType, IfCursor, InvalidCursor,
    LiteralCursor, PassCursor, ReadCursor, ReduceCursor, StmtCursor, WindowExprCursor,
    WindowStmtCursor, BuiltInFunctionCursor, InvalidCursorUse,
)
from exo_core.ir import Stmt
from tests.seed_examples import (all_seed_procs, bar, case_study_generic_conv1d,
                                 extern_sin_foo, window_statement)

p = case_study_generic_conv1d


def test_seed_cursors_from_case_study():
    i_loop = p.find("for i in _:_")
    j_loop = p.find("for j in _:_")
    c_loop = p.find("for c in _:_")
    y_alloc = p.find("y : _")
    y_assign = p.find("y = data[_]")
    assert isinstance(i_loop, ForCursor) and i_loop.name() == "i"
    assert j_loop.parent() == i_loop
    assert c_loop.parent() == j_loop
    assert isinstance(y_alloc, AllocCursor) and y_alloc.name() == "y"
    assert isinstance(y_assign, AssignCursor) and y_assign.name() == "y"
    assert isinstance(y_assign.parent(), IfCursor)
    assert y_assign.parent().parent() == p.find_loop("r")


def test_literal_bounds_and_seed_autolift_walk():
    y_alloc = p.find("y : _")
    loop_c = y_alloc.parent()
    seen = []
    while isinstance(loop_c, ForCursor):  # the seed's autolift_alloc walk
        assert isinstance(loop_c.hi(), LiteralCursor)
        seen.append((loop_c.name(), loop_c.hi().value()))
        loop_c = loop_c.parent()
    assert seen == [("r", 4), ("c", 4), ("j", 16), ("i", 16)]
    assert isinstance(loop_c, InvalidCursor) and not loop_c
    with pytest.raises(InvalidCursorError):
        loop_c.parent()


def test_get_top_level_stmt_from_inspection_doc():
    c = p.find("y = data[_]")
    while not isinstance(c.parent(), InvalidCursor):
        c = c.parent()
    assert c == p.find_loop("i") == p.body()[0]


def test_find_loop_expand_from_case_study():
    blk = p.find_loop("c").expand(1, 0)
    assert isinstance(blk, BlockCursor) and len(blk) == 2
    assert isinstance(blk[0], AssignCursor) and blk[0].name() == "out"
    assert blk[1] == p.find_loop("c")
    assert blk.parent() == p.find_loop("j")


def test_next_prev_before_after_gap_anchor():
    out0 = p.find("out = _")
    c_loop = p.find_loop("c")
    assert out0.next() == c_loop and c_loop.prev() == out0
    assert isinstance(c_loop.next(), InvalidCursor)
    assert isinstance(out0.prev(), InvalidCursor)
    gap = c_loop.before()
    assert isinstance(gap, GapCursor) and gap.anchor() == c_loop
    assert gap.type() is GapType.Before
    assert gap.before() == out0 and gap.after() == c_loop
    gap2 = out0.after()
    assert gap2.anchor() == out0 and gap2.type() is GapType.After
    assert gap2 != gap  # same position, different anchors
    assert gap.parent() == p.find_loop("j")
    assert isinstance(c_loop.after().after(), InvalidCursor)


def test_block_indexing_slicing_iteration():
    body = p.find_loop("r").body()
    assert len(body) == 3
    kinds = [type(c) for c in body]
    assert kinds == [AllocCursor, IfCursor, ReduceCursor]
    assert body[-1] == body[2]
    sl = body[1:3]
    assert isinstance(sl, BlockCursor) and len(sl) == 2 and sl[0] == body[1]
    assert sl.before().anchor() == body[1] and sl.after().anchor() == body[2]
    assert body[0:1].expand(None, None) == body
    assert body[1].expand(0, 5) == body[1:3]
    with pytest.raises(InvalidCursorError):
        body[3]
    with pytest.raises(InvalidCursorError):
        body[2:2]
    with pytest.raises(InvalidCursorError):
        body.expand(-1, 0)


def test_if_cursor_and_exprs():
    if_c = p.find("if _:_")
    assert isinstance(if_c, IfCursor)
    cond = if_c.cond()
    assert isinstance(cond, BinOpCursor) and cond.op() == "<"
    assert cond.type() is ExoType.Bool
    lhs = cond.lhs()
    assert isinstance(lhs, BinOpCursor) and lhs.op() == "+"
    assert isinstance(lhs.lhs(), ReadCursor) and lhs.lhs().name() == "j"
    assert lhs.lhs().type().is_indexable()
    assert lhs.parent() == cond and cond.parent() == if_c
    assert isinstance(cond.rhs(), LiteralCursor) and cond.rhs().value() == 4
    assert len(if_c.body()) == 1 and len(if_c.orelse()) == 1
    assert isinstance(if_c.orelse()[0], AssignCursor)
    assert if_c.orelse()[0].parent() == if_c


def test_assign_reduce_inspection():
    red = p.find("out += _")
    assert isinstance(red, ReduceCursor) and red.name() == "out"
    idx = red.idx()
    assert isinstance(idx, ExprListCursor) and len(idx) == 2
    assert [e.name() for e in idx] == ["i", "j"]
    assert idx.parent() == red and idx[0].parent() == red
    rhs = red.rhs()
    assert rhs.op() == "*" and rhs.type() is ExoType.I32
    k = rhs.lhs()
    assert k.name() == "kernels" and [e.name() for e in k.idx()] == ["i", "c", "r"]
    asg = p.find("y = data[_]")
    assert asg.type() is ExoType.I32 and asg.rhs().name() == "data"
    assert len(asg.idx()) == 0


def test_args_and_alloc_inspection():
    args = p.args()
    assert [a.name() for a in args] == ["data", "kernels", "out"]
    assert all(isinstance(a, ArgCursor) for a in args)
    assert args[0].is_tensor() and args[0].mem() is DRAM
    assert [e.value() for e in args[1].shape()] == [16, 4, 4]
    assert args[2].type() is ExoType.I32 and args[2].type().is_numeric()
    assert isinstance(args[0].parent(), InvalidCursor)
    y = p.find_alloc_or_arg("y")
    assert isinstance(y, AllocCursor) and not y.is_tensor() and len(y.shape()) == 0
    assert y.type() is ExoType.I32 and y.mem() is DRAM
    assert p.find_alloc_or_arg("kernels") == args[1]
    with pytest.raises(InvalidCursorError, match="no allocation or argument"):
        p.find_alloc_or_arg("nope")


def test_call_and_window_cursors():
    c = bar.find("foo(_)")
    assert isinstance(c, CallCursor) and c.subproc().name() == "foo"
    arg = c.args()[0]
    assert isinstance(arg, WindowExprCursor) and arg.name() == "y"
    (lo, hi), = arg.idx()
    assert lo.value() == 2 and hi.value() == 5 and lo.parent() == arg
    second = bar.find("foo(_) #1")
    pt, (lo2, hi2) = second.args()[0].idx()
    assert pt.value() == 1 and (lo2.value(), hi2.value()) == (10, 13)
    assert bar.find("foo(_)", many=True) == [c, second]
    ws = window_statement.find("y = _")
    assert isinstance(ws, WindowStmtCursor) and ws.name() == "y"
    assert ws.winexpr().name() == "x"
    assert window_statement.find("x[0:3]") == ws.winexpr()


def test_extern_cursor():
    e = extern_sin_foo.find("sin(_)")
    assert isinstance(e, BuiltInFunctionCursor) and e.name() == "sin"
    assert e.args()[0].name() == "x" and e.parent().op() == "*"


def test_body_on_non_block_statement_raises():
    with pytest.raises(InvalidCursorError, match="has no body"):
        p.find("y : _").body()
    with pytest.raises(InvalidCursorError, match="no else"):
        p.find_loop("i").orelse()


def test_invalid_cursor_behaviour():
    inv = p.find_loop("i").next()
    assert isinstance(inv, InvalidCursor) and not inv
    assert inv == InvalidCursor()
    assert not hasattr(inv, "name")
    with pytest.raises(InvalidCursorError, match="invalid cursor"):
        inv.name()
    with pytest.raises(InvalidCursorUse):
        inv.body()
    with pytest.raises(InvalidCursorError):
        inv.proc()


def test_cursor_equality_and_hash():
    a = p.find_loop("c")
    b = p.find("for c in _:_")
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a != p.find_loop("r")
    assert a.proc() is p
    assert "for c in seq(0, 4)" in repr(a)


def _walk(c, seen):
    """Visit every statement/expression cursor below ``c`` checking that
    navigation back up returns where we came from."""
    seen.append(c)
    if isinstance(c, (ForCursor, IfCursor)):
        blocks = [c.body()] + ([c.orelse()] if isinstance(c, IfCursor) and c.orelse() else [])
        for blk in blocks:
            assert blk.parent() == c
            for k, s in enumerate(blk):
                assert s.parent() == c
                assert s.as_block() == blk[k:k + 1]
                if k:
                    assert s.prev() == blk[k - 1] and blk[k - 1].next() == s
                _walk(s, seen)


@pytest.mark.parametrize("name", sorted(all_seed_procs()))
def test_navigation_round_trips_on_every_seed(name):
    proc = all_seed_procs()[name]
    seen = []
    body = proc.body()
    for k, s in enumerate(body):
        assert isinstance(s, StmtCursor) and isinstance(s._node(), Stmt)
        assert isinstance(s.parent(), InvalidCursor)
        assert s.before().after() == s and s.after().before() == s
        _walk(s, seen)
    # navigation reaches every statement of the IR exactly once
    stmts = [c for c in seen if isinstance(c, StmtCursor)]
    assert len(stmts) == len(set(stmts)) == _count_stmts(proc.INTERNAL_proc().body)
    assert {id(c._node()) for c in stmts} == _stmt_ids(proc.INTERNAL_proc().body)


def _count_stmts(block):
    return sum(1 + _count_stmts(getattr(s, "body", ())) + _count_stmts(getattr(s, "orelse", ()))
               for s in block)


def _stmt_ids(block):
    out = set()
    for s in block:
        out.add(id(s))
        out |= _stmt_ids(getattr(s, "body", ())) | _stmt_ids(getattr(s, "orelse", ()))
    return out


def test_bad_arguments_raise_cursor_errors():
    with pytest.raises(InvalidCursorError, match="indexed by integers"):
        p.body()["a"]
    with pytest.raises(InvalidCursorError, match="indexed by integers"):
        p.find("out += _").idx()["i"]
    with pytest.raises(InvalidCursorError, match="expected a name"):
        p.find_loop(3)
    with pytest.raises(InvalidCursorError, match="out of range"):
        p.find("out += _").idx()[2]
