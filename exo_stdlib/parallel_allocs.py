"""Private copies of temporaries: lifting an allocation out of loops with one
copy per iteration (Exo's ``parallelize_and_lift_alloc`` and
``parallelize_allocs``), so a loop's iterations no longer share it. Written
only with public primitives and cursors::

    for i in seq(0, n):                 t : f32[n, 8]
        t : f32[8]              -->     for i in seq(0, n):
        t[j] = ...                          t[i, j] = ...
    # parallelize_and_lift_alloc(p, p.find("t : _"))
"""

from __future__ import annotations

from exo_core.cursors.stmt_cursors import AllocCursor, ForCursor, IfCursor, StmtCursor
from exo_core.procedure import Procedure
from exo_core.primitives.buffers_alloc import lift_alloc
from exo_core.primitives.buffers_dims import expand_dim
from exo_core.user_frame import scheduling_error, user_entry
from exo_stdlib.cursor_walk import stmts_in

__all__ = ["parallelize_and_lift_alloc", "parallelize_allocs"]


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

