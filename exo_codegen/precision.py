"""Precision checking before code generation (as the reference does it).

Precisions only meet where C would silently convert between them, so the
code generator refuses, with every position listed:

- an arithmetic operation between two data values of different precisions
  (``x[i] + y[i]`` with ``x: f32``, ``y: i8``)::

      cannot compute operation '+' between inconsistent precision types: i8 and f32

- an extern call whose arguments differ in precision (``select``, ``relu``...);
- a buffer or scalar passed to a parameter of another precision::

      expected precision f32, but got i8

Assignments and reductions convert (the C code casts), literals take the
precision of the other operand, and the generic ``R`` counts as ``f32`` (what
the C code uses for it). Set a buffer's precision with ``set_precision``.
The error is a `PrecisionError`, a ``TypeError`` like Exo's, located at the
first problem.
"""

from __future__ import annotations

import exo_core.ir as ir
from exo_core.errors import ExoTypeError
from exo_core.ir.types import F32, R, TensorType

__all__ = ["PrecisionError", "check_precisions"]


class PrecisionError(ExoTypeError):
    """Precisions meet inconsistently; ``problems`` lists ``(srcinfo, message)``."""

    problems: tuple = ()


_ARITH = ("+", "-", "*", "/", "%")


def _lowered(t):
    t = t.elem if isinstance(t, TensorType) else t
    return F32 if t is R else t


def _is_data(t) -> bool:
    t = t.elem if isinstance(t, TensorType) else t
    return getattr(t, "kind", None) == "num"


class _Checker:
    def __init__(self):
        self.problems: list = []

    def fail(self, srcinfo, message: str) -> None:
        self.problems.append((srcinfo, message))

    def prec(self, e):
        """The precision of a data expression (None: a literal, adapts)."""
        if isinstance(e, ir.Read):
            return _lowered(e.type) if _is_data(e.type) else None
        if isinstance(e, ir.WindowExpr):
            return _lowered(e.type)
        if isinstance(e, ir.Const):
            return None
        if isinstance(e, ir.USub):
            return self.prec(e.arg)
        if isinstance(e, ir.BinOp):
            a, b = self.prec(e.lhs), self.prec(e.rhs)
            if e.op in _ARITH and a is not None and b is not None and a is not b:
                self.fail(e.srcinfo, f"cannot compute operation '{e.op}' between inconsistent "
                                     f"precision types: {a} and {b}")
                return None  # reported once, not again by the enclosing operations
            return a if a is not None else b
        if isinstance(e, ir.Extern):
            seen = None
            for arg in e.args:
                p = self.prec(arg)
                if p is None:
                    continue
                if seen is None:
                    seen = p
                elif p is not seen:
                    self.fail(e.srcinfo, f"all extern arguments must have a same type, got "
                                         f"{seen} and {p}")
                    return None
            return seen
        return None

    def data_expr(self, e) -> None:
        if e is not None and _is_data(getattr(e, "type", None)):
            self.prec(e)

    def stmts(self, block) -> None:
        for s in block:
            if isinstance(s, (ir.Assign, ir.Reduce)):
                self.data_expr(s.rhs)
            elif isinstance(s, ir.Call):
                self.call(s)
            elif isinstance(s, ir.For):
                self.stmts(s.body)
            elif isinstance(s, ir.If):
                self.stmts(s.body)
                self.stmts(s.orelse)

    def call(self, s: ir.Call) -> None:
        for a, param in zip(s.args, s.f.args):
            if not _is_data(param.type) or not _is_data(getattr(a, "type", None)):
                continue
            got = self.prec(a)
            want = _lowered(param.type)
            if got is not None and got is not want:
                self.fail(getattr(a, "srcinfo", None) or s.srcinfo,
                          f"expected precision {want}, but got {got}")


def check_precisions(p: ir.ProcIR) -> None:
    """Raise `PrecisionError` listing every inconsistent use of precisions in
    ``p`` (its callees are checked when they are compiled)."""
    if p.instr is not None:
        return
    c = _Checker()
    c.stmts(p.body)
    if c.problems:
        lines = "\n".join(f"{si}: {msg}" if si is not None else msg for si, msg in c.problems)
        first = c.problems[0][0]
        err = PrecisionError(f"Errors occurred during precision checking:\n{lines}", None)
        err.srcinfo = first
        err.problems = tuple(c.problems)
        raise err
