"""Loop helpers that move statements across loop boundaries and interleave
loop iterations (Exo's ``exo.stdlib.stdlib``), built only from public
primitives and cursors::

    p = hoist_stmt(p, p.find("a = 1.0"))          # out of its loop
    p = unroll_and_jam(p, p.find_loop("i"), 2)     # i by 2, jammed into the inner loop
    p, c = jam_stmt(p, p.find("y[i] = 0.0"), rc=True)

Helpers with ``rc=True`` return ``(proc, cursors)``, ``cursors`` a small
record of the cursors the helper made (``hoist_stmt_cursors`` ...), as Exo does.
"""

from __future__ import annotations

from dataclasses import dataclass

from exo_core.cursors import AllocCursor, Cursor, ForCursor, IfCursor, InvalidCursor, StmtCursor
from exo_core.errors import SchedulingError
from exo_core.procedure import Procedure
from exo_core.primitives.buffers_alloc import lift_alloc
from exo_core.primitives.loop_order import add_loop, fission, remove_loop, reorder_loops
from exo_core.primitives.loops import divide_loop, shift_loop, unroll_loop
from exo_core.primitives.scopes import fuse
from exo_core.primitives.stmts import reorder_stmts
from exo_core.user_frame import scheduling_error, user_entry
from exo_stdlib.cursor_walk import expr_text, names_used

__all__ = [
    "hoist_stmt", "hoist_stmt_cursors", "hoist_from_loop", "hoist_from_loop_cursors",
    "jam_stmt", "jam_stmt_cursors", "unroll_and_jam", "unroll_and_jam_parent",
    "interleave_outer_loop_with_inner_loop", "fission_into_singles",
    "reorder_stmt_forward", "reorder_stmt_backwards",
]


# ---------------------------------------------------------------------------
# Arguments (shared with loop_bounds)


def err(helper: str, message: str) -> SchedulingError:
    """A SchedulingError ``"<helper>: <message>"`` at the user's calling line."""
    return scheduling_error(f"{helper}: {message}")


def as_stmt(proc: Procedure, c, helper: str, kind=StmtCursor) -> StmtCursor:
    """``c`` (a statement cursor or a pattern) as a statement cursor of ``proc``."""
    if isinstance(c, str):
        c = proc.find_loop(c) if kind is ForCursor else proc.find(c)
    elif isinstance(c, Cursor):
        c = proc.forward(c)
    else:
        raise err(helper, f"expected a cursor or a pattern, got {type(c).__name__}")
    if not isinstance(c, kind):
        what = "a loop" if kind is ForCursor else "a statement"
        raise err(helper, f"expected {what}, got {type(c).__name__}")
    return c


def as_loop(proc: Procedure, c, helper: str) -> ForCursor:
    """``c`` (a loop cursor or a loop pattern) as a loop cursor of ``proc``."""
    return as_stmt(proc, c, helper, ForCursor)


def check_factor(factor, helper: str, name: str = "factor") -> int:
    if not isinstance(factor, int) or isinstance(factor, bool) or factor < 1:
        raise err(helper, f"{name} must be a positive integer, got {factor!r}")
    return factor


def is_literal_int(e, value=None) -> bool:
    try:
        v = e.value()
    except (AttributeError, SchedulingError):
        return False
    return isinstance(v, int) and not isinstance(v, bool) and (value is None or v == value)


def fwd(proc: Procedure, c):
    """``c`` forwarded to ``proc`` (each item of a list)."""
    if isinstance(c, list):
        return [fwd(proc, x) for x in c]
    if c is None or isinstance(c, InvalidCursor):
        return c
    return proc.forward(c)


# ---------------------------------------------------------------------------
# Hoisting and jamming


@dataclass
class hoist_stmt_cursors:
    """What `hoist_stmt` made: the allocations lifted with the statement, the
    statement (now before the loop) and the loop."""

    allocs: list
    stmt: StmtCursor
    loop: Cursor


@dataclass
class hoist_from_loop_cursors:
    """What `hoist_from_loop` made: ``[stmt, allocs]`` per hoisted statement, and the loop."""

    hoisted: list
    loop: Cursor


@dataclass
class jam_stmt_cursors:
    """What `jam_stmt` made: the loop and the statement now at the end of its body."""

    loop: ForCursor
    stmt: StmtCursor


@user_entry
def hoist_stmt(proc: Procedure, stmt, rc: bool = False):
    """Move ``stmt`` out of the loop directly around it, to just before the loop,
    with the allocations (earlier in the body) it uses::

        for i in seq(0, n):           a = 1.0
            a = 1.0          ->       for i in seq(0, n):
            x[i] = a                      x[i] = a

    Refused when the statement uses the loop's iterator, does not commute
    with the statements before it, when the rest of the body changes what it
    uses (`fission`), or when it is not idempotent (`remove_loop`).
    """
    stmt = as_stmt(proc, stmt, "hoist_stmt")
    loop = stmt.parent()
    if not isinstance(loop, ForCursor):
        raise err("hoist_stmt", "Statement is not within a loop")
    used = names_used(stmt)
    if loop.name() in used:
        raise err("hoist_stmt", "Cannot hoist cursor to a statement that depends on enclosing loop")
    if isinstance(stmt, AllocCursor):
        proc = lift_alloc(proc, stmt)
        return _hoisted(proc, [], stmt, loop, rc)
    allocs = []
    for s in loop.body():
        if s == stmt:
            break
        if isinstance(s, AllocCursor) and s.name() in used:
            allocs.append(s)
    for a in allocs:
        proc = lift_alloc(proc, a)
    stmt = proc.forward(stmt)
    while not isinstance(stmt.prev(), InvalidCursor):
        proc = reorder_stmts(proc, stmt.expand(1, 0))
        stmt = proc.forward(stmt)
    single = stmt.parent()
    if len(single.body()) > 1:
        proc = fission(proc, stmt.after())
        single = proc.forward(stmt).parent()
    rest = single.next()
    proc = remove_loop(proc, single)
    return _hoisted(proc, allocs, stmt, rest if rest else InvalidCursor(), rc)


def _hoisted(proc, allocs, stmt, loop, rc):
    if not rc:
        return proc
    return proc, hoist_stmt_cursors(fwd(proc, allocs), fwd(proc, stmt), fwd(proc, loop))


@user_entry
def hoist_from_loop(proc: Procedure, loop, rc: bool = False):
    """`hoist_stmt` every statement of ``loop``'s body that can be hoisted,
    in order; the others stay (no error)::

        for i in seq(0, n):           a = 1.0
            a = 1.0          ->       for i in seq(0, n):
            x[i] = a                      x[i] = a
    """
    loop = as_loop(proc, loop, "hoist_from_loop")
    hoisted = []
    for s in [s for s in loop.body() if not isinstance(s, AllocCursor)]:
        s = proc.forward(s)
        if isinstance(s, InvalidCursor) or not isinstance(s.parent(), ForCursor):
            continue
        try:
            proc, cur = hoist_stmt(proc, s, rc=True)
        except SchedulingError:
            continue
        hoisted.append([cur.stmt, cur.allocs])
        loop = cur.loop
    if not rc:
        return proc
    return proc, hoist_from_loop_cursors([[fwd(proc, s), fwd(proc, a)] for s, a in hoisted],
                                         fwd(proc, loop))


@user_entry
def jam_stmt(proc: Procedure, stmt, unsafe_disable_check: bool = False, rc: bool = False):
    """Move ``stmt`` into the loop that follows it, to the end of the loop's body::

        y[i] = 0.0                        for j in seq(0, 4):
        for j in seq(0, 4):      ->           x[i, j] = 1.0
            x[i, j] = 1.0                     y[i] = 0.0

    The statement must be idempotent and commute with the loop (checked by
    `add_loop` and `reorder_stmts`), and the loop must run at least once.
    With ``unsafe_disable_check=True`` nothing is checked and the statement
    goes to the start of the body (as Exo does).
    """
    stmt = as_stmt(proc, stmt, "jam_stmt")
    loop = stmt.next()
    if not isinstance(loop, ForCursor):
        raise err("jam_stmt", "Next statement must be a loop.")
    lo, hi = loop.lo(), loop.hi()
    trips = expr_text(hi) if is_literal_int(lo, 0) else f"{expr_text(hi)} - {expr_text(lo)}"
    proc = add_loop(proc, stmt, loop.name(), trips, unsafe_disable_check=unsafe_disable_check)
    new_loop = proc.forward(stmt).parent()
    if not is_literal_int(lo, 0):
        proc = shift_loop(proc, new_loop, expr_text(lo))
    if unsafe_disable_check:
        proc = fuse(proc, proc.forward(new_loop), proc.forward(loop), unsafe_disable_check=True)
    else:
        proc = reorder_stmts(proc, proc.forward(new_loop).expand(0, 1))
        proc = fuse(proc, proc.forward(loop), proc.forward(new_loop))
    if not rc:
        return proc
    stmt = proc.forward(stmt)
    return proc, jam_stmt_cursors(stmt.parent(), stmt)


# ---------------------------------------------------------------------------
# Interleaving


def _check_unroll(unroll, helper: str) -> tuple:
    if (not isinstance(unroll, (tuple, list)) or len(unroll) != 3
            or not all(isinstance(u, bool) for u in unroll)):
        raise err(helper, f"unroll must be a tuple of three bools, got {unroll!r}")
    return tuple(unroll)


@user_entry
def interleave_outer_loop_with_inner_loop(proc: Procedure, outer_loop_cursor, inner_loop_cursor,
                                          interleave_factor: int, unroll=(True, True, True)):
    """Divide the outer loop by ``interleave_factor`` (the remainder in a tail
    loop) and move the new inner loop inward: around the statements before the
    inner loop, inside the inner loop, and around the statements after it;
    ``unroll`` says which of these three loops to unroll::

        for i in seq(0, 8):                  for io in seq(0, 4):
            y[i] = 0.0                           y[2 * io] = 0.0
            for j in seq(0, 4):       ->         y[2 * io + 1] = 0.0
                x[i, j] = 1.0                    for j in seq(0, 4):
                                                     x[2 * io, j] = 1.0
                                                     x[2 * io + 1, j] = 1.0
    """
    helper = "interleave_outer_loop_with_inner_loop"
    outer = as_loop(proc, outer_loop_cursor, helper)
    inner = as_loop(proc, inner_loop_cursor, helper)
    check_factor(interleave_factor, helper, "interleave_factor")
    unroll = _check_unroll(unroll, helper)
    if inner.parent() != outer:
        raise err(helper, "the inner loop must be directly in the body of the outer loop")
    name = outer.name()
    proc = divide_loop(proc, outer, interleave_factor, [name + "o", name + "i"], tail="cut")
    inner = proc.forward(inner)
    before = after = None
    if not isinstance(inner.prev(), InvalidCursor):
        proc = fission(proc, inner.before())
        inner = proc.forward(inner)
        before = inner.parent().prev()
    if not isinstance(inner.next(), InvalidCursor):
        proc = fission(proc, inner.after())
        inner = proc.forward(inner)
        after = inner.parent().next()
    ii_loop = inner.parent()
    proc = reorder_loops(proc, ii_loop)
    middle = proc.forward(ii_loop)  # (its cursor follows the loop inside)
    for do, loop in zip(unroll, (before, middle, after)):
        if do and loop is not None:
            proc = unroll_loop(proc, proc.forward(loop))
    return proc


def _only_inner_loop(loop: ForCursor, helper: str) -> ForCursor:
    loops = [s for s in loop.body() if isinstance(s, ForCursor)]
    if not loops:
        raise err(helper, "No loops found")
    if len(loops) > 1:
        raise err(helper, "Multiple loops found, decision is ambigious")
    return loops[0]


@user_entry
def unroll_and_jam(proc: Procedure, loop, factor: int, unroll=(True, True, True)):
    """Unroll ``loop`` by ``factor`` and jam the copies into the one loop in its
    body (`interleave_outer_loop_with_inner_loop` with that loop)::

        for i in seq(0, 8):                  for io in seq(0, 4):
            for j in seq(0, 4):       ->         for j in seq(0, 4):
                x[i, j] = 1.0                        x[2 * io, j] = 1.0
                                                     x[2 * io + 1, j] = 1.0
    """
    loop = as_loop(proc, loop, "unroll_and_jam")
    inner = _only_inner_loop(loop, "unroll_and_jam")
    return interleave_outer_loop_with_inner_loop(proc, loop, inner, factor, unroll)


@user_entry
def unroll_and_jam_parent(proc: Procedure, loop, factor: int, unroll=(True, True, True)):
    """`unroll_and_jam` of the loop around ``loop``, jamming into ``loop``."""
    loop = as_loop(proc, loop, "unroll_and_jam_parent")
    parent = loop.parent()
    if not isinstance(parent, ForCursor):
        raise err("unroll_and_jam_parent", "the loop is not directly inside another loop")
    return interleave_outer_loop_with_inner_loop(proc, parent, loop, factor, unroll)


def fission_between(proc: Procedure, scope) -> Procedure:
    """Split ``scope`` (a loop or an if) into one copy per statement of its body."""
    stmts = list(scope.body())
    for s in stmts[:-1]:
        proc = fission(proc, proc.forward(s).after())
    return proc


@user_entry
def fission_into_singles(proc: Procedure, cursor) -> Procedure:
    """Split the loop or if ``cursor`` (and every loop and if inside it) so
    that each holds a single statement::

        for i in seq(0, 8):               for i in seq(0, 8):
            x[i] = 1.0           ->           x[i] = 1.0
            y[i] = x[i]                   for i in seq(0, 8):
                                              y[i] = x[i]
    """
    if isinstance(cursor, str):
        cursor = proc.find(cursor)
    elif isinstance(cursor, Cursor):
        cursor = proc.forward(cursor)
    if not isinstance(cursor, (ForCursor, IfCursor)):
        raise err("fission_into_singles",
                  f"Got type {type(cursor).__name__}, expected ForCursor or IfCursor")
    return _fission_rec(proc, cursor)


def _fission_rec(proc: Procedure, scope) -> Procedure:
    for child in list(scope.body()):
        if isinstance(child, (ForCursor, IfCursor)):
            proc = _fission_rec(proc, proc.forward(child))
    return fission_between(proc, proc.forward(scope))


# ---------------------------------------------------------------------------
# Statement order


@user_entry
def reorder_stmt_forward(proc: Procedure, stmt) -> Procedure:
    """Swap ``stmt`` with the statement after it (`reorder_stmts`)::

        x[0] = 1.0           y[0] = 2.0
        y[0] = 2.0    ->     x[0] = 1.0
    """
    stmt = as_stmt(proc, stmt, "reorder_stmt_forward")
    if isinstance(stmt.next(), InvalidCursor):
        raise err("reorder_stmt_forward", "there is no statement after this one in its block")
    return reorder_stmts(proc, stmt.expand(0, 1))


@user_entry
def reorder_stmt_backwards(proc: Procedure, stmt) -> Procedure:
    """Swap ``stmt`` with the statement before it (`reorder_stmts`)::

        x[0] = 1.0           y[0] = 2.0
        y[0] = 2.0    ->     x[0] = 1.0      # reorder_stmt_backwards(p, <y[0] = 2.0>)
    """
    stmt = as_stmt(proc, stmt, "reorder_stmt_backwards")
    if isinstance(stmt.prev(), InvalidCursor):
        raise err("reorder_stmt_backwards", "there is no statement before this one in its block")
    return reorder_stmts(proc, stmt.expand(1, 0))
