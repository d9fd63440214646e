"""exo_stdlib.traversals (exported from exo_stdlib.inspection): children,
the four walk orders, statements only, symbols, unique names; expected
results are Exo 1.0's."""

from __future__ import annotations

import pytest

from exo_core import SchedulingError
from exo_core.cursors import (ArgCursor, BlockCursor, ExprListCursor, InvalidCursor,
                              LiteralCursor, ReadCursor, StmtCursor)
from exo_stdlib import cursor_walk, higher_order, stdlib, traversals
from exo_stdlib import inspection as I
from tests.stdlib.inspection_procs import Cursors, bar, foo

C = Cursors()


def _names(cursors) -> list:
    out = []
    for c in cursors:
        if isinstance(c, tuple):
            out.append("pair")
        elif hasattr(c, "name") and not isinstance(c, (BlockCursor, ExprListCursor)):
            out.append(c.name())
        elif isinstance(c, LiteralCursor):
            out.append(repr(c.value()))
        elif hasattr(c, "op"):
            out.append(c.op())
        else:
            out.append(type(c).__name__)
    return out


def test_children():
    assert list(I.get_children(foo, C.lj)) == [C.lj.lo(), C.lj.hi(), C.t, C.xa, C.red]
    assert list(I.get_children(foo, C.ifc)) == [C.cond, C.sel, C.els, C.pass_]
    assert list(I.get_children(foo, C.ifc, lr=False)) == [C.pass_, C.els, C.sel, C.cond]
    assert _names(I.get_children(foo, C.xa)) == ["i", "j", "+"]
    assert _names(I.get_children(foo, C.red)) == ["i", "UnaryMinusCursor"]
    assert _names(I.get_children(foo, C.sel.rhs())) == ["a", "0.0", "y", "a"]
    assert list(I.get_children(foo, C.alloc)) == [] and list(I.get_children(foo, C.one)) == []
    root = list(I.get_children(foo))
    assert [type(c) for c in root] == [ArgCursor] * 5 + [BlockCursor]
    x = foo.args()[2]
    assert [type(c) for c in I.get_children(foo, x)] == [ExprListCursor]
    assert _names(I.get_children(foo, x.shape())) == ["n", "m"]
    assert list(I.get_children(foo, foo.args()[4])) == []  # a scalar
    assert _names(I.get_children(bar, bar.find("buf : _"))) == ["4", "n"]
    assert _names(I.get_children(bar, bar.find("sub(_) #1"))) == ["4", "x"]
    assert _names(I.get_children(bar, bar.find("sub(_) #1").args()[1])) == ["i", "pair"]
    assert _names(I.get_children(bar, bar.find("CFG.n = _"))) == ["4"]
    assert _names(I.get_children(bar, bar.find("w = _"))) == ["x"]  # Exo 1.0 fails here
    with pytest.raises(SchedulingError, match="a gap between statements is not a node"):
        list(I.get_children(foo, C.t.after()))


def test_walk_orders():
    assert _names(I.lrn(foo, C.sub)) == ["i", "y", "2.0", "/", "a", "-"]
    assert _names(I.nlr(foo, C.sub)) == ["-", "/", "y", "i", "2.0", "a"]
    assert _names(I.rln(foo, C.sub)) == ["a", "2.0", "i", "y", "/", "-"]
    assert _names(I.nrl(foo, C.sub)) == ["-", "a", "/", "2.0", "y", "i"]
    lrn = list(I.lrn(foo, C.ifc))
    assert lrn[:3] == [C.cond.lhs(), C.cond.rhs(), C.cond] and lrn[-3:] == [C.els, C.pass_, C.ifc]
    nrl = list(I.nrl(foo, C.ifc))
    assert nrl[:3] == [C.ifc, C.pass_, C.els]
    whole = list(I.nlr(foo))
    assert isinstance(whole[0], InvalidCursor) and whole[1:4] == list(foo.args())[:3]
    assert len(list(I.lrn(foo))) == 75
    assert _names(I.nlr(bar, bar.find("sub(_) #1"))) == ["CallCursor", "4", "x", "i", "pair",
                                                          "4", "8"]


def test_statement_walks():
    assert list(I.lrn_stmts(foo, C.li.body())) == [C.t, C.xa, C.red, C.lj, C.sel, C.els,
                                                   C.pass_, C.ifc]
    assert list(I.nlr_stmts(foo, C.li.body())) == [C.lj, C.t, C.xa, C.red, C.ifc, C.sel, C.els,
                                                   C.pass_]
    assert list(I.lrn_stmts(foo, C.li))[-1] == C.li
    everything = list(I.nlr_stmts(foo))
    assert len(everything) == 15 and everything[:3] == [C.alloc, C.li, C.lj]
    assert all(isinstance(s, StmtCursor) for s in I.lrn_stmts(foo))
    assert list(I.nlr_stmts(foo, C.lj.hi())) == []


def test_symbols_and_unique_names():
    assert list(I.get_symbols(foo, C.t)) == ["i", "j", "x", "a", "t"]
    assert list(I.get_symbols(foo, C.lj)) == ["m", "i", "j", "x", "a", "t", "i", "j", "t", "x",
                                              "i", "i", "j", "x", "y", "j"]
    assert list(I.get_symbols(foo, C.rel)) == ["k", "k", "y", "relu", "y"]
    assert list(I.get_symbols(foo))[:9] == ["n", "m", "n", "m", "x", "n", "y", "a", "t"]
    assert list(I.get_symbols(bar, bar.find("sub(_) #1"))) == ["i", "x"]
    assert list(I.get_symbols(bar, bar.find("CFG.n = _"))) == []
    names = list(I.get_unique_names(foo))
    assert names[:3] == ["var0", "var1", "var2"] and len(names) == 100
    assert isinstance(next(iter(I.get_children(foo, C.t))), type(C.mul))
    assert isinstance(list(I.get_children(foo, C.read_x))[0], ReadCursor)


def test_one_walk_serves_the_helper_modules():
    """The helpers' statement walk, cursor_walk's and higher_order's are
    traversals' own: same statements in the same order, and one function
    under each of Exo's names (Exo's higher_order.nlr_stmts is its
    inspection's)."""
    assert higher_order.nlr_stmts is traversals.nlr_stmts is I.nlr_stmts
    assert stdlib.nlr_stmts is traversals.nlr_stmts
    everything = list(I.nlr_stmts(foo))
    assert list(traversals.stmts_preorder(foo.body())) == everything
    assert cursor_walk.stmts_in(foo, InvalidCursor(), "test") == everything
    assert list(traversals.stmts_preorder(C.li)) == list(I.nlr_stmts(foo, C.li))
    # the stepped children agree with get_children (a window's slice flattened)
    for c in I.nlr(foo):
        if isinstance(c, (StmtCursor, ReadCursor)):
            steps = [k for _, k in traversals.child_steps(c)]
            assert steps == list(I.get_children(foo, c))
            for step, k in traversals.child_steps(c):
                assert cursor_walk.follow(c, [step]) == k


def test_stdlib_exports_the_primitives_and_queries_as_exos():
    """A script importing only Exo's exo.stdlib.stdlib finds the primitives
    and the inspection queries there."""
    for name in ["divide_loop", "stage_mem", "get_enclosing_loop", "get_inner_loop",
                 "is_loop", "lrn_stmts", "get_symbols", "tile_loops", "SchedulingError"]:
        assert hasattr(stdlib, name), name
