"""The IR: immutable nodes for procedures, statements and expressions.

Every node is a frozen, slotted attrs class. Blocks of statements are
`pyrsistent.pvector`s; expression lists are tuples. A rewrite builds new nodes
and shares every untouched subtree with the old procedure. Constructors do no
checking: the typechecker (for user text) and `exo_core.wellformed` (after
rewrites) do that.

Equality of nodes is identity (``eq=False``): analyses are cached by node
identity, and a subtree shared between two procedure versions is the same
object in both. Structural comparison (modulo symbol renaming and source
positions) is `exo_core.ir.equal`.

Expressions carry their type (``type``); statements and expressions carry
``srcinfo``.
"""

from __future__ import annotations

from attrs import frozen, field, evolve
from pyrsistent import pvector, PVector

from exo_core.ir.prelude import Sym, SrcInfo, null_srcinfo


def _block(stmts) -> PVector:
    return stmts if isinstance(stmts, PVector) else pvector(stmts)


def _tuple(xs) -> tuple:
    return xs if isinstance(xs, tuple) else tuple(xs)


class Node:
    """Base of all IR nodes (expressions, statements, window accesses, procs)."""

    __slots__ = ()

    def update(self, **changes):
        """A copy of this node with some fields replaced."""
        return evolve(self, **changes)


# --------------------------------------------------------------------------
# Expressions


class Expr(Node):
    __slots__ = ()


@frozen(slots=True, eq=False)
class Read(Expr):
    """``x`` or ``x[i, j]``: read a variable or a buffer element."""

    name: Sym
    idx: tuple = field(converter=_tuple)
    type: object = None
    srcinfo: SrcInfo = null_srcinfo


@frozen(slots=True, eq=False)
class Const(Expr):
    """A literal: int, float or bool."""

    val: object
    type: object = None
    srcinfo: SrcInfo = null_srcinfo


@frozen(slots=True, eq=False)
class USub(Expr):
    """``-arg``."""

    arg: Expr
    type: object = None
    srcinfo: SrcInfo = null_srcinfo


BINOPS = ("+", "-", "*", "/", "%", "<", ">", "<=", ">=", "==", "and", "or")


@frozen(slots=True, eq=False)
class BinOp(Expr):
    """``lhs op rhs``; ``op`` is one of `BINOPS`."""

    op: str
    lhs: Expr
    rhs: Expr
    type: object = None
    srcinfo: SrcInfo = null_srcinfo


@frozen(slots=True, eq=False)
class Extern(Expr):
    """A call of an extern (builtin) function such as ``select`` or ``relu``.

    ``f`` is an `exo_core.ir.extern.Extern` instance.
    """

    f: object
    args: tuple = field(converter=_tuple)
    type: object = None
    srcinfo: SrcInfo = null_srcinfo


class WAccess(Node):
    """One dimension of a window expression: an `Interval` or a `Point`."""

    __slots__ = ()


@frozen(slots=True, eq=False)
class Interval(WAccess):
    """``lo:hi`` in a window expression."""

    lo: Expr
    hi: Expr
    srcinfo: SrcInfo = null_srcinfo


@frozen(slots=True, eq=False)
class Point(WAccess):
    """A single index in a window expression (drops that dimension)."""

    pt: Expr
    srcinfo: SrcInfo = null_srcinfo


@frozen(slots=True, eq=False)
class WindowExpr(Expr):
    """``x[0:3, i]``: a window of buffer ``name``.

    Its ``type`` is a window `TensorType` whose shape is the interval extents.
    """

    name: Sym
    idx: tuple = field(converter=_tuple)
    type: object = None
    srcinfo: SrcInfo = null_srcinfo


@frozen(slots=True, eq=False)
class StrideExpr(Expr):
    """``stride(x, dim)``."""

    name: Sym
    dim: int
    type: object = None
    srcinfo: SrcInfo = null_srcinfo


@frozen(slots=True, eq=False)
class ReadConfig(Expr):
    """``Config.field``: read a field of a configuration object."""

    config: object
    field: str
    type: object = None
    srcinfo: SrcInfo = null_srcinfo


# --------------------------------------------------------------------------
# Statements


class Stmt(Node):
    __slots__ = ()


@frozen(slots=True, eq=False)
class Assign(Stmt):
    """``name[idx] = rhs``. ``type`` is the element type of ``name``."""

    name: Sym
    type: object
    idx: tuple = field(converter=_tuple)
    rhs: Expr = None
    srcinfo: SrcInfo = null_srcinfo


@frozen(slots=True, eq=False)
class Reduce(Stmt):
    """``name[idx] += rhs``."""

    name: Sym
    type: object
    idx: tuple = field(converter=_tuple)
    rhs: Expr = None
    srcinfo: SrcInfo = null_srcinfo


@frozen(slots=True, eq=False)
class WriteConfig(Stmt):
    """``Config.field = rhs``."""

    config: object
    field: str
    rhs: Expr
    srcinfo: SrcInfo = null_srcinfo


@frozen(slots=True, eq=False)
class Pass(Stmt):
    """``pass``."""

    srcinfo: SrcInfo = null_srcinfo


@frozen(slots=True, eq=False)
class If(Stmt):
    """``if cond: body else: orelse`` (``orelse`` may be empty)."""

    cond: Expr
    body: PVector = field(converter=_block)
    orelse: PVector = field(converter=_block, factory=pvector)
    srcinfo: SrcInfo = null_srcinfo


@frozen(slots=True, eq=False)
class For(Stmt):
    """``for iter in seq(lo, hi): body`` (``loop_mode`` "seq" or "par")."""

    iter: Sym
    lo: Expr
    hi: Expr
    body: PVector = field(converter=_block)
    loop_mode: str = "seq"
    srcinfo: SrcInfo = null_srcinfo


@frozen(slots=True, eq=False)
class Alloc(Stmt):
    """``name : type @ mem``. ``mem`` is a `Memory` subclass."""

    name: Sym
    type: object
    mem: object
    srcinfo: SrcInfo = null_srcinfo


@frozen(slots=True, eq=False)
class Free(Stmt):
    """End of an allocation's life (inserted by code generation, never by users)."""

    name: Sym
    type: object
    mem: object
    srcinfo: SrcInfo = null_srcinfo


@frozen(slots=True, eq=False)
class Call(Stmt):
    """``f(args)``: call another procedure (``f`` is a `ProcIR`)."""

    f: object
    args: tuple = field(converter=_tuple)
    srcinfo: SrcInfo = null_srcinfo


@frozen(slots=True, eq=False)
class WindowStmt(Stmt):
    """``name = x[0:3]``: bind a window to a new name."""

    name: Sym
    rhs: WindowExpr
    srcinfo: SrcInfo = null_srcinfo


# --------------------------------------------------------------------------
# Procedures


@frozen(slots=True, eq=False)
class FnArg(Node):
    """A procedure parameter ``name : type @ mem`` (``mem`` None for control types)."""

    name: Sym
    type: object
    mem: object = None
    srcinfo: SrcInfo = null_srcinfo


@frozen(slots=True, eq=False)
class InstrInfo(Node):
    """The C text of an ``@instr`` procedure: ``c_instr`` with ``{arg}`` holes,
    and optional ``c_global`` text emitted once per compilation unit."""

    c_instr: str
    c_global: str = ""


@frozen(slots=True, eq=False)
class ProcIR(Node):
    """A whole procedure: name, parameters, preconditions (``assert`` lines),
    body, and the instruction text for ``@instr`` procedures."""

    name: str
    args: tuple = field(converter=_tuple)
    preds: tuple = field(converter=_tuple)
    body: PVector = field(converter=_block)
    instr: InstrInfo | None = None
    srcinfo: SrcInfo = null_srcinfo


def expr_children(e) -> tuple:
    """The direct sub-expressions of an expression (a window's interval ends
    and points included; an open interval end is skipped)."""
    if isinstance(e, Read):
        return e.idx
    if isinstance(e, USub):
        return (e.arg,)
    if isinstance(e, BinOp):
        return (e.lhs, e.rhs)
    if isinstance(e, Extern):
        return e.args
    if isinstance(e, WindowExpr):
        out = []
        for a in e.idx:
            out.extend((a.lo, a.hi) if isinstance(a, Interval) else (a.pt,))
        return tuple(x for x in out if x is not None)
    return ()


STMT_TYPES = (Assign, Reduce, WriteConfig, Pass, If, For, Alloc, Free, Call, WindowStmt)
EXPR_TYPES = (Read, Const, USub, BinOp, Extern, WindowExpr, StrideExpr, ReadConfig)
