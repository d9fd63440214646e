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

Checks: a lifted condition must not depend on the loop's iterator nor read a
configuration field the loop writes (it is now evaluated once instead of per
iteration, or vice versa); a lifted loop's bounds must not depend on the outer
loop's iterator; an interchange must keep every pair of conflicting accesses
in order (the dependence check of `reorder_loops`); the two loops of an
``if``/``else`` must have bounds proven equal. Lifting out of an ``if`` that
has an ``else`` (other than the two-loop case), or out of an ``else`` branch,
is not supported yet and raises SchedulingError.

Forwarding: the lifted statement's cursor follows it to its new place, so
repeated lifting of one cursor works (lift it again with the same cursor).
"""

from __future__ import annotations

import exo_core.ir as ir
from exo_core.cursors.base import lift
from exo_core.cursors.paths import GapLoc
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
from exo_core.primitives.sym_substitution import rename_control_in_place, subst_expr

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
    if field == "orelse":
        raise scheduling_error("lift_scope: lifting out of an else branch is not supported yet")
    root = proc.INTERNAL_proc()
    ed = ProcEditor(proc)
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
        context, _ = context_at(root, steps)
        prove_equal("lift_scope", "the bounds of the two loops", inner.lo, other.lo, context)
        prove_equal("lift_scope", "the bounds of the two loops", inner.hi, other.hi, context)
        other_c = outer_c.orelse()[0]
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
        raise scheduling_error("lift_scope: lifting an if out of an if that has an else branch is not "
                   "supported yet")
    ed.unwrap(ed.stmt(outer_c))
    ed.wrap(ed.stmt(inner_c).body(), lambda b: ir.If(outer.cond, b, [], outer.srcinfo))
    if len(inner.orelse):
        ed.wrap(ed.stmt(inner_c).orelse(), lambda b: ir.If(outer.cond, b, [], outer.srcinfo))
    return ed.finish()


def _kind(s) -> str:
    return "loop" if isinstance(s, ir.For) else "if"


def _loop_like(loop: ir.For, body, iter_sym=None) -> ir.For:
    return ir.For(iter_sym or loop.iter, loop.lo, loop.hi, body, loop.loop_mode, loop.srcinfo)
