"""Reading code through public cursors, for the schedule helpers: the names a
statement uses, statements in pre-order, the text of a control expression,
and a cursor's position relative to an enclosing statement (to find the same
place again in a copy of that statement)::

    names_used(p.find("x[i] = a"))          # {"x", "i", "a"}
    expr_text(p.find_loop("i").hi())        # "(n + 3)"
    steps = relative_steps(loop, loop.hi())
    follow(copy_of_loop, steps)             # the copy's upper bound
"""

from __future__ import annotations

from typing import Iterator

from exo_core.cursors import (
    AllocCursor,
    AssignConfigCursor,
    AssignCursor,
    BinOpCursor,
    BuiltInFunctionCursor,
    CallCursor,
    Cursor,
    ForCursor,
    IfCursor,
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
from exo_core.user_frame import scheduling_error

__all__ = ["names_used", "stmts_preorder", "expr_text", "relative_steps", "follow"]


def _children(c: Cursor) -> list:
    """``(step, child)`` for every direct child of ``c`` (statements and
    expressions); a step is ``(method, index)`` with index ``None`` for a
    single child."""
    out: list = []

    def many(method: str, items) -> None:
        out.extend(((method, k), item) for k, item in enumerate(items))

    if isinstance(c, ForCursor):
        out += [(("lo", None), c.lo()), (("hi", None), c.hi())]
        many("body", c.body())
    elif isinstance(c, IfCursor):
        out.append((("cond", None), c.cond()))
        many("body", c.body())
        orelse = c.orelse()
        if not isinstance(orelse, InvalidCursor):
            many("orelse", orelse)
    elif isinstance(c, (AssignCursor, ReduceCursor)):
        many("idx", c.idx())
        out.append((("rhs", None), c.rhs()))
    elif isinstance(c, AssignConfigCursor):
        out.append((("rhs", None), c.rhs()))
    elif isinstance(c, CallCursor):
        many("args", c.args())
    elif isinstance(c, AllocCursor):
        if c.is_tensor():
            many("shape", c.shape())
    elif isinstance(c, WindowStmtCursor):
        out.append((("winexpr", None), c.winexpr()))
    elif isinstance(c, ReadCursor):
        many("idx", c.idx())
    elif isinstance(c, BinOpCursor):
        out += [(("lhs", None), c.lhs()), (("rhs", None), c.rhs())]
    elif isinstance(c, UnaryMinusCursor):
        out.append((("arg", None), c.arg()))
    elif isinstance(c, BuiltInFunctionCursor):
        many("args", c.args())
    elif isinstance(c, WindowExprCursor):
        for k, w in enumerate(c.idx()):
            if isinstance(w, tuple):
                out += [(("idx", (k, 0)), w[0]), (("idx", (k, 1)), w[1])]
            else:
                out.append((("idx", k), w))
    return out


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
    for _, child in _children(c):
        names |= names_used(child)
    return names


def stmts_preorder(block) -> Iterator[StmtCursor]:
    """The statements of ``block`` (a block or a statement) and every statement
    nested in them, each before what it contains."""
    items = [block] if isinstance(block, StmtCursor) else list(block)
    for s in items:
        yield s
        for _, child in _children(s):
            if isinstance(child, StmtCursor):
                yield from stmts_preorder(child)


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
        for step, child in _children(parent):
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
        for s, child in _children(c):
            if s == step:
                c = child
                break
        else:
            raise scheduling_error("the statement no longer has the shape the cursor was found in")
    return c

