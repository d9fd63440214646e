"""Helpers that restructure whole loop nests, as the RVM conv1d case study
uses them (fission_as_much_as_possible, lift_scope_n,
remove_redundant_loops, reorder_top, fuse_all_loops), built only from public
primitives (fission, lift_scope, remove_loop, reorder_stmts, fuse) and
cursors. Each applies its primitive as far as the primitive's own checks
allow and stops at the first refusal, so nothing unsafe is ever forced::

    p = fission_as_much_as_possible(p, body)        # split loops after `body` all the way up
    p = lift_scope_n(p, c_loop, 3)                  # lift the c loop out of three loops
    p = remove_redundant_loops(p, y_assign.parent(), num=2)
"""

from __future__ import annotations

from exo_core.cursors.stmt_cursors import (BlockCursor, Cursor, ForCursor, IfCursor,
                                           InvalidCursor, StmtCursor)
from exo_core.errors import SchedulingError
from exo_core.procedure import Procedure
from exo_core.primitives.lift_scope import lift_scope
from exo_core.primitives.loop_order import fission, remove_loop
from exo_core.primitives.scopes import fuse
from exo_core.primitives.stmts import reorder_stmts

__all__ = ["fission_as_much_as_possible", "lift_scope_n", "remove_redundant_loops",
           "reorder_top", "fuse_all_loops"]


def _stmt_or_block(proc: Procedure, cursor, who: str):
    c = proc.forward(cursor)
    if not isinstance(c, (StmtCursor, BlockCursor)) or isinstance(c, InvalidCursor):
        raise SchedulingError(f"{who}: expected a statement or block cursor, got "
                              f"{type(c).__name__}")
    return c


def fission_as_much_as_possible(proc: Procedure, cursor: Cursor) -> Procedure:
    """Fission the loops (and ifs) around ``cursor`` (a statement or block)
    just after it, one level at a time, going up until `fission` refuses
    (an allocation would be separated from a use, the iterations would be
    reordered unsafely) or there is nothing left to split::

        for i in seq(0, 4):               for i in seq(0, 4):
            for j in seq(0, 4):               for j in seq(0, 4):
                a[i, j] = 0.0   <- cursor         a[i, j] = 0.0
                b[i, j] = a[i, j]   -->   for i in seq(0, 4):
                                              for j in seq(0, 4):
                                                  b[i, j] = a[i, j]
    """
    c = _stmt_or_block(proc, cursor, "fission_as_much_as_possible")
    while True:
        try:
            proc = fission(proc, c.after())
        except SchedulingError:
            return proc
        c = proc.forward(c).parent()
        if not isinstance(c, (ForCursor, IfCursor)):
            return proc


def lift_scope_n(proc: Procedure, cursor: Cursor, n_lifts: int = 1) -> Procedure:
    """`lift_scope` applied ``n_lifts`` times to the same loop or if::

        for i in _:                 for c in _:
            for j in _:       -->       for i in _:
                for c in _:                 for j in _:
                    s                           s
        # lift_scope_n(p, c_loop, 2)
    """
    if isinstance(n_lifts, bool) or not isinstance(n_lifts, int) or n_lifts < 0:
        raise SchedulingError(f"lift_scope_n: n_lifts must be a non-negative integer, got {n_lifts!r}")
    for _ in range(n_lifts):
        proc = lift_scope(proc, cursor)
    return proc


def remove_redundant_loops(proc: Procedure, cursor: Cursor, num: int = 0) -> Procedure:
    """Walk out from ``cursor`` through its enclosing loops and remove each
    one whose body does not depend on its iterator (`remove_loop`: the body
    is idempotent and the loop runs at least once), until ``num`` loops are
    removed or there are no more enclosing loops; loops `remove_loop` refuses
    are kept::

        for ioi in seq(0, 4):
            for ii in seq(0, 4):             for ji in seq(0, 4):
                for ji in seq(0, 4):   -->       y[ji] = x[ji]
                    y[ji] = x[ji]
        # remove_redundant_loops(p, y_stmt, num=2)
    """
    if isinstance(num, bool) or not isinstance(num, int) or num < 0:
        raise SchedulingError(f"remove_redundant_loops: num must be a non-negative integer, got {num!r}")
    c = _stmt_or_block(proc, cursor, "remove_redundant_loops")
    if isinstance(c, BlockCursor):
        c = c[0]
    loop = c if isinstance(c, ForCursor) else c.parent()
    removed = 0
    while removed < num and isinstance(loop, (ForCursor, IfCursor)):
        outer = loop.parent()
        if isinstance(loop, ForCursor):
            try:
                proc = remove_loop(proc, loop)
                removed += 1
            except SchedulingError:
                pass
        if isinstance(outer, InvalidCursor):
            break
        loop = proc.forward(outer)
    return proc


def reorder_top(proc: Procedure, cursor: Cursor) -> Procedure:
    """Move a statement up past the statements before it in its block, one
    `reorder_stmts` at a time, until it is first or a swap is refused (the
    statements do not commute)::

        a = 1.0                 c = 3.0
        b = 2.0        -->      a = 1.0
        c = 3.0  <- cursor      b = 2.0
    """
    c = _stmt_or_block(proc, cursor, "reorder_top")
    if isinstance(c, BlockCursor):
        c = c[0]
    while not isinstance(c.prev(), InvalidCursor):
        try:
            proc = reorder_stmts(proc, c.prev().expand(0, 1))
        except SchedulingError:
            return proc
        c = proc.forward(c)
    return proc


def fuse_all_loops(proc: Procedure, cursor: Cursor) -> Procedure:
    """Fuse every run of adjacent loops with the same bounds in a block (the
    block itself, or the body of a loop or if cursor), then the loops in the
    fused bodies, as far as `fuse` accepts::

        for i in seq(0, 4):            for i in seq(0, 4):
            a[i] = 0.0                     a[i] = 0.0
        for i in seq(0, 4):     -->        b[i] = a[i]
            b[i] = a[i]
    """
    c = _stmt_or_block(proc, cursor, "fuse_all_loops")
    block = c.body() if isinstance(c, (ForCursor, IfCursor)) else c
    if isinstance(block, StmtCursor):
        block = block.as_block()
    s = proc.forward(block[0])
    loops = []
    while not isinstance(s, InvalidCursor):
        nxt = s.next()
        if isinstance(s, ForCursor) and isinstance(nxt, ForCursor):
            try:
                proc = fuse(proc, s, nxt)
                s = proc.forward(s)
                continue
            except SchedulingError:
                pass
        if isinstance(s, ForCursor):
            loops.append(s)
        s = nxt
    for loop in loops:
        proc = fuse_all_loops(proc, proc.forward(loop))
    return proc
