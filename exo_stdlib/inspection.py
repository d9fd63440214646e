"""Inspection helpers (Exo's ``exo.stdlib.inspection``), written only with
public cursors, so a user could have written each of them. This module has
the queries about kinds of node, loops and expressions; the navigation
queries (`get_enclosing_loop`, `get_lca`, ...) are in `exo_stdlib.navigation`
and the traversals (`get_children`, `lrn`, `nlr`, `get_symbols`, ...) in
`exo_stdlib.traversals`; this module exports all of them.

Every function takes the procedure first (except `match_parent` and
`expr_to_string`, as in Exo) and forwards the cursors it is given to that
procedure, as scheduling primitives do::

    loop = get_enclosing_loop(p, p.find("y = data[_]"))   # the innermost loop around it
    top = get_top_level_stmt(p, loop)                     # the statement in p.body() holding it
    if is_binop(p, e, "+") and is_literal(p, e.rhs(), 1.0): ...

A query that finds nothing to return raises `SchedulingError` (no enclosing
scope, no declaration) or `CursorNavigationError` (no common ancestor, no
loop of that name), as Exo does; one given the wrong kind of cursor raises a
`TypeError` (`check_is_loop`) or a `SchedulingError` naming what it expects.
"""

from __future__ import annotations

from exo_core.cursors.expr_cursors import (BinOpCursor, BuiltInFunctionCursor, ExprCursor,
                                           LiteralCursor, ReadConfigCursor, ReadCursor,
                                           StrideExprCursor, UnaryMinusCursor, WindowExprCursor)
from exo_core.cursors.stmt_cursors import (AllocCursor, AssignCursor, CallCursor,
                                           ForCursor, IfCursor, InvalidCursor, ReduceCursor,
                                           StmtCursor, WindowStmtCursor)
from exo_core.errors import ArgumentTypeError, CursorNavigationError  # noqa: F401 (exported)
from exo_core.procedure import Procedure
from exo_core.user_frame import caller_srcinfo, scheduling_error
from exo_stdlib.navigation import *  # noqa: F401,F403
from exo_stdlib.navigation import __all__ as _navigation_names
from exo_stdlib.traversals import *  # noqa: F401,F403
from exo_stdlib.traversals import __all__ as _traversal_names
from exo_stdlib.traversals import _children, forward_cursor

__all__ = [
    # kinds of node
    "is_loop", "is_if", "is_alloc", "is_assign", "is_reduce", "is_call", "is_window_stmt",
    "is_invalid", "is_stmt", "is_access", "is_read", "is_write", "is_copy", "is_binop",
    "is_add", "is_sub", "is_mul", "is_div", "is_mod", "is_literal", "is_unary_minus",
    "is_builtin", "is_select", "is_relu", "is_sin",
    # loops
    "check_is_loop", "is_loop_bounds_const", "loop_body_len", "is_single_stmt_loop",
    "get_nth_inner_loop", "get_inner_loop", "loop_nest_depth",
    # expressions
    "expr_to_string", "are_exprs_equal",
    "CursorNavigationError",
] + _navigation_names + [n for n in _traversal_names if n != "forward_cursor"]

_fwd = forward_cursor


# ---------------------------------------------------------------------------
# Kinds of node


def is_loop(proc: Procedure, loop) -> bool:
    """Does ``loop`` point at a ``for`` loop (in ``proc``)?"""
    return isinstance(_fwd(proc, loop), ForCursor)


def is_if(proc: Procedure, if_c) -> bool:
    return isinstance(_fwd(proc, if_c), IfCursor)


def is_alloc(proc: Procedure, c) -> bool:
    return isinstance(_fwd(proc, c), AllocCursor)


def is_assign(proc: Procedure, assign) -> bool:
    return isinstance(_fwd(proc, assign), AssignCursor)


def is_reduce(proc: Procedure, reduce) -> bool:
    return isinstance(_fwd(proc, reduce), ReduceCursor)


def is_call(proc: Procedure, c, callee: Procedure | None = None) -> bool:
    """Is ``c`` a call (of ``callee``, when given)?"""
    c = _fwd(proc, c)
    if not isinstance(c, CallCursor):
        return False
    return callee is None or c.subproc().name() == callee.name()


def is_window_stmt(proc: Procedure, c) -> bool:
    return isinstance(_fwd(proc, c), WindowStmtCursor)


def is_invalid(proc: Procedure, c) -> bool:
    """Has ``c`` (forwarded to ``proc``) stopped pointing at anything?"""
    return isinstance(_fwd(proc, c), InvalidCursor)


def is_stmt(proc: Procedure, stmt) -> bool:
    """A single statement (not a block, a gap or an expression)."""
    return isinstance(_fwd(proc, stmt), StmtCursor)


def is_access(proc: Procedure, access) -> bool:
    """A read of a variable or buffer element, or an assignment or reduction."""
    return isinstance(_fwd(proc, access), (ReadCursor, AssignCursor, ReduceCursor))


def is_read(proc: Procedure, read, name: str | None = None) -> bool:
    """A read (of the variable ``name``, when given)."""
    read = _fwd(proc, read)
    return isinstance(read, ReadCursor) and (name is None or read.name() == name)


def is_write(proc: Procedure, write) -> bool:
    """An assignment or a reduction (configuration writes excluded, as in Exo)."""
    return isinstance(_fwd(proc, write), (AssignCursor, ReduceCursor))


def is_copy(proc: Procedure, assign) -> bool:
    """An assignment whose right-hand side is a read: ``x[i] = y[j]``."""
    assign = _fwd(proc, assign)
    return isinstance(assign, AssignCursor) and isinstance(assign.rhs(), ReadCursor)


def is_binop(proc: Procedure, expr, op: str | None = None) -> bool:
    """A binary operation (with operator ``op``, when given: ``"+"``, ``"<"``, ...)."""
    expr = _fwd(proc, expr)
    return isinstance(expr, BinOpCursor) and (op is None or expr.op() == op)


def is_add(proc: Procedure, expr) -> bool:
    return is_binop(proc, expr, "+")


def is_sub(proc: Procedure, expr) -> bool:
    return is_binop(proc, expr, "-")


def is_mul(proc: Procedure, expr) -> bool:
    return is_binop(proc, expr, "*")


def is_div(proc: Procedure, expr) -> bool:
    return is_binop(proc, expr, "/")


def is_mod(proc: Procedure, expr) -> bool:
    return is_binop(proc, expr, "%")


def is_literal(proc: Procedure, expr, value=None) -> bool:
    """A literal (equal to ``value``, when given: ``0 == 0.0``)."""
    expr = _fwd(proc, expr)
    return isinstance(expr, LiteralCursor) and (value is None or expr.value() == value)


def is_unary_minus(proc: Procedure, expr) -> bool:
    return isinstance(_fwd(proc, expr), UnaryMinusCursor)


def is_builtin(proc: Procedure, expr, name: str) -> bool:
    """A call of the builtin function ``name`` (``select``, ``relu``, ``sin``, ...)."""
    expr = _fwd(proc, expr)
    return isinstance(expr, BuiltInFunctionCursor) and expr.name() == name


def is_select(proc: Procedure, expr) -> bool:
    return is_builtin(proc, expr, "select")


def is_relu(proc: Procedure, expr) -> bool:
    return is_builtin(proc, expr, "relu")


def is_sin(proc: Procedure, expr) -> bool:
    return is_builtin(proc, expr, "sin")


# ---------------------------------------------------------------------------
# Loops


def check_is_loop(proc: Procedure, loop) -> None:
    """Raise a TypeError unless ``loop`` is a ``for`` loop."""
    if not isinstance(_fwd(proc, loop), ForCursor):
        raise ArgumentTypeError(f"loop is not a ForCursor (got a {type(loop).__name__})",
                                caller_srcinfo())


def is_loop_bounds_const(proc: Procedure, loop) -> bool:
    """Are both bounds of the loop literals?"""
    check_is_loop(proc, loop)
    loop = _fwd(proc, loop)
    return isinstance(loop.lo(), LiteralCursor) and isinstance(loop.hi(), LiteralCursor)


def loop_body_len(proc: Procedure, loop) -> int:
    check_is_loop(proc, loop)
    return len(_fwd(proc, loop).body())


def is_single_stmt_loop(proc: Procedure, loop) -> bool:
    return loop_body_len(proc, loop) == 1


def get_nth_inner_loop(proc: Procedure, loop, n: int):
    """The ``n``-th loop (from 0; negative counts from the end) among the
    statements of the body of ``loop`` (a loop or an ``if``)."""
    loop = _fwd(proc, loop)
    if not isinstance(loop, (ForCursor, IfCursor)):
        raise scheduling_error(f"get_nth_inner_loop: expected a loop, got a "
                               f"{type(loop).__name__}")
    loops = [s for s in loop.body() if isinstance(s, ForCursor)]
    if not -len(loops) <= n < len(loops):
        want = n + 1 if n >= 0 else -n
        raise scheduling_error(f"Expected exactly at least {want} loops, found {len(loops)}")
    return loops[n]


def get_inner_loop(proc: Procedure, loop):
    """The first loop of the body of ``loop``."""
    return get_nth_inner_loop(proc, loop, 0)


def loop_nest_depth(proc: Procedure, loop) -> int:
    """How many perfectly nested loops start at ``loop`` (1 for a loop whose
    body is not a single loop)."""
    c = _fwd(proc, loop)
    if not isinstance(c, ForCursor):
        raise scheduling_error("loop_nest_depth expects a cursor to a loop")
    depth = 1
    while len(c.body()) == 1 and isinstance(c.body()[0], ForCursor):
        c = c.body()[0]
        depth += 1
    return depth


# ---------------------------------------------------------------------------
# Expressions


def expr_to_string(expr_cursor, subst: dict | None = None) -> str:
    """The expression fully parenthesised, ``((x[(i), (j)])*(a))``; a read of
    a name in ``subst`` becomes ``(subst[name])``."""
    subst = subst or {}
    e = expr_cursor
    if isinstance(e, ReadCursor):
        if e.name() in subst:
            return f"({subst[e.name()]})"
        idx = list(e.idx())
        if not idx:
            return f"({e.name()})"
        return f"({e.name()}[{', '.join(expr_to_string(i, subst) for i in idx)}])"
    if isinstance(e, LiteralCursor):
        return f"({e.value()})"
    if isinstance(e, BinOpCursor):
        return f"({expr_to_string(e.lhs(), subst)}{e.op()}{expr_to_string(e.rhs(), subst)})"
    if isinstance(e, UnaryMinusCursor):
        return f"(-{expr_to_string(e.arg(), subst)})"
    if isinstance(e, BuiltInFunctionCursor):
        return f"({e.name()}({', '.join(expr_to_string(a, subst) for a in e.args())}))"
    if isinstance(e, ReadConfigCursor):
        return f"({e.config_name()}.{e.field()})"
    if isinstance(e, (WindowExprCursor, StrideExprCursor)):
        raise scheduling_error(f"expr_to_string: a {type(e).__name__} is not supported")
    raise scheduling_error(f"expr_to_string: expected an expression cursor, got "
                           f"{type(e).__name__}")


def _same_node(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, (ReadCursor, WindowExprCursor, StrideExprCursor, BuiltInFunctionCursor)) \
            and a.name() != b.name():
        return False
    if isinstance(a, LiteralCursor) and a.value() != b.value():
        return False
    if isinstance(a, BinOpCursor) and a.op() != b.op():
        return False
    if isinstance(a, StrideExprCursor) and a.dim() != b.dim():
        return False
    if isinstance(a, ReadConfigCursor) and (a.config_name(), a.field()) != (b.config_name(),
                                                                              b.field()):
        return False
    return True


def are_exprs_equal(proc: Procedure, expr1, expr2) -> bool:
    """Are the two expressions the same tree (same operators, names and
    literals)?"""
    a, b = _fwd(proc, expr1), _fwd(proc, expr2)
    if not isinstance(a, (ExprCursor, tuple)) or not isinstance(b, (ExprCursor, tuple)):
        raise scheduling_error("are_exprs_equal expects two expression cursors")
    return _equal(proc, a, b)


def _equal(proc: Procedure, a, b) -> bool:
    if isinstance(a, tuple) or isinstance(b, tuple):
        return isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b) and all(
            _equal(proc, x, y) for x, y in zip(a, b))
    if not _same_node(a, b):
        return False
    ka, kb = _children(proc, a), _children(proc, b)
    return len(ka) == len(kb) and all(_equal(proc, x, y) for x, y in zip(ka, kb))

