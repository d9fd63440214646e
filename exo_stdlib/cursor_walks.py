"""Walking a procedure through its public cursors: the statements of a
block, the data reads of an expression, the declaration of a buffer, a free
name. The staging and vectorisation helpers are built on these.

    for r in data_reads(stmt.rhs()):        # x[i], z[i] in  x[i] * z[i] + 2.0
        alloc = declaration(proc, r)        # its allocation (or argument)
"""

from __future__ import annotations

from exo_core.cursors.base import Cursor, InvalidCursor
from exo_core.cursors.expr_cursors import (BinOpCursor, BuiltInFunctionCursor, ExprCursor,
                                           ReadCursor, UnaryMinusCursor)
from exo_core.cursors.stmt_cursors import (AllocCursor, BlockCursor, ForCursor, IfCursor,
                                           StmtCursor)
from exo_core.procedure import Procedure
from exo_core.user_frame import scheduling_error

__all__ = ["stmts_in", "numeric_children", "data_reads", "mentions", "stmt_of",
           "declaration", "fresh_name"]


def stmts_in(proc: Procedure, where, what: str) -> list:
    """The statements of ``where`` (a statement or block of ``proc``; the whole
    body when it is an `InvalidCursor`), nested ones included, in program
    order. ``what`` names the helper in the error for anything else."""
    if isinstance(where, InvalidCursor):
        where = proc.body()
    elif isinstance(where, Cursor):
        where = proc.forward(where)
    if isinstance(where, StmtCursor):
        where = where.as_block()
    if not isinstance(where, BlockCursor):
        raise scheduling_error(f"{what}: expected a statement or a block cursor, got "
                               f"{type(where).__name__}")
    out = []
    for s in where:
        out.append(s)
        if isinstance(s, (ForCursor, IfCursor)):
            out.extend(stmts_in(proc, s.body(), what))
            if isinstance(s, IfCursor) and s.orelse():
                out.extend(stmts_in(proc, s.orelse(), what))
    return out


def numeric_children(e: ExprCursor) -> list:
    """The operands of a data expression (none for reads and literals)."""
    if isinstance(e, BinOpCursor):
        return [e.lhs(), e.rhs()]
    if isinstance(e, UnaryMinusCursor):
        return [e.arg()]
    if isinstance(e, BuiltInFunctionCursor):
        return list(e.args())
    return []


def data_reads(e: ExprCursor) -> list:
    """The reads of data buffers in ``e``, left to right (index expressions
    are not entered)."""
    if isinstance(e, ReadCursor):
        return [e] if e.type().is_numeric() else []
    return [r for c in numeric_children(e) for r in data_reads(c)]


def mentions(e: ExprCursor, name: str) -> bool:
    """Does ``e`` (indices included) read the variable ``name``?"""
    if isinstance(e, ReadCursor):
        return e.name() == name or any(mentions(i, name) for i in e.idx())
    return any(mentions(c, name) for c in numeric_children(e))


def stmt_of(c: Cursor) -> StmtCursor:
    """The statement an expression cursor is part of."""
    while not isinstance(c, StmtCursor):
        c = c.parent()
    return c


def declaration(proc: Procedure, read: ReadCursor):
    """The allocation (or argument) a read refers to: the nearest allocation
    of that name before the read's statement, in it or an enclosing block."""
    name = read.name()
    s = stmt_of(read)
    while not isinstance(s, InvalidCursor):
        p = s.prev()
        while not isinstance(p, InvalidCursor):
            if isinstance(p, AllocCursor) and p.name() == name:
                return p
            p = p.prev()
        s = s.parent()
    for a in proc.args():
        if a.name() == name:
            return a
    raise scheduling_error(f"no declaration of {name} is visible")


def fresh_name(proc: Procedure, prefix: str = "var") -> str:
    """The first of ``var0``, ``var1``, ... that names nothing in ``proc``."""
    used = {a.name() for a in proc.args()}
    for s in stmts_in(proc, InvalidCursor(), "fresh_name"):
        if isinstance(s, (AllocCursor, ForCursor)):
            used.add(s.name())
    k = 0
    while f"{prefix}{k}" in used:
        k += 1
    return f"{prefix}{k}"
