"""Reading code through public cursors, for the schedule helpers: the names a
statement uses, the text of a control expression, a cursor's position
relative to an enclosing statement (to find the same place again in a copy
of that statement), the statements of a block, the data reads of an
expression, the declaration of a buffer, a free name. The children and the
statement walk come from `exo_stdlib.traversals`::

    names_used(p.find("x[i] = a"))          # {"x", "i", "a"}
    for r in data_reads(stmt.rhs()):        # x[i], z[i] in  x[i] * z[i] + 2.0
        alloc = declaration(proc, r)        # its allocation (or argument)
    expr_text(p.find_loop("i").hi())        # "(n + 3)"
    steps = relative_steps(loop, loop.hi())
    follow(copy_of_loop, steps)             # the copy's upper bound
"""

from __future__ import annotations

from exo_core.cursors import (
    AllocCursor,
    AssignConfigCursor,
    AssignCursor,
    BinOpCursor,
    BlockCursor,
    BuiltInFunctionCursor,
    Cursor,
    ExprCursor,
    ForCursor,
    InvalidCursor,
    LiteralCursor,
    ReadConfigCursor,
    ReadCursor,
    ReduceCursor,
    StmtCursor,
    StrideExprCursor,
    UnaryMinusCursor,
    WindowExprCursor,
    WindowStmtCursor,
)
from exo_core.procedure import Procedure
from exo_core.user_frame import scheduling_error
from exo_stdlib.traversals import child_steps, stmts_preorder

__all__ = ["names_used", "expr_text", "relative_steps", "follow", "stmts_in",
           "numeric_children", "data_reads", "mentions", "stmt_of", "declaration",
           "fresh_name"]


def _names_of(c: Cursor) -> set:
    if isinstance(c, (AssignCursor, ReduceCursor, ReadCursor, WindowExprCursor,
                      StrideExprCursor, AllocCursor, WindowStmtCursor)):
        return {c.name()}
    if isinstance(c, ForCursor):
        return {c.name()}
    if isinstance(c, ReadConfigCursor):
        return {_config_key(c.config(), c.field())}
    if isinstance(c, AssignConfigCursor):
        return {_config_key(c.config(), c.field())}
    return set()


def _config_key(config, field: str) -> str:
    return f"{getattr(config, 'name', lambda: config)()}.{field}"


def names_used(c: Cursor) -> set:
    """Every variable name ``c`` (a statement or an expression, with what is
    inside it) reads, writes, declares or iterates over."""
    names = set(_names_of(c))
    for _, child in child_steps(c) or ():
        names |= names_used(child)
    return names


def expr_text(e: Cursor) -> str:
    """The text of a control expression (reads of sizes and indices, integer
    literals, ``+ - * / %``, comparisons), fully parenthesised."""
    if isinstance(e, LiteralCursor):
        v = e.value()
        return str(v)
    if isinstance(e, ReadCursor) and len(e.idx()) == 0:
        return e.name()
    if isinstance(e, UnaryMinusCursor):
        return f"(-{expr_text(e.arg())})"
    if isinstance(e, BinOpCursor):
        return f"({expr_text(e.lhs())} {e.op()} {expr_text(e.rhs())})"
    raise scheduling_error(f"expected a control expression (sizes, indices and integer arithmetic), "
                           f"got {type(e).__name__}")


def relative_steps(anchor: StmtCursor, target: Cursor) -> list:
    """The steps from ``anchor`` down to ``target`` (which must lie inside it)."""
    steps = []
    c = target
    while c != anchor:
        parent = c.parent()
        if isinstance(parent, InvalidCursor):
            raise scheduling_error("the cursor does not lie inside the statement")
        if not isinstance(parent, (StmtCursor, BinOpCursor, ReadCursor, UnaryMinusCursor,
                                   BuiltInFunctionCursor, WindowExprCursor, LiteralCursor,
                                   StrideExprCursor)):
            parent = parent.parent()  # an expression list or block: its owner
        for step, child in child_steps(parent) or ():
            if child == c:
                steps.append(step)
                break
        else:
            raise scheduling_error("the cursor does not lie inside the statement")
        c = parent
    return steps[::-1]


def follow(anchor: Cursor, steps: list) -> Cursor:
    """The cursor reached from ``anchor`` by ``steps`` (see `relative_steps`)."""
    c = anchor
    for step in steps:
        for s, child in child_steps(c) or ():
            if s == step:
                c = child
                break
        else:
            raise scheduling_error("the statement no longer has the shape the cursor was found in")
    return c


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
    return list(stmts_preorder(where))


def numeric_children(e: ExprCursor) -> list:
    """The operands of a data expression (none for reads and literals)."""
    if isinstance(e, (BinOpCursor, UnaryMinusCursor, BuiltInFunctionCursor)):
        return [child for _, child in child_steps(e)]
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
