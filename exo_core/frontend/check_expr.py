"""Typing of expressions: control (indices, bounds), conditions, and data.

Object code keeps control values (``size``, ``index``, ``stride``, ``bool``,
integer literals) apart from data values (buffer elements and numeric
scalars). Each checker below types an untyped expression for one context and
reports misuse with the user's source position:

- `ExprChecker.ctrl`: an integer control expression; quasi-affine (``*`` needs
  a constant side, ``/`` and ``%`` a positive constant divisor).
- `ExprChecker.cond`: a condition (comparisons of control values, and/or).
- `ExprChecker.data`: a numeric expression (integer literals become ``R``).
"""

from __future__ import annotations

from attrs import frozen

import exo_core.ir as ir
from exo_core.errors import ExoTypeError
from exo_core.ir.extern import _EErr
from exo_core.ir.printer import expr_to_str
from exo_core.ir.types import (BOOL, INT, R, STRIDE, ScalarType, TensorType, control_negation_type,
                               control_result_type, data_result_type)
from exo_core.frontend.affine import constant_value, window_extent

_CMP = ("<", ">", "<=", ">=", "==")
_ARITH = ("+", "-", "*", "/", "%")


@frozen
class VarInfo:
    """What the checker knows about a bound symbol."""

    type: object
    mem: object
    role: str  # "size argument", "loop variable", "buffer", "window", ...


def _show(e) -> str:
    try:
        return expr_to_str(e)
    except Exception:  # untyped or partial nodes: fall back to a generic phrase
        return "this expression"


class ExprChecker:
    """Types expressions against an environment ``Sym -> VarInfo``."""

    def __init__(self):
        self.env: dict = {}
        self.unbound_msg = "{name} is not in scope here"

    # ------------------------------------------------------------ helpers
    def err(self, msg: str, node) -> ExoTypeError:
        return ExoTypeError(msg, getattr(node, "srcinfo", None))

    def info(self, sym, node) -> VarInfo:
        vi = self.env.get(sym)
        if vi is None:
            raise self.err(self.unbound_msg.format(name=sym.name), node)
        return vi

    # ------------------------------------------------------------ control
    def ctrl(self, e, what: str = "a control expression") -> ir.Expr:
        """Type ``e`` as an integer control value (int, index, size or stride)."""
        if isinstance(e, ir.Const):
            if isinstance(e.val, bool):
                raise self.err(f"the bool {e.val} cannot be used as an integer in {what}", e)
            if isinstance(e.val, float):
                raise self.err(f"the float {e.val!r} cannot be used in {what}; control values "
                               "are integers", e)
            return e.update(type=INT)
        if isinstance(e, ir.Read):
            vi = self.info(e.name, e)
            t = vi.type
            if isinstance(t, ScalarType) and t.kind == "ctrl" and not e.idx:
                if t is BOOL:
                    raise self.err(f"the bool {e.name} cannot be used as an integer in {what}", e)
                return e.update(type=t)
            raise self.err(f"data value {_show(e)} cannot be used in {what}; control (indices, "
                           "bounds, conditions) cannot depend on data values", e)
        if isinstance(e, ir.USub):
            arg = self.ctrl(e.arg, what)
            return e.update(arg=arg, type=control_negation_type(arg.type))
        if isinstance(e, ir.BinOp):
            if e.op not in _ARITH:
                raise self.err(f"the condition {_show(e)} cannot be used as an integer in {what}", e)
            lhs = self.ctrl(e.lhs, what)
            rhs = self.ctrl(e.rhs, what)
            if e.op == "*" and constant_value(lhs) is None and constant_value(rhs) is None:
                raise self.err(f"{_show(e)} is not affine: object code cannot multiply two "
                               "non-constant control values", e)
            if e.op in ("/", "%"):
                d = constant_value(rhs)
                if d is None:
                    raise self.err(f"{_show(e)} divides by a non-constant; {e.op} in control "
                                   "expressions needs a positive constant divisor", e)
                if d <= 0:
                    raise self.err(f"{_show(e)} divides by {d}; the divisor must be a positive "
                                   "constant", e)
            return e.update(lhs=lhs, rhs=rhs, type=control_result_type(e.op, lhs.type, rhs.type))
        if isinstance(e, ir.StrideExpr):
            return self.stride(e)
        if isinstance(e, ir.ReadConfig):
            t = e.config.lookup_type(e.field)
            if t.kind == "ctrl" and t is not BOOL:
                return e.update(type=t)
            raise self.err(f"config field {e.config.name()}.{e.field} has type {t} and cannot "
                           f"be used in {what}", e)
        if isinstance(e, ir.Extern):
            raise self.err(f"extern {e.f.name()} computes a data value and cannot be used in "
                           f"{what}", e)
        if isinstance(e, ir.WindowExpr):
            raise self.err(f"the window {_show(e)} cannot be used in {what}", e)
        raise self.err(f"unexpected expression in {what}", e)

    def stride(self, e: ir.StrideExpr) -> ir.Expr:
        vi = self.info(e.name, e)
        if not isinstance(vi.type, TensorType):
            raise self.err(f"stride({e.name}, {e.dim}): {e.name} is not a buffer", e)
        if not 0 <= e.dim < vi.type.ndim():
            raise self.err(f"stride({e.name}, {e.dim}): {e.name} has {vi.type.ndim()} "
                           f"dimension{'s' if vi.type.ndim() != 1 else ''}", e)
        return e.update(type=STRIDE)

    def index(self, e) -> ir.Expr:
        """Type an index expression of a buffer access."""
        return self.ctrl(e, "an index")

    # ---------------------------------------------------------- conditions
    def _is_boolish(self, e) -> bool:
        if isinstance(e, ir.Const):
            return isinstance(e.val, bool)
        if isinstance(e, ir.Read) and not e.idx:
            vi = self.env.get(e.name)
            return vi is not None and vi.type is BOOL
        if isinstance(e, ir.BinOp):
            return e.op in _CMP or e.op in ("and", "or")
        if isinstance(e, ir.ReadConfig):
            return e.config.has_field(e.field) and e.config.lookup_type(e.field) is BOOL
        return False

    def cond(self, e, what: str = "a condition") -> ir.Expr:
        """Type ``e`` as a bool condition."""
        if isinstance(e, ir.Const):
            if isinstance(e.val, bool):
                return e.update(type=BOOL)
            raise self.err(f"{e.val!r} is not a condition (expected a comparison or bool)", e)
        if isinstance(e, ir.Read) and not e.idx:
            vi = self.info(e.name, e)
            if vi.type is BOOL:
                return e.update(type=BOOL)
        if isinstance(e, ir.ReadConfig) and self._is_boolish(e):
            return e.update(type=BOOL)
        if isinstance(e, ir.BinOp) and e.op in ("and", "or"):
            return e.update(lhs=self.cond(e.lhs, what), rhs=self.cond(e.rhs, what), type=BOOL)
        if isinstance(e, ir.BinOp) and e.op in _CMP:
            if e.op == "==" and self._is_boolish(e.lhs) and self._is_boolish(e.rhs):
                return e.update(lhs=self.cond(e.lhs), rhs=self.cond(e.rhs), type=BOOL)
            lhs = self.ctrl(e.lhs, what)
            rhs = self.ctrl(e.rhs, what)
            return e.update(lhs=lhs, rhs=rhs, type=BOOL)
        if isinstance(e, ir.Read):
            vi = self.info(e.name, e)
            if vi.type.is_numeric():
                raise self.err(f"data value {_show(e)} cannot be used in {what}; control flow "
                               "cannot depend on data values", e)
        raise self.err(f"{_show(e)} is not a condition (expected a comparison or bool) in {what}", e)

    # ---------------------------------------------------------------- data
    def data(self, e) -> ir.Expr:
        """Type ``e`` as a numeric (data) value."""
        if isinstance(e, ir.Const):
            if isinstance(e.val, bool):
                raise self.err(f"the bool {e.val} is not a data value", e)
            return e.update(type=R)
        if isinstance(e, ir.Read):
            return self.data_read(e)
        if isinstance(e, ir.USub):
            arg = self.data(e.arg)
            return e.update(arg=arg, type=arg.type)
        if isinstance(e, ir.BinOp):
            if e.op in _CMP or e.op in ("and", "or"):
                raise self.err(f"{_show(e)} is a condition; data expressions cannot contain "
                               "comparisons (use the select extern)", e)
            if e.op == "%":
                raise self.err(f"{_show(e)}: % is only defined on control values", e)
            lhs = self.data(e.lhs)
            rhs = self.data(e.rhs)
            return e.update(lhs=lhs, rhs=rhs, type=data_result_type(lhs.type, rhs.type))
        if isinstance(e, ir.Extern):
            return self.extern(e)
        if isinstance(e, ir.ReadConfig):
            t = e.config.lookup_type(e.field)
            if t.is_numeric():
                return e.update(type=t)
            raise self.err(f"config field {e.config.name()}.{e.field} is a control value "
                           f"({t}) and cannot be used as data", e)
        if isinstance(e, ir.StrideExpr):
            raise self.err(f"{_show(e)} is a control value and cannot be used as data", e)
        if isinstance(e, ir.WindowExpr):
            raise self.err(f"the window {_show(e)} is not a value; windows can only be bound "
                           "(`y = x[0:4]`) or passed to procedures", e)
        raise self.err("unexpected data expression", e)

    def data_read(self, e: ir.Read) -> ir.Expr:
        vi = self.info(e.name, e)
        t = vi.type
        if isinstance(t, ScalarType) and t.kind == "ctrl":
            raise self.err(f"{e.name} is a control value ({vi.role}, {t}); data expressions "
                           "can only use numeric values", e)
        if isinstance(t, ScalarType):
            if e.idx:
                raise self.err(f"{e.name} is a scalar and cannot be indexed", e)
            return e.update(type=t)
        if not e.idx:
            raise self.err(f"{e.name} is a buffer of type {t}; index it (e.g. "
                           f"{e.name}[{', '.join(['i'] * t.ndim())}]) to use its values", e)
        self.check_rank(e.name, t, len(e.idx), e)
        return e.update(idx=tuple(self.index(i) for i in e.idx), type=t.elem)

    def check_rank(self, name, t: TensorType, n: int, node):
        if n != t.ndim():
            raise self.err(f"{name} has {t.ndim()} dimension{'s' if t.ndim() != 1 else ''} "
                           f"but is accessed with {n} ind{'ices' if n != 1 else 'ex'}", node)

    def extern(self, e: ir.Extern) -> ir.Expr:
        args = tuple(self.data(a) for a in e.args)
        name = e.f.name()
        try:
            t = e.f.typecheck(list(args))
        except _EErr as ex:
            raise self.err(f"extern {name}: {ex.msg}", e) from None
        except Exception as ex:  # a user-written typecheck failed unexpectedly
            raise self.err(f"extern {name}: its typecheck raised {type(ex).__name__}: {ex}",
                           e) from None
        if not (isinstance(t, ScalarType) and t.is_numeric()):
            raise self.err(f"extern {name}: typecheck must return a numeric type, got {t!r}", e)
        return e.update(args=args, type=t)

    # ------------------------------------------------------------- windows
    def window(self, e: ir.WindowExpr) -> ir.WindowExpr:
        """Type a window expression; its type's shape is the interval extents."""
        vi = self.info(e.name, e)
        t = vi.type
        if not isinstance(t, TensorType):
            raise self.err(f"{e.name} is not a buffer and cannot be windowed", e)
        self.check_rank(e.name, t, len(e.idx), e)
        accesses = []
        extents = []
        for d, a in enumerate(e.idx):
            if isinstance(a, ir.Interval):
                lo = self.index(a.lo)
                hi = self.index(a.hi) if a.hi is not None else t.shape_exprs[d]
                accesses.append(a.update(lo=lo, hi=hi))
                extents.append(window_extent(lo, hi, a.srcinfo))
            else:
                accesses.append(a.update(pt=self.index(a.pt)))
        if not extents:
            raise self.err(f"the window of {e.name} keeps no dimension", e)
        return e.update(idx=tuple(accesses), type=TensorType(t.elem, tuple(extents), True))
