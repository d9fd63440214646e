"""`lift_scope`: move a loop or an ``if`` up past the loop or ``if`` that
directly encloses it (it must be the only statement there).

    for i in _:                      if p:
        if p: s1          -->            for i in _: s1
        else: s2                     else:
                                         for i in _: s2

    if p:                            for i in _:
        for i in _: s     -->            if p: s

    for i in _:                      for j in _:
        for j in _: s     -->            for i in _: s      (an interchange)

    if p:                            if q:
        if q: s1          -->            if p: s1
        else: s2                     else:
                                         if p: s2

    if p:                            for i in _:
        for i in R: s1    -->            if p: s1
    else:                                else: s2[j -> i]
        for j in R: s2

    if p:                            if q:
        if q: s1          -->            if p: s1
    else:                                else: e
        e                            else:
                                         if p: pass
                                         else: e'          (e' a fresh copy)

    if p:                            if q:
        t                                if p: t
    else:                 -->            else: s1
        if q: s1                     else:
        else: s2                         if p: t'
                                         else: s2          (t' a fresh copy)

and the mirror of the two-loop case, lifting the loop of the else branch.

Checks: a lifted condition must not depend on the loop's iterator nor read a
configuration field the loop writes (it is now evaluated once instead of per
iteration, or vice versa); a lifted loop's bounds must not depend on the outer
loop's iterator; an interchange must keep every pair of conflicting accesses
in order (the dependence check of `reorder_loops`); of the two loops of an
``if``/``else``, the other loop's bounds must be proven equal to the lifted
loop's where the other branch runs. A loop is lifted out of an ``if`` with an
``else`` only in that two-loop form.

Forwarding: the lifted statement's cursor follows it to its new place, so
repeated lifting of one cursor works (lift it again with the same cursor).
"""

from __future__ import annotations

import exo_core.ir as ir
from exo_core.cursors.base import lift
from exo_core.cursors.paths import BlockLoc, GapLoc
from exo_core.cursors.proc_editor import ProcEditor
from exo_core.procedure import Procedure
from exo_core.analysis import context_at
from exo_core.analysis.binding import used_names
from exo_core.ir.types import INDEX
from exo_core.user_frame import scheduling_error
from exo_core.primitives.arguments import Stmt
from exo_core.primitives.signature import primitive
from exo_core.primitives.ir_build import config_reads
from exo_core.primitives.loop_common import (check_interchange, configs_written, facts_at,
                          require_bounds_ordered)
from exo_core.primitives.scopes import prove_equal
from exo_core.primitives.sym_substitution import fresh_copy, rename_control_in_place, subst_expr

__all__ = ["lift_scope"]



def _check_cond_liftable(cond: ir.Expr, loop: ir.For) -> None:
    if loop.iter in used_names([ir.If(cond, [ir.Pass()])]):
        raise scheduling_error(f"lift_scope: the condition depends on the loop iterator {loop.iter.name}, "
                   "so it cannot move across the loop")
    reads = config_reads(cond)
    if reads:
        if reads & configs_written(loop.body).keys():
            raise scheduling_error("lift_scope: the condition reads a configuration field that the loop "
                       "writes, so it cannot move across the loop")


@primitive(scope_cursor=Stmt())
def lift_scope(proc: Procedure, scope_cursor) -> Procedure:
    """Lift a loop or an ``if`` one scope up (see the module docstring)."""
    inner_c = scope_cursor
    inner = inner_c._node()
    if not isinstance(inner, (ir.For, ir.If)):
        raise scheduling_error(f"lift_scope expects a loop or an if, got a {type(inner).__name__}")
    steps = inner_c._loc.steps
    if len(steps) < 2:
        raise scheduling_error("lift_scope: the statement is not inside a loop or an if")
    outer_c = inner_c.parent()
    outer = outer_c._node()
    field = steps[-1][0]
    if len(getattr(outer, field)) != 1:
        raise scheduling_error(f"lift_scope: the {_kind(inner)} must be the only statement of the "
                   f"enclosing {_kind(outer)}'s {'else branch' if field == 'orelse' else 'body'}")
    root = proc.INTERNAL_proc()
    ed = ProcEditor(proc)
    if field == "orelse":
        if isinstance(inner, ir.If):
            _lift_if_out_of_else(ed, outer_c, inner_c, outer, inner)
        else:
            _lift_loop_out_of_else(ed, proc, outer_c, inner_c, outer, inner)
        return ed.finish()
    if isinstance(outer, ir.For):
        if isinstance(inner, ir.For):
            check_interchange("lift_scope", proc, outer_c, outer, inner)
            ed.unwrap(ed.stmt(outer_c))
            ed.wrap(ed.stmt(inner_c).body(), lambda b: _loop_like(outer, b))
            return ed.finish()
        _check_cond_liftable(inner.cond, outer)
        ed.unwrap(ed.stmt(outer_c))
        ed.wrap(ed.stmt(inner_c).body(), lambda b: _loop_like(outer, b))
        if len(inner.orelse):
            new_iter = outer.iter.copy()
            ed.map_exprs(ed.stmt(inner_c).orelse(), lambda e: subst_expr(
                e, {outer.iter: ir.Read(new_iter, (), INDEX, e.srcinfo)}))
            ed.wrap(ed.stmt(inner_c).orelse(), lambda b: _loop_like(outer, b, new_iter))
        return ed.finish()
    # outer is an if
    if isinstance(inner, ir.For):
        _check_cond_liftable(outer.cond, inner)
        require_bounds_ordered("lift_scope", inner, facts_at(proc, outer_c),
                               "outside the if")
        if not len(outer.orelse):
            ed.unwrap(ed.stmt(outer_c))
            ed.wrap(ed.stmt(inner_c).body(), lambda b: ir.If(outer.cond, b, [], outer.srcinfo))
            return ed.finish()
        other = outer.orelse[0]
        if len(outer.orelse) != 1 or not isinstance(other, ir.For):
            raise scheduling_error("lift_scope: to lift a loop out of an if with an else branch, the else "
                       "branch must be one loop with the same bounds")
        _check_cond_liftable(outer.cond, other)
        other_c = outer_c.orelse()[0]
        _prove_same_bounds(root, inner, other, other_c)
        rename_control_in_place(ed, ed.stmt(other_c).body(), other.iter, inner.iter)
        guard = ed.wrap(ed.stmt(inner_c).body(),
                        lambda b: ir.If(outer.cond, b, [], outer.srcinfo))
        ed.move(ed.stmt(other_c).body(),
                lift(ed.current(), GapLoc(ed.stmt(guard)._loc.steps, "orelse", 0, "before")))
        ed.delete(ed.stmt(other_c))
        ed.unwrap(ed.stmt(outer_c))
        return ed.finish()
    # if inside if
    if len(outer.orelse):
        _lift_if_out_of_if_else(ed, outer_c, inner_c, outer, inner)
        return ed.finish()
    ed.unwrap(ed.stmt(outer_c))
    ed.wrap(ed.stmt(inner_c).body(), lambda b: ir.If(outer.cond, b, [], outer.srcinfo))
    if len(inner.orelse):
        ed.wrap(ed.stmt(inner_c).orelse(), lambda b: ir.If(outer.cond, b, [], outer.srcinfo))
    return ed.finish()


def _prove_same_bounds(root: ir.ProcIR, lifted: ir.For, other: ir.For, other_c) -> None:
    """The other branch's loop will run with the lifted loop's bounds: they
    must be equal where that branch runs (under its side of the condition)."""
    context, _ = context_at(root, other_c._loc.steps)
    prove_equal("lift_scope", "the bounds of the two loops", lifted.lo, other.lo, context)
    prove_equal("lift_scope", "the bounds of the two loops", lifted.hi, other.hi, context)


def _gap(ed: ProcEditor, stmt_c, field: str, pos: int):
    """The gap at ``pos`` of a statement's ``field`` block, in the edited version."""
    return lift(ed.current(), GapLoc(ed.stmt(stmt_c)._loc.steps, field, pos, "before"))


def _block(ed: ProcEditor, stmt_c, field: str, lo: int, hi: int):
    return lift(ed.current(), BlockLoc(ed.stmt(stmt_c)._loc.steps, field, lo, hi))


def _guard_of(outer: ir.If):
    return lambda b: ir.If(outer.cond, b, [], outer.srcinfo)


def _lift_if_out_of_if_else(ed: ProcEditor, outer_c, inner_c, outer: ir.If,
                            inner: ir.If) -> None:
    """``if p: (if q: B1 else: B2) else: E`` becomes
    ``if q: (if p: B1 else: E) else: (if p: B2 else: E')``, where E' is a copy
    of E with fresh binders; an empty B2 becomes ``pass``. The statements of E
    forward to the first copy."""
    then_if = ed.wrap(ed.stmt(inner_c).body(), _guard_of(outer))
    ed.move(ed.stmt(outer_c).orelse(), _gap(ed, then_if, "orelse", 0))
    if len(inner.orelse):
        else_if = ed.wrap(ed.stmt(inner_c).orelse(), _guard_of(outer))
        ed.insert(_gap(ed, else_if, "orelse", 0), fresh_copy(outer.orelse))
    else:
        ed.insert(_gap(ed, inner_c, "orelse", 0),
                  [ir.If(outer.cond, [ir.Pass(outer.srcinfo)], fresh_copy(outer.orelse),
                         outer.srcinfo)])
    ed.unwrap(ed.stmt(outer_c))


def _lift_if_out_of_else(ed: ProcEditor, outer_c, inner_c, outer: ir.If,
                         inner: ir.If) -> None:
    """``if p: T else: (if q: B1 else: B2)`` becomes
    ``if q: (if p: T else: B1) else: (if p: T' else: B2)``, where T' is a copy
    of T with fresh binders (no else when B2 is empty). The statements of T
    forward to the first copy."""
    n_then, n1 = len(outer.body), len(inner.body)
    then_if = ed.wrap(ed.stmt(inner_c).body(), _guard_of(outer))
    ed.move(ed.stmt(outer_c).body(), _gap(ed, then_if, "body", 0))
    ed.move(_block(ed, then_if, "body", n_then, n_then + n1), _gap(ed, then_if, "orelse", 0))
    if len(inner.orelse):
        n2 = len(inner.orelse)
        else_if = ed.wrap(ed.stmt(inner_c).orelse(), _guard_of(outer))
        ed.insert(_gap(ed, else_if, "body", 0), fresh_copy(outer.body))
        ed.move(_block(ed, else_if, "body", n_then, n_then + n2), _gap(ed, else_if, "orelse", 0))
    else:
        ed.insert(_gap(ed, inner_c, "orelse", 0),
                  [ir.If(outer.cond, fresh_copy(outer.body), [], outer.srcinfo)])
    ed.unwrap(ed.stmt(outer_c), "orelse")


def _lift_loop_out_of_else(ed: ProcEditor, proc: Procedure, outer_c, inner_c, outer: ir.If,
                           inner: ir.For) -> None:
    """``if p: (for j in R: s1) else: (for i in R: s2)``, lifting the second
    loop, becomes ``for i in R: (if p: s1[j -> i] else: s2)`` (the mirror of
    lifting the first loop)."""
    other = outer.body[0]
    if len(outer.body) != 1 or not isinstance(other, ir.For):
        raise scheduling_error("lift_scope: to lift a loop out of an else branch, the if's body "
                               "must be one loop with the same bounds")
    _check_cond_liftable(outer.cond, inner)
    _check_cond_liftable(outer.cond, other)
    require_bounds_ordered("lift_scope", inner, facts_at(proc, outer_c), "outside the if")
    other_c = outer_c.body()[0]
    _prove_same_bounds(proc.INTERNAL_proc(), inner, other, other_c)
    rename_control_in_place(ed, ed.stmt(other_c).body(), other.iter, inner.iter)
    n_other, n_inner = len(other.body), len(inner.body)
    guard = ed.wrap(ed.stmt(inner_c).body(), _guard_of(outer))
    ed.move(ed.stmt(other_c).body(), _gap(ed, guard, "body", 0))
    ed.move(_block(ed, guard, "body", n_other, n_other + n_inner), _gap(ed, guard, "orelse", 0))
    ed.delete(ed.stmt(other_c))
    ed.unwrap(ed.stmt(outer_c), "orelse")


def _kind(s) -> str:
    return "loop" if isinstance(s, ir.For) else "if"


def _loop_like(loop: ir.For, body, iter_sym=None) -> ir.For:
    return ir.For(iter_sym or loop.iter, loop.lo, loop.hi, body, loop.loop_mode, loop.srcinfo)
