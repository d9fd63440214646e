"""Expression primitives: `commute_expr`, `left_reassociate_expr`, `rewrite_expr`.

    commute_expr(p, [p.find("x[i] * 2.0")])     # 2.0 * x[i]
    left_reassociate_expr(p, p.find("a + (b + c)"))   # a + b + c
    rewrite_expr(p, p.find("n - 2"), "(n - 4) + 2")   # proven equal under the context
    rewrite_expr(p, p.find("x[i] * 2.0"), "x[i] + x[i]")   # data: equal over the reals
"""

from __future__ import annotations

from exo_verify import Implies, conj

import exo_core.ir as ir
from exo_core.analysis.data_equality import data_difference
from exo_core.analysis.logic_partial import cond_formula, context_at, ctrl_term, is_control_expr
from exo_core.analysis.obligations import must_hold, require
from exo_core.cursors.paths import stmt_prefix_len
from exo_core.cursors.proc_editor import ProcEditor
from exo_core.errors import ArgumentTypeError
from exo_core.ir.printer import expr_to_str
from exo_core.ir.types import BOOL, ScalarType
from exo_core.procedure import Procedure
from exo_core.primitives.arguments import Expr, Exprs, Text, err
from exo_core.primitives.control_strings import parse_control, parse_data
from exo_core.primitives.signature import primitive
from exo_core.primitives.subprocs import new_call_failures
from exo_core.user_frame import caller_srcinfo

__all__ = ["commute_expr", "left_reassociate_expr", "rewrite_expr"]


@primitive(expr_cursors=Exprs())
def commute_expr(proc: Procedure, expr_cursors) -> Procedure:
    """Swap the operands of each ``+`` or ``*`` expression.

        a * b  <- expr_cursor   -->   b * a
    """
    nodes = [c._node() for c in expr_cursors]
    for e in nodes:
        if not isinstance(e, ir.BinOp) or e.op not in ("+", "*"):
            got = e.op if isinstance(e, ir.BinOp) else type(e).__name__
            raise ArgumentTypeError(f"commute_expr: only '+' or '*' can commute, got {got}",
                                    caller_srcinfo())
    ed = ProcEditor(proc)
    for c, e in zip(expr_cursors, nodes):
        ed.replace_expr(ed.cursor(c), ir.BinOp(e.op, e.rhs, e.lhs, e.type, e.srcinfo))
    return ed.finish()


@primitive(expr=Expr())
def left_reassociate_expr(proc: Procedure, expr) -> Procedure:
    """Reassociate a ``+`` or ``*`` whose right operand is the same operation.

        a + (b + c)  <- expr   -->   (a + b) + c   (printed a + b + c)
    """
    e = expr._node()
    if not isinstance(e, ir.BinOp) or e.op not in ("+", "*"):
        got = e.op if isinstance(e, ir.BinOp) else type(e).__name__
        raise ArgumentTypeError(f"left_reassociate_expr: only '+' or '*' can be reassociated, "
                                f"got {got}", caller_srcinfo())
    r = e.rhs
    if not isinstance(r, ir.BinOp) or r.op != e.op:
        raise ArgumentTypeError("left_reassociate_expr: the rhs of the expression must be the "
                                f"same binary operation as the expression ({e.op})",
                                caller_srcinfo())
    inner = ir.BinOp(e.op, e.lhs, r.lhs, e.type, e.srcinfo)
    ed = ProcEditor(proc)
    ed.replace_expr(ed.cursor(expr), ir.BinOp(e.op, inner, r.rhs, e.type, e.srcinfo))
    return ed.finish()


def _rewrite_data(proc: Procedure, cursor, old, text, root, stmt_steps) -> Procedure:
    """rewrite_expr of a data expression: equal as polynomials over the
    reals (`exo_core.analysis.data_equality`), and every element the new
    expression reads within its buffer."""
    P = "rewrite_expr"
    if not (isinstance(old.type, ScalarType) and old.type.is_numeric()):
        raise err(P, f"{expr_to_str(old)} is not an expression that can be rewritten")
    steps = cursor._loc.steps
    if len(steps) == len(stmt_steps) + 1 and steps[-1][0] == "args":
        raise err(P, f"{expr_to_str(old)} is a call argument (a buffer passed to the callee), "
                     "not a value that can be rewritten")
    new = parse_data(root, stmt_steps, text, P)
    context, _ = context_at(root, stmt_steps)
    why = data_difference(old, new, context)
    if why is not None:
        raise err(P, f"the new expression {expr_to_str(new)} must equal {expr_to_str(old)} "
                     f"here, but {why}")
    ed = ProcEditor(proc)
    ed.replace_expr(ed.cursor(cursor), new)
    result = ed.finish()
    failures = new_call_failures(proc, result)
    if failures:
        raise err(P, f"the new expression {expr_to_str(new)} reads out of bounds: {failures[0]}")
    return result


@primitive(expr_cursor=Expr(), new_expr=Text("new expression", formatted=True))
def rewrite_expr(proc: Procedure, expr_cursor, new_expr) -> Procedure:
    """Replace an expression by ``new_expr``, which must be proven equal to
    it wherever it is evaluated (bounds of the enclosing loops, branch
    conditions, assertions).

        for i in seq(0, n - 2):   -- rewrite_expr(p, p.find("n - 2"), "(n - 4) + 2") -->
        for i in seq(0, n - 4 + 2):

        y[i] = x[i] * 2.0         -- rewrite_expr(p, p.find("x[i] * 2.0"), "x[i] + x[i]") -->
        y[i] = x[i] + x[i]

    Obligation for a control expression: ``old == new`` (``old <-> new``
    for a condition) under the context; a failure names values where they
    differ. A data expression must be equal as a polynomial over the reals
    (see `exo_core.analysis.data_equality`), and what it reads in bounds.
    """
    P = "rewrite_expr"
    old = expr_cursor._node()
    steps = expr_cursor._loc.steps
    stmt_steps = steps[:stmt_prefix_len(steps)]
    root = proc.INTERNAL_proc()
    if not (is_control_expr(old) or old.type is BOOL):
        return _rewrite_data(proc, expr_cursor, old, new_expr, root, stmt_steps)
    is_cond = old.type is BOOL
    new = parse_control(root, stmt_steps, new_expr, is_cond, P)
    if is_cond:
        a, b = cond_formula(old), cond_formula(new)
        goal = None if a is None or b is None else conj(Implies(a, b), Implies(b, a))
    else:
        a, b = ctrl_term(old), ctrl_term(new)
        goal = None if a is None or b is None else a.eq(b)
    if goal is None:
        raise err(P, f"cannot state {expr_to_str(old)} = {expr_to_str(new)} for the verifier")
    context, _ = context_at(root, stmt_steps)
    require(must_hold(P, f"the new expression {expr_to_str(new)} must equal "
                         f"{expr_to_str(old)} here", goal, context), caller_srcinfo())
    ed = ProcEditor(proc)
    ed.replace_expr(ed.cursor(expr_cursor), new)
    return ed.finish()
