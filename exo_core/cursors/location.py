"""The one resolver of location arguments for scheduling primitives.

Primitives accept a location as a cursor (from the procedure or an ancestor
version: forwarded implicitly), a pattern string, or, where the reference
allows it, a name shorthand: ``"i"`` / ``"i #2"`` for a loop, ``"i j"`` for a
pair of directly nested loops, ``"buf"`` for an allocation. Each function
returns the cursor kind the primitive needs or raises SchedulingError (a
pattern that matches nothing raises `PatternNotFoundError`, which is both a
SchedulingError and an InvalidCursorError) located at the user's call.

    loop = resolve_loop(proc, loop_cursor)        # ForCursor
    blk = resolve_block(proc, "x = _ ; y = _")    # BlockCursor
"""

from __future__ import annotations

from exo_core.cursors.base import Cursor, InvalidCursor, find_cursors
from exo_core.cursors.stmt_cursors import (StmtCursor, ForCursor, BlockCursor, GapCursor, AllocCursor,
                      ArgCursor, CallCursor, loop_pattern, proc_find_alloc_or_arg)
from exo_core.cursors.paths import BlockLoc, GapLoc, NodeLoc
from exo_core.errors import StaleCursorError, ArgumentTypeError, ArgumentValueError, InvalidCursorError
from exo_core.cursors.expr_cursors import ExprCursor
from exo_core.cursors.patterns import PatternNotFoundError
from exo_core.user_frame import caller_srcinfo, scheduling_error



def _what(c) -> str:
    """``"For cursor"`` for a cursor or a cursor class."""
    cls = c if isinstance(c, type) else type(c)
    return cls.__name__.replace("Cursor", " cursor").strip()


def stmt_steps(cursor) -> tuple:
    """The path of a statement cursor, or of the first statement of a block
    or the statement after a gap (where names and facts at it are read)."""
    loc = cursor._loc
    if isinstance(loc, NodeLoc):
        return loc.steps
    if isinstance(loc, BlockLoc):
        return loc.owner + ((loc.field, loc.lo),)
    if isinstance(loc, GapLoc):
        return loc.owner + ((loc.field, loc.pos),)
    raise _kind_error(f"expected a statement location, got a {_what(cursor)}")


def _kind_error(message: str) -> ArgumentTypeError:
    """The argument is a location of the wrong kind (Exo: a TypeError)."""
    return ArgumentTypeError(message, caller_srcinfo())


def resolve_cursor(proc, loc) -> Cursor:
    """A cursor in ``proc``: a cursor (forwarded to ``proc``) or the first match
    of a pattern string."""
    if isinstance(loc, str):
        return find_cursors(proc, loc)
    if isinstance(loc, InvalidCursor):
        raise StaleCursorError("the cursor is invalid (it points at nothing, e.g. at code that "
                               "no longer exists)", caller_srcinfo())
    if not isinstance(loc, Cursor):
        raise _kind_error(f"expected a cursor or a pattern string, got {type(loc).__name__}")
    if loc._proc is proc:
        return loc
    try:
        fwd = proc.forward(loc)
    except InvalidCursorError as e:
        raise scheduling_error(e.message) from None
    if not fwd:
        raise StaleCursorError(f"the cursor no longer points at anything in {proc.name()} (the "
                               "code it pointed at was removed by an earlier rewrite)",
                               caller_srcinfo())
    return fwd


def resolve_stmt(proc, loc, kind: type = StmtCursor) -> StmtCursor:
    """A statement cursor (optionally of a given kind, e.g. `CallCursor`)."""
    c = resolve_cursor(proc, loc)
    if isinstance(c, BlockCursor) and len(c) == 1:
        c = c[0]
    if not isinstance(c, kind):
        want = "a statement" if kind is StmtCursor else f"a {_what(kind)}"
        raise _kind_error(f"expected {want}, got a {_what(c)}")
    return c


def resolve_loop(proc, loc) -> ForCursor:
    """A loop: a cursor, a pattern, or the shorthand ``"i"`` / ``"i #n"``."""
    if isinstance(loc, str):
        loc = loop_pattern(loc)
    c = resolve_cursor(proc, loc)
    if isinstance(c, BlockCursor) and len(c) == 1:
        c = c[0]
    if not isinstance(c, ForCursor):
        raise _kind_error(f"expected a loop, got a {_what(c)}")
    return c


def resolve_nested_loops(proc, loc) -> ForCursor:
    """The outer of two directly nested loops (the outer loop's body is the
    inner loop alone): a cursor to the outer loop, a pattern, a loop
    shorthand, or ``"i j"`` (optionally ``"i j #n"``)."""
    if isinstance(loc, str):
        text, sep, count = loc.partition("#")
        names = text.split()
        if len(names) == 2 and all(n.isidentifier() for n in names):
            suffix = f" #{count.strip()}" if sep else ""
            pattern = f"for {names[0]} in _:\n    for {names[1]} in _: _{suffix}"
            try:
                outer = resolve_loop(proc, pattern)
            except PatternNotFoundError:
                _explain_not_nested(proc, names[0], names[1])
                raise
            if len(outer.body()) != 1:
                raise _not_nested(outer, names[1])
            return outer
    outer = resolve_loop(proc, loc)
    body = outer.body()
    if len(body) != 1 or not isinstance(body[0], ForCursor):
        raise _not_nested(outer, None)
    return outer


def _not_nested(outer: ForCursor, inner_name: str | None) -> ArgumentValueError:
    body = outer.body()
    want = "a loop" if inner_name is None else f"the loop {inner_name}"
    if len(body) != 1:
        found = f"its body has {len(body)} statements"
    elif not isinstance(body[0], ForCursor):
        found = f"its body is a {_what(body[0]).replace(' cursor', '').lower()} statement"
    else:
        found = f"the loop directly inside it is {body[0].name()}"
    return ArgumentValueError(f"expected loop {outer.name()} to contain exactly one statement, "
                              f"{want} (two directly nested loops), but {found}",
                              caller_srcinfo())


def _explain_not_nested(proc, outer_name: str, inner_name: str) -> None:
    """The shorthand ``"i j"`` matched nothing: when there is a loop ``i``, say
    why it is not a perfect nest of ``i`` and ``j`` (raises); otherwise return
    (the caller reports that nothing matches)."""
    try:
        loops = find_cursors(proc, f"for {outer_name} in _: _", many=True)
    except PatternNotFoundError:
        return
    for outer in loops:
        body = outer.body()
        if len(body) == 1 and isinstance(body[0], ForCursor) and body[0].name() == inner_name:
            return  # a perfect nest exists: only the requested match number is missing
    raise _not_nested(loops[0], inner_name)


def resolve_block(proc, loc) -> BlockCursor:
    """A block: a block cursor, a statement cursor (as a one-statement
    block), or a pattern (a sequence pattern gives a block)."""
    c = resolve_cursor(proc, loc)
    if isinstance(c, StmtCursor):
        return c.as_block()
    if not isinstance(c, BlockCursor):
        raise _kind_error(f"expected a block of statements, got a {_what(c)}")
    return c


def resolve_gap(proc, loc) -> GapCursor:
    """A gap cursor (use ``stmt.before()`` / ``stmt.after()`` to get one)."""
    c = resolve_cursor(proc, loc)
    if not isinstance(c, GapCursor):
        raise _kind_error(f"expected a gap between statements (e.g. cursor.after()), got a {_what(c)}")
    return c


def resolve_alloc(proc, loc, allow_arg: bool = False):
    """An allocation (or, with ``allow_arg``, an argument): a cursor, a
    pattern, or a buffer name (``"buf"``, ``"buf #1"``)."""
    if isinstance(loc, str):
        name = loc.partition("#")[0].strip()
        if name.isidentifier():
            c = proc_find_alloc_or_arg(proc, loc)
        else:
            c = resolve_cursor(proc, loc)
    else:
        c = resolve_cursor(proc, loc)
    if isinstance(c, AllocCursor) or (allow_arg and isinstance(c, ArgCursor)):
        return c
    want = "an allocation or an argument" if allow_arg else "an allocation"
    raise _kind_error(f"expected {want}, got a {_what(c)}")


def resolve_call(proc, loc) -> CallCursor:
    """A call statement."""
    return resolve_stmt(proc, loc, CallCursor)


def resolve_expr(proc, loc) -> ExprCursor:
    """An expression: a cursor or an expression pattern."""
    c = resolve_cursor(proc, loc)
    if not isinstance(c, ExprCursor):
        raise _kind_error(f"expected an expression, got a {_what(c)}")
    return c


def resolve_exprs(proc, locs, patterns: str = "all") -> list:
    """A list of expressions: a list of cursors/patterns, one cursor, or a
    pattern (all its matches; only the first with ``patterns="first"``)."""
    if isinstance(locs, str):
        found = find_cursors(proc, locs, many=True)
        if patterns == "first":
            found = found[:1]
        return [resolve_expr(proc, c) for c in found]
    if isinstance(locs, Cursor):
        return [resolve_expr(proc, locs)]
    try:
        items = list(locs)
    except TypeError:
        raise _kind_error(f"expected expression cursors, got {type(locs).__name__}") from None
    return [resolve_expr(proc, c) for c in items]
