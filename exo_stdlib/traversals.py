"""Traversals of a procedure through its public cursors (part of Exo's
``exo.stdlib.inspection``; `exo_stdlib.inspection` exports every name).

The tree is the cursors' own: the procedure (an `InvalidCursor` stands for
its root) has its arguments and its body block as children; a statement has
its expressions, then its nested statements; an expression has its operands::

    get_children(p, loop)          # lo, hi, then each statement of the body
    list(nlr(p, stmt))             # the statement, then its subtrees (pre-order)
    list(lrn_stmts(p))             # every statement, children before parents
    list(get_symbols(p, stmt))     # the names met, in post-order: i, j, x, a, t

Children, left to right (``lr=False`` reverses them): the root: each
argument, then the body; a tensor argument: its shape (an `ExprListCursor`);
a block, an expression list: their items; ``for``: lo, hi, each body
statement; ``if``: the condition, each statement of the body, then of the
else branch; an assignment or reduction: its indices, then the right-hand
side; an allocation: its shape's expressions; a call: its arguments; a window
statement: its window; a configuration write: its value; a read: its
indices; a binary operation: lhs, rhs; a unary minus: its operand; a builtin
call: its arguments; a window expression: per dimension a point or a
``(lo, hi)`` pair (whose children are lo and hi). Literals, strides,
configuration reads and ``pass`` have none; a gap is not a node.

`child_steps` (the children of a statement or expression with the method
that reaches each) and `stmts_preorder` are the walk the other helper modules
are built on.
"""

from __future__ import annotations

from typing import Iterator

from exo_core.cursors.expr_cursors import (BinOpCursor, BuiltInFunctionCursor, ExprListCursor,
                                           LiteralCursor, ReadConfigCursor, ReadCursor,
                                           StrideExprCursor, UnaryMinusCursor, WindowExprCursor)
from exo_core.cursors.stmt_cursors import (AllocCursor, ArgCursor, AssignConfigCursor,
                                           AssignCursor, BlockCursor, CallCursor, Cursor,
                                           ForCursor, GapCursor, IfCursor, InvalidCursor,
                                           PassCursor, ReduceCursor, StmtCursor,
                                           WindowStmtCursor)
from exo_core.procedure import Procedure
from exo_core.user_frame import scheduling_error

__all__ = ["get_children", "lrn", "nlr", "rln", "nrl", "lrn_stmts", "nlr_stmts", "get_symbols",
           "get_unique_names", "forward_cursor"]


def forward_cursor(proc: Procedure, c):
    """``c`` forwarded to ``proc`` (an `InvalidCursor`, the root, stays as it is;
    a ``(lo, hi)`` pair of a window is forwarded item by item)."""
    if isinstance(c, InvalidCursor):
        return c
    if isinstance(c, tuple):
        return tuple(forward_cursor(proc, x) for x in c)
    if not isinstance(c, Cursor):
        raise scheduling_error(f"expected a cursor, got {type(c).__name__}")
    return proc.forward(c)


def child_steps(c) -> list | None:
    """``(step, child)`` for each child of a statement or an expression, left
    to right, where a step is ``(method, index)`` (index ``None`` for a single
    child, ``(k, 0)``/``(k, 1)`` for the bounds of a window's ``k``-th slice,
    which are flattened here); ``None`` for a cursor that is neither. The one
    table of children every walk of the stdlib uses."""
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
        if isinstance(orelse, BlockCursor):
            many("orelse", orelse)
    elif isinstance(c, (AssignCursor, ReduceCursor)):
        many("idx", c.idx())
        out.append((("rhs", None), c.rhs()))
    elif isinstance(c, AllocCursor):
        if c.is_tensor():
            many("shape", c.shape())
    elif isinstance(c, (CallCursor, BuiltInFunctionCursor)):
        many("args", c.args())
    elif isinstance(c, WindowStmtCursor):
        out.append((("winexpr", None), c.winexpr()))
    elif isinstance(c, AssignConfigCursor):
        out.append((("rhs", None), c.rhs()))
    elif isinstance(c, ReadCursor):
        many("idx", c.idx())
    elif isinstance(c, BinOpCursor):
        out += [(("lhs", None), c.lhs()), (("rhs", None), c.rhs())]
    elif isinstance(c, UnaryMinusCursor):
        out.append((("arg", None), c.arg()))
    elif isinstance(c, WindowExprCursor):
        for k, w in enumerate(c.idx()):
            if isinstance(w, tuple):
                out += [(("idx", (k, 0)), w[0]), (("idx", (k, 1)), w[1])]
            else:
                out.append((("idx", k), w))
    elif not isinstance(c, (PassCursor, LiteralCursor, StrideExprCursor, ReadConfigCursor)):
        return None
    return out


def _children(proc: Procedure, c) -> list:
    if isinstance(c, InvalidCursor):
        return list(proc.args()) + [proc.body()]
    if isinstance(c, ArgCursor):
        return [c.shape()] if c.is_tensor() else []
    if isinstance(c, (ExprListCursor, BlockCursor, tuple)):
        return list(c)
    if isinstance(c, WindowExprCursor):
        return list(c.idx())  # a slice's (lo, hi) pair is one child
    if isinstance(c, GapCursor):
        raise scheduling_error("a gap between statements is not a node of the tree; "
                               "traverse a statement or a block")
    steps = child_steps(c)
    if steps is None:
        raise scheduling_error(f"cannot traverse a {type(c).__name__}")
    return [child for _, child in steps]


def stmts_preorder(block) -> Iterator[StmtCursor]:
    """The statements of ``block`` (a block or a statement) and every statement
    nested in them, each before what it contains (program order)."""
    for s in ([block] if isinstance(block, StmtCursor) else block):
        yield s
        for _, child in child_steps(s) or ():
            if isinstance(child, StmtCursor):
                yield from stmts_preorder(child)


def get_children(proc: Procedure, cursor=InvalidCursor(), lr: bool = True) -> Iterator:
    """The children of ``cursor`` (the whole procedure by default), left to
    right, or right to left with ``lr=False`` (see the module docstring)."""
    kids = _children(proc, forward_cursor(proc, cursor))
    yield from (kids if lr else reversed(kids))


def _walk(proc: Procedure, c, pre: bool, lr: bool) -> Iterator:
    if pre:
        yield c
    kids = _children(proc, c)
    for k in (kids if lr else reversed(kids)):
        yield from _walk(proc, k, pre, lr)
    if not pre:
        yield c


def lrn(proc: Procedure, cursor=InvalidCursor()) -> Iterator:
    """Post-order, children left to right: every node below ``cursor``, then it."""
    return _walk(proc, forward_cursor(proc, cursor), False, True)


def nlr(proc: Procedure, cursor=InvalidCursor()) -> Iterator:
    """Pre-order, children left to right: ``cursor``, then every node below it."""
    return _walk(proc, forward_cursor(proc, cursor), True, True)


def rln(proc: Procedure, cursor=InvalidCursor()) -> Iterator:
    """Post-order, children right to left."""
    return _walk(proc, forward_cursor(proc, cursor), False, False)


def nrl(proc: Procedure, cursor=InvalidCursor()) -> Iterator:
    """Pre-order, children right to left."""
    return _walk(proc, forward_cursor(proc, cursor), True, False)


def lrn_stmts(proc: Procedure, block=InvalidCursor()) -> Iterator:
    """The statements of `lrn` (nested statements before the one holding them)."""
    return (c for c in lrn(proc, block) if isinstance(c, StmtCursor))


def nlr_stmts(proc: Procedure, block=InvalidCursor()) -> Iterator:
    """The statements of `nlr` (program order)."""
    return (c for c in nlr(proc, block) if isinstance(c, StmtCursor))


_NAMED = (ArgCursor, AllocCursor, ForCursor, AssignCursor, ReduceCursor, WindowStmtCursor,
          ReadCursor, BuiltInFunctionCursor, WindowExprCursor, StrideExprCursor)


def get_symbols(proc: Procedure, cursor=InvalidCursor()) -> Iterator[str]:
    """The names met in post-order (`lrn`) below ``cursor``, repeats
    included: arguments, allocations, loop iterators, the buffers assigned,
    read, windowed or whose stride is taken, window statements, builtin
    functions."""
    for c in lrn(proc, cursor):
        if isinstance(c, _NAMED):
            yield c.name()


def get_unique_names(proc: Procedure) -> Iterator[str]:
    """Names ``var0`` ... ``var99`` that no symbol of ``proc`` uses, in order."""
    used = set(get_symbols(proc))
    return (f"var{k}" for k in range(100) if f"var{k}" not in used)
