"""exo_stdlib.inspection: the queries about kinds of node, loops and
expressions, each on small procedures; expected results are Exo 1.0's."""

from __future__ import annotations

import pytest

from exo_core import SchedulingError
from exo_stdlib import inspection as I
from exo_stdlib.scheduling import divide_loop, delete_pass, insert_pass
from tests.stdlib.inspection_procs import Cursors, bar, foo
from tests.seed_examples import case_study_generic_conv1d as conv

C = Cursors()


def _true_for(query, **kw) -> set:
    names = ("t", "xa", "red", "li", "lj", "lk", "lq", "lr", "ifc", "sel", "rel", "alloc",
             "mul", "add", "neg", "read_x", "read_a", "one", "els", "sub", "div", "pass_",
             "cond", "copy")
    return {n for n in names if query(foo, getattr(C, n), **kw)}


def test_kinds_of_statement():
    assert _true_for(I.is_loop) == {"li", "lj", "lk", "lq", "lr"}
    assert _true_for(I.is_if) == {"ifc"}
    assert _true_for(I.is_assign) == {"t", "xa", "sel", "rel", "els", "copy"}
    assert _true_for(I.is_reduce) == {"red"}
    assert _true_for(I.is_alloc) == {"alloc"}
    assert _true_for(I.is_stmt) == {"t", "xa", "red", "li", "lj", "lk", "lq", "lr", "ifc",
                                    "sel", "rel", "alloc", "els", "pass_", "copy"}
    assert not I.is_stmt(foo, C.li.body()) and not I.is_stmt(foo, C.li.before())
    assert _true_for(I.is_write) == {"t", "xa", "red", "sel", "rel", "els", "copy"}
    assert _true_for(I.is_copy) == {"copy"}
    assert I.is_copy(bar, bar.find("buf[_] = _")) and not I.is_copy(bar, bar.find("CFG.n = _"))
    assert I.is_call(bar, bar.find("sub(_)")) and I.is_window_stmt(bar, bar.find("w = _"))


def test_kinds_of_expression():
    assert _true_for(I.is_access) == {"t", "xa", "red", "sel", "rel", "els", "copy", "read_x",
                                      "read_a"}
    assert _true_for(I.is_read) == {"read_x", "read_a"}
    assert I.is_read(foo, C.read_x, "x") and not I.is_read(foo, C.read_x, "y")
    assert I.is_read(foo, C.li.hi(), "n")
    win = bar.find("sub(_) #1").args()[1]
    assert not I.is_access(bar, win) and not I.is_read(bar, win)
    assert _true_for(I.is_binop) == {"mul", "add", "sub", "div", "cond"}
    assert I.is_binop(foo, C.add, "+") and not I.is_binop(foo, C.add, "*")
    assert (_true_for(I.is_add), _true_for(I.is_sub), _true_for(I.is_mul),
            _true_for(I.is_div), _true_for(I.is_mod)) == ({"add"}, {"sub"}, {"mul"}, {"div"},
                                                          set())
    assert _true_for(I.is_literal) == {"one"}
    assert I.is_literal(foo, C.one, 1.0) and not I.is_literal(foo, C.one, 2.0)
    assert I.is_literal(foo, C.li.lo(), 0) and I.is_literal(foo, C.li.lo(), 0.0)
    assert _true_for(I.is_unary_minus) == {"neg"}
    assert I.is_select(foo, C.sel.rhs()) and I.is_relu(foo, C.rel.rhs())
    assert I.is_builtin(foo, C.sel.rhs(), "select") and not I.is_builtin(foo, C.sel.rhs(), "relu")
    assert not I.is_sin(foo, C.sel.rhs()) and not I.is_builtin(foo, C.li.hi(), "select")


def test_loop_queries():
    assert [I.loop_body_len(foo, getattr(C, n)) for n in ("li", "lj", "lk", "lq", "lr")] == \
        [2, 3, 1, 1, 1]
    assert {n for n in ("li", "lj", "lk", "lq", "lr")
            if I.is_loop_bounds_const(foo, getattr(C, n))} == {"lk", "lr"}
    assert {n for n in ("li", "lj", "lk", "lq", "lr")
            if I.is_single_stmt_loop(foo, getattr(C, n))} == {"lk", "lq", "lr"}
    assert I.check_is_loop(foo, C.li) is None
    for q in (I.check_is_loop, I.is_loop_bounds_const, I.loop_body_len, I.is_single_stmt_loop):
        with pytest.raises(TypeError, match="loop is not a ForCursor"):
            q(foo, C.t)
    assert I.loop_nest_depth(conv, conv.find_loop("i")) == 2


def test_inner_loops():
    li = bar.find_loop("i")
    assert I.get_inner_loop(foo, C.li) == C.lj
    assert I.get_inner_loop(bar, bar.find_loop("j")) == bar.find_loop("k")
    assert I.get_nth_inner_loop(bar, li, 0) == bar.find_loop("j")
    assert I.get_nth_inner_loop(bar, li, 1) == bar.find_loop("jj")  # loops of the body only
    assert I.get_nth_inner_loop(bar, li, -1) == bar.find_loop("jj")
    with pytest.raises(SchedulingError, match="Expected exactly at least 3 loops, found 2"):
        I.get_nth_inner_loop(bar, li, 2)
    with pytest.raises(SchedulingError, match="at least 1 loops, found 0"):
        I.get_inner_loop(foo, C.lj)
    with pytest.raises(SchedulingError, match="expected a loop"):
        I.get_inner_loop(foo, C.t)


def test_expr_to_string():
    assert I.expr_to_string(C.mul) == "((x[(i), (j)])*(a))"
    assert I.expr_to_string(C.sub) == "(((y[(i)])/(2.0))-(a))"
    assert I.expr_to_string(C.sel.rhs()) == "(select((a), (0.0), (y[(i)]), (a)))"
    assert I.expr_to_string(C.li.hi()) == "(n)"
    assert I.expr_to_string(C.cond) == "((i)<(m))"
    assert I.expr_to_string(C.mul, {"a": "b"}) == "((x[(i), (j)])*(b))"
    assert I.expr_to_string(bar.find("buf[_] = _").rhs(), {"x": "y"}) == "(y)"
    assert I.expr_to_string(bar.find("buf[_] = _").rhs()) == "(x[(i), ((j)+(k))])"
    # beyond Exo 1.0, which refuses these two
    assert I.expr_to_string(C.neg) == "(-(x[(i), (j)]))"
    assert I.expr_to_string(bar.find("CFG.n == 4")) == "((CFG.n)==(4))"
    with pytest.raises(SchedulingError, match="WindowExprCursor is not supported"):
        I.expr_to_string(bar.find("sub(_) #1").args()[1])
    with pytest.raises(SchedulingError, match="expected an expression cursor"):
        I.expr_to_string(C.t)


def test_are_exprs_equal():
    rhs = bar.find("buf[_] = _").rhs()
    assert I.are_exprs_equal(bar, rhs, rhs)
    assert I.are_exprs_equal(bar, bar.find("buf[_] = _").idx()[1], bar.find("x[_] = _").idx()[0])
    assert I.are_exprs_equal(foo, C.li.hi(), C.lq.hi())
    assert I.are_exprs_equal(foo, C.read_x, C.red.rhs().arg())
    assert not I.are_exprs_equal(foo, C.read_x, C.add.lhs())
    assert not I.are_exprs_equal(foo, C.read_x, C.read_a)
    assert not I.are_exprs_equal(foo, C.mul, C.add)


def test_cursors_are_forwarded_to_the_given_proc():
    c_loop = conv.find_loop("c")
    p = divide_loop(conv, "i", 4, ["io", "ii"], perfect=True)
    assert I.is_loop(p, c_loop)
    assert [l.name() for l in I.get_enclosing_loops(p, c_loop)] == ["j", "ii", "io"]
    assert I.get_enclosing_loop(p, c_loop, 3).name() == "io"
    p2 = insert_pass(conv, conv.find_loop("i").before())
    pass_c = p2.find("pass")
    p3 = delete_pass(p2)
    assert I.is_invalid(p3, pass_c)


def test_exported_names_are_exos():
    exos = {"get_children", "lrn", "nlr", "rln", "nrl", "lrn_stmts", "nlr_stmts", "get_symbols",
            "get_declaration", "get_unique_names", "is_stmt", "is_loop_bounds_const",
            "loop_body_len", "is_single_stmt_loop", "match_parent", "get_enclosing_scope",
            "get_enclosing_if", "get_enclosing_stmt", "get_my_stmt", "get_index_in_body",
            "get_parents", "get_nth_inner_loop", "get_inner_loop", "is_binop", "is_add",
            "is_sub", "is_mul", "is_div", "is_mod", "is_literal", "is_read", "is_write",
            "is_access", "is_start_of_body", "is_end_of_body", "get_distance",
            "are_exprs_equal", "is_copy", "get_bounding_block", "expr_to_string", "is_loop",
            "is_if", "is_assign", "is_reduce", "is_unary_minus", "is_builtin", "is_select",
            "is_relu", "is_sin", "check_is_loop", "get_parent", "get_top_level_stmt",
            "get_enclosing_loop", "get_enclosing_loop_by_name", "get_lca", "get_depth",
            "CursorNavigationError"}
    assert exos <= set(I.__all__)
    assert all(callable(getattr(I, n)) for n in I.__all__)
