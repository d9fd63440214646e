"""Inspection helpers (Exo's ``exo.stdlib.inspection``), written only with
public cursors, so a user could have written each of them.

Every function takes the procedure first and forwards the cursors it is given
to that procedure, as scheduling primitives do::

    loop = get_enclosing_loop(p, p.find("y = data[_]"))   # the innermost loop around it
    top = get_top_level_stmt(p, loop)                     # the statement in p.body() holding it
"""

from __future__ import annotations

from exo_core.cursors.stmt_cursors import (
    AllocCursor,
    AssignCursor,
    CallCursor,
    Cursor,
    ForCursor,
    IfCursor,
    InvalidCursor,
    ReduceCursor,
    StmtCursor,
    WindowStmtCursor,
)
from exo_core.errors import CursorNavigationError, SchedulingError
from exo_core.procedure import Procedure

__all__ = [
    "is_loop", "is_if", "is_alloc", "is_assign", "is_reduce", "is_call",
    "is_window_stmt", "is_invalid", "get_parent", "get_enclosing_loop",
    "get_enclosing_loop_by_name", "get_enclosing_loops", "get_top_level_stmt",
    "loop_nest_depth", "get_depth", "get_lca", "CursorNavigationError",
]


def _fwd(proc: Procedure, c: Cursor) -> Cursor:
    if not isinstance(c, Cursor):
        raise SchedulingError(f"expected a cursor, got {type(c).__name__}")
    return proc.forward(c)


def is_loop(proc: Procedure, c: Cursor) -> bool:
    """Does ``c`` point at a ``for`` loop (in ``proc``)?"""
    return isinstance(_fwd(proc, c), ForCursor)


def is_if(proc: Procedure, c: Cursor) -> bool:
    return isinstance(_fwd(proc, c), IfCursor)


def is_alloc(proc: Procedure, c: Cursor) -> bool:
    return isinstance(_fwd(proc, c), AllocCursor)


def is_assign(proc: Procedure, c: Cursor) -> bool:
    return isinstance(_fwd(proc, c), AssignCursor)


def is_reduce(proc: Procedure, c: Cursor) -> bool:
    return isinstance(_fwd(proc, c), ReduceCursor)


def is_call(proc: Procedure, c: Cursor, callee: Procedure | None = None) -> bool:
    """Is ``c`` a call (of ``callee``, when given)?"""
    c = _fwd(proc, c)
    if not isinstance(c, CallCursor):
        return False
    return callee is None or c.subproc().name() == callee.name()


def is_window_stmt(proc: Procedure, c: Cursor) -> bool:
    return isinstance(_fwd(proc, c), WindowStmtCursor)


def is_invalid(proc: Procedure, c: Cursor) -> bool:
    """Has ``c`` (forwarded to ``proc``) stopped pointing at anything?"""
    return isinstance(_fwd(proc, c), InvalidCursor)


def get_parent(proc: Procedure, c: Cursor) -> Cursor:
    """The statement enclosing ``c`` (an `InvalidCursor` at the top level)."""
    return _fwd(proc, c).parent()


def get_enclosing_loops(proc: Procedure, c: Cursor) -> list:
    """The loops around ``c``, innermost first."""
    loops = []
    c = _fwd(proc, c).parent()
    while not isinstance(c, InvalidCursor):
        if isinstance(c, ForCursor):
            loops.append(c)
        c = c.parent()
    return loops


def get_enclosing_loop(proc: Procedure, c: Cursor, n: int = 1) -> Cursor:
    """The ``n``-th loop around ``c`` (1: the innermost); an `InvalidCursor`
    when there are fewer than ``n``."""
    if not isinstance(n, int) or n < 1:
        raise SchedulingError(f"get_enclosing_loop: n must be a positive integer, got {n!r}")
    loops = get_enclosing_loops(proc, c)
    if len(loops) >= n:
        return loops[n - 1]
    return get_top_level_stmt(proc, c).parent()  # an InvalidCursor


def get_enclosing_loop_by_name(proc: Procedure, c: Cursor, name: str) -> Cursor:
    """The innermost loop around ``c`` whose iterator is ``name``."""
    for loop in get_enclosing_loops(proc, c):
        if loop.name() == name:
            return loop
    raise CursorNavigationError(f"no loop named {name!r} encloses the statement")


def get_top_level_stmt(proc: Procedure, c: Cursor) -> Cursor:
    """The statement of ``proc.body()`` that contains ``c``."""
    c = _fwd(proc, c)
    while not isinstance(c, StmtCursor):
        c = c.parent()
        if isinstance(c, InvalidCursor):
            raise SchedulingError("the cursor is not inside a statement")
    while not isinstance(c.parent(), InvalidCursor):
        c = c.parent()
    return c


def loop_nest_depth(proc: Procedure, c: Cursor) -> int:
    """How many perfectly nested loops start at loop ``c`` (1 for a loop whose
    body is not a single loop)."""
    c = _fwd(proc, c)
    if not isinstance(c, ForCursor):
        raise SchedulingError("loop_nest_depth expects a cursor to a loop")
    depth = 1
    while len(c.body()) == 1 and isinstance(c.body()[0], ForCursor):
        c = c.body()[0]
        depth += 1
    return depth


def get_depth(proc: Procedure, c: Cursor) -> int:
    """How deep ``c`` is: 1 more than the number of nodes above it
    (a top-level statement has depth 2, as in the reference)."""
    c = _fwd(proc, c)
    depth = 1
    while not isinstance(c, InvalidCursor):
        c = c.parent()
        depth += 1
    return depth


def get_lca(proc: Procedure, c1: Cursor, c2: Cursor) -> Cursor:
    """The innermost statement that contains both ``c1`` and ``c2`` (a
    statement contains itself). Raises `CursorNavigationError` when only the
    procedure body holds both (two different top-level statements)."""
    c1, c2 = _fwd(proc, c1), _fwd(proc, c2)
    c = c1
    while not isinstance(c, StmtCursor):
        c = c.parent()
        if isinstance(c, InvalidCursor):
            break
    while isinstance(c, StmtCursor) and not c.is_ancestor_of(c2):
        c = c.parent()
    if not isinstance(c, StmtCursor):
        raise CursorNavigationError("these cursors do not have a common ancestor")
    return c
