"""Substituting symbols in IR, and copying code with fresh symbols.

    subst_block(stmts, {j: Read(i, (), INDEX)})      # s[j -> i]
    fresh_copy(stmts)                                 # a copy binding new symbols

A mapping sends a `Sym` either to another `Sym` (a renaming: works for
buffers, windows and control variables alike) or to a control expression
(only for control variables, which are read as ``Read(sym, ())``). Types that
mention a substituted variable (window extents, allocation shapes) are
rewritten too. `fresh_copy` gives every allocation, window statement and loop
of the copy a new symbol, so duplicated code never shares a binder with its
original.
"""

from __future__ import annotations

from typing import Mapping

import exo_core.ir as ir
from exo_core.cursors.base import lift
from exo_core.cursors.paths import NodeLoc, block_of
from exo_core.ir.prelude import Sym
from exo_core.ir.types import (BOOL, INDEX, TensorType, control_negation_type,
                               control_result_type, is_control)


def _name(sym: Sym, env: Mapping) -> Sym:
    v = env.get(sym)
    return v if isinstance(v, Sym) else sym


def subst_type(t, env: Mapping):
    """A type with the substitution applied to its shape expressions."""
    if isinstance(t, TensorType):
        shape = tuple(subst_expr(e, env) for e in t.shape_exprs)
        if all(x is y for x, y in zip(shape, t.shape_exprs)):
            return t
        return TensorType(t.elem, shape, t.is_window)
    return t


def subst_expr(e, env: Mapping):
    """``e`` with the substitution applied (``e`` itself when unchanged)."""
    if not env or e is None:
        return e
    kind = type(e)
    if kind is ir.Const:
        return e
    if kind is ir.BinOp:  # the common case, without the generic mapper
        lhs, rhs = subst_expr(e.lhs, env), subst_expr(e.rhs, env)
        if lhs is e.lhs and rhs is e.rhs:
            return e
        typ = e.type
        if is_control(typ) and typ is not BOOL:
            typ = control_result_type(e.op, lhs.type, rhs.type)
        return e.update(lhs=lhs, rhs=rhs, type=typ)
    if kind is ir.Read:
        name = e.name
        v = env.get(name)
        if v is not None and not isinstance(v, Sym):
            if e.idx:
                raise ValueError(f"cannot substitute an expression for buffer {name}")
            return v
        if v is not None:
            name = v
        typ = e.type
        if isinstance(typ, TensorType):
            typ = subst_type(typ, env)
        if not e.idx:
            return e if name is e.name and typ is e.type else e.update(name=name, type=typ)
        idx = tuple([subst_expr(i, env) for i in e.idx])
        if name is e.name and typ is e.type and all(x is y for x, y in zip(idx, e.idx)):
            return e
        return e.update(name=name, idx=idx, type=typ)
    if isinstance(e, ir.WindowExpr):
        e = ir.map_exprs(e, lambda sub: subst_expr(sub, env))
        return e.update(name=_name(e.name, env), type=subst_type(e.type, env))
    if isinstance(e, ir.StrideExpr):
        name = _name(e.name, env)
        return e if name is e.name else e.update(name=name)
    # the other kinds rename nothing themselves: substitute in their sub-expressions
    out = ir.map_exprs(e, lambda sub: subst_expr(sub, env))
    # Control arithmetic is retyped (a substituted literal makes ``i + 1`` an
    # int, say), as the typechecker would type the printed result.
    if out is not e and is_control(out.type) and out.type is not BOOL:
        if isinstance(out, ir.BinOp):
            out = out.update(type=control_result_type(out.op, out.lhs.type, out.rhs.type))
        elif isinstance(out, ir.USub):
            out = out.update(type=control_negation_type(out.arg.type))
    return out


def subst_block(stmts, env: Mapping, fresh: bool = False) -> list:
    """The statements with the substitution applied; with ``fresh``, every
    binder inside them gets a new symbol."""
    env = dict(env)
    return [_subst_stmt(s, env, fresh) for s in stmts]


def fresh_copy(stmts) -> list:
    """A copy of the statements whose binders are all new symbols."""
    return subst_block(stmts, {}, fresh=True)


def _bind(sym: Sym, env: dict, fresh: bool) -> Sym:
    if fresh:
        new = sym.copy()
        env[sym] = new
        return new
    return _name(sym, env)


def _subst_stmt(s, env: dict, fresh: bool):
    if isinstance(s, (ir.Assign, ir.Reduce)):
        return s.update(name=_name(s.name, env), idx=tuple(subst_expr(i, env) for i in s.idx),
                        rhs=subst_expr(s.rhs, env))
    if isinstance(s, ir.WriteConfig):
        return s.update(rhs=subst_expr(s.rhs, env))
    if isinstance(s, ir.If):
        return s.update(cond=subst_expr(s.cond, env),
                        body=[_subst_stmt(x, env, fresh) for x in s.body],
                        orelse=[_subst_stmt(x, env, fresh) for x in s.orelse])
    if isinstance(s, ir.For):
        lo, hi = subst_expr(s.lo, env), subst_expr(s.hi, env)
        it = _bind(s.iter, env, fresh)
        return s.update(iter=it, lo=lo, hi=hi, body=[_subst_stmt(x, env, fresh) for x in s.body])
    if isinstance(s, ir.Alloc):
        typ = subst_type(s.type, env)
        return s.update(name=_bind(s.name, env, fresh), type=typ)
    if isinstance(s, ir.Call):
        return s.update(args=tuple(subst_expr(a, env) for a in s.args))
    if isinstance(s, ir.WindowStmt):
        rhs = subst_expr(s.rhs, env)
        return s.update(name=_bind(s.name, env, fresh), rhs=rhs)
    return s  # Pass


def rename_control_in_place(ed, block_cursor, old: Sym, new: Sym) -> None:
    """Replace the control variable ``old`` by ``new`` in a block being edited
    by ``ed`` (a `ProcEditor`), in place: every expression and every
    allocation's shape. Statement cursors into the block stay valid."""
    if old is new:
        return
    ed.map_exprs(block_cursor,
                 lambda e: subst_expr(e, {old: ir.Read(new, (), INDEX, e.srcinfo)}))
    env = {old: ir.Read(new, (), INDEX)}
    loc = ed.cursor(block_cursor)._loc
    allocs = []

    def visit(owner, field, stmts, lo, hi):
        for k in range(lo, hi):
            s, steps = stmts[k], owner + ((field, k),)
            if isinstance(s, ir.Alloc):
                allocs.append((steps, s))
            for f in s.block_fields:
                visit(steps, f, getattr(s, f), 0, len(getattr(s, f)))

    visit(loc.owner, loc.field, block_of(ed.root, loc.owner, loc.field), loc.lo, loc.hi)
    for steps, s in allocs:
        typ = subst_type(s.type, env)
        if typ is not s.type:
            ed.update(lift(ed.current(), NodeLoc(steps)), type=typ)
