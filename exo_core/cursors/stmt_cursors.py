"""Cursors: references into one version of a procedure (``exo.API_cursors``).

A cursor is (procedure version, location); see `exo_core.cursors.paths`. Navigation
(`parent`, `next`, `prev`, `before`, `after`, `body`, `expand`, ``[i]``) is
path arithmetic, O(depth) — it never scans the procedure. Cursors of an older
version stay valid for inspecting that version; `Procedure.forward` moves them
to a newer one.

Kinds: `StmtCursor` (`ForCursor`, `IfCursor`, `AllocCursor`,
`AssignCursor`, `ReduceCursor`, `AssignConfigCursor`, `CallCursor`,
`WindowStmtCursor`, `PassCursor`), `BlockCursor`, `GapCursor`, `ArgCursor`,
expression cursors (`exo_core.cursors.expr_cursors`, re-exported here) and
`InvalidCursor`.

``parent()`` of a top-level statement (and of an argument) is an
`InvalidCursor`; calling ``parent()`` (or anything else) on an InvalidCursor
raises InvalidCursorError. So both ``while not isinstance(c.parent(),
InvalidCursor)`` and ``try: ... c = c.parent() except InvalidCursorError``
loops terminate at the top level.
"""

from __future__ import annotations

from enum import Enum

from exo_core.cursors.base import (Cursor, InvalidCursor, InvalidCursorUse, ExoType, exo_type,
                          find_cursors, lift, make_entry_points, register_node_cursor,
                          register_loc_cursor,
                          cursor_error)
from exo_core.cursors.expr_cursors import (ExprCursor, ReadCursor, LiteralCursor, UnaryMinusCursor,
                           USubCursor, BinOpCursor, BinaryOpCursor, BuiltInFunctionCursor,
                           ExternCursor, ExternFunctionCursor, WindowExprCursor, StrideExprCursor, ReadConfigCursor,
                           ExprListCursor)
from exo_core.errors import InvalidCursorError
from exo_core.cursors.forwarding import forward_location
from exo_core.ir.nodes import (For, If, Alloc, Assign, Reduce, WriteConfig, Call, WindowStmt,
                 Pass, FnArg)
from exo_core.cursors.paths import NodeLoc, BlockLoc, GapLoc, ListLoc, field_value, resolve
from exo_core.cursors.patterns import PatternNotFoundError
from exo_core.ir.types import TensorType
from exo_core.user_frame import caller_srcinfo

__all__ = [
    "Cursor", "InvalidCursor", "InvalidCursorUse", "ExoType", "GapType",
    "StmtCursor", "ForCursor", "IfCursor", "AllocCursor", "AssignCursor",
    "ReduceCursor", "AssignConfigCursor", "CallCursor", "WindowStmtCursor", "PassCursor",
    "BlockCursor", "GapCursor", "ArgCursor", "ExprCursor", "ReadCursor", "LiteralCursor",
    "UnaryMinusCursor", "USubCursor", "BinOpCursor", "BinaryOpCursor", "BuiltInFunctionCursor",
    "ExternCursor", "ExternFunctionCursor", "WindowExprCursor", "StrideExprCursor", "ReadConfigCursor",
    "ExprListCursor", "proc_args", "proc_body", "proc_find", "proc_find_loop",
    "proc_find_alloc_or_arg", "proc_forward",
]


class GapType(Enum):
    """Which neighbour a gap is anchored to."""

    Before = "before"  # the gap is before its anchor statement
    After = "after"  # the gap is after its anchor statement


def _block_len(proc, owner: tuple, field: str) -> int:
    return len(field_value(resolve(proc._root, owner), field))


# --------------------------------------------------------------------------
# Statements


class StmtCursor(Cursor):
    """A cursor to one statement."""

    __slots__ = ()

    def _pos(self):
        steps = self._loc.steps
        return steps[:-1], steps[-1][0], steps[-1][1]

    def parent(self):
        steps = self._loc.steps
        if len(steps) == 1:
            return InvalidCursor()
        return lift(self._proc, NodeLoc(steps[:-1]))

    def next(self, dist: int = 1):
        """The statement ``dist`` after this one in its block (InvalidCursor
        past the end)."""
        owner, field, k = self._pos()
        j = k + dist
        if 0 <= j < _block_len(self._proc, owner, field):
            return lift(self._proc, NodeLoc(owner + ((field, j),)))
        return InvalidCursor()

    def prev(self, dist: int = 1):
        """The statement ``dist`` before this one (InvalidCursor before the
        start)."""
        return self.next(-dist)

    def before(self) -> "GapCursor":
        """The gap just before this statement (anchored to it)."""
        owner, field, k = self._pos()
        return GapCursor(self._proc, GapLoc(owner, field, k, "before"))

    def after(self) -> "GapCursor":
        """The gap just after this statement (anchored to it)."""
        owner, field, k = self._pos()
        return GapCursor(self._proc, GapLoc(owner, field, k + 1, "after"))

    def as_block(self) -> "BlockCursor":
        """The block made of this statement alone."""
        owner, field, k = self._pos()
        return BlockCursor(self._proc, BlockLoc(owner, field, k, k + 1))

    def expand(self, delta_lo: int | None = None, delta_hi: int | None = None):
        """``self.as_block().expand(delta_lo, delta_hi)``."""
        return self.as_block().expand(delta_lo, delta_hi)

    def is_ancestor_of(self, other: Cursor) -> bool:
        """Whether ``other`` (a statement, block, gap or expression cursor)
        is this statement or lies inside it. A block or gap counts as
        inside the statement owning it. ``other`` may come from an earlier
        version of this cursor's procedure (it is forwarded)."""
        if not isinstance(other, Cursor) or isinstance(other, InvalidCursor):
            raise cursor_error(f"is_ancestor_of expects a valid cursor, got {other!r}")
        if other._proc is not self._proc:
            other = proc_forward(self._proc, other)
            if not other:
                return False
        loc = other._loc
        path = loc.steps if isinstance(loc, NodeLoc) else loc.owner
        mine = self._loc.steps
        return path[:len(mine)] == mine

    def body(self) -> "BlockCursor":
        raise cursor_error(f"a {_kind_name(self)} has no body (only loops and ifs do)")

    def orelse(self):
        raise cursor_error(f"a {_kind_name(self)} has no else branch (only ifs do)")

    def _expr(self, field, idx=None):
        return lift(self._proc, NodeLoc(self._loc.steps + ((field, idx),)))

    def _block(self, field):
        n = len(getattr(self._node(), field))
        return BlockCursor(self._proc, BlockLoc(self._loc.steps, field, 0, n))


def _kind_name(c) -> str:
    return type(c).__name__.replace("Cursor", "").lower() or "statement"


class ForCursor(StmtCursor):
    """``for name in seq(lo, hi): body``."""

    __slots__ = ()

    def name(self) -> str:
        return self._node().iter.name

    def lo(self) -> ExprCursor:
        return self._expr("lo")

    def hi(self) -> ExprCursor:
        return self._expr("hi")

    def loop_mode(self) -> str:
        return self._node().loop_mode

    def body(self) -> "BlockCursor":
        return self._block("body")


class IfCursor(StmtCursor):
    """``if cond: body else: orelse``."""

    __slots__ = ()

    def cond(self) -> ExprCursor:
        return self._expr("cond")

    def body(self) -> "BlockCursor":
        return self._block("body")

    def orelse(self):
        """The else block, or InvalidCursor when there is none."""
        if not len(self._node().orelse):
            return InvalidCursor()
        return self._block("orelse")


class _BufferDecl:
    """Methods shared by allocations and arguments (``name : type @ mem``)."""

    __slots__ = ()

    def name(self) -> str:
        return self._node().name.name

    def mem(self):
        return self._node().mem

    def is_tensor(self) -> bool:
        return isinstance(self._node().type, TensorType)

    def shape(self) -> ExprListCursor:
        """The extents (an empty list for scalars)."""
        return ExprListCursor(self._proc, ListLoc(self._loc.steps, "shape"))

    def type(self) -> ExoType:
        """The element type."""
        return exo_type(self._node().type)


make_entry_points(_BufferDecl)


class AllocCursor(_BufferDecl, StmtCursor):
    """``name : type @ mem``."""

    __slots__ = ()


class _Write:
    __slots__ = ()

    def name(self) -> str:
        return self._node().name.name

    def idx(self) -> ExprListCursor:
        return ExprListCursor(self._proc, ListLoc(self._loc.steps, "idx"))

    def rhs(self) -> ExprCursor:
        return self._expr("rhs")

    def type(self) -> ExoType:
        return exo_type(self._node().type)


make_entry_points(_Write)


class AssignCursor(_Write, StmtCursor):
    """``name[idx] = rhs``."""

    __slots__ = ()


class ReduceCursor(_Write, StmtCursor):
    """``name[idx] += rhs``."""

    __slots__ = ()


class AssignConfigCursor(StmtCursor):
    """``config.field = rhs``."""

    __slots__ = ()

    def config(self):
        return self._node().config

    def field(self) -> str:
        return self._node().field

    def rhs(self) -> ExprCursor:
        return self._expr("rhs")


class CallCursor(StmtCursor):
    """``subproc(args)``."""

    __slots__ = ()

    def subproc(self):
        """The called procedure."""
        return self._proc.unrelated(self._node().f)

    def args(self) -> ExprListCursor:
        return ExprListCursor(self._proc, ListLoc(self._loc.steps, "args"))


class WindowStmtCursor(StmtCursor):
    """``name = x[lo:hi, ...]``."""

    __slots__ = ()

    def name(self) -> str:
        return self._node().name.name

    def winexpr(self) -> ExprCursor:
        return self._expr("rhs")


class PassCursor(StmtCursor):
    """``pass``."""

    __slots__ = ()


class ArgCursor(_BufferDecl, Cursor):
    """A procedure argument ``name : type @ mem`` (no navigation)."""

    __slots__ = ()

    def parent(self):
        return InvalidCursor()


# --------------------------------------------------------------------------
# Blocks and gaps


class BlockCursor(Cursor):
    """A contiguous run of statements of one block."""

    __slots__ = ()

    def parent(self):
        return self._owner_cursor(self._loc.owner)

    def _full_len(self) -> int:
        return _block_len(self._proc, self._loc.owner, self._loc.field)

    def __len__(self):
        return self._loc.hi - self._loc.lo

    def __iter__(self):
        loc = self._loc
        for k in range(loc.lo, loc.hi):
            yield lift(self._proc, NodeLoc(loc.owner + ((loc.field, k),)))

    def __getitem__(self, i):
        loc = self._loc
        n = loc.hi - loc.lo
        if isinstance(i, slice):
            start, stop, step = i.indices(n)
            if step != 1:
                raise cursor_error("block slices must be contiguous (step 1)")
            if stop <= start:
                raise cursor_error(f"the slice [{i.start}:{i.stop}] of a block of {n} "
                                   "statements is empty")
            return BlockCursor(self._proc, BlockLoc(loc.owner, loc.field, loc.lo + start,
                                                    loc.lo + stop))
        if not isinstance(i, int):
            raise cursor_error(f"cursor lists are indexed by integers or slices, not {type(i).__name__}")
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise cursor_error(f"index {i} is out of range for a block of {n} statements")
        return lift(self._proc, NodeLoc(loc.owner + ((loc.field, loc.lo + i),)))

    def as_block(self) -> "BlockCursor":
        return self

    def expand(self, delta_lo: int | None = None, delta_hi: int | None = None):
        """The block grown by ``delta_lo`` statements at the start and
        ``delta_hi`` at the end (None: as far as the enclosing block goes);
        clamped to the enclosing block."""
        loc = self._loc
        for amount in (delta_lo, delta_hi):
            if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int)):
                raise cursor_error(f"expand takes numbers of statements (ints or None), "
                                   f"not {type(amount).__name__}")
        if (delta_lo is not None and delta_lo < 0) or (delta_hi is not None and delta_hi < 0):
            raise cursor_error("expand takes non-negative amounts")
        lo = 0 if delta_lo is None else max(0, loc.lo - delta_lo)
        full = self._full_len()
        hi = full if delta_hi is None else min(full, loc.hi + delta_hi)
        return BlockCursor(self._proc, BlockLoc(loc.owner, loc.field, lo, hi))

    def before(self) -> "GapCursor":
        """The gap before the first statement (anchored to it)."""
        loc = self._loc
        return GapCursor(self._proc, GapLoc(loc.owner, loc.field, loc.lo, "before"))

    def after(self) -> "GapCursor":
        """The gap after the last statement (anchored to it)."""
        loc = self._loc
        return GapCursor(self._proc, GapLoc(loc.owner, loc.field, loc.hi, "after"))


class GapCursor(Cursor):
    """The space between two statements, anchored to one of them."""

    __slots__ = ()

    def parent(self):
        return self._owner_cursor(self._loc.owner)

    def _stmt(self, k):
        loc = self._loc
        if 0 <= k < _block_len(self._proc, loc.owner, loc.field):
            return lift(self._proc, NodeLoc(loc.owner + ((loc.field, k),)))
        return InvalidCursor()

    def anchor(self) -> StmtCursor:
        """The statement the gap sticks to."""
        loc = self._loc
        return self._stmt(loc.pos if loc.anchor == "before" else loc.pos - 1)

    def type(self) -> GapType:
        """`GapType.Before` when the gap is before its anchor, else After."""
        return GapType.Before if self._loc.anchor == "before" else GapType.After

    def before(self):
        """The statement just before the gap (InvalidCursor at the start)."""
        return self._stmt(self._loc.pos - 1)

    def after(self):
        """The statement just after the gap (InvalidCursor at the end)."""
        return self._stmt(self._loc.pos)


for _t, _cls in ((For, ForCursor), (If, IfCursor), (Alloc, AllocCursor),
                 (Assign, AssignCursor), (Reduce, ReduceCursor),
                 (WriteConfig, AssignConfigCursor), (Call, CallCursor),
                 (WindowStmt, WindowStmtCursor), (Pass, PassCursor), (FnArg, ArgCursor)):
    register_node_cursor(_t, _cls)
register_loc_cursor(BlockLoc, BlockCursor)
register_loc_cursor(GapLoc, GapCursor)


# --------------------------------------------------------------------------
# What Procedure delegates to


def proc_args(proc) -> list:
    """Cursors to the procedure's arguments."""
    return [ArgCursor(proc, NodeLoc((("args", k),)), a)
            for k, a in enumerate(proc._root.args)]


def proc_body(proc) -> BlockCursor:
    """The whole body as a block."""
    return BlockCursor(proc, BlockLoc((), "body", 0, len(proc._root.body)))


def proc_find(proc, pattern: str, many: bool = False):
    """See `exo_core.cursors.base.find_cursors`."""
    return find_cursors(proc, pattern, many)


def _split_count(text: str):
    if not isinstance(text, str):
        raise cursor_error(f"expected a name, got {type(text).__name__}")
    name, sep, count = text.partition("#")
    return name.strip(), (f" #{count.strip()}" if sep else "")


def loop_pattern(text: str) -> str:
    """Expand the loop shorthand ``"i"`` / ``"i #2"`` to a loop pattern
    (other patterns are returned unchanged)."""
    name, count = _split_count(text)
    if name.isidentifier():
        return f"for {name} in _: _{count}"
    return text


def proc_find_loop(proc, pattern: str, many: bool = False):
    """Loop(s) by name shorthand (``"i"``, ``"i #1"``) or by pattern."""
    return find_cursors(proc, loop_pattern(pattern), many)


def proc_find_alloc_or_arg(proc, pattern: str):
    """The allocation ``name : _`` (first match, or ``#n``) or else the
    argument called ``name``."""
    name, count = _split_count(pattern)
    if not name.isidentifier():
        raise cursor_error(f"expected a buffer name, got {pattern!r}")
    try:
        return find_cursors(proc, f"{name} : _{count}")
    except PatternNotFoundError:
        pass
    for c in proc_args(proc):
        if c.name() == name:
            return c
    raise cursor_error(f"procedure {proc.name()} has no allocation or argument named {name!r}")


def proc_forward(proc, cur):
    """``cur`` (from ``proc`` or an ancestor version) forwarded to ``proc``."""
    if isinstance(cur, InvalidCursor):
        return cur
    if not isinstance(cur, Cursor):
        raise cursor_error(f"forward expects a cursor, got {type(cur).__name__}")
    try:
        loc = forward_location(cur._proc, proc, cur._loc)
    except InvalidCursorError as e:
        raise InvalidCursorError(e.message, e.srcinfo or _caller()) from None
    if loc is None:
        return InvalidCursor()
    return lift(proc, loc)


def _caller():
    return caller_srcinfo()
