"""Navigation queries of Exo's ``exo.stdlib.inspection`` (exported from
`exo_stdlib.inspection`): where a cursor sits (its position in its block,
the scopes around it, its depth) and how two cursors relate (lowest common
ancestor, distance, the smallest block holding both)::

    get_enclosing_loop(p, stmt, 2)          # the second loop around stmt
    get_parents(p, expr)                    # its expression, statement, loops, ...
    get_bounding_block(p, [s1, s2])         # the block from s1's to s2's ancestor

Every function forwards its cursors to the procedure first. Finding nothing
raises `SchedulingError` ("No enclosing scope found") or
`CursorNavigationError` (no common ancestor), as Exo does.
"""

from __future__ import annotations

from exo_core.cursors.stmt_cursors import (AllocCursor, BlockCursor, ForCursor, IfCursor,
                                           InvalidCursor, StmtCursor)
from exo_core.errors import CursorNavigationError, InvalidCursorError
from exo_core.procedure import Procedure
from exo_core.user_frame import caller_srcinfo, scheduling_error
from exo_stdlib.traversals import forward_cursor as _fwd

__all__ = [
    "is_start_of_body", "is_end_of_body", "get_index_in_body",
    "get_parent", "get_parents", "get_enclosing_scope", "get_enclosing_stmt",
    "get_enclosing_loop", "get_enclosing_loops", "get_enclosing_if",
    "get_enclosing_loop_by_name", "get_my_stmt", "get_top_level_stmt", "get_depth", "get_lca",
    "get_distance", "match_parent", "get_bounding_block", "get_declaration",
]


# ---------------------------------------------------------------------------
# Position in a block


def _stmt_arg(what: str, proc: Procedure, stmt) -> StmtCursor:
    stmt = _fwd(proc, stmt)
    if not isinstance(stmt, StmtCursor):
        raise scheduling_error(f"{what} expects a cursor to a statement, got a "
                               f"{type(stmt).__name__}")
    return stmt


def is_start_of_body(proc: Procedure, stmt) -> bool:
    """Is ``stmt`` the first statement of its block?"""
    return isinstance(_stmt_arg("is_start_of_body", proc, stmt).prev(), InvalidCursor)


def is_end_of_body(proc: Procedure, stmt) -> bool:
    """Is ``stmt`` the last statement of its block?"""
    return isinstance(_stmt_arg("is_end_of_body", proc, stmt).next(), InvalidCursor)


def get_index_in_body(proc: Procedure, stmt, from_top: bool = True) -> int:
    """The position of ``stmt`` in its block: 0, 1, ... from the top, or
    -1, -2, ... from the bottom."""
    s = _stmt_arg("get_index_in_body", proc, stmt)
    k, step = (0, "prev") if from_top else (-1, "next")
    while not isinstance(getattr(s, step)(), InvalidCursor):
        s = getattr(s, step)()
        k += 1 if from_top else -1
    return k


# ---------------------------------------------------------------------------
# Navigation


def get_parent(proc: Procedure, stmt):
    """The node enclosing ``stmt``; for a top-level statement or an argument,
    the procedure itself (as in Exo)."""
    parent = _fwd(proc, stmt).parent()
    return proc if isinstance(parent, InvalidCursor) else parent


def get_parents(proc: Procedure, stmt, up_to=None):
    """The nodes enclosing ``stmt``, innermost first, up to ``up_to``
    (included) or to the top."""
    c = _fwd(proc, stmt).parent()
    up_to = None if up_to is None else _fwd(proc, up_to)
    while not isinstance(c, InvalidCursor):
        yield c
        if up_to is not None and c == up_to:
            return
        c = c.parent()
    if up_to is not None:
        raise scheduling_error("get_parents: up_to does not enclose the cursor")


def get_enclosing_scope(proc: Procedure, cursor, scope_type: type):
    """The innermost node of class ``scope_type`` enclosing ``cursor``."""
    return _nth_enclosing(proc, cursor, scope_type, 1)


def _nth_enclosing(proc: Procedure, cursor, kind: type, n: int):
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise scheduling_error(f"n must be a positive integer, got {n!r}")
    c = _fwd(proc, cursor).parent()
    while not isinstance(c, InvalidCursor):
        if isinstance(c, kind):
            n -= 1
            if n == 0:
                return c
        c = c.parent()
    raise scheduling_error(f"No enclosing scope found (no {_kind_name(kind)} encloses it)")


def _kind_name(kind: type) -> str:
    return {ForCursor: "loop", IfCursor: "if", StmtCursor: "statement"}.get(kind, kind.__name__)


def get_enclosing_stmt(proc: Procedure, cursor, n: int = 1):
    """The ``n``-th statement enclosing ``cursor`` (1: the innermost; for an
    expression, its own statement)."""
    return _nth_enclosing(proc, cursor, StmtCursor, n)


def get_enclosing_loop(proc: Procedure, cursor, n: int = 1):
    """The ``n``-th loop enclosing ``cursor`` (1: the innermost)."""
    return _nth_enclosing(proc, cursor, ForCursor, n)


def get_enclosing_if(proc: Procedure, cursor, n: int = 1):
    """The ``n``-th ``if`` enclosing ``cursor`` (1: the innermost)."""
    return _nth_enclosing(proc, cursor, IfCursor, n)


def get_enclosing_loops(proc: Procedure, cursor) -> list:
    """Every loop enclosing ``cursor``, innermost first."""
    c = _fwd(proc, cursor).parent()
    loops = []
    while not isinstance(c, InvalidCursor):
        if isinstance(c, ForCursor):
            loops.append(c)
        c = c.parent()
    return loops


def get_enclosing_loop_by_name(proc: Procedure, cursor, loop_iter: str):
    """The innermost loop enclosing ``cursor`` whose iterator is ``loop_iter``."""
    for loop in get_enclosing_loops(proc, cursor):
        if loop.name() == loop_iter:
            return loop
    raise CursorNavigationError(f"no enclosing loop found: no loop named {loop_iter!r} encloses "
                                "the cursor", caller_srcinfo())


def get_my_stmt(proc: Procedure, cursor):
    """``cursor`` if it is a statement, else the statement holding it (the
    statement owning a block or gap)."""
    c = _fwd(proc, cursor)
    if isinstance(c, StmtCursor):
        return c
    return _nth_enclosing(proc, c, StmtCursor, 1)


def get_top_level_stmt(proc: Procedure, c):
    """The statement of ``proc.body()`` holding ``c`` (an argument: itself)."""
    c = _fwd(proc, c)
    while not isinstance(c.parent(), InvalidCursor):
        c = c.parent()
    return c


def _depth(c) -> int:
    if isinstance(c, InvalidCursor):
        raise InvalidCursorError("the depth of an invalid cursor (the procedure root) is not "
                                 "defined", caller_srcinfo())
    depth = 1
    while not isinstance(c, InvalidCursor):
        c = c.parent()
        depth += 1
    return depth


def get_depth(proc: Procedure, cursor) -> int:
    """How deep ``cursor`` is: 1 more than the number of nodes above it (a
    top-level statement has depth 2, as in Exo)."""
    return _depth(_fwd(proc, cursor))


def get_lca(proc: Procedure, cursor1, cursor2):
    """The innermost statement that holds both cursors (a statement holds
    itself). `CursorNavigationError` when only the procedure body holds both
    (two different top-level statements)."""
    c1, c2 = _fwd(proc, cursor1), _fwd(proc, cursor2)
    c = c1
    while not isinstance(c, (StmtCursor, InvalidCursor)):
        c = c.parent()
    while isinstance(c, StmtCursor) and not c.is_ancestor_of(c2):
        c = c.parent()
    if not isinstance(c, StmtCursor):
        raise CursorNavigationError("these cursors do not have a common ancestor",
                                    caller_srcinfo())
    return c


def get_distance(proc: Procedure, cursor1, cursor2) -> int:
    """The number of tree edges between the two cursors through their
    `get_lca` (0 for one cursor; 2 for two statements of one block)."""
    lca = get_lca(proc, cursor1, cursor2)
    d = _depth(lca)
    return _depth(_fwd(proc, cursor1)) - d + _depth(_fwd(proc, cursor2)) - d


def match_parent(cursor1, cursor2) -> tuple:
    """Lift both cursors (the deeper first) until they have the same parent."""
    d1, d2 = _depth(cursor1), _depth(cursor2)
    while d1 > d2:
        cursor1, d1 = cursor1.parent(), d1 - 1
    while d2 > d1:
        cursor2, d2 = cursor2.parent(), d2 - 1
    while cursor1.parent() != cursor2.parent():
        cursor1, cursor2 = cursor1.parent(), cursor2.parent()
    return cursor1, cursor2


def _siblings(a, b) -> bool:
    """Are ``a`` and ``b`` statements of one block?"""
    if not isinstance(a, StmtCursor):
        return a == b
    for step in ("next", "prev"):
        c = a
        while not isinstance(c, InvalidCursor):
            if c == b:
                return True
            c = getattr(c, step)()
    return False


def get_bounding_block(proc: Procedure, cursors) -> BlockCursor:
    """The smallest block holding every cursor's statement."""
    stmts = [get_my_stmt(proc, c) for c in cursors]
    if not stmts:
        raise scheduling_error("get_bounding_block needs at least one cursor")
    while True:
        low = min(_depth(s) for s in stmts)
        lifted = []
        for s in stmts:
            for _ in range(_depth(s) - low):
                s = s.parent()
            lifted.append(s)
        stmts = lifted
        if all(_siblings(stmts[0], s) for s in stmts[1:]):
            break
        stmts = [s.parent() for s in stmts]
    pos = [get_index_in_body(proc, s) for s in stmts]
    first = stmts[pos.index(min(pos))]
    return first.as_block().expand(0, max(pos) - min(pos))


def get_declaration(proc: Procedure, ctxt, name: str):
    """The allocation of ``name`` visible at ``ctxt`` (the nearest before its
    statement, there or in an enclosing block), or the argument ``name``."""
    s = get_my_stmt(proc, ctxt)
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
    raise scheduling_error(f"Declaration not found! (no allocation or argument {name!r} is "
                           "visible here)")
