"""Forwarding through chains of primitives built from different edits.

The primitives here are small, test-local compositions of ProcEditor edits
shaped like the real ones (divide a loop, lift an allocation, fission, remove
a loop, insert a pass), applied to the case study's convolution the way its
schedule does, holding cursors taken before scheduling.
"""

from __future__ import annotations

from exo_core.cursors import AllocCursor, AssignCursor, ForCursor, InvalidCursor
from exo_core.ir import BinOp, Const, For, Pass, Read
from exo_core.ir.prelude import Sym
from exo_core.cursors.proc_editor import ProcEditor
from exo_core.ir.types import INDEX, INT
from tests.seed_examples import case_study_generic_conv1d


def _subst(sym, expr):
    def fn(e):
        return _replace_reads(e, sym, expr)
    return fn


def _replace_reads(e, sym, expr):
    if isinstance(e, Read):
        if e.name == sym and not e.idx:
            return expr
        idx = tuple(_replace_reads(i, sym, expr) for i in e.idx)
        return e if all(a is b for a, b in zip(idx, e.idx)) else e.update(idx=idx)
    if isinstance(e, BinOp):
        lhs, rhs = _replace_reads(e.lhs, sym, expr), _replace_reads(e.rhs, sym, expr)
        return e if (lhs is e.lhs and rhs is e.rhs) else e.update(lhs=lhs, rhs=rhs)
    return e


def divide_loop(p, loop, q):
    """for i in seq(0, n) -> for io in seq(0, n/q): for ii in seq(0, q)."""
    ed = ProcEditor(p)
    loop = ed.stmt(loop)
    node = loop._node()
    io, ii = Sym(node.iter.name + "o"), Sym(node.iter.name + "i")
    n = node.hi.val
    ed.wrap(loop.body(), lambda body: For(ii, Const(0, INT), Const(q, INT), body, "seq"))
    new_i = BinOp("+", BinOp("*", Const(q, INT), Read(io, (), INDEX), INDEX),
                  Read(ii, (), INDEX), INDEX)
    ed.map_exprs(ed.stmt(loop).body(), _subst(node.iter, new_i))
    ed.update(loop, iter=io, hi=Const(n // q, INT))
    return ed.finish()


def lift_alloc(p, alloc):
    ed = ProcEditor(p)
    alloc = ed.stmt(alloc)
    ed.move(alloc, alloc.parent().before())
    return ed.finish()


def fission_after(p, stmt):
    """Split the loop around ``stmt`` after it (the rest goes into a copy)."""
    ed = ProcEditor(p)
    stmt = ed.stmt(stmt)
    loop = stmt.parent()
    rest = stmt.expand(0, None)[1:]
    node = loop._node()
    copy = ed.wrap(rest, lambda body: For(node.iter, node.lo, node.hi, body, "seq"))
    ed.move(copy, ed.cursor(loop).after())
    return ed.finish()


def remove_loop(p, loop):
    ed = ProcEditor(p)
    ed.unwrap(loop)
    return ed.finish()


def insert_pass(p, gap):
    ed = ProcEditor(p)
    ed.insert(gap, [Pass()])
    return ed.finish()


def test_case_study_cursors_survive_a_schedule():
    p0 = case_study_generic_conv1d
    i_loop = p0.find("for i in _:_")
    j_loop = p0.find("for j in _:_")
    c_loop = p0.find("for c in _:_")
    y_alloc = p0.find("y : _")
    y_assign = p0.find("y = data[_]")
    out_zero = p0.find("out = _")
    red = p0.find("out += _")

    p1 = divide_loop(p0, i_loop, 4)           # wrap + map_exprs + update
    assert p1.forward(i_loop).name() == "io"
    assert p1.forward(j_loop).parent().name() == "ii"
    p2 = lift_alloc(p1, y_alloc)              # move (implicit forwarding)
    assert isinstance(p2.forward(y_alloc), AllocCursor)
    assert p2.forward(y_alloc).next() == p2.forward(p0.find_loop("r"))
    p3 = fission_after(p2, out_zero)          # wrap + move
    j3 = p3.forward(j_loop)
    assert j3.body()[0] == p3.forward(out_zero)
    assert len(j3.body()) == 1
    assert p3.forward(c_loop).parent().name() == "j"
    assert p3.forward(c_loop).parent() != j3
    p4 = insert_pass(p3, p3.forward(c_loop).before())  # insertion at a gap
    p5 = remove_loop(p4, p4.forward(y_assign).parent().parent())  # unwrap the r loop
    p6 = lift_alloc(p5, y_alloc)              # move again

    assert isinstance(p6.forward(i_loop), ForCursor)
    assert p6.forward(i_loop).name() == "io"
    ya = p6.forward(y_assign)
    assert isinstance(ya, AssignCursor) and ya.rhs().name() == "data"
    assert ya.parent().parent() == p6.forward(c_loop)  # r loop is gone
    assert p6.forward(c_loop).body()[0] == ya.parent()
    assert isinstance(p6.forward(p0.find_loop("r")), InvalidCursor)
    assert p6.forward(y_alloc).next() == p6.forward(c_loop)
    assert p6.forward(y_alloc).parent() == p6.forward(c_loop).parent()
    # the reduction's index expressions were rewritten by divide_loop: the old
    # expression cursor is invalid, the statement is tracked
    assert not p6.forward(red.idx()[0])
    assert p6.forward(red).idx()[1].name() == "j"
    assert not p6.forward(red.rhs())  # kernels[i, c, r] * y mentions i
    assert p6.forward(red.idx()[1]).name() == "j"  # untouched index survives
    # intermediate versions keep their own view
    assert p3.forward(y_alloc).parent() == p3.forward(c_loop)
    # forwarding composes: step by step equals direct
    step = p3.forward(y_assign)
    for q in (p4, p5, p6):
        step = q.forward(step)
    assert step == ya
    assert str(p6).count("pass") == 1
