"""Cursors to expressions and to expression lists.

An expression cursor is a `NodeLoc` whose last step is an expression field
(``rhs``, ``idx``, ``lhs``, ``hi``, ...). Its `parent` is the enclosing
expression or statement (window slices ``lo:hi`` are skipped: they are not
nodes of their own); ``type()`` is the expression's `ExoType`.
"""

from __future__ import annotations

from exo_core.cursors.base import (Cursor, InvalidCursor, exo_type, lift, register_node_cursor,
                          register_loc_cursor, cursor_error)
from exo_core.ir.nodes import (Read, Const, USub, BinOp, Extern, WindowExpr, StrideExpr, ReadConfig,
                 Interval, Point)
from exo_core.cursors.paths import NodeLoc, ListLoc, resolve


def node_parent(cursor: Cursor):
    """The parent node cursor of a `NodeLoc` cursor (InvalidCursor at the top)."""
    steps = cursor._loc.steps[:-1]
    root = cursor._root()
    while steps and isinstance(resolve(root, steps), (Interval, Point)):
        steps = steps[:-1]
    if not steps:
        return InvalidCursor()
    return lift(cursor._proc, NodeLoc(steps))


def _config_name(config) -> str:
    name = getattr(config, "name", None)
    if callable(name):
        return name()
    if isinstance(name, str):
        return name
    return getattr(config, "__name__", str(config))


class ExprCursor(Cursor):
    """A cursor to an expression."""

    __slots__ = ()

    def parent(self):
        return node_parent(self)

    def type(self):
        """The `ExoType` of the expression."""
        return exo_type(self._node().type)

    def _child(self, field, idx=None):
        return lift(self._proc, NodeLoc(self._loc.steps + ((field, idx),)))


class ReadCursor(ExprCursor):
    """``name`` or ``name[idx]``."""

    __slots__ = ()

    def name(self) -> str:
        return self._node().name.name

    def idx(self) -> "ExprListCursor":
        return ExprListCursor(self._proc, ListLoc(self._loc.steps, "idx"))


class LiteralCursor(ExprCursor):
    """A constant: ``3``, ``2.0``, ``True``."""

    __slots__ = ()

    def value(self):
        return self._node().val


class UnaryMinusCursor(ExprCursor):
    """``-arg``."""

    __slots__ = ()

    def arg(self) -> ExprCursor:
        return self._child("arg")


USubCursor = UnaryMinusCursor


class BinOpCursor(ExprCursor):
    """``lhs op rhs``."""

    __slots__ = ()

    def op(self) -> str:
        return self._node().op

    def lhs(self) -> ExprCursor:
        return self._child("lhs")

    def rhs(self) -> ExprCursor:
        return self._child("rhs")


BinaryOpCursor = BinOpCursor  # Exo 1.0's name


class BuiltInFunctionCursor(ExprCursor):
    """A call of an extern function such as ``select(...)``."""

    __slots__ = ()

    def name(self) -> str:
        return self._node().f.name()

    def function(self):
        return self._node().f

    def args(self) -> "ExprListCursor":
        return ExprListCursor(self._proc, ListLoc(self._loc.steps, "args"))


ExternCursor = BuiltInFunctionCursor
ExternFunctionCursor = BuiltInFunctionCursor  # Exo 1.0's name


class WindowExprCursor(ExprCursor):
    """``name[lo:hi, i, ...]``. ``idx()`` gives, per dimension, either an
    expression cursor (a point) or a ``(lo, hi)`` pair of cursors (a slice)."""

    __slots__ = ()

    def name(self) -> str:
        return self._node().name.name

    def idx(self) -> list:
        out = []
        for k, w in enumerate(self._node().idx):
            base = self._loc.steps + (("idx", k),)
            if isinstance(w, Interval):
                out.append((lift(self._proc, NodeLoc(base + (("lo", None),))),
                            lift(self._proc, NodeLoc(base + (("hi", None),)))))
            else:
                out.append(lift(self._proc, NodeLoc(base + (("pt", None),))))
        return out

    def type(self):
        return exo_type(self._node().type)


class StrideExprCursor(ExprCursor):
    """``stride(name, dim)``."""

    __slots__ = ()

    def name(self) -> str:
        return self._node().name.name

    def dim(self) -> int:
        return self._node().dim


class ReadConfigCursor(ExprCursor):
    """``Config.field``."""

    __slots__ = ()

    def config(self):
        return self._node().config

    def config_name(self) -> str:
        return _config_name(self._node().config)

    def field(self) -> str:
        return self._node().field


class ExprListCursor(Cursor):
    """A list of expressions (indices, call arguments, a shape): supports
    ``len``, indexing and iteration, each item an expression cursor."""

    __slots__ = ()

    def parent(self):
        return self._owner_cursor(self._loc.owner)

    def __len__(self):
        return len(self._node())

    def __getitem__(self, i):
        items = self._node()
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(items)))]
        if not isinstance(i, int):
            raise cursor_error(f"cursor lists are indexed by integers or slices, not {type(i).__name__}")
        if i < 0:
            i += len(items)
        if not 0 <= i < len(items):
            raise cursor_error(f"index {i} is out of range for a list of {len(items)}")
        return lift(self._proc, NodeLoc(self._loc.owner + ((self._loc.field, i),)))

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]


for _t, _cls in ((Read, ReadCursor), (Const, LiteralCursor), (USub, UnaryMinusCursor),
                 (BinOp, BinOpCursor), (Extern, BuiltInFunctionCursor),
                 (WindowExpr, WindowExprCursor), (StrideExpr, StrideExprCursor),
                 (ReadConfig, ReadConfigCursor)):
    register_node_cursor(_t, _cls)
register_loc_cursor(ListLoc, ExprListCursor)
