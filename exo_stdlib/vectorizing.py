"""Vectorisation helpers (Exo's ``exo.stdlib.stdlib`` family): giving each
iteration of a loop its own copy of a temporary, so the loop's iterations can
run side by side.

Written only with public primitives and cursors::

    for i in seq(0, n):                 t : f32[n, 8]
        t : f32[8]              -->     for i in seq(0, n):
        t[j] = ...                          t[i, j] = ...
    # parallelize_and_lift_alloc(p, p.find("t : _"))
"""

from __future__ import annotations

from exo_core.cursors.base import Cursor
from exo_core.cursors.expr_cursors import (BinOpCursor, BuiltInFunctionCursor, LiteralCursor,
                                           UnaryMinusCursor)
from exo_core.cursors.stmt_cursors import AllocCursor, ForCursor, IfCursor, StmtCursor
from exo_core.procedure import Procedure
from exo_core.user_frame import scheduling_error, user_entry
from exo_stdlib.cursor_walks import stmts_in
from exo_core.primitives.buffers_alloc import lift_alloc
from exo_core.primitives.buffers_dims import expand_dim

__all__ = ["parallelize_and_lift_alloc", "parallelize_allocs", "fma_rule", "abs_rule"]


@user_entry
def parallelize_and_lift_alloc(proc: Procedure, alloc_cursor, n_lifts: int = 1) -> Procedure:
    """Lift an allocation out of ``n_lifts`` enclosing loops and ifs; each loop
    it leaves adds a leading dimension indexed by the loop's iterator, so
    every iteration keeps its own copy::

        for i in seq(0, hi):                name : T[hi, shape]
            B1                      -->     for i in seq(0, hi):
            name : T[shape]                     B1
            B2                                  B2    (name[...] -> name[i, ...])

    An if it leaves adds no dimension. The new dimension has the loop's upper
    bound as its size and the iterator itself as its index (as in the
    reference), so a loop starting above 0 leaves the first entries unused.
    """
    alloc = _alloc(proc, alloc_cursor)
    for _ in range(_count(n_lifts)):
        alloc = proc.forward(alloc)
        scope = alloc.parent()
        if isinstance(scope, ForCursor):
            proc = expand_dim(proc, alloc, str(scope.hi()), scope.name())
        proc = lift_alloc(proc, alloc)
    return proc


@user_entry
def parallelize_allocs(proc: Procedure, cursor) -> Procedure:
    """`parallelize_and_lift_alloc` every allocation inside the loop or if
    ``cursor``, out of it: each allocation goes to just before ``cursor`` with
    one leading dimension per loop it left (``cursor`` included)::

        for i in seq(0, n):                 s : f32[n, 8]
            for k in seq(0, 8):     -->     for i in seq(0, n):
                s : f32                         for k in seq(0, 8):
                s = x[i, k]                         s[i, k] = x[i, k]
    """
    cursor = proc.forward(cursor) if isinstance(cursor, StmtCursor) else cursor
    if not isinstance(cursor, (ForCursor, IfCursor)):
        raise scheduling_error(f"parallelize_allocs: expected a loop or an if cursor, got "
                               f"{type(cursor).__name__}")
    inside = stmts_in(proc, cursor, "parallelize_allocs")[1:]
    for alloc in [s for s in inside if isinstance(s, AllocCursor)]:
        alloc = proc.forward(alloc)
        depth = _depth_below(alloc, proc.forward(cursor))
        proc = parallelize_and_lift_alloc(proc, alloc, n_lifts=depth)
    return proc


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


def _alloc(proc: Procedure, c):
    if isinstance(c, str):
        c = proc.find(c)
    c = proc.forward(c)
    if not isinstance(c, AllocCursor):
        raise scheduling_error(f"parallelize_and_lift_alloc: expected an allocation cursor, got "
                               f"{type(c).__name__}")
    return c


def _count(n) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise scheduling_error(f"parallelize_and_lift_alloc: n_lifts must be a non-negative "
                               f"int, got {n!r}")
    return n


def _depth_below(stmt: StmtCursor, ancestor: StmtCursor) -> int:
    """How many loops and ifs lie between ``stmt`` and ``ancestor`` (counting
    ``ancestor``)."""
    depth, c = 0, stmt.parent()
    while c != ancestor:
        depth += 1
        c = c.parent()
    return depth + 1
