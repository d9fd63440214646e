"""Building and rewriting IR for loop primitives.

- control arithmetic with constant folding (`c_add`, `c_mul`, ...), so
  ``divide_loop`` of ``seq(0, 16)`` by 4 gives ``seq(0, 4)`` and not
  ``seq(0, 16 / 4)``;
- `stmt_syms` / `uses_sym`: variables a block mentions; `config_reads`.

Substitution and fresh copies are `sym_substitution`'s.
"""

from __future__ import annotations

import exo_core.ir as ir
from exo_core.ir.prelude import Sym, SrcInfo, null_srcinfo
from exo_core.ir.types import BOOL, INDEX, INT, TensorType, control_result_type


def int_of(e) -> int | None:
    """The value of an integer literal, else None."""
    if isinstance(e, ir.Const) and isinstance(e.val, int) and not isinstance(e.val, bool):
        return e.val
    return None


def cint(v: int, si: SrcInfo = null_srcinfo) -> ir.Const:
    return ir.Const(v, INT, si)


def _neg_const(e, si):
    v = int_of(e)
    return None if v is None else cint(-v, si)


def c_op(op: str, a, b, si: SrcInfo = null_srcinfo) -> ir.BinOp:
    """``a op b`` (control arithmetic, not folded), typed by the typechecker's
    rule (`control_result_type`)."""
    return ir.BinOp(op, a, b, control_result_type(op, a.type, b.type), si)


def c_add(a, b, si: SrcInfo = null_srcinfo):
    """``a + b`` folded."""
    x, y = int_of(a), int_of(b)
    if x is not None and y is not None:
        return cint(x + y, si)
    if y == 0:
        return a
    if x == 0:
        return b
    if y is not None and y < 0:
        return c_op("-", a, cint(-y, si), si)
    return c_op("+", a, b, si)


def c_sub(a, b, si: SrcInfo = null_srcinfo):
    """``a - b`` folded."""
    x, y = int_of(a), int_of(b)
    if x is not None and y is not None:
        return cint(x - y, si)
    if y == 0:
        return a
    if y is not None and y < 0:
        return c_op("+", a, cint(-y, si), si)
    return c_op("-", a, b, si)


def c_mul(a, b, si: SrcInfo = null_srcinfo):
    """``a * b`` folded."""
    x, y = int_of(a), int_of(b)
    if x is not None and y is not None:
        return cint(x * y, si)
    if x == 1:
        return b
    if y == 1:
        return a
    return c_op("*", a, b, si)


def c_div(a, q: int, si: SrcInfo = null_srcinfo):
    """``a / q`` (floor division by a positive constant) folded."""
    x = int_of(a)
    if x is not None:
        return cint(x // q, si)
    if q == 1:
        return a
    return c_op("/", a, cint(q, si), si)


def c_mod(a, q: int, si: SrcInfo = null_srcinfo):
    """``a % q`` folded."""
    x = int_of(a)
    if x is not None:
        return cint(x % q, si)
    if q == 1:
        return cint(0, si)
    return c_op("%", a, cint(q, si), si)


def c_cmp(op: str, a, b, si: SrcInfo = null_srcinfo):
    return ir.BinOp(op, a, b, BOOL, si)


def read_iter(sym: Sym, si: SrcInfo = null_srcinfo) -> ir.Read:
    return ir.Read(sym, (), INDEX, si)


# --------------------------------------------------------------------------
# free variables


def expr_syms(e, out: set) -> set:
    """Every symbol ``e`` reads, added to ``out``."""
    kind = type(e)
    if kind is ir.Const:
        return out
    if kind is ir.Read:  # the common cases, without the generic walker
        out.add(e.name)
        for i in e.idx:
            expr_syms(i, out)
        return out
    if kind is ir.BinOp:
        expr_syms(e.lhs, out)
        return expr_syms(e.rhs, out)
    if isinstance(e, (ir.WindowExpr, ir.StrideExpr)):
        out.add(e.name)
    for child in ir.expr_children(e):
        expr_syms(child, out)
    return out


def stmt_syms(stmts, out: set | None = None, *, binders: bool = True) -> set:
    """Every symbol mentioned in ``stmts``; with ``binders=False`` only the
    ones used (not the names that loops, allocations and window statements
    bind, unless something uses them)."""
    out = set() if out is None else out
    for s in stmts:
        if isinstance(s, (ir.Assign, ir.Reduce)):
            out.add(s.name)
            for e in s.idx:
                expr_syms(e, out)
            expr_syms(s.rhs, out)
        elif isinstance(s, ir.WriteConfig):
            expr_syms(s.rhs, out)
        elif isinstance(s, ir.If):
            expr_syms(s.cond, out)
            stmt_syms(s.body, out, binders=binders)
            stmt_syms(s.orelse, out, binders=binders)
        elif isinstance(s, ir.For):
            if binders:
                out.add(s.iter)
            expr_syms(s.lo, out)
            expr_syms(s.hi, out)
            stmt_syms(s.body, out, binders=binders)
        elif isinstance(s, ir.Alloc):
            if binders:
                out.add(s.name)
            if isinstance(s.type, TensorType):
                for e in s.type.shape_exprs:
                    expr_syms(e, out)
        elif isinstance(s, ir.Call):
            for a in s.args:
                expr_syms(a, out)
        elif isinstance(s, ir.WindowStmt):
            if binders:
                out.add(s.name)
            expr_syms(s.rhs, out)
    return out


def uses_sym(stmts, sym: Sym) -> bool:
    """Does ``sym`` occur in ``stmts``?"""
    return sym in stmt_syms(stmts)


def config_reads(e, out: set | None = None) -> set:
    """(config id, field) pairs read by an expression."""
    out = set() if out is None else out
    if isinstance(e, ir.ReadConfig):
        out.add((id(e.config), e.field))
    for c in ir.expr_children(e):
        config_reads(c, out)
    return out
