"""Scope primitives: `fuse`, `specialize`, `add_unsafe_guard` (and `lift_scope`
in `exo_core.primitives.lift_scope`).

    fuse(p, loop1, loop2)           for i in e: s1 ; for j in e: s2  -->  for i in e: s1; s2[j -> i]
                                    if c: s1 ; if c: s2               -->  if c: s1; s2
    specialize(p, block, ["n < 8"]) B  -->  if n < 8: B  else: B
    add_unsafe_guard(p, block, "i == 0")   B  -->  if i == 0: B   (unchecked)
"""

from __future__ import annotations

from exo_verify import Proof, Unknown, prove

import exo_core.ir as ir
from exo_core.cursors.base import lift
from exo_core.cursors.paths import GapLoc
from exo_core.ir.equal import expr_equal
from exo_core.ir.printer import expr_to_str
from exo_core.cursors.proc_editor import ProcEditor
from exo_core.procedure import Procedure
from exo_core.analysis.logic_partial import cond_formula, context_at, ctrl_term
from exo_core.analysis.obligations import require
from exo_core.analysis import windows_in_scope
from exo_core.analysis.fusion import loops_fusable
from exo_core.analysis.binding import check_block_closes_scope
from exo_core.user_frame import caller_srcinfo, scheduling_error
from exo_core.primitives.arguments import Block, Bool, Conditions, ControlExpr, Stmt
from exo_core.primitives.signature import primitive
from exo_core.primitives.sym_substitution import fresh_copy, rename_control_in_place

__all__ = ["fuse", "specialize", "add_unsafe_guard"]



def prove_equal(primitive: str, what: str, a: ir.Expr, b: ir.Expr, context) -> None:
    """Raise unless the control expressions ``a`` and ``b`` are proven equal
    under ``context``."""
    ta, tb = ctrl_term(a), ctrl_term(b)
    if ta is None or tb is None:
        raise scheduling_error(f"{primitive}: could not prove that {what} are equal ({expr_to_str(a)} "
                   f"and {expr_to_str(b)} cannot be compared by the verifier)")
    res = prove(ta.eq(tb), context)
    if isinstance(res, Proof):
        return
    if isinstance(res, Unknown):
        raise scheduling_error(f"{primitive}: could not prove that {what} are equal ({expr_to_str(a)} "
                   f"vs {expr_to_str(b)}: {res.reason})")
    shown = ", ".join(f"{k} = {v}" for k, v in res.values.by_label().items())
    raise scheduling_error(f"{primitive}: {what} differ: {expr_to_str(a)} vs {expr_to_str(b)}"
               + (f" (e.g. when {shown})" if shown else ""))


def prove_equivalent(primitive: str, a: ir.Expr, b: ir.Expr, context) -> None:
    """Raise unless the conditions ``a`` and ``b`` are proven equivalent
    (identical conditions that read no configuration field always are)."""
    if expr_equal(a, b) and not _reads_config(a):
        return
    fa, fb = cond_formula(a), cond_formula(b)
    if fa is None or fb is None:
        raise scheduling_error(f"{primitive}: could not prove that the conditions {expr_to_str(a)} and "
                   f"{expr_to_str(b)} are equivalent (the verifier cannot state them)")
    for goal in ((fa >> fb), (fb >> fa)):
        res = prove(goal, context)
        if isinstance(res, Unknown):
            raise scheduling_error(f"{primitive}: could not prove that the conditions {expr_to_str(a)} "
                       f"and {expr_to_str(b)} are equivalent ({res.reason})")
        if not isinstance(res, Proof):
            shown = ", ".join(f"{k} = {v}" for k, v in res.values.by_label().items())
            raise scheduling_error(f"{primitive}: the conditions {expr_to_str(a)} and {expr_to_str(b)} "
                       f"differ" + (f" (e.g. when {shown})" if shown else ""))


# ---------------------------------------------------------------------------


@primitive(stmt1=Stmt(), stmt2=Stmt(), unsafe_disable_check=Bool())
def fuse(proc: Procedure, stmt1, stmt2, unsafe_disable_check: bool = False) -> Procedure:
    """Fuse two adjacent loops with equal bounds, or two adjacent ifs with
    equivalent conditions.

        for i in seq(lo, hi): s1           for i in seq(lo, hi):
        for j in seq(lo, hi): s2    -->        s1
                                               s2[j -> i]

        if c: s1 (else: e1)                if c:
        if c: s2 (else: e2)         -->        s1; s2
                                           else:
                                               e1; e2

    Loops: the bounds must be proven equal where the loops are, and (unless
    ``unsafe_disable_check``) no iteration ``j`` of ``s2`` may touch a
    location that a later iteration ``i > j`` of ``s1`` also touches (unless
    both only read it, or both reduce into it): fusion runs ``s2(j)`` before
    ``s1(i)``. A read of a location that ``s1`` recomputes later is allowed
    when the value was computed by an iteration ``i' <= j`` already and every
    computation of it stores the same value (a halo recomputed by
    ``divide_with_recompute``; see `exo_core.analysis.fusion`). Ifs: the conditions must be proven equivalent; the fused code
    runs exactly the same statements in the same order.
    """
    c1, c2 = stmt1, stmt2
    s1, s2 = c1._node(), c2._node()
    l1, l2 = c1._loc.steps, c2._loc.steps
    if l1[:-1] != l2[:-1] or l1[-1][0] != l2[-1][0] or l2[-1][1] != l1[-1][1] + 1:
        raise scheduling_error("fuse expects two statements of the same block, the second right after "
                   "the first")
    root = proc.INTERNAL_proc()
    context, _ = context_at(root, l1)
    ed = ProcEditor(proc)
    if isinstance(s1, ir.For) and isinstance(s2, ir.For):
        prove_equal("fuse", "the loop bounds", s1.lo, s2.lo, context)
        prove_equal("fuse", "the loop bounds", s1.hi, s2.hi, context)
        if not unsafe_disable_check:
            ob = loops_fusable("fuse", s1, s2, context, windows_in_scope(root))
            require(ob, caller_srcinfo)
        # s2's statements get the new iterator in place (statement cursors stay
        # valid), then move to the end of s1's body; the empty loop goes.
        rename_control_in_place(ed, ed.stmt(c2).body(), s2.iter, s1.iter)
        ed.move(ed.stmt(c2).body(), ed.stmt(c1).body().after())
        ed.delete(ed.stmt(c2))
        return ed.finish()
    if isinstance(s1, ir.If) and isinstance(s2, ir.If):
        prove_equivalent("fuse", s1.cond, s2.cond, context)
        ed.move(ed.stmt(c2).body(), ed.stmt(c1).body().after())
        if len(s2.orelse):
            if len(s1.orelse):
                dest = ed.stmt(c1).orelse().after()
            else:
                dest = lift(ed.current(), GapLoc(ed.stmt(c1)._loc.steps, "orelse", 0, "before"))
            ed.move(ed.stmt(c2).orelse(), dest)
        ed.delete(ed.stmt(c2))
        return ed.finish()
    raise scheduling_error(f"fuse expects two loops or two ifs, got a {type(s1).__name__} and a "
               f"{type(s2).__name__}")


def _reads_config(e) -> bool:
    if isinstance(e, ir.ReadConfig):
        return True
    if isinstance(e, ir.BinOp):
        return _reads_config(e.lhs) or _reads_config(e.rhs)
    if isinstance(e, ir.USub):
        return _reads_config(e.arg)
    return False


# ---------------------------------------------------------------------------


@primitive(block=Block(), conds=Conditions(at="block"))
def specialize(proc: Procedure, block, conds) -> Procedure:
    """Duplicate a block under a chain of conditions (the last copy is the
    default): with ``n`` conditions, ``n + 1`` copies.

        B   -->   if cond_0: B
                  else:
                      if cond_1: B
                      else: B

    The conditions are strings parsed where the block is (``"n < 16"``). The
    first copy is the original block (cursors into it forward there); the
    other copies bind fresh names. No check is needed: exactly one copy of
    ``B`` runs, and every copy is ``B``.
    """
    blk, parsed = block, conds
    check_block_closes_scope("specialize", proc._root, blk._loc, caller_srcinfo())
    stmts = [c._node() for c in blk]
    si = caller_srcinfo() or stmts[0].srcinfo
    # The else chain, innermost first.
    chain = fresh_copy(stmts)
    for cond in reversed(parsed[1:]):
        chain = [ir.If(cond, fresh_copy(stmts), chain, si)]
    ed = ProcEditor(proc)
    outer = ed.wrap(blk, lambda body: ir.If(parsed[0], body, [], si))
    ed.insert(lift(ed.current(), GapLoc(outer._loc.steps, "orelse", 0, "before")), chain)
    return ed.finish()


@primitive(block_cursor=Block(), var_expr=ControlExpr(at="block_cursor", condition=True))
def add_unsafe_guard(proc: Procedure, block_cursor, var_expr: str) -> Procedure:
    """Wrap a block in ``if var_expr:`` WITHOUT checking anything.

        B   -->   if var_expr: B

    The condition (a string parsed where the block is) is trusted: the
    rewrite is only correct when ``var_expr`` holds every time the block
    runs. Prefer `specialize`, which is always safe.
    """
    blk, cond = block_cursor, var_expr
    user = caller_srcinfo()
    check_block_closes_scope("add_unsafe_guard", proc._root, blk._loc, user)
    si = user or cond.srcinfo
    ed = ProcEditor(proc)
    ed.wrap(blk, lambda body: ir.If(cond, body, [], si))
    return ed.finish()

