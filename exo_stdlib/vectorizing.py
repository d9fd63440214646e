"""Vectorisation helpers (Exo's ``exo.stdlib.stdlib`` family). The staging
rules `fma_rule` and `abs_rule` tell `stage_compute` which operands to stage
for a fused multiply-add or an absolute value; `parallelize_and_lift_alloc`
and `parallelize_allocs` (exo_stdlib.parallel_allocs) give each iteration
of a loop its own copy of a temporary.
"""

from __future__ import annotations

from exo_core.cursors.base import Cursor
from exo_core.cursors.expr_cursors import (BinOpCursor, BuiltInFunctionCursor, LiteralCursor,
                                           UnaryMinusCursor)
from exo_core.procedure import Procedure
from exo_core.user_frame import scheduling_error, user_entry
from exo_stdlib.parallel_allocs import parallelize_allocs, parallelize_and_lift_alloc

__all__ = ["parallelize_and_lift_alloc", "parallelize_allocs", "fma_rule", "abs_rule"]


@user_entry
def fma_rule(proc: Procedure, expr):
    """A staging rule for `stage_compute` / `vectorize`: the operands of a
    fused multiply-add ``a * b + c`` (or ``c + a * b``), so the product is
    not staged on its own; None for any other expression::

        fma_rule(p, <x[i] * z[i] + y[i]>)    -->     [x[i], z[i], y[i]]
    """
    e = _forward_expr(proc, expr, "fma_rule")
    if not (isinstance(e, BinOpCursor) and e.op() == "+"):
        return None
    lhs, rhs = e.lhs(), e.rhs()
    if isinstance(lhs, BinOpCursor) and lhs.op() == "*":
        return [lhs.lhs(), lhs.rhs(), rhs]
    if isinstance(rhs, BinOpCursor) and rhs.op() == "*":
        return [lhs, rhs.lhs(), rhs.rhs()]
    return None


@user_entry
def abs_rule(proc: Procedure, expr):
    """A staging rule for `stage_compute` / `vectorize`: an absolute value
    written ``select(0.0, a, a, -a)`` stages its three occurrences of ``a``
    as one expression (a list of the three cursors, in a list); None for
    any other expression::

        abs_rule(p, <select(0.0, x[i], x[i], -x[i])>)  -->  [[x[i], x[i], x[i]]]
    """
    e = _forward_expr(proc, expr, "abs_rule")
    if not (isinstance(e, BuiltInFunctionCursor) and e.name() == "select"):
        return None
    zero, a, b, neg = e.args()
    if not (isinstance(zero, LiteralCursor) and zero.value() == 0.0
            and isinstance(neg, UnaryMinusCursor)):
        return None
    c = neg.arg()
    if not str(a) == str(b) == str(c):
        return None
    return [[a, b, c]]


def _forward_expr(proc: Procedure, expr, what: str):
    if not isinstance(expr, Cursor):
        raise scheduling_error(f"{what}: expected an expression cursor, got "
                               f"{type(expr).__name__}")
    return proc.forward(expr)
