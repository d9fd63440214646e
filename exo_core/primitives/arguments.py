"""The kinds of parameter a scheduling primitive declares (see
`exo_core.primitives.signature.primitive`), and `err`, the primitives' error.

Each kind checks one argument and hands the primitive's body a checked value
(declaration: what it accepts  ->  what the body receives):

- ``Loop()``: a loop cursor, a pattern, ``"i"`` / ``"i #2"``  ->  `ForCursor` in ``proc``
- ``NestedLoops()``: the outer of two nested loops, or ``"i j"``  ->  the outer `ForCursor`
- ``Stmt()`` / ``Stmt(kind)``: a statement cursor or pattern  ->  `StmtCursor` (of ``kind``)
- ``Block()``: a block or statement cursor, a pattern  ->  `BlockCursor`
- ``Gap()``: a gap cursor (``s.after()``)  ->  `GapCursor`
- ``Alloc(allow_arg=False)``: an allocation cursor, pattern or buffer name  ->  `AllocCursor`
- ``CallStmt()``: a call statement cursor or pattern  ->  `CallCursor`
- ``Expr()`` / ``Exprs(patterns="all")``: expression cursor(s) or a pattern (all its
  matches, or ``"first"``)  ->  `ExprCursor` / a list
- ``Int(min=1)``: a Python int >= ``min`` (not a bool)  ->  int
- ``Bool()``: True or False  ->  bool
- ``OneOf("a", "b")``: one of the given values  ->  the value
- ``Text(what=None, formatted=False, numbers=False)``: a string the primitive parses itself
  (a window expression; with ``formatted``, a `FormattedExprStr` too; with ``numbers``, an
  int or float)  ->  the value
- ``Identifier(what)``: a valid C/Python name that is not a variable (a procedure name)  ->  str
- ``NewName(near=...)``: a fresh variable name  ->  `Sym`
- ``NewNames(n, near=...)``: ``n`` distinct fresh variable names  ->  list of `Sym`
- ``ControlExpr(at=...)``: ``"n - 4"`` (or an int, or a `FormattedExprStr`) read at a
  location  ->  typed `ir.Expr`
- ``ControlExpr(at=..., condition=True)``: ``"n > 16"``  ->  typed `ir.Expr`
- ``Conditions(at=...)``: a condition string or a non-empty list  ->  list of `ir.Expr`
- ``ConfigObject()``: a configuration (``@config``)  ->  `Config`
- ``ConfigFieldName(config=...)``: a field of the configuration argument ``config``  ->  str
- ``Proc()``: another procedure (a callee, an equivalent procedure)  ->  `Procedure`
- ``Optional(kind)``: ``None`` or what ``kind`` accepts  ->  None or ``kind``'s value
- ``ListOf(kind, length=None)``: a list or tuple, each item as ``kind``  ->  list

``near="loop_cursor"`` / ``at="loop_cursor"`` name an earlier parameter (a
location): a new name must not be visible there nor used inside it (the
iterators of the ``replaces_loops`` loops it replaces excepted); an expression
string is read in the scope of that statement. A new kind is a subclass of
`signature.Param` with ``convert(value, call)``.
"""

from __future__ import annotations

import keyword

from exo_core.cursors.location import (resolve_alloc, resolve_block, resolve_call, resolve_expr,
                                       resolve_exprs, resolve_gap, resolve_loop,
                                       resolve_nested_loops, resolve_stmt, stmt_steps)
from exo_core.cursors.stmt_cursors import BlockCursor, ForCursor, StmtCursor
from exo_core.errors import ArgumentTypeError, ArgumentValueError, SchedulingError
from exo_core.ir.config import Config
from exo_core.ir.prelude import Sym
from exo_core.procedure import Procedure
from exo_core.primitives.control_strings import FormattedExprStr, parse_control, visible_names
from exo_core.primitives.ir_build import stmt_syms
from exo_core.primitives.signature import Call, Param
from exo_core.user_frame import scheduling_error


def err(primitive: str, message: str) -> SchedulingError:
    """A SchedulingError ``"<primitive>: <message>"`` at the user's calling line."""
    return scheduling_error(f"{primitive}: {message}")


def is_valid_identifier(name) -> bool:
    """A name usable for a variable or procedure in both the object code
    (Python syntax) and the generated C: an identifier, not a Python keyword."""
    return isinstance(name, str) and name.isidentifier() and not keyword.iskeyword(name)


# ---------------------------------------------------------------------------
# Locations


class _Location(Param):
    def __init__(self, resolve, **options):
        self._resolve, self._options = resolve, options

    def convert(self, value, call: Call):
        try:
            return self._resolve(call.proc, value, **self._options)
        except (ArgumentTypeError, ArgumentValueError) as e:
            # a location of the wrong kind: say which primitive and argument
            raise type(e)(f"{call.primitive}: {self.name}: {e.message}", e.srcinfo) from None


def Loop() -> Param:
    """A loop: cursor, pattern, or ``"i"`` / ``"i #n"``."""
    return _Location(resolve_loop)


def NestedLoops() -> Param:
    """The outer of two directly nested loops (cursor, pattern, ``"i j"``)."""
    return _Location(resolve_nested_loops)


def Stmt(kind: type = StmtCursor) -> Param:
    """A statement (optionally of a cursor class such as `CallCursor`)."""
    return _Location(resolve_stmt, kind=kind)


def Block() -> Param:
    """A block of statements (a statement cursor counts as a block of one)."""
    return _Location(resolve_block)


def Gap() -> Param:
    """A gap between statements."""
    return _Location(resolve_gap)


def Alloc(allow_arg: bool = False) -> Param:
    """An allocation (or, with ``allow_arg``, a procedure argument)."""
    return _Location(resolve_alloc, allow_arg=allow_arg)


def CallStmt() -> Param:
    """A call statement."""
    return _Location(resolve_call)


def Expr() -> Param:
    """An expression."""
    return _Location(resolve_expr)


def Exprs(patterns: str = "all") -> Param:
    """A list of expressions (a pattern means all its matches, or with
    ``patterns="first"`` its first match)."""
    return _Location(resolve_exprs, patterns=patterns)


# ---------------------------------------------------------------------------
# Plain values


class Int(Param):
    """A Python int (not a bool) of at least ``min`` (both mistakes are a
    TypeError, as in Exo)."""

    def __init__(self, min: int = 1):
        self.min = min

    def convert(self, value, call: Call) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise call.type_error(f"{self.name} must be an integer constant, got {value!r}")
        if value < self.min:
            raise call.type_error(f"{self.name} must be at least {self.min}, got {value}")
        return value


class Bool(Param):
    """True or False."""

    def convert(self, value, call: Call) -> bool:
        if not isinstance(value, bool):
            raise call.type_error(f"{self.name} must be True or False, got {value!r}")
        return value


class OneOf(Param):
    """One of a fixed set of values (e.g. the tail strategies of divide_loop)."""

    def __init__(self, *values):
        self.values = values

    def convert(self, value, call: Call):
        if value not in self.values:
            shown = ", ".join(str(v) for v in self.values)
            raise call.value_error(f"{self.name} must be one of {shown}; got {value!r}")
        return value


class Text(Param):
    """A string, handed over as it is (for text the primitive parses itself,
    such as a window expression). ``what`` names it in errors (default: the
    parameter's name); with ``formatted`` a `FormattedExprStr` is accepted
    too (an expression with holes), with ``numbers`` a Python int or float."""

    def __init__(self, what: str | None = None, formatted: bool = False, numbers: bool = False):
        self.what, self.formatted, self.numbers = what, formatted, numbers

    def convert(self, value, call: Call) -> str:
        if self.formatted and isinstance(value, FormattedExprStr):
            return value
        if self.numbers and isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        if not isinstance(value, str):
            raise call.type_error(f"{self.what or self.name} must be a string, got "
                                  f"{type(value).__name__}")
        return value


class Identifier(Param):
    """A valid name (see `is_valid_identifier`), returned as a string: for
    names that are not variables of the procedure (a procedure's name)."""

    def __init__(self, what: str = "name"):
        self.what = what

    def convert(self, value, call: Call) -> str:
        return _identifier(value, self.what, call)


def _identifier(name, what: str, call: Call) -> str:
    if not is_valid_identifier(name):
        reason = " (it is a Python keyword)" if isinstance(name, str) and \
            keyword.iskeyword(name) else " (it must be an identifier)"
        raise call.type_error(f"{name!r} is not a valid {what}{reason}")
    return name


class Proc(Param):
    """Another procedure argument (a callee, an equivalent procedure)."""

    def convert(self, value, call: Call) -> Procedure:
        if not isinstance(value, Procedure):
            raise call.type_error(f"{self.name} must be a procedure, got {type(value).__name__}")
        return value


class ConfigObject(Param):
    """A configuration (what ``@config`` returns)."""

    def convert(self, value, call: Call) -> Config:
        if not isinstance(value, Config):
            raise call.type_error(f"{self.name} must be a configuration (made with @config), "
                                  f"got {type(value).__name__}")
        return value


class ConfigFieldName(Param):
    """The name of a field of the configuration ``call.args[config]``."""

    def __init__(self, config: str):
        self.config = config

    def convert(self, value, call: Call) -> str:
        cfg = call.args[self.config]
        if not isinstance(value, str) or not is_valid_identifier(value):
            raise call.type_error(f"{self.name} must be a field name (a string), got {value!r}")
        if not cfg.has_field(value):
            raise call.value_error(f"{value!r} is not a field of config {cfg.name()!r} (its "
                                   f"fields: {', '.join(f for f, _ in cfg.fields())})")
        return value


class Optional(Param):
    """``None``, or a value ``kind`` accepts."""

    def __init__(self, kind: Param):
        self.kind = kind

    def convert(self, value, call: Call):
        if value is None:
            return None
        self.kind.name = self.name
        return self.kind.convert(value, call)


class ListOf(Param):
    """A list or tuple (of ``length`` items, if given), each item as ``kind``."""

    def __init__(self, kind: Param, length: int | None = None):
        self.kind, self.length = kind, length

    def convert(self, value, call: Call) -> list:
        if not isinstance(value, (list, tuple)) or (
                self.length is not None and len(value) != self.length):
            size = "" if self.length is None else f" of {self.length} items"
            raise call.type_error(f"{self.name} must be a list{size}, got {value!r}")
        self.kind.name = f"each item of {self.name}"
        return [self.kind.convert(v, call) for v in value]


# ---------------------------------------------------------------------------
# Names and expressions read at a location


def _site(cursor) -> tuple[tuple, list]:
    """The statement path of a location and the statements it covers."""
    if isinstance(cursor, BlockCursor):
        return stmt_steps(cursor), list(cursor._node())
    if isinstance(cursor, StmtCursor):
        return stmt_steps(cursor), [cursor._node()]
    return stmt_steps(cursor), []


def names_in_use(call: Call, near: str, replaces_loops: int = 0) -> set[str]:
    """Names a new variable at the location ``call.args[near]`` must not take:
    those visible there and those used inside it, except the iterators of the
    first ``replaces_loops`` directly nested loops there (which the rewrite
    removes)."""
    cursor = call.args[near]
    steps, stmts = _site(cursor)
    taken = set(visible_names(call.proc._root, steps))
    taken |= {s.name for s in stmt_syms(stmts)}
    node = cursor._node() if isinstance(cursor, ForCursor) else None
    for _ in range(replaces_loops):
        if node is None:
            break
        taken.discard(node.iter.name)
        node = node.body[0] if len(node.body) == 1 and \
            type(node.body[0]) is type(node) else None
    return taken


class NewNames(Param):
    """``count`` new variable names (a list of strings; a single string when
    ``count`` is 1): valid, distinct, not in use at ``near`` (see
    `names_in_use`). The body receives fresh Syms."""

    def __init__(self, count: int, near: str, replaces_loops: int = 0):
        self.count, self.near, self.replaces_loops = count, near, replaces_loops

    def convert(self, value, call: Call) -> list:
        names = [value] if isinstance(value, str) and self.count == 1 else value
        if not isinstance(names, (list, tuple)) or len(names) != self.count or not all(
                isinstance(n, str) for n in names):
            shape = "a string" if self.count == 1 else f"a list of {self.count} strings"
            raise call.type_error(f"{self.name} must be {shape}, got {value!r}")
        taken = names_in_use(call, self.near, self.replaces_loops)
        for n in names:
            _identifier(n, "variable name", call)
            if n in taken:
                raise call.value_error(f"the name {n} is already used here; choose another name")
        if len(set(names)) != len(names):
            raise call.value_error(f"the new names must be different, got {list(names)!r}")
        return [Sym(n) for n in names]


class NewName(NewNames):
    """One new variable name (see `NewNames`); the body receives a Sym."""

    def __init__(self, near: str, replaces_loops: int = 0):
        super().__init__(1, near, replaces_loops)

    def convert(self, value, call: Call) -> Sym:
        return super().convert(value, call)[0]


class ControlExpr(Param):
    """A control expression given as text (or an int, unless ``condition``),
    parsed and typed in the scope of the statement at ``call.args[at]``
    (`exo_core.primitives.control_strings`)."""

    def __init__(self, at: str, condition: bool = False):
        self.at, self.condition = at, condition

    def convert(self, value, call: Call):
        return parse_control(call.proc._root, stmt_steps(call.args[self.at]), value,
                             self.condition, call.primitive)


class Conditions(Param):
    """A condition string or a non-empty list of them, each parsed as
    ``ControlExpr(at, condition=True)``."""

    def __init__(self, at: str):
        self.at = at

    def convert(self, value, call: Call) -> list:
        conds = [value] if isinstance(value, (str, FormattedExprStr)) else value
        if not isinstance(conds, (list, tuple)):
            raise call.type_error(f"{self.name} must be a condition string or a list of them, "
                                  f"got {type(value).__name__}")
        if not conds:
            raise call.value_error(f"{self.name} needs at least one condition")
        steps = stmt_steps(call.args[self.at])
        return [parse_control(call.proc._root, steps, c, True, call.primitive) for c in conds]


__all__ = ["err", "is_valid_identifier", "names_in_use", "Loop", "NestedLoops", "Stmt",
           "Block", "Gap", "Alloc", "CallStmt", "Expr", "Exprs", "Int", "Bool", "OneOf",
           "Text", "Identifier", "Proc", "ConfigObject", "ConfigFieldName", "Optional", "ListOf",
           "NewNames", "NewName", "ControlExpr", "Conditions"]
