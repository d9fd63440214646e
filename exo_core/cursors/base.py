"""The base of cursors: identity, validity, lifting locations to cursor kinds.

A cursor is a procedure version (`Procedure`) plus a location (`exo_core.cursors.paths`).
Cursors are immutable values: equal when they point into the same procedure
version at the same location. The concrete classes live in `exo_core.cursors.stmt_cursors`
(statements, blocks, gaps, arguments) and `exo_core.cursors.expr_cursors`
(expressions); both register themselves here so `lift` can pick the class of a
location from the node it designates.

Every public method of every cursor class (and ``__getitem__`` /
``__getattr__``) is a `user_entry` point: an error in a user's navigation
ends its traceback in the user's frame.
"""

from __future__ import annotations

import inspect
from enum import Enum, auto

from exo_core.errors import InvalidCursorError
from exo_core.ir.nodes import Expr, Interval, Point, Stmt
from exo_core.ir.printer import expr_to_str, stmt_to_str
from exo_core.cursors.paths import NodeLoc, BlockLoc, GapLoc, ListLoc, field_value, resolve
from exo_core.cursors.cursor_text import cursor_text
from exo_core.cursors.patterns import match_locations
from exo_core.ir.types import (F16, F32, F64, I8, UI8, UI16, I32, R, BOOL, INT, INDEX, SIZE,
                    STRIDE, TensorType)
from exo_core.user_frame import caller_srcinfo, user_entry

_UNSET = object()


class ExoType(Enum):
    """The user-facing types of data and control values (see Cursors.md)."""

    F16 = auto()
    F32 = auto()
    F64 = auto()
    UI8 = auto()
    I8 = auto()
    UI16 = auto()
    I32 = auto()
    R = auto()
    Index = auto()
    Bool = auto()
    Size = auto()
    Int = auto()
    Stride = auto()

    def is_indexable(self) -> bool:
        return self in (ExoType.Index, ExoType.Size, ExoType.Int, ExoType.Stride)

    def is_numeric(self) -> bool:
        return self in (ExoType.F16, ExoType.F32, ExoType.F64, ExoType.I8, ExoType.UI8,
                        ExoType.UI16, ExoType.I32, ExoType.R)

    def is_bool(self) -> bool:
        return self is ExoType.Bool


_EXO_TYPES = {
    F16: ExoType.F16, F32: ExoType.F32, F64: ExoType.F64, I8: ExoType.I8,
    UI8: ExoType.UI8, UI16: ExoType.UI16, I32: ExoType.I32, R: ExoType.R,
    BOOL: ExoType.Bool, INT: ExoType.Int, INDEX: ExoType.Index, SIZE: ExoType.Size,
    STRIDE: ExoType.Stride,
}


def exo_type(t) -> ExoType:
    """The `ExoType` of an IR type (a tensor's element type for tensors)."""
    if isinstance(t, TensorType):
        t = t.elem
    try:
        return _EXO_TYPES[t]
    except (KeyError, TypeError):
        raise InvalidCursorError(f"the type {t} has no ExoType") from None


def cursor_error(message: str) -> InvalidCursorError:
    """An InvalidCursorError located at the user's calling line."""
    return InvalidCursorError(message, caller_srcinfo())


_ENTRY_DUNDERS = ("__getitem__", "__getattr__")


def make_entry_points(cls: type) -> None:
    """Wrap the public methods defined in ``cls`` with `user_entry`."""
    for name, value in list(vars(cls).items()):
        if inspect.isfunction(value) and (not name.startswith("_") or name in _ENTRY_DUNDERS):
            setattr(cls, name, user_entry(value))


class Cursor:
    """Base of all cursors. ``c.proc()`` is the procedure version it points
    into; ``c.find(pattern)`` searches below it."""

    __slots__ = ("_proc", "_loc", "_cached")

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        make_entry_points(cls)

    def __init__(self, proc, loc, node=_UNSET):
        self._proc = proc
        self._loc = loc
        self._cached = node

    # --- identity ---------------------------------------------------------
    def __eq__(self, other):
        return (isinstance(other, Cursor) and other._proc is self._proc
                and other._loc == self._loc)

    def __hash__(self):
        return hash((id(self._proc), self._loc))

    def __bool__(self):
        return True

    def __repr__(self):
        try:
            text = self._describe()
        except Exception:  # repr must never fail, even on a stale location
            text = str(self._loc)
        return f"<{type(self).__name__} in {self._proc.name()}: {text}>"

    def __str__(self):
        """The procedure with what the cursor points at marked (see
        `exo_core.cursors.cursor_text`)."""
        return cursor_text(self._proc, self._loc)

    def _describe(self) -> str:
        """A short text of what the cursor points at (for repr)."""
        loc = self._loc
        if isinstance(loc, GapLoc):
            return f"gap at {loc.pos} of {loc.field} (anchored {loc.anchor})"
        node = self._node()
        if isinstance(loc, BlockLoc):
            first = stmt_to_str(node[0]).splitlines()[0].strip() if len(node) else ""
            return f"{len(node)} statement(s) from `{first}`"
        if isinstance(node, Stmt):
            return stmt_to_str(node).splitlines()[0].strip()
        if isinstance(node, Expr):
            return expr_to_str(node)
        if isinstance(loc, ListLoc):
            return "[" + ", ".join(expr_to_str(e) for e in node) + "]"
        return str(getattr(node, "name", loc))

    # --- common API -------------------------------------------------------
    def proc(self):
        """The `Procedure` version this cursor points into."""
        return self._proc

    def _root(self):
        return self._proc._root

    def _node(self):
        """The IR node (or block) this cursor designates in its version."""
        if self._cached is _UNSET:
            loc = self._loc
            if isinstance(loc, NodeLoc):
                node = resolve(self._root(), loc.steps)
            elif isinstance(loc, BlockLoc):
                block = resolve(self._root(), loc.owner)
                node = getattr(block, loc.field)[loc.lo:loc.hi]
            elif isinstance(loc, ListLoc):
                node = field_value(resolve(self._root(), loc.owner), loc.field)
            else:
                node = None
            self._cached = node
        return self._cached

    def find(self, pattern: str, many: bool = False):
        """Cursor(s) matching ``pattern`` within this cursor's subtree (see
        `Procedure.find`)."""
        return find_cursors(self._proc, pattern, many, scope=self._loc)

    def parent(self):
        """The statement (or expression) containing this one; `InvalidCursor`
        for top-level statements and arguments."""
        raise NotImplementedError  # pragma: no cover - each kind defines it

    def _owner_cursor(self, owner: tuple):
        """The cursor of the node owning a block/gap/list at ``owner``."""
        if not owner:
            return InvalidCursor()
        return lift(self._proc, NodeLoc(owner))


make_entry_points(Cursor)


class InvalidCursorUse(InvalidCursorError, AttributeError):
    """A method called on an `InvalidCursor`. Also an AttributeError, so that
    ``hasattr(cursor, "name")`` is False for invalid cursors."""


class InvalidCursor(Cursor):
    """A cursor that points at nothing: what navigation returns past the end
    of a block or above the top level, and what forwarding returns for deleted
    code. It is falsy; every other use raises InvalidCursorError."""

    __slots__ = ()

    def __init__(self):
        super().__init__(None, None)

    def __bool__(self):
        return False

    def __eq__(self, other):
        return isinstance(other, InvalidCursor)

    def __hash__(self):
        return hash(InvalidCursor)

    def __repr__(self):
        return "<InvalidCursor>"

    __str__ = __repr__

    def proc(self):
        raise cursor_error("an invalid cursor points into no procedure")

    def parent(self):
        raise cursor_error(
            "an invalid cursor has no parent (the cursor is above the top level "
            "or points at code that no longer exists)")

    def find(self, pattern, many=False):
        raise cursor_error(f"cannot search for {pattern!r} below an invalid cursor")

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise InvalidCursorUse(
            f"cannot call {name}() on an invalid cursor (it points at nothing: past "
            "the end of a block, above the top level, or at deleted code)",
            caller_srcinfo())


_NODE_CLASSES: dict = {}
_LOC_CLASSES: dict = {}


def register_node_cursor(node_type, cls) -> None:
    """Make `lift` use ``cls`` for locations of nodes of ``node_type``."""
    _NODE_CLASSES[node_type] = cls


def register_loc_cursor(loc_type, cls) -> None:
    """Make `lift` use ``cls`` for non-node locations of ``loc_type``."""
    _LOC_CLASSES[loc_type] = cls


def lift(proc, loc):
    """The cursor of the right kind for ``loc`` in ``proc`` (InvalidCursor for
    None)."""
    if loc is None:
        return InvalidCursor()
    if isinstance(loc, NodeLoc):
        node = resolve(proc._root, loc.steps)
        cls = _NODE_CLASSES.get(type(node))
        if cls is None:
            if isinstance(node, (Interval, Point)):
                raise InvalidCursorError("a window slice has no cursor of its own")
            raise InvalidCursorError(f"no cursor kind for a {type(node).__name__}")
        return cls(proc, loc, node)
    return _LOC_CLASSES[type(loc)](proc, loc)


def find_cursors(proc, pattern: str, many: bool = False, scope=None):
    """The cursor (or, with ``many``, the list of cursors) matching ``pattern``
    in ``proc``, below ``scope`` (a location) when given.

    ``pattern`` may end in ``#n`` to select the match of index ``n``. Raises
    `exo_core.cursors.patterns.PatternNotFoundError` when nothing matches,
    ParseError for a malformed pattern.
    """
    cursors = [lift(proc, loc) for loc in match_locations(proc, pattern, many, scope)]
    return cursors if many else cursors[0]
