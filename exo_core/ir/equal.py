"""Structural equality of IR modulo symbol renaming and source positions.

Two procedures are equal when they have the same shape, operators, literals,
types, memories, callees, externs and configs, and their symbols correspond
one-to-one by binding position (alpha-equivalence). Source positions are
ignored. Symbols that are free in both sides (not bound by the compared code)
must be the same symbol.

A negated literal ``USub(Const(c))`` equals ``Const(-c)``: both print as
``-c``.
"""

from __future__ import annotations

import exo_core.ir as ir
from exo_core.ir.types import ScalarType, TensorType


class _SymMap:
    def __init__(self):
        self.fwd: dict = {}
        self.bwd: dict = {}

    def bind(self, a, b):
        self.fwd[a] = b
        self.bwd[b] = a

    def same(self, a, b) -> bool:
        if a in self.fwd:
            return self.fwd[a] == b
        if b in self.bwd:
            return False
        return a == b


def _fold(e):
    if isinstance(e, ir.USub) and isinstance(e.arg, ir.Const) \
            and not isinstance(e.arg.val, bool):
        return ir.Const(-e.arg.val, e.type if e.type is not None else e.arg.type, e.srcinfo)
    return e


def _type_eq(a, b, m: _SymMap) -> bool:
    if isinstance(a, TensorType) or isinstance(b, TensorType):
        return (isinstance(a, TensorType) and isinstance(b, TensorType)
                and a.elem is b.elem and a.is_window == b.is_window
                and len(a.shape_exprs) == len(b.shape_exprs)
                and all(_expr_eq(x, y, m) for x, y in zip(a.shape_exprs, b.shape_exprs)))
    if isinstance(a, ScalarType) or isinstance(b, ScalarType):
        return a is b
    return a is b or a == b


def _exprs_eq(xs, ys, m) -> bool:
    return len(xs) == len(ys) and all(_expr_eq(x, y, m) for x, y in zip(xs, ys))


def _expr_eq(a, b, m: _SymMap) -> bool:
    if a is b:
        return True
    if a is None or b is None:
        return False
    a, b = _fold(a), _fold(b)
    if type(a) is not type(b):
        return False
    if isinstance(a, (ir.Interval, ir.Point)):
        if isinstance(a, ir.Interval):
            return _expr_eq(a.lo, b.lo, m) and _expr_eq(a.hi, b.hi, m)
        return _expr_eq(a.pt, b.pt, m)
    if not _type_eq(a.type, b.type, m):
        return False
    if isinstance(a, ir.Read):
        return m.same(a.name, b.name) and _exprs_eq(a.idx, b.idx, m)
    if isinstance(a, ir.Const):
        return type(a.val) is type(b.val) and a.val == b.val
    if isinstance(a, ir.USub):
        return _expr_eq(a.arg, b.arg, m)
    if isinstance(a, ir.BinOp):
        return a.op == b.op and _expr_eq(a.lhs, b.lhs, m) and _expr_eq(a.rhs, b.rhs, m)
    if isinstance(a, ir.Extern):
        return a.f is b.f and _exprs_eq(a.args, b.args, m)
    if isinstance(a, ir.WindowExpr):
        return m.same(a.name, b.name) and _exprs_eq(a.idx, b.idx, m)
    if isinstance(a, ir.StrideExpr):
        return m.same(a.name, b.name) and a.dim == b.dim
    if isinstance(a, ir.ReadConfig):
        return a.config is b.config and a.field == b.field
    return False


def _block_eq(xs, ys, m: _SymMap) -> bool:
    return len(xs) == len(ys) and all(_stmt_eq(x, y, m) for x, y in zip(xs, ys))


def _stmt_eq(a, b, m: _SymMap) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, (ir.Assign, ir.Reduce)):
        return (m.same(a.name, b.name) and _type_eq(a.type, b.type, m)
                and _exprs_eq(a.idx, b.idx, m) and _expr_eq(a.rhs, b.rhs, m))
    if isinstance(a, ir.WriteConfig):
        return a.config is b.config and a.field == b.field and _expr_eq(a.rhs, b.rhs, m)
    if isinstance(a, ir.Pass):
        return True
    if isinstance(a, ir.If):
        return (_expr_eq(a.cond, b.cond, m) and _block_eq(a.body, b.body, m)
                and _block_eq(a.orelse, b.orelse, m))
    if isinstance(a, ir.For):
        if not (a.loop_mode == b.loop_mode and _expr_eq(a.lo, b.lo, m)
                and _expr_eq(a.hi, b.hi, m)):
            return False
        m.bind(a.iter, b.iter)
        return _block_eq(a.body, b.body, m)
    if isinstance(a, ir.Alloc):
        if not (a.mem is b.mem and _type_eq(a.type, b.type, m)):
            return False
        m.bind(a.name, b.name)
        return True
    if isinstance(a, ir.Call):
        return (_callee_eq(a.f, b.f)) and _exprs_eq(a.args, b.args, m)
    if isinstance(a, ir.WindowStmt):
        if not _expr_eq(a.rhs, b.rhs, m):
            return False
        m.bind(a.name, b.name)
        return True
    return False


def _callee_eq(f, g) -> bool:
    return f is g or proc_equal(f, g)


def expr_equal(a, b) -> bool:
    """Are two expressions equal (ignoring source positions)?"""
    return _expr_eq(a, b, _SymMap())


def stmt_equal(a, b) -> bool:
    """Are two statements (or two blocks) alpha-equivalent?"""
    if isinstance(a, ir.Stmt) and isinstance(b, ir.Stmt):
        return _stmt_eq(a, b, _SymMap())
    return _block_eq(list(a), list(b), _SymMap())


def proc_equal(a: ir.ProcIR, b: ir.ProcIR) -> bool:
    """Are two procedures alpha-equivalent (same up to renaming and srcinfo)?"""
    if a is b:
        return True
    if a.name != b.name or len(a.args) != len(b.args):
        return False
    if (a.instr is None) != (b.instr is None):
        return False
    if a.instr is not None and (a.instr.c_instr != b.instr.c_instr
                                or a.instr.c_global != b.instr.c_global):
        return False
    m = _SymMap()
    for x, y in zip(a.args, b.args):
        if x.mem is not y.mem or not _type_eq(x.type, y.type, m):
            return False
        m.bind(x.name, y.name)
    return _exprs_eq(a.preds, b.preds, m) and _block_eq(a.body, b.body, m)


__all__ = ["proc_equal", "stmt_equal", "expr_equal"]
