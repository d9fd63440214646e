"""exo_stdlib.navigation (exported from exo_stdlib.inspection): positions,
enclosing scopes, ancestors; expected results are Exo 1.0's."""

from __future__ import annotations

import pytest

from exo_core import SchedulingError
from exo_core.cursors import AssignCursor, ForCursor, IfCursor, InvalidCursor
from exo_core.errors import CursorNavigationError, InvalidCursorError
from exo_stdlib import inspection as I
from tests.stdlib.inspection_procs import Cursors, bar, foo

C = Cursors()


def test_position_in_block():
    assert [I.get_index_in_body(foo, c) for c in (C.t, C.xa, C.red, C.li, C.lk, C.lq, C.els,
                                                  C.pass_)] == [0, 1, 2, 1, 2, 3, 0, 1]
    assert I.get_index_in_body(foo, C.red, False) == -1
    assert I.get_index_in_body(foo, C.t, from_top=False) == -3
    starts = {n for n in ("t", "xa", "red", "li", "lj", "lr", "sel", "alloc", "els", "pass_")
              if I.is_start_of_body(foo, getattr(C, n))}
    assert starts == {"t", "lj", "lr", "sel", "alloc", "els"}
    ends = {n for n in ("t", "red", "li", "lq", "lr", "ifc", "sel", "pass_", "els")
            if I.is_end_of_body(foo, getattr(C, n))}
    assert ends == {"red", "lq", "lr", "ifc", "sel", "pass_"}
    with pytest.raises(SchedulingError, match="expects a cursor to a statement"):
        I.get_index_in_body(foo, C.mul)


def test_parent_and_parents():
    assert I.get_parent(foo, C.t) == C.lj and I.get_parent(foo, C.read_x) == C.mul
    assert I.get_parent(foo, C.li) is foo  # a top-level statement: the procedure, as in Exo
    assert I.get_parent(foo, foo.args()[2]) is foo
    assert list(I.get_parents(foo, C.read_x)) == [C.mul, C.t, C.lj, C.li]
    assert list(I.get_parents(foo, C.t, C.li)) == [C.lj, C.li]
    assert list(I.get_parents(foo, C.li)) == []
    with pytest.raises(SchedulingError, match="up_to does not enclose"):
        list(I.get_parents(bar, bar.find("pass"), bar.find_loop("jj")))


def test_enclosing_scopes():
    assert I.get_enclosing_loop(foo, C.t) == C.lj
    assert I.get_enclosing_loop(foo, C.t, 2) == C.li
    assert I.get_enclosing_loop(foo, C.els) == C.li
    assert I.get_enclosing_if(foo, C.sub) == C.ifc and I.get_enclosing_if(foo, C.cond) == C.ifc
    assert I.get_enclosing_stmt(foo, C.read_x) == C.t
    assert I.get_enclosing_stmt(foo, C.read_x, 2) == C.lj
    assert I.get_enclosing_stmt(foo, C.read_x, 3) == C.li
    assert I.get_enclosing_stmt(foo, C.li.body()) == C.li
    assert I.get_enclosing_stmt(foo, C.t.after()) == C.lj
    assert I.get_enclosing_scope(foo, C.t, ForCursor) == C.lj
    assert I.get_enclosing_scope(foo, C.sub, IfCursor) == C.ifc
    for call in (lambda: I.get_enclosing_loop(foo, C.t, 3),
                 lambda: I.get_enclosing_loop(foo, C.li),
                 lambda: I.get_enclosing_if(foo, C.t),
                 lambda: I.get_enclosing_if(foo, C.els, 2),
                 lambda: I.get_enclosing_stmt(foo, C.alloc),
                 lambda: I.get_enclosing_scope(foo, C.lj, AssignCursor)):
        with pytest.raises(SchedulingError, match="No enclosing scope found"):
            call()
    assert I.get_enclosing_loop_by_name(foo, C.t, "i") == C.li
    with pytest.raises(CursorNavigationError, match="no loop named 'k'"):
        I.get_enclosing_loop_by_name(foo, C.t, "k")


def test_my_stmt_and_top_level():
    assert I.get_my_stmt(foo, C.t) == C.t and I.get_my_stmt(foo, C.read_x) == C.t
    assert I.get_my_stmt(foo, C.li.body()) == C.li and I.get_my_stmt(foo, C.t.after()) == C.lj
    with pytest.raises(SchedulingError, match="No enclosing scope found"):
        I.get_my_stmt(foo, foo.args()[0])
    assert I.get_top_level_stmt(foo, C.read_x) == C.li
    assert I.get_top_level_stmt(foo, C.rel) == C.lk and I.get_top_level_stmt(foo, C.alloc) == C.alloc
    arg = foo.args()[2]
    assert I.get_top_level_stmt(foo, arg) == arg


def test_depth_lca_distance():
    assert [I.get_depth(foo, c) for c in (C.li, C.lj, C.t, C.mul, C.read_x, C.alloc)] == \
        [2, 3, 4, 5, 6, 2]
    with pytest.raises(InvalidCursorError):
        I.get_depth(foo, InvalidCursor())
    assert I.get_lca(foo, C.t, C.red) == C.lj
    assert I.get_lca(foo, C.t, C.els) == C.li
    assert I.get_lca(foo, C.read_x, C.one) == C.lj
    assert I.get_lca(bar, bar.find_loop("i"), bar.find_loop("j")) == bar.find_loop("i")
    with pytest.raises(CursorNavigationError, match="do not have a common ancestor"):
        I.get_lca(foo, C.t, C.rel)
    assert I.get_distance(foo, C.t, C.red) == 2 == I.get_distance(foo, C.red, C.t)
    assert I.get_distance(foo, C.t, C.ifc) == 3
    assert I.get_distance(foo, C.li, C.li) == 0
    with pytest.raises(CursorNavigationError):
        I.get_distance(foo, C.li, C.lk)


def test_match_parent():
    assert I.match_parent(C.t, C.els) == (C.lj, C.ifc)
    assert I.match_parent(C.t, C.rel) == (C.li, C.lk)
    assert I.match_parent(C.t, C.red) == (C.t, C.red)
    li, lj = bar.find_loop("i"), bar.find_loop("j")
    assert I.match_parent(li, lj) == (li, li)
    assert I.match_parent(li.hi(), lj) == (li.hi(), lj)


def test_bounding_block():
    b = I.get_bounding_block(foo, [C.t, C.red])
    assert list(b) == [C.t, C.xa, C.red]
    assert list(I.get_bounding_block(foo, [C.t, C.els])) == [C.lj, C.ifc]
    assert list(I.get_bounding_block(foo, [C.li, C.lk])) == [C.li, C.lk]
    assert list(I.get_bounding_block(foo, [C.read_x, C.red])) == [C.t, C.xa, C.red]
    assert list(I.get_bounding_block(foo, [C.t])) == [C.t]
    assert list(I.get_bounding_block(foo, [C.sel, C.els])) == [C.ifc]  # both branches
    li = bar.find_loop("i")
    assert len(I.get_bounding_block(bar, [li.body()[0], bar.find("CFG.n = _")])) == 5
    with pytest.raises(SchedulingError, match="at least one cursor"):
        I.get_bounding_block(foo, [])


def test_get_declaration():
    assert I.get_declaration(foo, C.t, "t") == C.alloc
    assert I.get_declaration(foo, C.t, "x") == foo.args()[2]
    assert I.get_declaration(foo, C.rel, "n") == foo.args()[0]
    assert I.get_declaration(bar, bar.find("x[_] = _"), "buf") == bar.find("buf : _")
    assert I.get_declaration(bar, bar.find_loop("i"), "s") == bar.args()[2]
    for p, ctxt, name in ((foo, C.t, "i"), (foo, C.t, "zz"), (bar, bar.find("sub(_)"), "w"),
                          (bar, bar.find("buf : _"), "buf")):
        with pytest.raises(SchedulingError, match="Declaration not found"):
            I.get_declaration(p, ctxt, name)
