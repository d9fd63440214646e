"""The IR: immutable nodes for procedures, statements and expressions.

Every node is a frozen, slotted attrs class. Blocks of statements are
`pyrsistent.pvector`s; expression lists are tuples. A rewrite builds new nodes
and shares every untouched subtree with the old procedure. Constructors do no
checking: the typechecker (for user text) and `exo_core.ir.wellformed` (after
rewrites) do that.

Equality of nodes is identity (``eq=False``): analyses are cached by node
identity, and a subtree shared between two procedure versions is the same
object in both. Structural comparison (modulo symbol renaming and source
positions) is `exo_core.ir.equal`.

Expressions carry their type (``type``); statements and expressions carry
``srcinfo``.

The schema: every node class says what each of its fields holds, by role, in
three class-level tuples of field names (together: every field, once):

- ``expr_fields``: an expression, a tuple of expressions, or (in a window
  expression) a tuple of window accesses; an open interval end is None;
- ``block_fields``: a block of statements;
- ``leaf_fields``: no sub-expression or statement of this tree: names, types
  (the shape expressions of a tensor type belong to the type), operators,
  literals, memories, configurations, callees, source positions.

`exo_core.ir.walk` is the one generic walker and mapper built on it.
"""

from __future__ import annotations

import inspect
import types

import attrs
from attrs import frozen, field, evolve
from pyrsistent import pvector, PVector

from exo_core.ir.config import Config
from exo_core.ir.extern import Extern as ExternFunction
from exo_core.ir.memory import Memory
from exo_core.ir.prelude import Sym, SrcInfo, null_srcinfo
from exo_core.ir.types import ScalarType, TensorType

Type = ScalarType | TensorType
"""The type of an expression, buffer or argument (`exo_core.ir.types`)."""

MemoryClass = type[Memory]
"""The memory of a buffer: a `Memory` subclass (the class, not an instance)."""


def _block(stmts) -> PVector:
    return stmts if isinstance(stmts, PVector) else pvector(stmts)


def _tuple(xs) -> tuple:
    return xs if isinstance(xs, tuple) else tuple(xs)


class Node:
    """Base of all IR nodes (expressions, statements, window accesses, procs)."""

    __slots__ = ()

    expr_fields: tuple[str, ...] = ()
    block_fields: tuple[str, ...] = ()
    leaf_fields: tuple[str, ...] = ()

    def update(self, **changes):
        """A copy of this node with some fields replaced (converters applied
        to the new values, as the constructor would).

        The first call on a node class installs that class's own `update`,
        generated from its fields (see `_fast_update`): a copy that sets the
        slots directly, several times cheaper than ``attrs.evolve``."""
        cls = type(self)
        if "update" not in cls.__dict__ and attrs.has(cls):
            cls.update = _fast_update(cls)
            return cls.update(self, **changes)
        return evolve(self, **changes)


_UNCHANGED = object()


def _fast_update(cls: type):
    """``cls.update``: keyword-only parameters, one per field, defaulting to
    the node's own value. The nodes have no validators and no post-init hook,
    so setting the slots of a new object (through the frozen class's
    ``object.__setattr__``) builds what the constructor builds."""
    fields = attrs.fields(cls)
    namespace = {"_unchanged": _UNCHANGED, "_cls": cls, "_new": object.__new__,
                 "_set": object.__setattr__, "_generic": Node.update}
    lines = []
    for k, a in enumerate(fields):
        value = a.name
        if a.converter is not None:
            namespace[f"_convert{k}"] = a.converter
            value = f"_convert{k}({a.name})"
        value = f"self.{a.name} if {a.name} is _unchanged else {value}"
        slot = inspect.getattr_static(cls, a.name, None)
        if isinstance(slot, types.MemberDescriptorType):
            # the slot's own setter: what object.__setattr__ ends up calling
            namespace[f"_set{k}"] = slot.__set__
            lines.append(f"    _set{k}(new, {value})")
        else:
            lines.append(f"    _set(new, {a.name!r}, {value})")
    params = ", ".join(f"{a.name}=_unchanged" for a in fields)
    # (a subclass inheriting this update gets its own, through the generic one)
    source = (f"def update(self, *, {params}):\n"
              f"    if self.__class__ is not _cls:\n"
              f"        changes = dict(locals())\n"
              f"        del changes['self']\n"
              f"        return _generic(self, **{{k: v for k, v in changes.items()\n"
              f"                                 if v is not _unchanged}})\n"
              f"    new = _new(_cls)\n" + "\n".join(lines) + "\n    return new\n")
    exec(source, namespace)
    update = namespace["update"]
    update.__doc__ = Node.update.__doc__
    update.__qualname__ = f"{cls.__name__}.update"
    return update


# --------------------------------------------------------------------------
# Expressions


class Expr(Node):
    __slots__ = ()


@frozen(slots=True, eq=False)
class Read(Expr):
    """``x`` or ``x[i, j]``: read a variable or a buffer element."""

    expr_fields = ("idx",)
    leaf_fields = ("name", "type", "srcinfo")

    name: Sym
    idx: tuple[Expr, ...] = field(converter=_tuple)
    type: Type | None = None
    srcinfo: SrcInfo = null_srcinfo


@frozen(slots=True, eq=False)
class Const(Expr):
    """A literal: int, float or bool."""

    leaf_fields = ("val", "type", "srcinfo")

    val: int | float | bool
    type: Type | None = None
    srcinfo: SrcInfo = null_srcinfo


@frozen(slots=True, eq=False)
class USub(Expr):
    """``-arg``."""

    expr_fields = ("arg",)
    leaf_fields = ("type", "srcinfo")

    arg: Expr
    type: Type | None = None
    srcinfo: SrcInfo = null_srcinfo


BINOPS = ("+", "-", "*", "/", "%", "<", ">", "<=", ">=", "==", "and", "or")


@frozen(slots=True, eq=False)
class BinOp(Expr):
    """``lhs op rhs``; ``op`` is one of `BINOPS`."""

    expr_fields = ("lhs", "rhs")
    leaf_fields = ("op", "type", "srcinfo")

    op: str
    lhs: Expr
    rhs: Expr
    type: Type | None = None
    srcinfo: SrcInfo = null_srcinfo


@frozen(slots=True, eq=False)
class Extern(Expr):
    """A call of an extern (builtin) function such as ``select`` or ``relu``.

    ``f`` is an `exo_core.ir.extern.Extern` instance.
    """

    expr_fields = ("args",)
    leaf_fields = ("f", "type", "srcinfo")

    f: ExternFunction
    args: tuple[Expr, ...] = field(converter=_tuple)
    type: Type | None = None
    srcinfo: SrcInfo = null_srcinfo


class WAccess(Node):
    """One dimension of a window expression: an `Interval` or a `Point`."""

    __slots__ = ()


@frozen(slots=True, eq=False)
class Interval(WAccess):
    """``lo:hi`` in a window expression (an end may be None: open)."""

    expr_fields = ("lo", "hi")
    leaf_fields = ("srcinfo",)

    lo: Expr | None
    hi: Expr | None
    srcinfo: SrcInfo = null_srcinfo


@frozen(slots=True, eq=False)
class Point(WAccess):
    """A single index in a window expression (drops that dimension)."""

    expr_fields = ("pt",)
    leaf_fields = ("srcinfo",)

    pt: Expr
    srcinfo: SrcInfo = null_srcinfo


@frozen(slots=True, eq=False)
class WindowExpr(Expr):
    """``x[0:3, i]``: a window of buffer ``name``.

    Its ``type`` is a window `TensorType` whose shape is the interval extents.
    """

    expr_fields = ("idx",)
    leaf_fields = ("name", "type", "srcinfo")

    name: Sym
    idx: tuple[WAccess, ...] = field(converter=_tuple)
    type: TensorType | None = None
    srcinfo: SrcInfo = null_srcinfo


@frozen(slots=True, eq=False)
class StrideExpr(Expr):
    """``stride(x, dim)``."""

    leaf_fields = ("name", "dim", "type", "srcinfo")

    name: Sym
    dim: int
    type: Type | None = None
    srcinfo: SrcInfo = null_srcinfo


@frozen(slots=True, eq=False)
class ReadConfig(Expr):
    """``Config.field``: read a field of a configuration object."""

    leaf_fields = ("config", "field", "type", "srcinfo")

    config: Config
    field: str
    type: Type | None = None
    srcinfo: SrcInfo = null_srcinfo


# --------------------------------------------------------------------------
# Statements


class Stmt(Node):
    __slots__ = ()


@frozen(slots=True, eq=False)
class Assign(Stmt):
    """``name[idx] = rhs``. ``type`` is the element type of ``name``."""

    expr_fields = ("idx", "rhs")
    leaf_fields = ("name", "type", "srcinfo")

    name: Sym
    type: ScalarType
    idx: tuple[Expr, ...] = field(converter=_tuple)
    rhs: Expr = None
    srcinfo: SrcInfo = null_srcinfo


@frozen(slots=True, eq=False)
class Reduce(Stmt):
    """``name[idx] += rhs``."""

    expr_fields = ("idx", "rhs")
    leaf_fields = ("name", "type", "srcinfo")

    name: Sym
    type: ScalarType
    idx: tuple[Expr, ...] = field(converter=_tuple)
    rhs: Expr = None
    srcinfo: SrcInfo = null_srcinfo


@frozen(slots=True, eq=False)
class WriteConfig(Stmt):
    """``Config.field = rhs``."""

    expr_fields = ("rhs",)
    leaf_fields = ("config", "field", "srcinfo")

    config: Config
    field: str
    rhs: Expr
    srcinfo: SrcInfo = null_srcinfo


@frozen(slots=True, eq=False)
class Pass(Stmt):
    """``pass``."""

    leaf_fields = ("srcinfo",)

    srcinfo: SrcInfo = null_srcinfo


@frozen(slots=True, eq=False)
class If(Stmt):
    """``if cond: body else: orelse`` (``orelse`` may be empty)."""

    expr_fields = ("cond",)
    block_fields = ("body", "orelse")
    leaf_fields = ("srcinfo",)

    cond: Expr
    body: PVector = field(converter=_block)
    orelse: PVector = field(converter=_block, factory=pvector)
    srcinfo: SrcInfo = null_srcinfo


@frozen(slots=True, eq=False)
class For(Stmt):
    """``for iter in seq(lo, hi): body`` (``loop_mode`` "seq" or "par")."""

    expr_fields = ("lo", "hi")
    block_fields = ("body",)
    leaf_fields = ("iter", "loop_mode", "srcinfo")

    iter: Sym
    lo: Expr
    hi: Expr
    body: PVector = field(converter=_block)
    loop_mode: str = "seq"
    srcinfo: SrcInfo = null_srcinfo


@frozen(slots=True, eq=False)
class Alloc(Stmt):
    """``name : type @ mem``. ``mem`` is a `Memory` subclass."""

    leaf_fields = ("name", "type", "mem", "srcinfo")

    name: Sym
    type: Type
    mem: MemoryClass
    srcinfo: SrcInfo = null_srcinfo


@frozen(slots=True, eq=False)
class Call(Stmt):
    """``f(args)``: call another procedure (``f`` is a `ProcIR`)."""

    expr_fields = ("args",)
    leaf_fields = ("f", "srcinfo")

    f: ProcIR
    args: tuple[Expr, ...] = field(converter=_tuple)
    srcinfo: SrcInfo = null_srcinfo


@frozen(slots=True, eq=False)
class WindowStmt(Stmt):
    """``name = x[0:3]``: bind a window to a new name."""

    expr_fields = ("rhs",)
    leaf_fields = ("name", "srcinfo")

    name: Sym
    rhs: WindowExpr
    srcinfo: SrcInfo = null_srcinfo


# --------------------------------------------------------------------------
# Procedures


@frozen(slots=True, eq=False)
class FnArg(Node):
    """A procedure parameter ``name : type @ mem`` (``mem`` None for control types)."""

    leaf_fields = ("name", "type", "mem", "srcinfo")

    name: Sym
    type: Type
    mem: MemoryClass | None = None
    srcinfo: SrcInfo = null_srcinfo


@frozen(slots=True, eq=False)
class InstrInfo(Node):
    """The C text of an ``@instr`` procedure: ``c_instr`` with ``{arg}`` holes,
    and optional ``c_global`` text emitted once per compilation unit."""

    leaf_fields = ("c_instr", "c_global")

    c_instr: str
    c_global: str = ""


@frozen(slots=True, eq=False)
class ProcIR(Node):
    """A whole procedure: name, parameters, preconditions (``assert`` lines),
    body, and the instruction text for ``@instr`` procedures.

    The parameters are leaves of the schema: a walk over a procedure visits
    its preconditions and its body (parameter types hold only shapes)."""

    expr_fields = ("preds",)
    block_fields = ("body",)
    leaf_fields = ("name", "args", "instr", "srcinfo")

    name: str
    args: tuple[FnArg, ...] = field(converter=_tuple)
    preds: tuple[Expr, ...] = field(converter=_tuple)
    body: PVector = field(converter=_block)
    instr: InstrInfo | None = None
    srcinfo: SrcInfo = null_srcinfo


STMT_TYPES = (Assign, Reduce, WriteConfig, Pass, If, For, Alloc, Call, WindowStmt)
EXPR_TYPES = (Read, Const, USub, BinOp, Extern, WindowExpr, StrideExpr, ReadConfig)
WACCESS_TYPES = (Interval, Point)
NODE_TYPES = EXPR_TYPES + WACCESS_TYPES + STMT_TYPES + (FnArg, InstrInfo, ProcIR)
